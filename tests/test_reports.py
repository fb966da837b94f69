"""Get Current Totals and Get Payroll Report: POSTed filters, answers as lists of rows."""

from __future__ import annotations

import json

import pytest
import responses

from qbtime_connector import Connection, InputError, invoke
from qbtime_connector.sandbox import Sandbox

from .conftest import API

MARY, JOHN = 1000002, 1000003
ACTIVE_USERS = [1000001, 1000002, 1000003, 1000004, 1000005]
FIELD_CREW = 5001  # seeded group of Mary and Li
VACATION = 2000007
WEEK = {"start_date": "2026-11-16", "end_date": "2026-11-20"}


def test_current_totals_lists_everyone_by_default(sandbox: Sandbox, connection: Connection) -> None:
    result = invoke("get_current_totals", {}, connection)
    assert [r["user_id"] for r in result["current_totals"]] == ACTIVE_USERS
    assert (result["more"], result["page"]) == (False, 1)
    assert sandbox.state.count("POST /api/v1/reports/current_totals") == 1


def test_current_totals_shows_who_is_on_the_clock(connection: Connection) -> None:
    opened = invoke(
        "clock_in",
        {"user_id": MARY, "jobcode_id": 2000002, "start_time": "2026-11-27T08:00:00-07:00"},
        connection,
    )["timesheets"][0]
    rows = invoke("get_current_totals", {"on_the_clock": "yes"}, connection)["current_totals"]
    assert [(r["user_id"], r["timesheet_id"], r["jobcode_id"]) for r in rows] == [
        (MARY, opened["id"], 2000002)
    ]
    assert rows[0]["shift_seconds"] > 0
    off = invoke("get_current_totals", {"on_the_clock": "no"}, connection)["current_totals"]
    assert MARY not in [r["user_id"] for r in off]


def test_current_totals_sends_its_filters_under_data(
    mocked_api: responses.RequestsMock, mocked_connection: Connection
) -> None:
    mocked_api.post(
        f"{API}/reports/current_totals",
        json={"results": {"current_totals": {}}, "more": False, "supplemental_data": {}},
    )
    inputs = {
        "user_ids": "1, 2",
        "group_ids": "7",
        "order_by": "shift_seconds",
        "order_desc": "true",
        "per_page": "10",
    }
    invoke("get_current_totals", inputs, mocked_connection)
    assert json.loads(mocked_api.calls[0].request.body) == {
        "data": {
            "on_the_clock": "both",
            "user_ids": "1,2",
            "group_ids": "7",
            "order_by": "shift_seconds",
            "order_desc": True,
            "limit": 10,
            "page": 1,
        }
    }


def test_current_totals_filters_by_group_and_orders(connection: Connection) -> None:
    rows = invoke(
        "get_current_totals",
        {"group_ids": FIELD_CREW, "order_by": "last_name", "order_desc": True},
        connection,
    )["current_totals"]
    assert [r["user_id"] for r in rows] == [MARY, 1000004]  # Samsonite, Chen


def test_current_totals_pages(connection: Connection) -> None:
    result = invoke("get_current_totals", {"per_page": 2, "page": 3}, connection)
    assert [r["user_id"] for r in result["current_totals"]] == [1000005]
    assert (result["more"], result["page"]) == (False, 3)
    assert invoke("get_current_totals", {"per_page": 2}, connection)["more"] is True


def test_payroll_report_totals_each_users_week(sandbox: Sandbox, connection: Connection) -> None:
    result = invoke("get_payroll_report", WEEK, connection)
    rows = {r["user_id"]: r for r in result["payroll_report"]}
    assert list(rows) == ACTIVE_USERS[1:]  # the admin tracked no time
    assert rows[MARY]["total_re_seconds"] == rows[MARY]["total_work_seconds"] == 5 * 7 * 3600
    assert result["more"] is False and "page" not in result
    assert sandbox.state.count("POST /api/v1/reports/payroll") == 1


def test_payroll_report_counts_time_off_by_job_code(connection: Connection) -> None:
    invoke(
        "create_timesheets",
        {"records": [{"user_id": MARY, "jobcode_id": VACATION, "duration": 28800,
                      "date": "2026-11-21"}]},
        connection,
    )  # fmt: skip
    row = invoke(
        "get_payroll_report",
        {"start_date": "2026-11-16", "end_date": "2026-11-22", "user_ids": MARY},
        connection,
    )["payroll_report"][0]
    assert row["pto_seconds"] == {str(VACATION): 28800}
    assert row["total_pto_seconds"] == 28800
    assert row["total_work_seconds"] == 5 * 7 * 3600 + 28800


def test_payroll_report_with_zero_time_and_advanced_overtime(connection: Connection) -> None:
    rows = invoke(
        "get_payroll_report",
        {**WEEK, "include_zero_time": "yes", "advanced_overtime": "yes"},
        connection,
    )["payroll_report"]
    assert [r["user_id"] for r in rows] == ACTIVE_USERS
    assert {"overtime_seconds", "fixed_rate_seconds"} <= set(rows[0])
    assert "total_ot_seconds" not in rows[0]


def test_payroll_report_sends_the_reference_example_request(
    mocked_api: responses.RequestsMock, mocked_connection: Connection
) -> None:
    mocked_api.post(f"{API}/reports/payroll", json={"results": {"payroll_report": {}}})
    invoke(
        "get_payroll_report",
        {"start_date": "2018-03-02", "end_date": "2018-03-15", "advanced_overtime": "no"},
        mocked_connection,
    )
    assert json.loads(mocked_api.calls[0].request.body) == {
        "data": {"start_date": "2018-03-02", "end_date": "2018-03-15", "advanced_overtime": "no"}
    }


def test_payroll_report_needs_an_ordered_date_range(
    sandbox: Sandbox, connection: Connection
) -> None:
    with pytest.raises(InputError) as missing:
        invoke("get_payroll_report", {"start_date": "2026-11-16"}, connection)
    assert [e["input"] for e in missing.value.errors] == ["end_date"]
    with pytest.raises(InputError) as backwards:
        invoke(
            "get_payroll_report", {"start_date": "2026-11-20", "end_date": "2026-11-16"}, connection
        )
    assert backwards.value.errors[0]["input"] == "end_date"
    assert sandbox.state.count("POST /api/v1/reports/payroll") == 0
