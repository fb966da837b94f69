"""The reports: Get Current Totals, Get Payroll Report and the rest (POST, filters in "data")."""

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


def _records(value: Any) -> bool:
    """Whether a part of an answer is records keyed by their ids ({"279": {"id": 279, …}})."""
    return (
        isinstance(value, dict)
        and bool(value)
        and all(isinstance(v, dict) and str(v.get("id")) == k for k, v in value.items())
    )


def get_report(connection: Connection, call: Call) -> dict[str, Any]:
    """Get Payroll by Job Code, Get Project Report, Get Project Estimate (Detail) Report: the
    answer's parts as they came, the contents of `results` lifted beside them, and records
    keyed by id (projects) made a list; a paged report's results are named <report>_report."""
    body = connection.request(call.method, call.endpoint, json={"data": call.body})
    name = call.endpoint.rsplit("/", 1)[-1] + "_report"
    result: dict[str, Any] = {}
    for part, value in body.items():
        if part == "results" and _records(value):
            result[name] = list(value.values())
        elif part == "results" and isinstance(value, dict):
            result.update(value)
        else:
            result[part] = value
    for part, value in result.items():
        if part != "supplemental_data" and _records(value):
            result[part] = list(value.values())
    result.setdefault("supplemental_data", {})
    return result
