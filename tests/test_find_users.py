"""Find Users by any of five criteria; Find or Create User never makes a second user."""

from __future__ import annotations

import threading
from typing import Any

import pytest
import requests
import responses

from qbtime_connector import ApiError, Connection, InputError, TransportError, invoke
from qbtime_connector.sandbox import Sandbox

from .conftest import API, listing, written

NEW = {"username": "newhire", "first_name": "New", "last_name": "Hire"}
USER = {"id": 77, "username": "newhire", "first_name": "New", "last_name": "Hire", "email": ""}


def names(result: dict[str, Any]) -> list[str]:
    return [u["username"] for u in result["users"]]


@pytest.mark.parametrize(
    ("inputs", "expected"),
    [
        ({"name": "Mary Samsonite"}, ["msamsonite"]),
        ({"name": "mary"}, ["msamsonite"]),  # one word: a first or a last name
        ({"name": "chen"}, ["lchen"]),
        ({"name": "*o*"}, ["msamsonite", "jdoe", "pnovak"]),
        ({"name": "Rita Former"}, []),  # archived: Active defaults to yes
        ({"name": "Rita Former", "active": "both"}, ["rformer"]),
        ({"email": "JDoe@Example.com"}, ["jdoe"]),
        ({"username": "pnovak"}, ["pnovak"]),
        ({"name": "Mary", "email": "jdoe@example.com"}, []),  # every criterion must match
    ],
)
def test_find_users_matches_each_criterion(
    connection: Connection, inputs: dict[str, str], expected: list[str]
) -> None:
    result = invoke("find_users", inputs, connection)
    assert names(result) == expected and result["count"] == len(expected)


def test_employee_number_and_payroll_id_are_filtered_by_the_api(
    sandbox: Sandbox, connection: Connection
) -> None:
    invoke(
        "update_user",
        {
            "id": 1000003,
            "additional_query_parameters": {"employee_number": 42, "payroll_id": "P-9"},
        },
        connection,
    )
    assert names(invoke("find_users", {"employee_number": "42"}, connection)) == ["jdoe"]
    assert names(invoke("find_users", {"payroll_id": "P-9"}, connection)) == ["jdoe"]
    assert sandbox.state.count("GET /api/v1/users") == 2


def test_a_one_word_name_asks_as_first_and_as_last_name(
    mocked_api: responses.RequestsMock, mocked_connection: Connection
) -> None:
    mocked_api.get(f"{API}/users", json=listing("users", [USER]))
    mocked_api.get(f"{API}/users", json=listing("users", [USER]))
    assert names(invoke("find_users", {"name": "Hire"}, mocked_connection)) == ["newhire"]
    urls = [str(c.request.url) for c in mocked_api.calls]
    assert "first_name=Hire" in urls[0] and "last_name=Hire" in urls[1]


def test_find_users_needs_a_criterion() -> None:
    with pytest.raises(InputError, match="Name or Email or Username"):
        invoke("find_users", {"active": "both"}, {"client_id": "x"})


def test_find_or_create_finds_an_existing_user_without_creating(
    sandbox: Sandbox, connection: Connection
) -> None:
    result = invoke(
        "find_or_create_user",
        {"username": "jdoe", "first_name": "J", "last_name": "D"},
        connection,
    )
    assert (result["user"]["id"], result["created"], result["outcome"]) == (1000003, False, "found")
    assert sandbox.state.count("POST /api/v1/users") == 0


def test_find_or_create_creates_once_then_finds(sandbox: Sandbox, connection: Connection) -> None:
    extra = {"permissions": {"time_tracking": True}}
    first = invoke(
        "find_or_create_user",
        {**NEW, "email": "n@example.com", "additional_query_parameters": extra},
        connection,
    )
    assert (first["created"], first["outcome"]) == (True, "created")
    assert first["user"]["email"] == "n@example.com"
    assert first["user"]["permissions"]["time_tracking"] is True
    again = invoke("find_or_create_user", NEW, connection)
    assert (again["user"]["id"], again["created"]) == (first["user"]["id"], False)
    assert sandbox.state.count("POST /api/v1/users") == 1


