"""Every action through invoke() against the sandbox, over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from qbtime_connector import AuthError, Connection, ItemError, invoke
from qbtime_connector.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Sandbox

from .conftest import new_worker

DAY = "2026-11-24"


@pytest.fixture(scope="module")
def sb() -> Iterator[Sandbox]:
    with Sandbox() as sandbox:
        yield sandbox


@pytest.fixture
def stored() -> list[dict[str, Any]]:
    return []


@pytest.fixture
def conn(sb: Sandbox, stored: list[dict[str, Any]]) -> Iterator[Connection]:
    sb.state.reset()
    with sb.connect(on_token_refresh=stored.append) as connection:
        yield connection


def sheet_inputs(user_id: int, start: str = "09:00", end: str = "10:00") -> dict[str, Any]:
    return {
        "user_id": user_id,
        "jobcode_id": 2000004,
        "start_date": f"{DAY}T{start}:00-07:00",
        "end_date": f"{DAY}T{end}:00-07:00",
    }


def test_the_timesheet_lifecycle(conn: Connection) -> None:
    user = new_worker(conn)
    made = invoke("create_timesheet", sheet_inputs(user), conn)["timesheets"][0]
    assert (made["_status_code"], made["duration"], made["type"]) == (200, 3600, "regular")
    changed = invoke(
        "update_timesheet",
        {"timesheet_id": str(made["id"]), "end_date": f"{DAY}T11:30:00-07:00"},
        conn,
    )
    assert changed["timesheets"][0]["duration"] == 9000
    listed = invoke("get_timesheets", {"start_date": DAY, "user_ids": str(user)}, conn)
    assert [s["id"] for s in listed["timesheets"]] == [made["id"]]
    assert str(user) in listed["supplemental_data"]["users"]
    gone = invoke("delete_timesheet", {"timesheet_ids": made["id"]}, conn)
    assert gone == {
        "timesheets": [
            {"_status_code": 200, "_status_message": "OK, deleted", "id": str(made["id"])}
        ]
    }
    assert invoke("get_timesheets", {"start_date": DAY, "user_ids": user}, conn)["timesheets"] == []


def test_users_create_update_by_string_id_and_by_username(conn: Connection) -> None:
    user = new_worker(conn, "renamed")
    invoke("update_user", {"id": str(user), "username": "renamed2"}, conn)
    invoke(
        "update_user",
        {"username": "renamed2", "additional_query_parameters": {"email": "r@example.com"}},
        conn,
    )
    found = invoke("get_users", {"additional_query_parameters": {"ids": user}}, conn)["users"]
    assert (found[0]["username"], found[0]["email"]) == ("renamed2", "r@example.com")


def test_job_codes_and_assignments(conn: Connection) -> None:
    codes = invoke("get_job_codes", {}, conn)["jobcodes"]
    assert [c["name"] for c in codes] == [
        "Field Work",
        "Installation",
        "Repairs",
        "Office",
        "Training",
    ]
    assert len(invoke("get_job_codes", {"active": "both"}, conn)["jobcodes"]) == 6
    active = invoke("get_job_code_assignments", {}, conn)["jobcode_assignments"]
    every = invoke("get_job_code_assignments", {"active": "both"}, conn)["jobcode_assignments"]
    assert (len(active), len(every)) == (8, 9)
    mine = invoke("get_job_code_assignments", {"user_ids": "1000002"}, conn)
    assert {a["user_id"] for a in mine["jobcode_assignments"]} == {1000002}


def test_paging_across_several_pages_returns_every_record_once(conn: Connection) -> None:
    seen: list[int] = []
    page = 1
    while True:
        result = invoke(
            "get_timesheets", {"start_date": "2026-11-16", "per_page": "7", "page": str(page)}, conn
        )
        assert result["page"] == page
        seen += [s["id"] for s in result["timesheets"]]
        if not result["more"]:
            break
        page += 1
    assert len(seen) == len(set(seen)) == 40 and page == 6


def test_an_expired_token_is_refreshed_and_the_rotated_one_stored(
    sb: Sandbox, conn: Connection, stored: list[dict[str, Any]]
) -> None:
    old_refresh = conn.token["refresh_token"]
    sb.state.expire_tokens()
    assert len(invoke("get_users", {}, conn)["users"]) == 5
    assert len(stored) == 1 and stored[0]["refresh_token"] != old_refresh
    assert conn.token == stored[0]
    sb.state.expire_tokens()
    invoke("get_users", {}, conn)  # the rotated refresh token works in its turn
    assert len(stored) == 2


def test_a_token_near_expiry_is_refreshed_before_the_call(sb: Sandbox) -> None:
    sb.state.token_lifetime = 60
    try:
        with sb.connect(refresh_margin=120) as conn:
            grants, reads = sb.state.count("POST /api/v1/grant"), sb.state.count("GET")
            invoke("get_users", {}, conn)
            assert sb.state.count("POST /api/v1/grant") == grants + 1
            assert sb.state.count("GET") == reads + 1  # no 401 first
    finally:
        sb.state.token_lifetime = 864000


def test_a_revoked_refresh_token_asks_to_reconnect(sb: Sandbox, conn: Connection) -> None:
    sb.state.refresh.clear()
    sb.state.expire_tokens()
    token = conn.token
    with pytest.raises(AuthError, match="reconnect"):
        invoke("get_users", {}, conn)
    assert conn.token == token


def test_per_item_failures_keep_every_item(conn: Connection) -> None:
    user = new_worker(conn, "no.tracking", tracking=False)
    with pytest.raises(ItemError) as caught:
        invoke("create_timesheet", sheet_inputs(user), conn)
    assert caught.value.status == 403 and "TS-1006" in str(caught.value)
    worker = new_worker(conn)
    invoke("create_timesheet", sheet_inputs(worker), conn)
    with pytest.raises(ItemError) as overlap:
        invoke("create_timesheet", sheet_inputs(worker, "09:30", "10:30"), conn)
    assert overlap.value.status == 406 and len(overlap.value.items) == 1


def test_deleting_unknown_and_known_ids_reports_both(conn: Connection) -> None:
    with pytest.raises(ItemError) as caught:
        invoke("delete_timesheet", {"timesheet_ids": "4000001, 99"}, conn)
    assert [i["_status_code"] for i in caught.value.items] == [200, 404]


def test_the_plain_mapping_connection_works(sb: Sandbox) -> None:
    sb.state.reset()
    assert invoke("get_users", {"active": "both"}, sb.connection_config())["users"]


def same_shape(example: Any, real: Any, where: str = "result") -> None:
    """Same keys and JSON types (records compared by their first element)."""
    assert type(example) is type(real), f"{where}: {type(example)} vs {type(real)}"
    if isinstance(example, dict) and not where.endswith("supplemental_data"):
        keyed_by_id = all(k.isdigit() for k in example) and example
        if keyed_by_id:  # ids vary; compare one entry's shape where the real map has one
            if real:
                same_shape(next(iter(example.values())), next(iter(real.values())), where + ".*")
            return
        assert set(example) == set(real), f"{where}: {set(example) ^ set(real)}"
        for key in example:
            same_shape(example[key], real[key], f"{where}.{key}")
    elif isinstance(example, list) and example and real:
        same_shape(example[0], real[0], where + "[0]")


def real_results(conn: Connection) -> dict[str, dict[str, Any]]:
    user = new_worker(conn, "shape")
    sheet = invoke("create_timesheet", sheet_inputs(user), conn)
    sheet_id = sheet["timesheets"][0]["id"]
    return {
        "create_timesheet": sheet,
        "create_user": invoke(
            "create_user", {"username": "s2", "first_name": "S", "last_name": "T"}, conn
        ),
        "update_timesheet": invoke(
            "update_timesheet",
            {"timesheet_id": sheet_id, "additional_query_parameters": {"notes": "n"}},
            conn,
        ),
        "update_user": invoke("update_user", {"id": user}, conn),
        "get_users": invoke("get_users", {}, conn),
        "get_job_codes": invoke("get_job_codes", {}, conn),
        "get_job_code_assignments": invoke("get_job_code_assignments", {}, conn),
        "get_timesheets": invoke("get_timesheets", {"start_date": "2026-11-16"}, conn),
        "delete_timesheet": invoke("delete_timesheet", {"timesheet_ids": sheet_id}, conn),
        "create_users": invoke(
            "create_users",
            {"records": [{"username": "b1", "first_name": "B", "last_name": "One"}]},
            conn,
        ),
        "update_users": invoke("update_users", {"records": [{"id": user, "email": "e@x"}]}, conn),
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
            conn,
        ),
        "update_timesheets": invoke(
            "update_timesheets", {"records": [{"id": sheet_id + 1, "notes": "n"}]}, conn
        ),
        "get_current_user": invoke("get_current_user", {}, conn),
        "raw_request": invoke("raw_request", {"path": "current_user"}, conn),
        "get_changes": changes(conn, user),
        "user_options": invoke("user_options", {}, conn),
        "job_code_options": invoke("job_code_options", {}, conn),
        "timesheet_options": invoke(
            "timesheet_options", {"start_date": "2026-11-16", "end_date": "2026-11-16"}, conn
        ),
        "job_code_assignment_options": invoke("job_code_assignment_options", {}, conn),
        **more_results(conn),
    }


def more_results(conn: Connection) -> dict[str, dict[str, Any]]:
    """A real result of each action added by issue 16 (defined with their tests)."""
    from .test_reference_examples import new_action_results

    return new_action_results(conn)


def changes(conn: Connection, user: int) -> dict[str, Any]:
    """A poll that sees one change of each kind."""
    cursor = invoke("get_changes", {}, conn)["cursor"]
    import time

    time.sleep(1.05)  # the sandbox clock is real here: let the next changes fall a second later
    made = invoke("create_timesheet", sheet_inputs(user, "15:00", "16:00"), conn)
    invoke("delete_timesheet", {"timesheet_ids": made["timesheets"][0]["id"]}, conn)
    invoke("update_user", {"id": user, "additional_query_parameters": {"email": "c@x"}}, conn)
    invoke("get_job_codes", {}, conn)
    return invoke("get_changes", {"cursor": cursor}, conn)


def test_demo_credentials_are_the_contracts() -> None:
    assert (DEMO_CLIENT_ID, DEMO_CLIENT_SECRET) == ("demo-client", "demo-secret")
