"""The sandbox's reports: current totals and payroll, computed from its timesheets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .company import Record, ids_of, iso, page_of, parse_day, tri_state
from .errors import ApiFailure

if TYPE_CHECKING:
    from .company import Company

ORDER_BY = {
    "username",
    "first_name",
    "last_name",
    "group_name",
    "group_id",
    "shift_seconds",
    "day_seconds",
}
YES_NO = {"yes", "no"}


def _filters(body: Any) -> dict[str, str]:
    """The report's filters: the object under "data", values as the query string would carry."""
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, dict):
        raise ApiFailure(400, 'the body must be JSON {"data": {...filters}}')
    return {k: _text(v) for k, v in data.items() if v is not None}


def date_range(filters: Mapping[str, str]) -> tuple[dt.date, dt.date]:
    """A report's start_date and end_date (both required: 417 without them)."""
    if not filters.get("start_date") or not filters.get("end_date"):
        raise ApiFailure(417, "start_date and end_date are required")
    return parse_day(filters["start_date"], "start_date"), parse_day(
        filters["end_date"], "end_date"
    )


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return str(value)


def _users(company: Company, filters: Mapping[str, str]) -> list[Record]:
    users, groups = ids_of(filters, "user_ids"), ids_of(filters, "group_ids")
    return [
        u
        for _, u in sorted(company.users.items())
        if u["active"]
        and (users is None or u["id"] in users)
        and (groups is None or u["group_id"] in groups)
    ]


def _seconds(sheet: Record, now: dt.datetime) -> int:
    if sheet["type"] != "regular" or sheet["end"]:
        return int(sheet["duration"])
    return max(0, int((now - dt.datetime.fromisoformat(sheet["start"])).total_seconds()))


def current_totals(company: Company, body: Any) -> dict[str, Any]:
    """POST /reports/current_totals: each user's shift and day seconds, now."""
    filters = _filters(body)
    clock = tri_state(filters, "on_the_clock", "no")
    order = _order_by(filters)
    now = company.clock()
    rows = [_totals_row(company, user, now) for user in _users(company, filters)]
    rows = [r for r in rows if clock == "both" or r["on_the_clock"] == (clock == "yes")]
    if order:
        rows.sort(key=lambda r: _order_key(company, r, order), reverse=_desc(filters))
    page, more = page_of(rows, filters)
    return {
        "results": {"current_totals": {str(r["user_id"]): r for r in page}},
        "more": more,
        "supplemental_data": _totals_supplement(company, page),
    }


def _order_by(filters: Mapping[str, str]) -> str:
    """The column to sort by ("": the API's order), or a 417 for one it cannot sort by."""
    order = filters.get("order_by", "")
    if order and order not in ORDER_BY:
        raise ApiFailure(417, f"order_by must be one of {', '.join(sorted(ORDER_BY))}")
    return order


def _totals_row(company: Company, user: Record, now: dt.datetime) -> Record:
    """One user's totals: the open timesheet's shift so far, and the seconds of their today."""
    sheets = [s for s in company.timesheets.values() if s["user_id"] == user["id"]]
    shift = next((s for s in sheets if s["on_the_clock"]), None)
    today = now.astimezone(_zone(shift)).date().isoformat()
    return {
        "user_id": user["id"],
        "on_the_clock": shift is not None,
        "timesheet_id": shift["id"] if shift else None,
        "jobcode_id": shift["jobcode_id"] if shift else None,
        "group_id": user["group_id"],
        "shift_geolocations_available": False,
        "shift_seconds": _seconds(shift, now) if shift else 0,
        "day_seconds": sum(_seconds(s, now) for s in sheets if s["date"] == today),
    }


def _totals_supplement(company: Company, page: list[Record]) -> dict[str, Any]:
    """The users, groups, open timesheets and their job codes that the page's rows name."""
    sheets = [company.timesheets[r["timesheet_id"]] for r in page if r["timesheet_id"]]
    return _non_empty(
        {
            "users": {str(r["user_id"]): company.users[r["user_id"]] for r in page},
            "groups": {str(g): _group(company, g) for g in sorted({r["group_id"] for r in page})},
            "timesheets": {str(s["id"]): s for s in sheets},
            "jobcodes": company.jobcodes_with_parents(s["jobcode_id"] for s in sheets),
        }
    )


def _non_empty(supplemental: dict[str, Any]) -> dict[str, Any]:
    """Supplemental data without its empty kinds (the API leaves those out)."""
    return {kind: records for kind, records in supplemental.items() if records}


def _zone(sheet: Record | None) -> dt.tzinfo:
    if sheet is None:
        return dt.timezone.utc
    return dt.datetime.fromisoformat(sheet["start"]).tzinfo or dt.timezone.utc


def _desc(filters: Mapping[str, str]) -> bool:
    return filters.get("order_desc", "false").lower() in {"true", "1", "yes"}


def _group(company: Company, group_id: int) -> Record:
    """A group, or the API's "-" placeholder group 0 for users in no group."""
    if group_id in company.groups:
        return company.groups[group_id]
    return {"id": 0, "name": "-", "last_modified": iso(company.clock()), "created": ""}


def _order_key(company: Company, row: Record, order: str) -> Any:
    user = company.users[row["user_id"]]
    if order == "group_name":
        return str(_group(company, row["group_id"])["name"]).lower()
    if order in row:
        return row[order]
    return str(user[order]).lower()


