"""The sandbox's project reports: hours by user, group, job code and custom field item; and
each project's tracked time against its estimate (summary and detail)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .company import Record, ids_of, page_of
from .errors import ApiFailure
from .projects import ESTIMATE_ITEMS, ESTIMATES, NOTES, PROJECTS
from .reports import _filters, _seconds, _users, date_range

if TYPE_CHECKING:
    from .company import Company


def _hours(seconds: int) -> str:
    return f"{seconds / 3600:.2f}"


def _item_of(company: Company, field_id: str, value: Any) -> str:
    """The id of the managed-list item a custom field value names ("0": none)."""
    for item in company.customfielditems.values():
        if str(item["customfield_id"]) == field_id and item["name"] == value:
            return str(item["id"])
    return "0"


def project(company: Company, body: Any) -> dict[str, Any]:
    """POST /reports/project: hours between two dates, by user, group, job code and item."""
    filters = _filters(body)
    start, end = date_range(filters)
    data = body["data"]
    wanted_items = data.get("customfielditems") or {}
    codes = ids_of(filters, "jobcode_ids")
    if codes is not None:
        codes = company._jobcode_and_descendants(codes)
    users = {u["id"]: u for u in _users(company, filters)}
    now = company.clock()
    totals: dict[str, dict[str, Any]] = {k: {} for k in ("users", "groups", "jobcodes")}
    fields: dict[str, dict[str, int]] = {}
    sheets = []
    for sheet in company.timesheets.values():
        if (
            sheet["user_id"] not in users
            or not start <= dt.date.fromisoformat(sheet["date"]) <= end
        ):
            continue
        if codes is not None and sheet["jobcode_id"] not in codes:
            continue
        values = sheet["customfields"] if isinstance(sheet["customfields"], dict) else {}
        if any(values.get(str(f)) not in names for f, names in wanted_items.items()):
            continue
        sheets.append(sheet)
        seconds = _seconds(sheet, now)
        for kind, key in (
            ("users", sheet["user_id"]),
            ("groups", users[sheet["user_id"]]["group_id"]),
            ("jobcodes", sheet["jobcode_id"]),
        ):
            totals[kind][str(key)] = totals[kind].get(str(key), 0) + seconds
        for field_id, value in values.items():
            row = fields.setdefault(str(field_id), {})
            item = _item_of(company, str(field_id), value)
            row[item] = row.get(item, 0) + seconds
    report = {
        "start_date": filters["start_date"],
        "end_date": filters["end_date"],
        "totals": {
            **{k: {i: _hours(s) for i, s in v.items()} for k, v in totals.items()},
            "customfields": {f: {i: _hours(s) for i, s in v.items()} for f, v in fields.items()},
        },
    }
    shown = {
        "user_ids": sorted(str(u) for u in ids_of(filters, "user_ids") or ()),
        "group_ids": sorted(str(g) for g in ids_of(filters, "group_ids") or ()),
        "jobcode_type": filters.get("jobcode_type", "all"),
        "customfielditems": wanted_items,
        "jobcode_ids": sorted(str(c) for c in ids_of(filters, "jobcode_ids") or ()),
    }
    supplemental = {
        "users": {str(i): company.users[i] for i in sorted({s["user_id"] for s in sheets})},
        "jobcodes": company.jobcodes_with_parents(s["jobcode_id"] for s in sheets),
        "customfields": {
            f: company.customfields[int(f)] for f in fields if int(f) in company.customfields
        },
        "customfielditems": {
            i: company.customfielditems[int(i)]
            for row in fields.values()
            for i in row
            if i != "0" and int(i) in company.customfielditems
        },
    }
    return {
        "results": {"filters": shown, "project_report": report},
        "supplemental_data": {k: v for k, v in supplemental.items() if v},
    }


def _tracked(company: Company, code: int) -> list[Record]:
    codes = company._jobcode_and_descendants({code})
    return [s for s in company.timesheets.values() if s["jobcode_id"] in codes]


def _estimate_of(company: Company, project_id: int) -> Record | None:
    found = [e for e in ESTIMATES.records(company).values() if e["project_id"] == project_id]
    return found[-1] if found else None


def _summary(company: Company, record: Record) -> Record:
    """A project with its estimate and the time tracked against it."""
    now = company.clock()
    sheets = _tracked(company, record["jobcode_id"])
    open_sheets = [s for s in sheets if s["on_the_clock"]]
    estimate = _estimate_of(company, record["id"])
    items = [
        i
        for i in ESTIMATE_ITEMS.records(company).values()
        if estimate is not None and i["estimate_id"] == estimate["id"] and i["active"]
    ]
    estimated = sum(int(i["estimated_seconds"]) for i in items)
    clocked_in = sum(_seconds(s, now) for s in open_sheets)
    tracked = sum(_seconds(s, now) for s in sheets)
    notes = [n for n in NOTES.records(company).values() if n["project_id"] == record["id"]]
    return {
        **{k: v for k, v in record.items() if k != "linked_objects"},
        "active": 1 if record["active"] else 0,
        "estimate_id": estimate["id"] if estimate else 0,
        "estimate_by": estimate["estimate_by"] if estimate else None,
        "estimate_by__id": estimate["estimate_by__id"] if estimate else 0,
        "total_clocked_in_seconds": clocked_in,
        "total_clocked_out_seconds": tracked - clocked_in,
        "total_tracked_seconds": tracked,
        "total_estimated_seconds": estimated,
        "total_note_count": len(notes),
        "unread_posts_count": 0,
        "unread_replies_count": 0,
        "budget_progress": round(tracked / estimated, 2) if estimated else None,
        "clocked_in_user_ids": sorted({s["user_id"] for s in open_sheets}),
    }


def project_estimate(company: Company, body: Any) -> dict[str, Any]:
    """POST /reports/project_estimate: every project (as filtered) against its estimate."""
    filters = _filters(body)
    data = body["data"]
    wanted = {int(p) for p in _listed(data.get("project_ids"))}
    codes = {int(c) for c in _listed(data.get("jobcode_ids"))}
    statuses = set(_listed(data.get("statuses")))
    active = filters.get("active", "yes")
    parent = filters.get("parent_jobcode_id")
    found = [
        p
        for _, p in sorted(PROJECTS.records(company).items())
        if (not wanted or p["id"] in wanted)
        and (not codes or p["jobcode_id"] in codes)
        and (not statuses or p["status"] in statuses)
        and (active == "both" or p["active"] == (active == "yes"))
        and (not parent or str(p["parent_jobcode_id"]) == str(parent))
    ]
    page, more = page_of(found, filters)
    rows = [_summary(company, p) for p in page]
    listed: Any = (
        rows if filters.get("results_as_array") == "yes" else {str(r["id"]): r for r in rows}
    )
    return {
        "filters": {
            "page": int(filters.get("page", 1)),
            "limit": int(filters.get("limit", 200)),
            "project_ids": sorted(wanted),
            "statuses": sorted(statuses),
            "parent_jobcode_id": parent or "",
            "jobcode_ids": ",".join(str(c) for c in sorted(codes)),
            "active": active != "no",
        },
        "more": more,
        "total_count": len(found),
        "results": listed,
    }


def _listed(value: Any) -> list[str]:
    """An array filter, given as a list or as comma-separated text."""
    if value in (None, ""):
        return []
    parts: Iterable[Any] = value.split(",") if isinstance(value, str) else value
    return [str(p).strip() for p in parts if str(p).strip()]


def _by_user(company: Company, sheets: list[Record], now: dt.datetime) -> dict[str, Record]:
    rows: dict[str, Record] = {}
    for sheet in sheets:
        row = rows.setdefault(
            str(sheet["user_id"]),
            {
                "total_clocked_in_seconds": 0,
                "total_clocked_out_seconds": 0,
                "total_tracked_seconds": 0,
                "on_the_clock": False,
            },
        )
        seconds = _seconds(sheet, now)
        key = "total_clocked_in_seconds" if sheet["on_the_clock"] else "total_clocked_out_seconds"
        row[key] += seconds
        row["total_tracked_seconds"] += seconds
        row["on_the_clock"] = row["on_the_clock"] or bool(sheet["on_the_clock"])
    return rows


def project_estimate_detail(company: Company, body: Any) -> dict[str, Any]:
    """POST /reports/project_estimate_detail: one project's time by user, group and job code."""
    filters = _filters(body)
    raw = filters.get("project_id", "")
    if not raw.isdigit():
        raise ApiFailure(417, "project_id is required")
    record = PROJECTS.records(company).get(int(raw))
    if record is None:
        raise ApiFailure(404, f"no project with id {raw}")
    now = company.clock()
    sheets = _tracked(company, record["jobcode_id"])
    users = _by_user(company, sheets, now)
    groups: dict[str, Record] = {}
    for user_id, row in users.items():
        group = str(company.users[int(user_id)]["group_id"])
        groups.setdefault(group, {"users": {}})["users"][user_id] = row
    codes: dict[str, Record] = {}
    for code in sorted({s["jobcode_id"] for s in sheets}):
        mine = [s for s in sheets if s["jobcode_id"] == code]
        per_user = _by_user(company, mine, now)
        codes[str(code)] = {
            "total_clocked_in_seconds": sum(
                r["total_clocked_in_seconds"] for r in per_user.values()
            ),
            "total_clocked_out_seconds": sum(
                r["total_clocked_out_seconds"] for r in per_user.values()
            ),
            "total_tracked_seconds": sum(r["total_tracked_seconds"] for r in per_user.values()),
            "on_the_clock": any(r["on_the_clock"] for r in per_user.values()),
            "users": per_user,
        }
    estimate = _estimate_of(company, record["id"])
    items = [
        i
        for i in ESTIMATE_ITEMS.records(company).values()
        if estimate is not None and i["estimate_id"] == estimate["id"]
    ]
    detail = {
        **_summary(company, record),
        "tracked_time": {"users": users, "groups": groups, "jobcodes": codes, "customfields": []},
        "estimate_items": items,
        "on_the_clock": any(r["on_the_clock"] for r in users.values()),
        "customfielditem_id": 0,
        "assigned_to_all": bool(company.jobcodes[record["jobcode_id"]]["assigned_to_all"]),
        "preview_assigned_user_ids": [],
        "total_assigned_users": 0,
    }
    del detail["unread_replies_count"]
    supplemental = (
        {"users": {u: company.users[int(u)] for u in users}}
        if filters.get("supplemental_data", "yes") != "no" and users
        else {}
    )
    return {
        "filters": {"project_id": record["id"]},
        "projects": {str(record["id"]): detail},
        "supplemental_data": supplemental,
    }


REPORTS = {
    "project": project,
    "project_estimate": project_estimate,
    "project_estimate_detail": project_estimate_detail,
}
