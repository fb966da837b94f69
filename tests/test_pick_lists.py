"""Pick lists: one page per call, searchable, bound to the inputs they fill."""

from __future__ import annotations

from qbtime_connector import Connection, invoke
from qbtime_connector.sandbox import Sandbox

YEAR = {"start_date": "2025-01-01", "end_date": "2025-12-31"}


def test_a_pick_list_reads_one_page_per_call(sandbox: Sandbox, connection: Connection) -> None:
    sandbox.state.add_timesheets(450)
    before = sandbox.state.count("GET /api/v1/timesheets")
    first = invoke("timesheet_options", YEAR, connection)
    assert (len(first["options"]), first["more"]) == (200, True)
    last = invoke("timesheet_options", {**YEAR, "page": 3}, connection)
    assert (len(last["options"]), last["more"]) == (50, False)
    assert sandbox.state.count("GET /api/v1/timesheets") - before == 2