def payroll(company: Company, body: Any) -> dict[str, Any]:
    """POST /reports/payroll: regular and time off seconds per user between two dates."""
    filters = _filters(body)
    start, end = date_range(filters)
    for name in ("include_zero_time", "advanced_overtime"):
        if filters.get(name, "no") not in YES_NO:
            raise ApiFailure(417, f"{name} must be 'yes' or 'no'")
    advanced = filters.get("advanced_overtime") == "yes"
    rows: dict[str, Record] = {}
    pto_codes: set[int] = set()
    now = company.clock()
    for user in _users(company, filters):
        sheets = [
            s
            for s in company.timesheets.values()
            if s["user_id"] == user["id"] and start <= dt.date.fromisoformat(s["date"]) <= end
        ]
        if not sheets and filters.get("include_zero_time", "no") != "yes":
            continue
        regular, pto = _worked(company, sheets, now)
        pto_codes.update(int(code) for code in pto)
        rows[str(user["id"])] = _payroll_row(company, user, filters, regular, pto, advanced)
    supplemental = {
        "users": {key: company.users[int(key)] for key in rows},
        "jobcodes": company.jobcodes_with_parents(pto_codes),
    }
    return {
        "results": {"payroll_report": rows},
        "more": False,
        "supplemental_data": _non_empty(supplemental),
    }


def _worked(company: Company, sheets: list[Record], now: dt.datetime) -> tuple[int, dict[str, int]]:
    """The regular seconds of the timesheets, and their time off seconds per PTO job code."""
    pto: dict[str, int] = {}
    regular = 0
    for sheet in sheets:
        code = company.jobcodes.get(sheet["jobcode_id"])
        if code is not None and code["type"] == "pto":
            pto[str(code["id"])] = pto.get(str(code["id"]), 0) + _seconds(sheet, now)
        else:
            regular += _seconds(sheet, now)
    return regular, pto


def _payroll_row(
    company: Company,
    user: Record,
    filters: Mapping[str, str],
    regular: int,
    pto: dict[str, int],
    advanced: bool,
) -> Record:
    # The sandbox has no overtime rules, so overtime is always zero.
    overtime: Record = (
        {"overtime_seconds": {}, "fixed_rate_seconds": {}}
        if advanced
        else {"total_ot_seconds": 0, "total_dt_seconds": 0}
    )
    total_pto = sum(pto.values())
    return {
        "user_id": user["id"],
        "client_id": company.company_id,
        "start_date": filters["start_date"],
        "end_date": filters["end_date"],
        "total_re_seconds": regular,
        **overtime,
        "total_pto_seconds": total_pto,
        "total_work_seconds": regular + total_pto,
        "pto_seconds": pto,
    }


def _sheets_between(
    company: Company, users: list[Record], start: dt.date, end: dt.date
) -> list[Record]:
    ids = {u["id"] for u in users}
    return [
        s
        for _, s in sorted(company.timesheets.items())
        if s["user_id"] in ids and start <= dt.date.fromisoformat(s["date"]) <= end
    ]


def _jobcode_totals(
    company: Company, sheets: list[Record], now: dt.datetime, day: bool
) -> dict[str, Record]:
    """Seconds per job code: regular (or time off, for pto codes) and their sum."""
    totals: dict[str, Record] = {}
    for sheet in sheets:
        code = company.jobcodes.get(sheet["jobcode_id"])
        row = totals.setdefault(
            str(sheet["jobcode_id"]),
            {
                "jobcode_id": sheet["jobcode_id"],
                "total_re_seconds": 0,
                "total_ot_seconds": 0,
                "total_dt_seconds": 0,
                "total_pto_seconds": 0,
                **({"total_unpaid_seconds": 0} if day else {}),
                "total_work_seconds": 0,
            },
        )
        seconds = _seconds(sheet, now)
        kind = "total_pto_seconds" if code and code["type"] == "pto" else "total_re_seconds"
        row[kind] += seconds
        row["total_work_seconds"] += seconds
    return totals


def payroll_by_jobcode(company: Company, body: Any) -> dict[str, Any]:
    """POST /reports/payroll_by_jobcode: payroll totals per job code, per user and per day."""
    filters = _filters(body)
    start, end = date_range(filters)
    if filters.get("advanced_overtime", "no") not in YES_NO:
        raise ApiFailure(417, "advanced_overtime must be 'yes' or 'no'")
    now = company.clock()
    users = _users(company, filters)
    sheets = _sheets_between(company, users, start, end)
    by_user: dict[str, Record] = {}
    for user in users:
        mine = [s for s in sheets if s["user_id"] == user["id"]]
        if not mine:
            continue
        days = sorted({s["date"] for s in mine})
        by_user[str(user["id"])] = {
            "user_id": user["id"],
            "totals": _jobcode_totals(company, mine, now, False),
            "dates": {
                d: _jobcode_totals(company, [s for s in mine if s["date"] == d], now, True)
                for d in days
            },
        }
    shown: dict[str, Any] = {"start_date": filters["start_date"], "end_date": filters["end_date"]}
    if filters.get("user_ids"):
        shown["user_ids"] = filters["user_ids"].split(",")
    supplemental = {
        "users": {k: company.users[int(k)] for k in by_user},
        "jobcodes": company.jobcodes_with_parents(s["jobcode_id"] for s in sheets),
    }
    return {
        "results": {
            "filters": shown,
            "payroll_by_jobcode_report": {
                "totals": _jobcode_totals(company, sheets, now, False),
                "by_user": by_user,
            },
        },
        "supplemental_data": {k: v for k, v in supplemental.items() if v},
    }
