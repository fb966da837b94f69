"""Delete Timesheet: each id sent once, results per id."""

from __future__ import annotations

from typing import Any

import pytest

from qbtime_connector import AuthError, BatchError, Connection, invoke
from qbtime_connector.sandbox import Sandbox

from .conftest import no_sleep_policy

DELETES = "DELETE /api/v1/timesheets"


def test_duplicate_ids_are_sent_once(sandbox: Sandbox, connection: Connection) -> None:
    result = invoke("delete_timesheet", {"timesheet_ids": "4000002, 4000003,4000002"}, connection)
    assert [r["id"] for r in result["timesheets"]] == ["4000002", "4000003"]
    assert all(r["_status_code"] == 200 for r in result["timesheets"])
    assert sandbox.state.count(DELETES) == 1


def test_duplicates_do_not_push_a_list_into_another_request(
    sandbox: Sandbox, connection: Connection
) -> None:
    ids = [4000001 + n for n in range(40)]
    invoke("delete_timesheet", {"timesheet_ids": ids + ids[:20]}, connection)
    assert sandbox.state.count(DELETES) == 1
    assert not set(ids) & set(sandbox.state.company.timesheets)


def test_the_same_id_written_differently_counts_once(
    sandbox: Sandbox, connection: Connection
) -> None:
    result = invoke(
        "delete_timesheet", {"timesheet_ids": ["4000002", 4000002, " 04000002"]}, connection
    )
    assert [r["id"] for r in result["timesheets"]] == ["4000002"]


def test_a_failure_part_way_says_which_ids_were_deleted(sandbox: Sandbox) -> None:
    sandbox.state.add_timesheets(200)
    ids = sorted(sandbox.state.company.timesheets)[:120]
    state = sandbox.state
    original = state.record

    def fail_second_delete(method: str, path: str) -> Any:
        found = original(method, path)
        if f"{method} {path}" == DELETES and state.count(DELETES) == 2:
            state.inject(status=500)
            return state.faults.pop()
        return found

    state.record = fail_second_delete  # type: ignore[method-assign]
    with (
        sandbox.connect(retry=no_sleep_policy()) as connection,
        pytest.raises(BatchError) as caught,
    ):
        invoke("delete_timesheet", {"timesheet_ids": ids}, connection)
    outcomes = [r["outcome"] for r in caught.value.records]
    assert outcomes == ["applied"] * 50 + ["unknown"] * 50 + ["not_sent"] * 20
    assert [r["result"]["id"] for r in caught.value.records[:50]] == [str(i) for i in ids[:50]]
    assert state.count(DELETES) == 2  # the failed request is not retried


def test_a_refused_token_is_an_auth_error_not_a_batch_error(sandbox: Sandbox) -> None:
    token = {"access_token": "bogus-access-123", "refresh_token": "bogus-refresh-456"}
    with (
        Connection(
            "demo-client",
            "demo-secret",
            token={**token, "expires_at": 9e9},
            base_url=sandbox.base_url,
        ) as connection,
        pytest.raises(AuthError),
    ):
        invoke("delete_timesheet", {"timesheet_ids": "4000001"}, connection)
    assert sandbox.state.count("DELETE") == 1
