"""Pick lists (data sources): records as {key, label} options for a designer's drop-downs."""

from __future__ import annotations

from typing import Any

from .actions import read_all
from .connection import Connection
from .paging import MAX_PAGES
from .validation import Call

Options = dict[str, list[dict[str, str]]]


def _options(pairs: list[tuple[Any, str]]) -> Options:
    return {"options": [{"key": str(key), "label": label} for key, label in pairs]}


def _person(user: dict[str, Any] | None, user_id: Any = None) -> str:
    if user_id == 0:
        return "Everyone"  # an assignment to user 0 is an assignment to all
    if not user:
        return str(user_id)
    name = f"{user.get('first_name', '')} {user.get('last_name', '')}".strip()
    return name or str(user.get("username", user.get("id")))


def _person_in(users: dict[str, Any], user_id: Any) -> str:
    return _person(users.get(str(user_id)), user_id)


def _code_in(codes: dict[str, Any], jobcode_id: Any) -> str:
    return str(codes.get(str(jobcode_id), {}).get("name", jobcode_id))


def user_options(connection: Connection, call: Call) -> Options:
    """Users, labelled 'First Last'."""
    users = read_all(connection, "users", call.query, MAX_PAGES)["users"]
    return _options([(u["id"], _person(u)) for u in users])


def _path(code: dict[str, Any], by_id: dict[int, dict[str, Any]]) -> str:
    names, seen = [code["name"]], {code["id"]}
    parent = by_id.get(code.get("parent_id", 0))
    while parent is not None and parent["id"] not in seen:
        names.insert(0, parent["name"])
        seen.add(parent["id"])
        parent = by_id.get(parent.get("parent_id", 0))
    return " › ".join(names)


def job_code_options(connection: Connection, call: Call) -> Options:
    """Job codes, labelled with their parents' names ('Field Work › Repairs')."""
    # Parents are needed for the labels even when they are archived or of another type.
    every = read_all(connection, "jobcodes", {"active": "both", "type": "all"}, MAX_PAGES)
    by_id = {c["id"]: c for c in every["jobcodes"]}
    wanted = call.query["active"]
    shown = [c for c in by_id.values() if wanted == "both" or c["active"] == (wanted == "yes")]
    return _options([(c["id"], _path(c, by_id)) for c in shown])


def _clock(stamp: str) -> str:
    return stamp[11:16] if len(stamp) >= 16 else "…"


def timesheet_options(connection: Connection, call: Call) -> Options:
    """Timesheets of a date range, labelled 'date start–end · person · job code'."""
    found = read_all(connection, "timesheets", call.query, MAX_PAGES)
    extra = found["supplemental_data"]
    users, codes = extra.get("users", {}), extra.get("jobcodes", {})
    pairs = []
    for sheet in found["timesheets"]:
        when = (
            f"{sheet['date']} {_clock(sheet['start'])}–{_clock(sheet['end'])}"
            if sheet.get("start")
            else f"{sheet['date']} {sheet['duration'] / 3600:g} h"
        )
        code = _code_in(codes, sheet["jobcode_id"])
        pairs.append(
            (
                sheet["id"],
                f"{when} · {_person_in(users, sheet['user_id'])} · {code}",
            )
        )
    return _options(pairs)


def job_code_assignment_options(connection: Connection, call: Call) -> Options:
    """Job code assignments, labelled 'person → job code'."""
    found = read_all(connection, "jobcode_assignments", call.query, MAX_PAGES)
    extra = found["supplemental_data"]
    users, codes = extra.get("users", {}), extra.get("jobcodes", {})
    return _options(
        [
            (
                a["id"],
                f"{_person_in(users, a['user_id'])} → {_code_in(codes, a['jobcode_id'])}",
            )
            for a in found["jobcode_assignments"]
        ]
    )