def test_two_concurrent_calls_make_one_user(sandbox: Sandbox) -> None:
    results: list[dict[str, Any]] = []
    start = threading.Barrier(2)

    def run() -> None:
        with sandbox.connect() as own:
            start.wait()
            results.append(invoke("find_or_create_user", NEW, own))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({r["user"]["id"] for r in results}) == 1
    assert sorted(r["created"] for r in results).count(True) <= 1
    with sandbox.connect() as check:
        assert names(invoke("find_users", {"username": "newhire"}, check)) == ["newhire"]


def test_a_create_refused_because_another_call_won_returns_the_winner(
    mocked_api: responses.RequestsMock, mocked_connection: Connection
) -> None:
    mocked_api.get(f"{API}/users", json=listing("users", []))
    refused = {**NEW, "_status_code": 417, "_status_extra": "username must be unique"}
    mocked_api.post(f"{API}/users", json=written("users", [refused]))
    mocked_api.get(f"{API}/users", json=listing("users", [USER]))
    result = invoke("find_or_create_user", NEW, mocked_connection)
    assert (result["user"], result["created"], result["outcome"]) == (
        USER,
        False,
        "found_after_conflict",
    )


def test_a_create_whose_answer_was_lost_is_found_not_repeated(
    mocked_api: responses.RequestsMock, mocked_connection: Connection
) -> None:
    mocked_api.get(f"{API}/users", json=listing("users", []))
    mocked_api.post(f"{API}/users", body=requests.ConnectionError("reset after sending"))
    mocked_api.get(f"{API}/users", json=listing("users", [USER]))
    result = invoke("find_or_create_user", NEW, mocked_connection)
    assert (result["user"], result["created"], result["outcome"]) == (
        USER,
        True,
        "created_answer_lost",
    )
    assert [c.request.method for c in mocked_api.calls] == ["GET", "POST", "GET"]


def test_a_server_error_on_create_re_finds_and_never_creates_twice(
    mocked_api: responses.RequestsMock, mocked_connection: Connection
) -> None:
    mocked_api.get(f"{API}/users", json=listing("users", []))
    mocked_api.post(f"{API}/users", status=500, json={"error": {"code": 500, "message": "x"}})
    mocked_api.get(f"{API}/users", json=listing("users", []))
    with pytest.raises(ApiError) as failed:
        invoke("find_or_create_user", NEW, mocked_connection)
    assert failed.value.status == 500
    assert [c.request.method for c in mocked_api.calls] == ["GET", "POST", "GET"]


def test_a_transport_failure_before_sending_is_raised(
    mocked_api: responses.RequestsMock, mocked_connection: Connection
) -> None:
    mocked_api.get(f"{API}/users", body=requests.ConnectionError("down"))
    with pytest.raises(TransportError):
        invoke("find_or_create_user", NEW, mocked_connection)


def test_find_or_create_needs_the_names_to_create_with() -> None:
    with pytest.raises(InputError) as refused:
        invoke("find_or_create_user", {"username": "x"}, {"client_id": "x"})
    assert [e["input"] for e in refused.value.errors] == ["first_name", "last_name"]


@pytest.mark.parametrize("username", ["admin,new.hire", "new.hire,", ",admin"])
def test_find_or_create_refuses_a_username_with_a_comma_before_any_call(
    mocked_api: responses.RequestsMock, mocked_connection: Connection, username: str
) -> None:
    # The API's username filter splits on commas: "admin,new.hire" would find user admin.
    with pytest.raises(InputError, match="Username") as refused:
        invoke("find_or_create_user", {**NEW, "username": username}, mocked_connection)
    assert "comma" in refused.value.errors[0]["message"]


def test_find_or_create_takes_only_a_user_whose_username_is_exactly_the_one_asked(
    mocked_api: responses.RequestsMock, mocked_connection: Connection
) -> None:
    other = {**USER, "id": 5, "username": "NewHire"}  # an answer that is not the user asked for
    mocked_api.get(f"{API}/users", json=listing("users", [other]))
    mocked_api.post(f"{API}/users", json=written("users", [{**USER, "_status_code": 200}]))
    result = invoke("find_or_create_user", NEW, mocked_connection)
    assert (result["outcome"], result["user"]["id"]) == ("created", 77)
