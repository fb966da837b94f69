"""Every action sends what the API reference says and returns what the contract says."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import responses

from qbtime_connector import Connection, ItemError, invoke

from .conftest import ACCESS, API, listing, written

USER = {"id": 933849, "first_name": "Mary", "last_name": "Samsonite", "username": "msamsonite"}
SHEET = {
    "id": 135288482,
    "user_id": 1242515,
    "jobcode_id": 17288283,
    "start": "2018-07-16T09:04:00-06:00",
    "end": "2018-07-16T15:57:00-06:00",
}


def sent(mock: responses.RequestsMock, n: int = 0) -> tuple[str, str, dict[str, str], Any]:
    """Method, path, query and JSON body of the n-th request made."""
    request = mock.calls[n].request
    parts = urlsplit(request.url)
    body = json.loads(request.body) if request.body else None
    assert request.headers["Authorization"] == f"Bearer {ACCESS}"
    return request.method, parts.path, dict(parse_qsl(parts.query)), body


@pytest.mark.parametrize(
    ("action", "endpoint", "inputs", "query"),
    [
        ("get_users", "users", {}, {"active": "yes", "limit": "50", "page": "1"}),
        (
            "get_users",
            "users",
            {
                "active": "Both",
                "per_page": "200",
                "page": "3",
                "additional_query_parameters": [{"key": "usernames", "value": "a,b"}],
            },
            {"active": "both", "limit": "200", "page": "3", "usernames": "a,b"},
        ),
        (
            "get_job_codes",
            "jobcodes",
            {"active": "no"},
            {"active": "no", "limit": "50", "page": "1"},
        ),
        (
            "get_job_code_assignments",
            "jobcode_assignments",
            {"user_ids": [3, "4"]},
            {"active": "yes", "limit": "50", "page": "1", "user_ids": "3,4"},
        ),
        (
            "get_timesheets",
            "timesheets",
            {
                "start_date": "2026-11-01",
                "end_date": "2026-11-07",
                "user_ids": "1, 2,3",
                "job_code_ids": 9,
                "on_the_clock": "both",
                "per_page": 10,
            },
            {
                "start_date": "2026-11-01",
                "end_date": "2026-11-07",
                "user_ids": "1,2,3",
                "jobcode_ids": "9",
                "on_the_clock": "both",
                "limit": "10",
                "page": "1",
            },
        ),
        (
            "get_timesheets",
            "timesheets",
            {"additional_query_parameters": {"modified_since": "2026-11-01T00:00:00+00:00"}},
            {"modified_since": "2026-11-01T00:00:00+00:00", "limit": "50", "page": "1"},
        ),
    ],
)
def test_get_actions_send_the_documented_query(
    mocked_api: responses.RequestsMock,
    mocked_connection: Connection,
    action: str,
    endpoint: str,
    inputs: dict[str, Any],
    query: dict[str, str],
) -> None:
    mocked_api.get(
        f"{API}/{endpoint}",
        json=listing(
            endpoint, [{"id": 2}, {"id": 1}], more=True, supplemental={"users": {"1": USER}}
        ),
    )
    result = invoke(action, inputs, mocked_connection)
    method, path, params, body = sent(mocked_api)
    assert (method, path, params, body) == ("GET", f"/api/v1/{endpoint}", query, None)
    assert result == {
        endpoint: [{"id": 2}, {"id": 1}],
        "more": True,
        "page": int(query["page"]),
        "supplemental_data": {"users": {"1": USER}},
    }


def test_get_timesheets_never_sends_active_or_per_page(
    mocked_api: responses.RequestsMock, mocked_connection: Connection
) -> None:
    mocked_api.get(f"{API}/timesheets", json=listing("timesheets", []))
    invoke("get_timesheets", {"start_date": "2026-11-01"}, mocked_connection)
    _, _, params, _ = sent(mocked_api)
    assert "active" not in params and "per_page" not in params
    assert params["limit"] == "50"


def test_empty_results_in_php_array_shape_become_empty_lists(
    mocked_api: responses.RequestsMock, mocked_connection: Connection
) -> None:
    mocked_api.get(
        f"{API}/users", json={"results": {"users": []}, "more": False, "supplemental_data": []}
    )
    assert invoke("get_users", {}, mocked_connection) == {
        "users": [],
        "more": False,
        "page": 1,
        "supplemental_data": {},
    }


def test_update_timesheet_puts_only_given_fields(
    mocked_api: responses.RequestsMock, mocked_connection: Connection
) -> None:
    item = {**SHEET, "_status_code": 200, "_status_message": "Updated"}
    mocked_api.put(f"{API}/timesheets", json=written("timesheets", [item]))
    result = invoke(
        "update_timesheet",
        {"timesheet_id": "135288482", "jobcode_id": "", "end_date": "2018-07-16T16:00:00-06:00"},
        mocked_connection,
    )
    assert sent(mocked_api)[3] == {"data": [{"id": 135288482, "end": "2018-07-16T16:00:00-06:00"}]}
    assert result == {"timesheets": [item]}


def test_create_user_posts_names_and_extra_fields(
    mocked_api: responses.RequestsMock, mocked_connection: Connection
) -> None:
    item = {**USER, "_status_code": 200, "_status_message": "Created"}
    mocked_api.post(f"{API}/users", json=written("users", [item]))
    result = invoke(
        "create_user",
        {
            "username": "msamsonite",
            "first_name": "Mary",
            "last_name": "Samsonite",
            "additional_query_parameters": [
                {"key": "permissions", "value": {"time_tracking": True}}
            ],
        },
        mocked_connection,
    )
    assert sent(mocked_api)[3] == {
        "data": [
            {
                "username": "msamsonite",
                "first_name": "Mary",
                "last_name": "Samsonite",
                "permissions": {"time_tracking": True},
            }
        ]
    }
    assert result == {"users": [item]}


@pytest.mark.parametrize(
    ("inputs", "record"),
    [
        ({"id": "933849", "username": "mary2"}, {"id": 933849, "username": "mary2"}),
        (
            {"username": "mary", "additional_query_parameters": {"email": "m@example.com"}},
            {"username": "mary", "email": "m@example.com"},
        ),
    ],
)
def test_update_user_takes_a_string_id_or_a_username(
    mocked_api: responses.RequestsMock,
    mocked_connection: Connection,
    inputs: dict[str, Any],
    record: dict[str, Any],
) -> None:
    mocked_api.put(f"{API}/users", json=written("users", [{**USER, "_status_code": 200}]))
    invoke("update_user", inputs, mocked_connection)
    assert sent(mocked_api)[3] == {"data": [record]}


def test_delete_timesheet_sends_timesheet_ids_in_requests_of_fifty(
    mocked_api: responses.RequestsMock, mocked_connection: Connection
) -> None:
    ids = list(range(1, 121))

    def answer(request: Any) -> tuple[int, dict[str, str], str]:
        sent_ids = dict(parse_qsl(urlsplit(request.url).query))["ids"].split(",")
        results = {
            i: {"_status_code": 200, "_status_message": "OK, deleted", "id": i} for i in sent_ids
        }
        return 200, {}, json.dumps({"results": {"timesheets": results}})

    mocked_api.add_callback(responses.DELETE, f"{API}/timesheets", callback=answer)
    result = invoke(
        "delete_timesheet", {"timesheet_ids": ",".join(map(str, ids))}, mocked_connection
    )
    batches = [dict(parse_qsl(urlsplit(c.request.url).query))["ids"] for c in mocked_api.calls]
    assert [len(b.split(",")) for b in batches] == [50, 50, 20]
    assert [int(i["id"]) for i in result["timesheets"]] == ids


def test_a_failed_item_raises_item_error_keeping_every_item(
    mocked_api: responses.RequestsMock, mocked_connection: Connection
) -> None:
    items = [
        {
            "_status_code": 403,
            "_status_message": "Forbidden",
            "_status_extra": "TS-1006: User is not allowed to track time",
        }
    ]
    mocked_api.post(f"{API}/timesheets", json=written("timesheets", items))
    with pytest.raises(ItemError) as caught:
        invoke(
            "create_timesheet",
            {
                "user_id": 1,
                "jobcode_id": 2,
                "start_date": "2026-11-24T09:00:00-07:00",
                "end_date": "2026-11-24T10:00:00-07:00",
            },
            mocked_connection,
        )
    assert caught.value.status == 403
    assert caught.value.items == items
    assert "TS-1006" in str(caught.value)


def test_a_plain_mapping_connection_works_and_keeps_a_refreshed_token(
    mocked_api: responses.RequestsMock,
) -> None:
    token = {"access_token": "old", "refresh_token": "r1", "expires_in": 0}
    config = {"client_id": "c", "client_secret": "s", "token": token}
    mocked_api.post(
        f"{API}/grant",
        json={
            "access_token": ACCESS,
            "refresh_token": "r2",
            "expires_in": 864000,
            "token_type": "bearer",
            "scope": "",
        },
    )
    mocked_api.get(f"{API}/users", json=listing("users", []))
    invoke("get_users", {}, config)
    assert config["token"]["refresh_token"] == "r2"
    assert mocked_api.calls[1].request.headers["Authorization"] == f"Bearer {ACCESS}"


@pytest.mark.parametrize(
    ("inputs", "sent_ids"), [({"timesheet_ids": 7.0}, "7"), ({"timesheet_ids": [7.0, "8"]}, "7,8")]
)
def test_integral_floats_from_json_are_sent_as_integers(
    mocked_api: responses.RequestsMock,
    mocked_connection: Connection,
    inputs: dict[str, Any],
    sent_ids: str,
) -> None:
    mocked_api.delete(f"{API}/timesheets", json={"results": {"timesheets": {}}})
    invoke("delete_timesheet", inputs, mocked_connection)
    assert sent(mocked_api)[2] == {"ids": sent_ids}


def test_an_integral_float_per_page_is_sent_as_an_integer(
    mocked_api: responses.RequestsMock, mocked_connection: Connection
) -> None:
    mocked_api.get(f"{API}/users", json=listing("users", []))
    invoke("get_users", {"per_page": 25.0}, mocked_connection)
    assert sent(mocked_api)[2]["limit"] == "25"
