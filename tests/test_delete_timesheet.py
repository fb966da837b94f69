"""Delete Timesheet: each id sent once, results per id."""

from __future__ import annotations

from qbtime_connector import Connection, invoke
from qbtime_connector.sandbox import Sandbox

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
