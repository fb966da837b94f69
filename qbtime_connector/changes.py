"""Get Changes: a polling trigger that reports each change once, through an opaque cursor.

Per record type the cursor keeps `since` (inclusive) and the versions already reported at or
after it, as (id, last_modified, digest of the record): the API's timestamps have one-second
resolution, so a strict "after" would miss changes made in the same second, an inclusive one
would repeat them, and two edits in one second share a last_modified but not a digest.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from typing import Any

from .actions import read_all
from .connection import Connection
from .errors import InputError
from .validation import Call

# What each watched record type is read from, and the filters that make a read see every change.
SOURCES = {
    "timesheets": {
        "timesheets": {"on_the_clock": "both", "jobcode_type": "all"},
        "timesheets_deleted": {},
    },
    "users": {"users": {"active": "both"}},
    "jobcodes": {"jobcodes": {"active": "both", "type": "all"}},
}
RESULT_KEYS = {
    "timesheets": "timesheets",
    "timesheets_deleted": "deleted_timesheets",
    "users": "users",
    "jobcodes": "jobcodes",
}
MAX_PAGES = 50
Mark = dict[str, Any]


def encode(marks: dict[str, Mark]) -> str:
    """The cursor handed to the next poll."""
    raw = json.dumps({"v": 1, "marks": marks}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str) -> dict[str, Mark]:
    """The marks in a cursor, or InputError naming the Cursor input."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        marks: dict[str, Mark] = json.loads(raw)["marks"]
        for mark in marks.values():
            _instant(mark["since"])
            mark["seen"] = [[int(i), str(m), str(d)] for i, m, d in mark["seen"]]
        return marks
    except (ValueError, KeyError, TypeError, AttributeError):
        raise InputError(
            [
                {
                    "input": "cursor",
                    "label": "Cursor",
                    "message": "is not a cursor this action returned; leave it empty to start over",
                }
            ]
        ) from None


def _instant(stamp: str) -> dt.datetime:
    return dt.datetime.fromisoformat(stamp)


def _stamps(connection: Connection, endpoints: list[str]) -> dict[str, str]:
    body = connection.request(
        "GET", "last_modified_timestamps", params={"endpoints": ",".join(endpoints)}
    )
    found: dict[str, str] = (body.get("results") or {}).get("last_modified_timestamps") or {}
    return found


def _changed_since(connection: Connection, endpoint: str, since: str) -> list[dict[str, Any]]:
    params = {**_filters(endpoint), "modified_since": since, "supplemental_data": "no"}
    records: list[dict[str, Any]] = read_all(connection, endpoint, params, MAX_PAGES)[endpoint]
    return records


def _filters(endpoint: str) -> dict[str, str]:
    return next(f[endpoint] for f in SOURCES.values() if endpoint in f)


Version = tuple[int, str, str]


def _version(record: dict[str, Any]) -> Version:
    digest = hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()[:12]
    return int(record["id"]), str(record["last_modified"]), digest


def _versions(records: list[dict[str, Any]]) -> set[Version]:
    return {_version(r) for r in records}


def _first_marks(
    connection: Connection, endpoints: list[str], stamps: dict[str, str], since: str | None
) -> dict[str, Mark]:
    """Marks for a first poll: from `since`, or from now (with what is already there as seen)."""
    if since:
        return {e: {"since": since, "seen": []} for e in endpoints}
    marks = {}
    for endpoint in endpoints:
        start = stamps.get(endpoint) or since or "1970-01-01T00:00:00+00:00"
        marks[endpoint] = {
            "since": start,
            "seen": sorted(_versions(_changed_since(connection, endpoint, start))),
        }
    return marks


def get_changes(connection: Connection, call: Call) -> dict[str, Any]:
    """Get Changes: what was created, changed or deleted since the cursor, and the next cursor."""
    watched = str(call.options["endpoints"]).split(",")
    endpoints = [e for w in SOURCES if w in watched for e in SOURCES[w]]
    cursor = call.options.get("cursor")
    marks = decode(cursor) if cursor else {}
    before = _stamps(connection, endpoints)
    result: dict[str, Any] = {key: [] for key in RESULT_KEYS.values()}
    missing = [e for e in endpoints if e not in marks]
    if missing:
        marks.update(_first_marks(connection, missing, before, call.options.get("since")))
        if not cursor and not call.options.get("since"):
            return {**result, "count": 0, "cursor": encode(marks)}
    fetched: dict[str, list[dict[str, Any]]] = {}
    for endpoint in endpoints:
        mark = marks[endpoint]
        stamp = before.get(endpoint)
        if stamp and _instant(stamp) < _instant(mark["since"]):
            fetched[endpoint] = []  # nothing changed since the mark: no read needed
            continue
        fetched[endpoint] = _changed_since(connection, endpoint, mark["since"])
    after = _stamps(connection, endpoints)
    moved = after != before  # data changed during this poll: pages may have shifted
    for endpoint, records in fetched.items():
        mark = marks[endpoint]
        seen: set[Version] = {(int(i), str(m), str(d)) for i, m, d in mark["seen"]}
        fresh = [r for r in records if _version(r) not in seen]
        result[RESULT_KEYS[endpoint]] = fresh
        marks[endpoint] = _next_mark(mark, before.get(endpoint), seen | _versions(records), moved)
    result["count"] = sum(len(v) for v in result.values())
    result["cursor"] = encode(marks)
    return result


def _next_mark(mark: Mark, stamp: str | None, seen: set[Version], moved: bool) -> Mark:
    """Advance `since` to the stamp read before the poll, unless the data moved meanwhile."""
    since = mark["since"]
    if stamp and not moved and _instant(stamp) > _instant(since):
        since = stamp
    floor = _instant(since)
    kept = sorted(v for v in seen if _instant(v[1]) >= floor)
    return {"since": since, "seen": [list(p) for p in kept]}
