"""The reports: Get Current Totals and Get Payroll Report (POST, filters under "data")."""

from __future__ import annotations

from typing import Any

from .connection import Connection
from .results import page_result
from .specs import Call


def _report(connection: Connection, call: Call, key: str) -> dict[str, Any]:
    body = connection.request(call.method, call.endpoint, json={"data": call.body})
    return page_result(key, body, int(call.body.get("page", 1)))


def get_current_totals(connection: Connection, call: Call) -> dict[str, Any]:
    """Get Current Totals: each user's shift and day seconds now, and who is on the clock."""
    return _report(connection, call, "current_totals")


def get_payroll_report(connection: Connection, call: Call) -> dict[str, Any]:
    """Get Payroll Report: regular, overtime and time off seconds per user for a date range."""
    result = _report(connection, call, "payroll_report")
    del result["page"]  # the payroll report is not paged
    return result
