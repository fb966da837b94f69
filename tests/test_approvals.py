"""Submit Timesheets and Approve Timesheets move users' submitted_to and approved_to dates."""

from __future__ import annotations

import json

import pytest
import responses

from qbtime_connector import Connection, InputError, ItemError, invoke
from qbtime_connector.sandbox import Sandbox

from .conftest import API, written

MARY, JOHN, LI = 1000002, 1000003, 1000004


def dates(connection: Connection, user_id: int) -> tuple[str, str]:
    user = invoke("get_users", {"additional_query_parameters": {"ids": user_id}}, connection)
    found = user["users"][0]
    return found["submitted_to"], found["approved_to"]


def test_submit_sets_submitted_to_for_every_user_given(
    sandbox: Sandbox, connection: Connection
) -> None:
    result = invoke(
        "submit_timesheets", {"user_ids": f"{MARY}, {JOHN}", "date": "2026-11-20"}, connection
    )
    assert [(u["id"], u["submitted_to"]) for u in result["users"]] == [
        (MARY, "2026-11-20"),
        (JOHN, "2026-11-20"),
    ]
    assert dates(connection, MARY) == ("2026-11-20", "2000-01-01")
    assert sandbox.state.count("PUT /api/v1/users") == 1


def test_approve_sets_approved_to_and_submits_up_to_it_too(connection: Connection) -> None:
    invoke("submit_timesheets", {"user_ids": LI, "date": "2026-11-18"}, connection)
    invoke("approve_timesheets", {"user_ids": [LI], "date": "2026-11-21"}, connection)
    assert dates(connection, LI) == ("2026-11-21", "2026-11-21")


def test_approving_an_earlier_date_leaves_submitted_to(connection: Connection) -> None:
    invoke("submit_timesheets", {"user_ids": LI, "date": "2026-11-22"}, connection)
    invoke("approve_timesheets", {"user_ids": LI, "date": "2026-11-19"}, connection)
    assert dates(connection, LI) == ("2026-11-22", "2026-11-19")


def test_the_request_puts_one_item_per_user(
    mocked_api: responses.RequestsMock, mocked_connection: Connection
) -> None:
    mocked_api.put(f"{API}/users", json=written("users", [{"id": 1}, {"id": 2}]))
    invoke("approve_timesheets", {"user_ids": "1,2", "date": "2026-11-21"}, mocked_connection)
    assert json.loads(mocked_api.calls[0].request.body) == {
        "data": [{"id": 1, "approved_to": "2026-11-21"}, {"id": 2, "approved_to": "2026-11-21"}]
    }


def test_more_than_fifty_users_go_in_requests_of_fifty(
    sandbox: Sandbox, connection: Connection
) -> None:
    ids = [MARY, *range(9000001, 9000060)]  # Mary and 59 users who do not exist
    with pytest.raises(ItemError) as failed:
        invoke("submit_timesheets", {"user_ids": ids, "date": "2026-11-20"}, connection)
    items = failed.value.items
    assert len(items) == 60 and items[0]["_status_code"] == 200
    assert {i["_status_code"] for i in items[1:]} == {417}
    assert sandbox.state.count("PUT /api/v1/users") == 2


def test_dates_and_users_are_checked_before_any_request(
    sandbox: Sandbox, connection: Connection
) -> None:
    with pytest.raises(InputError) as refused:
        invoke("approve_timesheets", {"user_ids": "one", "date": "2026-02-30"}, connection)
    assert [e["input"] for e in refused.value.errors] == ["user_ids", "date"]
    assert sandbox.state.count("PUT /api/v1/users") == 0
