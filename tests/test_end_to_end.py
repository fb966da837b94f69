"""Every action through invoke() against the sandbox, over real HTTP.

For speed the file shares one sandbox (`shared_sandbox`, module-scoped, reset before each
test); `connection` here is a Connection to it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Collection, Iterator
from typing import Any

import pytest

from qbtime_connector import AuthError, Connection, ItemError, invoke
from qbtime_connector.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Sandbox

from .conftest import new_worker

DAY = "2026-11-24"
DAY_KEY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


@pytest.fixture(scope="module")
def shared_sandbox() -> Iterator[Sandbox]:
    with Sandbox() as running:
        yield running


@pytest.fixture
def connection(shared_sandbox: Sandbox, stored: list[dict[str, Any]]) -> Iterator[Connection]:
    shared_sandbox.state.reset()
    with shared_sandbox.connect(on_token_refresh=stored.append) as connected:
        yield connected


def sheet_inputs(user_id: int, start: str = "09:00", end: str = "10:00") -> dict[str, Any]:
    return {
        "user_id": user_id,
        "jobcode_id": 2000004,
        "start_date": f"{DAY}T{start}:00-07:00",
        "end_date": f"{DAY}T{end}:00-07:00",
    }


def test_the_timesheet_lifecycle(connection: Connection) -> None:
    user = new_worker(connection)
    made = invoke("create_timesheet", sheet_inputs(user), connection)["timesheets"][0]
    assert (made["_status_code"], made["duration"], made["type"]) == (200, 3600, "regular")
    changed = invoke(
        "update_timesheet",
        {"timesheet_id": str(made["id"]), "end_date": f"{DAY}T11:30:00-07:00"},
        connection,
    )
    assert changed["timesheets"][0]["duration"] == 9000
    listed = invoke("get_timesheets", {"start_date": DAY, "user_ids": str(user)}, connection)
    assert [s["id"] for s in listed["timesheets"]] == [made["id"]]
    assert str(user) in listed["supplemental_data"]["users"]
    gone = invoke("delete_timesheet", {"timesheet_ids": made["id"]}, connection)
    assert gone == {
        "timesheets": [
            {"_status_code": 200, "_status_message": "OK, deleted", "id": str(made["id"])}
        ]
    }
    assert (
        invoke("get_timesheets", {"start_date": DAY, "user_ids": user}, connection)["timesheets"]
        == []
    )


def test_users_create_update_by_string_id_and_by_username(connection: Connection) -> None:
    user = new_worker(connection, "renamed")
    invoke("update_user", {"id": str(user), "username": "renamed2"}, connection)
    invoke(
        "update_user",
        {"username": "renamed2", "additional_query_parameters": {"email": "r@example.com"}},
        connection,
    )
    found = invoke("get_users", {"additional_query_parameters": {"ids": user}}, connection)["users"]
    assert (found[0]["username"], found[0]["email"]) == ("renamed2", "r@example.com")


def test_job_codes_and_assignments(connection: Connection) -> None:
    codes = invoke("get_job_codes", {}, connection)["jobcodes"]
    assert [c["name"] for c in codes] == [
        "Field Work",
        "Installation",
        "Repairs",
        "Office",
        "Training",
    ]
    assert len(invoke("get_job_codes", {"active": "both"}, connection)["jobcodes"]) == 6
    active = invoke("get_job_code_assignments", {}, connection)["jobcode_assignments"]
    every = invoke("get_job_code_assignments", {"active": "both"}, connection)[
        "jobcode_assignments"
    ]
    assert (len(active), len(every)) == (8, 9)
    mine = invoke("get_job_code_assignments", {"user_ids": "1000002"}, connection)
    assert {a["user_id"] for a in mine["jobcode_assignments"]} == {1000002}


def test_paging_across_several_pages_returns_every_record_once(connection: Connection) -> None:
    seen: list[int] = []
    page = 1
    while True:
        result = invoke(
            "get_timesheets",
            {"start_date": "2026-11-16", "per_page": "7", "page": str(page)},
            connection,
        )
        assert result["page"] == page
        seen += [s["id"] for s in result["timesheets"]]
        if not result["more"]:
            break
        page += 1
    assert len(seen) == len(set(seen)) == 40 and page == 6


def test_an_expired_token_is_refreshed_and_the_rotated_one_stored(
    shared_sandbox: Sandbox, connection: Connection, stored: list[dict[str, Any]]
) -> None:
    old_refresh = connection.token["refresh_token"]
    shared_sandbox.state.expire_tokens()
    assert len(invoke("get_users", {}, connection)["users"]) == 5
    assert len(stored) == 1 and stored[0]["refresh_token"] != old_refresh
    assert connection.token == stored[0]
    shared_sandbox.state.expire_tokens()
    invoke("get_users", {}, connection)  # the rotated refresh token works in its turn
    assert len(stored) == 2


def test_a_token_near_expiry_is_refreshed_before_the_call(shared_sandbox: Sandbox) -> None:
    shared_sandbox.state.token_lifetime = 60
    try:
        token = shared_sandbox.token()
        token["expires_at"] = time.time() + 2  # 2 s left: within the margin (3 s of a 60-s life)
        with Connection(
            DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, token, shared_sandbox.base_url, refresh_margin=120
        ) as connection:
            grants, reads = (
                shared_sandbox.state.count("POST /api/v1/grant"),
                shared_sandbox.state.count("GET"),
            )
            invoke("get_users", {}, connection)
            assert shared_sandbox.state.count("POST /api/v1/grant") == grants + 1
            assert shared_sandbox.state.count("GET") == reads + 1  # no 401 first
    finally:
        shared_sandbox.state.token_lifetime = 864000


def test_a_revoked_refresh_token_asks_to_reconnect(
    shared_sandbox: Sandbox, connection: Connection
) -> None:
    shared_sandbox.state.refresh.clear()
    shared_sandbox.state.expire_tokens()
    token = connection.token
    with pytest.raises(AuthError, match="reconnect"):
        invoke("get_users", {}, connection)
    assert connection.token == token


def test_per_item_failures_keep_every_item(connection: Connection) -> None:
    user = new_worker(connection, "no.tracking", tracking=False)
    with pytest.raises(ItemError) as caught:
        invoke("create_timesheet", sheet_inputs(user), connection)
    assert caught.value.status == 403 and "TS-1006" in str(caught.value)
    worker = new_worker(connection)
    invoke("create_timesheet", sheet_inputs(worker), connection)
    with pytest.raises(ItemError) as overlap:
        invoke("create_timesheet", sheet_inputs(worker, "09:30", "10:30"), connection)
    assert overlap.value.status == 406 and len(overlap.value.items) == 1


def test_deleting_unknown_and_known_ids_reports_both(connection: Connection) -> None:
    with pytest.raises(ItemError) as caught:
        invoke("delete_timesheet", {"timesheet_ids": "4000001, 99"}, connection)
    assert [i["_status_code"] for i in caught.value.items] == [200, 404]


def test_the_plain_mapping_connection_works(shared_sandbox: Sandbox) -> None:
    shared_sandbox.state.reset()
    assert invoke("get_users", {"active": "both"}, shared_sandbox.connection_config())["users"]


def same_shape(example: Any, real: Any, where: str = "result") -> None:
    """Same keys and JSON types (records compared by their first element)."""
    assert type(example) is type(real), f"{where}: {type(example)} vs {type(real)}"
    if isinstance(example, dict) and not where.endswith("supplemental_data"):
        keyed_by_id = all(k.isdigit() or DAY_KEY.match(k) for k in example) and example
        if keyed_by_id:  # ids (and dates) vary; compare one entry's shape where the real has one
            if real:
                same_shape(next(iter(example.values())), next(iter(real.values())), where + ".*")
            return
        assert set(example) == set(real), f"{where}: {set(example) ^ set(real)}"
        for key in example:
            same_shape(example[key], real[key], f"{where}.{key}")
    elif isinstance(example, list) and example and real:
        same_shape(example[0], real[0], where + "[0]")


def real_results(connection: Connection) -> dict[str, dict[str, Any]]:
    user = new_worker(connection, "shape")
    sheet = invoke("create_timesheet", sheet_inputs(user), connection)
    sheet_id = sheet["timesheets"][0]["id"]
    found = {
        "create_timesheet": sheet,
        "create_user": invoke(
            "create_user", {"username": "s2", "first_name": "S", "last_name": "T"}, connection
        ),
        "update_timesheet": invoke(
            "update_timesheet",
            {"timesheet_id": sheet_id, "additional_query_parameters": {"notes": "n"}},
            connection,
        ),
        "update_user": invoke("update_user", {"id": user}, connection),
        "get_users": invoke("get_users", {}, connection),
        "get_job_codes": invoke("get_job_codes", {}, connection),
        "get_job_code_assignments": invoke("get_job_code_assignments", {}, connection),
        "get_timesheets": invoke("get_timesheets", {"start_date": "2026-11-16"}, connection),
        "delete_timesheet": invoke("delete_timesheet", {"timesheet_ids": sheet_id}, connection),
        "create_users": invoke(
            "create_users",
            {"records": [{"username": "b1", "first_name": "B", "last_name": "One"}]},
            connection,
        ),
        "update_users": invoke(
            "update_users", {"records": [{"id": user, "email": "e@x"}]}, connection
        ),
        "create_timesheets": invoke(
            "create_timesheets",
            {
                "records": [
                    {
                        "user_id": user,
                        "jobcode_id": 2000004,
                        "start": f"{DAY}T13:00:00-07:00",
                        "end": f"{DAY}T14:00:00-07:00",
                    }
                ]
            },
            connection,
        ),
        "update_timesheets": invoke(
            "update_timesheets", {"records": [{"id": sheet_id + 1, "notes": "n"}]}, connection
        ),
        "get_current_user": invoke("get_current_user", {}, connection),
        "raw_request": invoke("raw_request", {"path": "current_user"}, connection),
        "get_changes": changes(connection, user),
        "user_options": invoke("user_options", {}, connection),
        "job_code_options": invoke("job_code_options", {}, connection),
        "timesheet_options": invoke(
            "timesheet_options", {"start_date": "2026-11-16", "end_date": "2026-11-16"}, connection
        ),
        "job_code_assignment_options": invoke("job_code_assignment_options", {}, connection),
    }
    return {**found, **more_results(connection, found)}


def more_results(connection: Connection, found: Collection[str]) -> dict[str, dict[str, Any]]:
    """A real result of each action added by issue 16 (defined with their tests), and of every
    other action and pick list from the demo's tour (issue 24)."""
    from qbtime_connector.demo import run_tour

    from .test_reference_examples import NEW_ACTIONS, new_action_results

    toured = run_tour(connection, ran=[*found, *NEW_ACTIONS])
    return {**toured, **new_action_results(connection)}


def changes(connection: Connection, user: int) -> dict[str, Any]:
    """A poll that sees one change of each kind."""
    cursor = invoke("get_changes", {}, connection)["cursor"]
    import time

    time.sleep(1.05)  # the sandbox clock is real here: let the next changes fall a second later
    made = invoke("create_timesheet", sheet_inputs(user, "15:00", "16:00"), connection)
    invoke("delete_timesheet", {"timesheet_ids": made["timesheets"][0]["id"]}, connection)
    invoke("update_user", {"id": user, "additional_query_parameters": {"email": "c@x"}}, connection)
    invoke("get_job_codes", {}, connection)
    return invoke("get_changes", {"cursor": cursor}, connection)


def test_demo_credentials_are_the_contracts() -> None:
    assert (DEMO_CLIENT_ID, DEMO_CLIENT_SECRET) == ("demo-client", "demo-secret")
