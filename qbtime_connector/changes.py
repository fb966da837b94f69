"""Change polling: each created, updated or deleted record reported once, through a small state.

Per watched endpoint the state keeps `since` (an instant; the next read asks for
`modified_since=since`, inclusive) and the short digests of the versions already reported whose
`last_modified` is at or after it. `since` only moves to the second the API's clock showed
(its `Date` header) when the poll began: every later change has a `last_modified` at or after
it, and every earlier one was read by this poll (paging.py reads each record once while others
change). Versions stamped in that very second could still be joined by more in it, so they are
remembered by digest; if there are too many to remember, they are held back and reported by
the next poll instead. When a read reaches its page cap, the state also keeps where it stopped
(`resume`), and the next poll continues there before it reads anything newer.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from .connection import Connection
from .errors import InputError
from .limits import MAX_PAGES
from .paging import read_every
from .specs import Call
from .timestamps import instant as _instant
from .timestamps import newest_changes

RECORD_TYPES = ("timesheets", "users", "jobcodes")
# Filters under which a read sees every record of its endpoint, whatever its state.
FILTERS: dict[str, dict[str, str]] = {
    "timesheets": {"on_the_clock": "both", "jobcode_type": "all"},
    "timesheets_deleted": {},
    "users": {"active": "both"},
    "jobcodes": {"active": "both", "type": "all"},
}
RECORD_TYPE_OF = {
    "timesheets": "timesheets",
    "timesheets_deleted": "timesheets",
    "users": "users",
    "jobcodes": "jobcodes",
}
RESULT_KEYS = {
    "timesheets": "timesheets",
    "timesheets_deleted": "deleted_timesheets",
    "users": "users",
    "jobcodes": "jobcodes",
}
MAX_REMEMBERED = 40  # digests kept per endpoint: bounds the state (< 4 KB in all)
STATE_KIND = "qbtime-changes/1"
EPOCH = "1970-01-01T00:00:00+00:00"
Mark = dict[str, Any]


# -- the state ------------------------------------------------------------------------------


def _seal(marks: Mapping[str, Mark]) -> str:
    text = json.dumps({"kind": STATE_KIND, "marks": marks}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def seal(marks: Mapping[str, Mark]) -> dict[str, Any]:
    """The state handed to the next poll: the marks and a check of them."""
    return {"kind": STATE_KIND, "marks": dict(marks), "check": _seal(marks)}


def _altered(input_key: str, label: str) -> InputError:
    return InputError(
        [
            {
                "input": input_key,
                "label": label,
                "message": "is not one this connector returned, or was altered; "
                "leave it empty to start over",
            }
        ]
    )


def unseal(state: Any, input_key: str = "state", label: str = "State") -> dict[str, Mark]:
    """The marks of a state a poll returned, or InputError if it was altered or is foreign."""
    try:
        if state.get("kind") != STATE_KIND or set(state) != {"kind", "marks", "check"}:
            raise ValueError
        marks = state["marks"]
        if not isinstance(marks, dict) or state["check"] != _seal(marks):
            raise ValueError
        for endpoint, mark in marks.items():
            _check_mark(endpoint, mark)
        return {k: dict(v) for k, v in marks.items()}
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError):
        raise _altered(input_key, label) from None


def _check_mark(endpoint: str, mark: Any) -> None:
    if endpoint not in FILTERS or not isinstance(mark, dict):
        raise ValueError
    _instant(mark["since"])
    if not all(isinstance(d, str) for d in mark["seen"]):
        raise ValueError
    resume = mark.get("resume")
    if resume is not None:
        _instant(resume["since"])
        int(resume["offset"]), int(resume["after"])


def encode_cursor(state: Mapping[str, Any]) -> str:
    """A state as Get Changes' opaque cursor text."""
    raw = json.dumps(state, sort_keys=True, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> dict[str, Mark]:
    """The marks in a Get Changes cursor, or InputError naming the Cursor input."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        state = json.loads(raw)
    except (ValueError, binascii.Error):
        raise _altered("cursor", "Cursor") from None
    return unseal(state, "cursor", "Cursor")


# -- versions -------------------------------------------------------------------------------


def digest(record: Mapping[str, Any]) -> str:
    """A short fingerprint of one version of a record (its id, last_modified and content)."""
    text = json.dumps(record, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:10]


def _at_or_after(record: Mapping[str, Any], moment: dt.datetime) -> bool:
    try:
        return _instant(record.get("last_modified")) >= moment
    except ValueError:
        return True  # an unreadable stamp: treat as new, so it is remembered, not lost


# -- polling --------------------------------------------------------------------------------


def endpoints_for(record_types: Sequence[str], include_deleted: bool) -> list[str]:
    """The API endpoints that hold the changes of these record types."""
    wanted = [t for t in RECORD_TYPES if t in record_types]
    found = [e for e in FILTERS if RECORD_TYPE_OF[e] in wanted]
    return [e for e in found if include_deleted or e != "timesheets_deleted"]


def _quiet(mark: Mark, stamp: str | None) -> bool:
    """Whether the endpoint cannot have changed since the mark (no read needed)."""
    if mark.get("resume") is not None:
        return False
    try:
        return stamp is None or _instant(stamp) < _instant(mark["since"])
    except ValueError:
        return False


def _change(endpoint: str, record: dict[str, Any], since: dt.datetime) -> dict[str, Any]:
    if endpoint == "timesheets_deleted":
        kind = "deleted"
    else:
        created = record.get("created")
        try:
            kind = "created" if created and _instant(created) >= since else "updated"
        except ValueError:
            kind = "updated"
    return {
        "record_type": RECORD_TYPE_OF[endpoint],
        "change": kind,
        "id": int(record["id"]),
        "record": record,
    }


Found = list[tuple[dict[str, Any], dt.datetime]]  # each new version, and the since it beat


def _resumed(
    connection: Connection, endpoint: str, mark: Mark, budget: int
) -> tuple[Found, dict[str, Any] | None, int]:
    """What the read a page cap stopped still had: (versions, where it stops now, calls)."""
    resume = mark["resume"]
    params = {**FILTERS[endpoint], "modified_since": resume["since"], "supplemental_data": "no"}
    read = read_every(
        connection, endpoint, params, int(resume["offset"]), int(resume["after"]), budget
    )
    since, old = _instant(mark["since"]), _instant(resume["since"])
    # Versions at or after `since` come again in the read from `since`.
    found = [(r, old) for r in read.records if not _at_or_after(r, since)]
    left = {"since": resume["since"], "offset": read.offset, "after": read.last_id}
    return found, (left if read.more else None), read.calls


def _poll_endpoint(
    connection: Connection, endpoint: str, mark: Mark, now: str
) -> tuple[list[dict[str, Any]], Mark]:
    """The new versions of one endpoint's records, and its next mark."""
    found: Found = []
    budget = MAX_PAGES
    if mark.get("resume") is not None:
        found, left, calls = _resumed(connection, endpoint, mark, budget)
        if left is not None:
            return _report(endpoint, found), {**mark, "resume": left}
        budget = max(1, budget - calls)
    since, seen = _instant(mark["since"]), set(mark["seen"])
    params = {**FILTERS[endpoint], "modified_since": mark["since"], "supplemental_data": "no"}
    read = read_every(connection, endpoint, params, max_calls=budget)
    found += [(r, since) for r in read.records if digest(r) not in seen]
    moment = _instant(now)
    reported = {digest(r) for r in read.records if digest(r) in seen and _at_or_after(r, moment)}
    late = {digest(r) for r, _ in found if _at_or_after(r, moment)}
    if len(reported | late) > MAX_REMEMBERED:
        # Too many to remember: the new ones are held back; the next poll reads them again.
        found = [(r, s) for r, s in found if not _at_or_after(r, moment)]
        late = set()
    next_mark: Mark = {"since": now, "seen": sorted(reported | late)}
    if read.more and read.last_id is not None:
        next_mark["resume"] = {"since": mark["since"], "offset": read.offset, "after": read.last_id}
    return _report(endpoint, found), next_mark


def _report(endpoint: str, found: Found) -> list[dict[str, Any]]:
    return [_change(endpoint, record, since) for record, since in found]


def poll(
    connection: Connection,
    record_types: Sequence[str],
    include_deleted: bool,
    state: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """{"records": [...], "state": {...}}; each record is {"record_type": "timesheets"|"users"|
    "jobcodes", "change": "created"|"updated"|"deleted", "id": int, "record": {...}}.
    state is JSON-serialisable, < 4 KB always; an altered state raises InputError."""
    wanted = [record_types] if isinstance(record_types, str) else list(record_types)
    unknown = [t for t in wanted if t not in RECORD_TYPES]
    if unknown or not wanted:
        raise InputError(
            [
                {
                    "input": "record_types",
                    "label": "Record Types",
                    "message": f"must be one or more of {', '.join(RECORD_TYPES)}; "
                    f"got {', '.join(map(repr, unknown)) or 'none'}",
                }
            ]
        )
    marks = unseal(state) if state is not None else {}
    return _poll(connection, endpoints_for(wanted, bool(include_deleted)), marks, None)


def _baseline(connection: Connection, endpoint: str, stamp: str | None, now: str) -> Mark:
    """A first poll's mark: from now, with what changed earlier in this second as seen."""
    mark: Mark = {"since": now, "seen": []}
    if _quiet(mark, stamp):
        return mark  # nothing changed yet in this second: no read needed
    return _poll_endpoint(connection, endpoint, mark, now)[1]


def _poll(
    connection: Connection, endpoints: list[str], marks: dict[str, Mark], start: str | None
) -> dict[str, Any]:
    stamps, server_now = newest_changes(connection, endpoints)
    now = server_now or max([*stamps.values(), EPOCH], key=_instant)
    records: list[dict[str, Any]] = []
    for endpoint in endpoints:
        mark = marks.get(endpoint)
        if mark is None and not start:
            marks[endpoint] = _baseline(connection, endpoint, stamps.get(endpoint), now)
            continue
        if mark is None:
            mark = {"since": start, "seen": []}
        if _quiet(mark, stamps.get(endpoint)):
            marks[endpoint] = mark
            continue
        found, marks[endpoint] = _poll_endpoint(connection, endpoint, mark, now)
        records += found
    return {"records": records, "state": seal(marks)}


def get_changes(connection: Connection, call: Call) -> dict[str, Any]:
    """Get Changes: what was created, changed or deleted since the cursor, and the next cursor."""
    watched = str(call.options["endpoints"]).split(",")
    cursor = call.options.get("cursor")
    marks = decode_cursor(cursor) if cursor else {}
    page = _poll(connection, endpoints_for(watched, True), marks, call.options.get("since"))
    result: dict[str, Any] = {key: [] for key in RESULT_KEYS.values()}
    for change in page["records"]:
        endpoint = "timesheets_deleted" if change["change"] == "deleted" else change["record_type"]
        result[RESULT_KEYS[endpoint]].append(change["record"])
    result["count"] = len(page["records"])
    result["cursor"] = encode_cursor(page["state"])
    return result
