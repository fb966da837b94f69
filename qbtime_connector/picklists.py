"""Pick lists (data sources): one page of records as {key, label} options for a drop-down."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from .connection import Connection
from .limits import MAX_LIMIT
from .results import page_result
from .specs import Call

Options = dict[str, Any]
MAX_DEPTH = 10  # job-code parents fetched for labels, at most this many levels up


def _options(pairs: Iterable[tuple[Any, str]], more: bool, search: str = "") -> Options:
    """The page's options; with `search`, only those whose label contains it (any case)."""
    wanted = search.strip("*").lower()
    return {
        "options": [
            {"key": str(key), "label": label} for key, label in pairs if wanted in label.lower()
        ],
        "more": more,
    }


def _page(connection: Connection, endpoint: str, call: Call, **params: Any) -> dict[str, Any]:
    """One page (200 records, the API's most) of an endpoint: the page the Page input names."""
    page = int(call.options.get("page", 1))
    query = {**call.query, **params, "limit": MAX_LIMIT, "page": page}
    return page_result(endpoint, connection.request("GET", endpoint, params=query), page)


def _wildcard(text: str) -> str:
    """A search term as the API's * wildcard filter: a match anywhere unless it has its own *."""
    return text if "*" in text else f"*{text}*"


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


def _pattern(search: str) -> re.Pattern[str]:
    """The search as a case-blind pattern found anywhere, `*` matching any characters."""
    return re.compile(".*".join(re.escape(part) for part in search.split("*")), re.IGNORECASE)


def _found_in(user: dict[str, Any], pattern: re.Pattern[str]) -> bool:
    names = [str(user.get(k) or "") for k in ("first_name", "last_name", "username", "email")]
    return any(pattern.search(text) for text in [*names, _person(user)])


def user_options(connection: Connection, call: Call) -> Options:
    """Users, labelled 'First Last'; Search finds first and last names, usernames and e-mails.

    The API filters names only from their start and cannot filter e-mails, so each page of
    users is searched here: a page with no match may still have `more` after it.
    """
    search = str(call.options.get("search", "")).strip()
    found = _page(connection, call.endpoint, call)
    users = found[call.endpoint]
    if search:
        pattern = _pattern(search)
        users = [u for u in users if _found_in(u, pattern)]
    return {
        "options": [{"key": str(u["id"]), "label": _person(u)} for u in users],
        "more": found["more"],
    }


def _with_parents(
    connection: Connection, codes: dict[int, dict[str, Any]]
) -> dict[int, dict[str, Any]]:
    """The job codes plus their ancestors (for labels), fetched by id, one call per level."""
    known = dict(codes)
    for _ in range(MAX_DEPTH):
        missing = {c["parent_id"] for c in known.values() if c.get("parent_id")} - set(known)
        if not missing:
            break
        params = {"ids": ",".join(map(str, sorted(missing))), "active": "both", "type": "all"}
        body = connection.request("GET", "jobcodes", params={**params, "limit": MAX_LIMIT})
        known.update({c["id"]: c for c in page_result("jobcodes", body, 1)["jobcodes"]})
    return known


def _path(code: dict[str, Any], by_id: dict[int, dict[str, Any]]) -> str:
    names, seen = [code["name"]], {code["id"]}
    parent = by_id.get(code.get("parent_id", 0))
    while parent is not None and parent["id"] not in seen:
        names.insert(0, parent["name"])
        seen.add(parent["id"])
        parent = by_id.get(parent.get("parent_id", 0))
    return " › ".join(names)


def _assigned_codes(connection: Connection, call: Call) -> tuple[list[dict[str, Any]], bool]:
    """The job codes of one page of the user's assignments (to everyone included)."""
    user = call.options["user_id"]
    found = _page(connection, "jobcode_assignments", call, user_ids=user, active="yes")
    codes = found["supplemental_data"].get("jobcodes", {})
    wanted = call.query["active"]
    shown = [
        codes[str(a["jobcode_id"])]
        for a in found["jobcode_assignments"]
        if str(a["jobcode_id"]) in codes and a["user_id"] in (user, 0)
    ]
    if wanted != "both":
        shown = [c for c in shown if c["active"] == (wanted == "yes")]
    return list({c["id"]: c for c in shown}.values()), found["more"]


def job_code_options(connection: Connection, call: Call) -> Options:
    """Job codes labelled with their parents' names ('Field Work › Repairs'); with User ID,
    only those assigned to that user (or to everyone)."""
    search = str(call.options.get("search", "")).strip()
    if "user_id" in call.options:
        shown, more = _assigned_codes(connection, call)
    else:
        names = {"name": _wildcard(search)} if search else {}
        found = _page(connection, call.endpoint, call, type="all", **names)
        shown, more, search = found[call.endpoint], found["more"], ""
    by_id = _with_parents(connection, {c["id"]: c for c in shown})
    pairs = ((c["id"], _path(c, by_id)) for c in shown)
    # Assignments cannot be searched by job-code name in the API: filter their page here.
    return _options(pairs, more, search)


def _clock(stamp: str) -> str:
    return stamp[11:16] if len(stamp) >= 16 else "…"


def timesheet_options(connection: Connection, call: Call) -> Options:
    """Timesheets of a date range, labelled 'date start–end · person · job code'."""
    found = _page(connection, call.endpoint, call)
    extra = found["supplemental_data"]
    users, codes = extra.get("users", {}), extra.get("jobcodes", {})
    pairs = []
    for sheet in found[call.endpoint]:
        when = (
            f"{sheet['date']} {_clock(sheet['start'])}–{_clock(sheet['end'])}"
            if sheet.get("start")
            else f"{sheet['date']} {sheet['duration'] / 3600:g} h"
        )
        code = _code_in(codes, sheet["jobcode_id"])
        pairs.append((sheet["id"], f"{when} · {_person_in(users, sheet['user_id'])} · {code}"))
    return _options(pairs, found["more"], str(call.options.get("search", "")))


def job_code_assignment_options(connection: Connection, call: Call) -> Options:
    """Job code assignments, labelled 'person → job code'."""
    found = _page(connection, call.endpoint, call)
    extra = found["supplemental_data"]
    users, codes = extra.get("users", {}), extra.get("jobcodes", {})
    pairs = (
        (a["id"], f"{_person_in(users, a['user_id'])} → {_code_in(codes, a['jobcode_id'])}")
        for a in found[call.endpoint]
    )
    return _options(pairs, found["more"], str(call.options.get("search", "")))


def named_options(connection: Connection, call: Call) -> Options:
    """Records labelled by their name (custom fields, projects, schedule calendars, groups);
    Search keeps those whose name contains it (within the page)."""
    found = _page(connection, call.endpoint, call)
    pairs = ((r["id"], str(r.get("name", r["id"]))) for r in found[call.endpoint])
    return _options(pairs, found["more"], str(call.options.get("search", "")))
