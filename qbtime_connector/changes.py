"""Change polling: each created, updated or deleted record reported once, through a small state.

Per watched endpoint the state keeps `since` (an instant; the next read asks for
`modified_since=since`, inclusive) and the short digests of the versions already reported whose
stamp (`last_modified`) is at or after it. `since` only moves to the second the API's clock
showed (its `Date` header) when the poll began: every later change is stamped at or after it,
and every earlier one was read by this poll (paging.py reads each record once while others
change). Versions stamped in that very second could still be joined by more in it, so they are
remembered by digest. All endpoints of a state share one budget of digests (MAX_REMEMBERED):
an endpoint whose versions of that second no longer fit is held back whole and reported by the
next poll instead. When a read reaches its page cap, the state also keeps where it stopped
(`resume`), and the next poll continues there first, before it reads anything newer; a poll
reads no further endpoint once one read is capped, so a state holds one `resume` at most. For a
record type whose records carry no `created` stamp (timesheets) it keeps `top`, the highest id
it has seen: ids ascend, so a record above it is new. So the state stays under STATE_BYTES
however many types are watched and whatever happened between polls.

The record types are declared in record_types.TYPES; a new one is a new entry there.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import json
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .connection import Connection
from .errors import InputError
from .limits import MAX_PAGES
from .record_types import (
    ENDPOINTS,
    EPOCH,
    RECORD_TYPES,
    TYPES,
    Batch,
    Endpoint,
    Reader,
    RecordType,
    Resume,
    endpoints_for,
)
from .specs import Call
from .timestamps import instant as _instant
from .timestamps import newest_changes

__all__ = [
    "ENDPOINTS",
    "RECORD_TYPES",
    "TYPES",
    "Endpoint",
    "RecordType",
    "endpoints_for",
    "get_changes",
    "poll",
]

STATE_BYTES = 4096  # a state, as JSON, is always shorter than this
# Digests kept by all the endpoints of a state together: with every endpoint watched, its `top`
# and a `resume` at their largest, a state holding this many stays under STATE_BYTES (tests
# build that largest state), with room for the `resume` of each of the four endpoints a state
# made before the shared budget could hold.
MAX_REMEMBERED = 100
STATE_KIND = "qbtime-changes/1"
DIGEST = re.compile(r"[0-9a-f]{10}\Z")  # what digest() gives
CLOCK_CHECKS = 6  # how often a first poll looks for the API's clock to pass a burst's second
CLOCK_WAIT = 0.5  # seconds between those looks
# The record types Get Changes reports, each under its own keys (its output declares them).
GET_CHANGES_TYPES = ("timesheets", "users", "jobcodes")
Mark = dict[str, Any]
Key = str | None  # the host's secret that keys the state's check (None: unkeyed)
sleep: Callable[[float], None] = time.sleep


# -- the state ------------------------------------------------------------------------------


def _seal(marks: Mapping[str, Mark], key: Key = None) -> str:
    """The check of some marks: a SHA-256 of them, or with a host's key an HMAC-SHA-256."""
    text = json.dumps({"kind": STATE_KIND, "marks": marks}, sort_keys=True, separators=(",", ":"))
    if key:
        return hmac.new(key.encode(), text.encode(), hashlib.sha256).hexdigest()[:32]
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def seal(marks: Mapping[str, Mark], key: Key = None) -> dict[str, Any]:
    """The state handed to the next poll: the marks and a check of them (keyed if given)."""
    return {"kind": STATE_KIND, "marks": dict(marks), "check": _seal(marks, key)}


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


def unseal(
    state: Any, input_key: str = "state", label: str = "State", key: Key = None
) -> dict[str, Mark]:
    """The marks of a state a poll returned, or InputError if it was altered or is foreign.

    With a key, only a state sealed with that key passes (an unkeyed one is refused too).
    """
    try:
        if state.get("kind") != STATE_KIND or set(state) != {"kind", "marks", "check"}:
            raise ValueError
        marks = state["marks"]
        if not isinstance(marks, dict) or not isinstance(state["check"], str):
            raise ValueError
        if not hmac.compare_digest(state["check"], _seal(marks, key)):
            raise ValueError
        for endpoint, mark in marks.items():
            _check_mark(endpoint, mark)
        return {k: dict(v) for k, v in marks.items()}
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError):
        raise _altered(input_key, label) from None


def _check_mark(endpoint: str, mark: Any) -> None:
    if endpoint not in ENDPOINTS or not isinstance(mark, dict):
        raise ValueError
    _instant(mark["since"])
    _check_digests(mark.get("seen", []))  # left out when empty
    if "top" in mark and (type(mark["top"]) is not int or mark["top"] < 0):
        raise ValueError
    resume = mark.get("resume")
    if resume is not None:
        _instant(resume["since"])
        int(resume["offset"]), int(resume["after"])
        part = resume.get("part")
        if part is not None and (len(part) != 2 or not all(type(i) is int for i in part)):
            raise ValueError
        _check_digests(resume.get("seen", []))


def _check_digests(seen: Any) -> None:
    if not isinstance(seen, list) or not all(isinstance(d, str) and DIGEST.match(d) for d in seen):
        raise ValueError


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


def _at_or_after(where: Endpoint, record: Mapping[str, Any], moment: dt.datetime) -> bool:
    """Whether the version is stamped at or after `moment`."""
    try:
        return _instant(record.get(where.stamp)) >= moment
    except ValueError:
        return True  # an unreadable stamp: treat as new, so it is remembered, not lost


def _second(stamp: str) -> str:
    """An instant to the whole second (the form the API's clock gives), so a state's `since`
    is never longer than that."""
    return _instant(stamp).replace(microsecond=0).isoformat()


def change_of(endpoint: Endpoint, record: Mapping[str, Any], since: Any, top: Any) -> str:
    """ "created", "updated" or "deleted": what a version read from `endpoint` since `since` is.

    A record without a `created` stamp is new when its id is above `top`, the highest id the
    trigger had seen (None: not known, so "updated", as before states kept it).
    """
    if endpoint.deleted:
        return "deleted"
    if endpoint.new_by_id:
        return "created" if top is not None and int(record["id"]) > top else "updated"
    created = record.get("created")
    try:
        return "created" if created and _instant(created) >= _instant(since) else "updated"
    except ValueError:
        return "updated"


def shape(endpoint: Endpoint, record: dict[str, Any], change: str) -> dict[str, Any]:
    """A change in the trigger's record shape."""
    return {
        "record_type": endpoint.record_type.name,
        "change": change,
        "id": int(record["id"]),
        "record": record,
    }


# -- reading --------------------------------------------------------------------------------


def _quiet(mark: Mark, stamp: str | None) -> bool:
    """Whether the endpoint cannot have changed since the mark (no read needed)."""
    if mark.get("resume") is not None:
        return False
    try:
        return stamp is None or _instant(stamp) < _instant(mark["since"])
    except ValueError:
        return False


def _changes(
    reader: Reader, endpoint: str, since: str, budget: int, resume: Resume | None = None
) -> Batch:
    """The versions of the endpoint's records stamped at or after `since`.

    The API's `modified_since` keeps just those; they are kept here too, so that an endpoint
    that ignored it would cost calls, never a change reported twice.
    """
    batch = reader.changes(endpoint, since, budget, resume)
    where, moment = ENDPOINTS[endpoint], _instant(since)
    batch.records = [r for r in batch.records if _at_or_after(where, r, moment)]
    return batch


def highest_id(connection: Connection, endpoint: str) -> int:
    """The highest id of the endpoint's records now (0 when none): the last of the last page."""
    return Reader(connection).highest_id(endpoint)


# -- polling --------------------------------------------------------------------------------


Found = list[tuple[dict[str, Any], str]]  # each new version, and the since it beat


def _left(since: str, batch: Batch, skip: list[str]) -> dict[str, Any]:
    """Where a capped read from `since` stopped, as a state keeps it, with the digests of the
    versions already reported that the rest of the read may still bring (`skip`)."""
    resume: dict[str, Any] = {"since": since, "offset": batch.offset, "after": batch.after}
    if batch.part is not None:
        resume["part"] = list(batch.part)
    if skip:
        resume["seen"] = skip
    return resume


def _unread(seen: set[str], batch: Batch) -> list[str]:
    """The digests of `seen` a capped read did not come to: the rest of the read may."""
    return sorted(seen - {digest(r) for r in batch.records}) if batch.more else []


def _holding(mark: Mark | None) -> int:
    """The digests a mark holds (for its second, and for the rest of a capped read)."""
    mark = mark or {}
    return len(mark.get("seen", ())) + len((mark.get("resume") or {}).get("seen", ()))


def _resumed(reader: Reader, endpoint: str, mark: Mark, budget: int) -> tuple[Found, Any]:
    """What the read a page cap stopped still had: (versions, where it stops now)."""
    resume = mark["resume"]
    part = resume.get("part")
    where = Resume(tuple(part) if part else None, int(resume["offset"]), int(resume["after"]))
    batch = _changes(reader, endpoint, resume["since"], budget, where)
    since, skip = _instant(mark["since"]), set(resume.get("seen", ()))
    # Versions at or after `since` come again in the read from `since`.
    found = [
        (r, resume["since"])
        for r in batch.records
        if not _at_or_after(ENDPOINTS[endpoint], r, since) and digest(r) not in skip
    ]
    left = _left(resume["since"], batch, _unread(skip, batch)) if batch.more else None
    return found, left


def _settle(
    where: Endpoint,
    found: Found,
    read: list[dict[str, Any]],
    seen: set[str],
    now: str,
    room: int,
) -> tuple[Found, list[str]]:
    """What is reported now, and the digests to remember for the second `now`.

    Versions stamped in that second may be joined by more in it, so they are remembered, in
    the `room` the other endpoints left in the state's budget. When they would not fit, the new
    ones among them are held back (the next poll reads that second again and reports them);
    those already reported stay remembered, so none comes twice.
    """
    moment = _instant(now)
    reported = {digest(r) for r in read if digest(r) in seen and _at_or_after(where, r, moment)}
    late = {digest(r) for r, _ in found if _at_or_after(where, r, moment)}
    if len(reported | late) <= max(room, len(reported)):
        return found, sorted(reported | late)
    return [(r, s) for r, s in found if not _at_or_after(where, r, moment)], sorted(reported)


def _outcome(endpoint: str, found: Found, mark: Mark) -> tuple[list[dict[str, Any]], Mark]:
    """The changes found, told by the mark's `top` (if kept), and the mark with `top` raised
    past the ids just reported."""
    where, top = ENDPOINTS[endpoint], mark.get("top")
    records = [shape(where, r, change_of(where, r, since, top)) for r, since in found]
    if top is not None:
        mark = {**mark, "top": max([top, *(int(r["id"]) for r, _ in found)])}
    return records, mark


def _next_mark(mark: Mark, now: str, remembered: list[str], batch: Batch, skip: list[str]) -> Mark:
    """From `now` on, with what is remembered, `top` kept, and where a capped read stopped."""
    following: Mark = {"since": now}
    if remembered:
        following["seen"] = remembered
    if "top" in mark:
        following["top"] = mark["top"]
    if batch.more:
        following["resume"] = _left(mark["since"], batch, skip)
    return following


def _poll_endpoint(
    reader: Reader, endpoint: str, mark: Mark, now: str, room: int, tell_new: bool = True
) -> tuple[list[dict[str, Any]], Mark]:
    """The new versions of one endpoint's records, and its next mark (remembering at most
    `room` digests unless more were remembered already)."""
    if tell_new and ENDPOINTS[endpoint].new_by_id and "top" not in mark:
        mark = {**mark, "top": reader.highest_id(endpoint)}  # a state made before `top`
    if mark.get("resume") is not None:
        # The rest of a capped read is a turn of its own: the read from `since` comes after
        # the other endpoints' (see _poll).
        resumed, left = _resumed(reader, endpoint, mark, MAX_PAGES)
        rest = {k: v for k, v in mark.items() if k != "resume"}
        return _outcome(endpoint, resumed, rest if left is None else {**rest, "resume": left})
    batch = _changes(reader, endpoint, mark["since"], MAX_PAGES)
    seen = set(mark.get("seen", ()))
    found: Found = [(r, mark["since"]) for r in batch.records if digest(r) not in seen]
    skip = _unread(seen, batch)  # kept for the rest of the read, in the same budget
    found, remembered = _settle(
        ENDPOINTS[endpoint], found, batch.records, seen, now, room - len(skip)
    )
    return _outcome(endpoint, found, _next_mark(mark, now, remembered, batch, skip))


def _clock_past(connection: Connection, endpoint: str, moment: str) -> str | None:
    """The API's clock once it shows a later second than `moment` (None if it never does)."""
    for check in range(CLOCK_CHECKS):
        if check:
            sleep(CLOCK_WAIT)
        later = newest_changes(connection, [endpoint])[1]
        if later is not None and _instant(later) > _instant(moment):
            return _second(later)
    return None


def _baseline(
    reader: Reader, endpoint: str, stamp: str | None, now: str, room: int, tell_new: bool
) -> tuple[list[dict[str, Any]], Mark]:
    """A first poll's mark: from now, with what changed earlier in this second as seen.

    When more changed in this second than the state has room to remember, it waits for the
    second to end and reads it again: versions the first read saw are the baseline, any other
    came after the start and is reported now.
    """
    mark: Mark = {"since": now}
    if tell_new and ENDPOINTS[endpoint].new_by_id:
        mark["top"] = reader.highest_id(endpoint)
    if _quiet(mark, stamp):
        return [], mark  # nothing changed yet in this second: no read needed
    batch = _changes(reader, endpoint, now, MAX_PAGES)
    before = sorted({digest(r) for r in batch.records})
    if len(before) <= room and not batch.more:
        return [], ({**mark, "seen": before} if before else mark)
    later = _clock_past(reader.connection, endpoint, now)
    if later is None:  # the API's clock stands still: the next poll reports them all
        return [], mark
    return _poll_endpoint(reader, endpoint, {**mark, "seen": before}, later, room, tell_new)


def poll(
    connection: Connection,
    record_types: Sequence[str],
    include_deleted: bool,
    state: Mapping[str, Any] | None,
    key: Key = None,
) -> dict[str, Any]:
    """{"records": [...], "state": {...}}; each record is {"record_type": one of RECORD_TYPES,
    "change": "created"|"updated"|"deleted", "id": int, "record": {...}}.
    state is JSON-serialisable, < 4 KB always; an altered state raises InputError. With `key`
    (the host's secret) the state's check is an HMAC only that key makes."""
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
    marks = unseal(state, key=key) if state is not None else {}
    page = _poll(connection, endpoints_for(wanted, bool(include_deleted)), marks, None, True)
    return {"records": page["records"], "state": seal(page["marks"], key)}


@dataclass
class _Round:
    """One poll over its endpoints: how many digests the state holds so far (the new marks of
    the endpoints done, the old of the rest), and whether a read was capped."""

    held: int
    capped: bool = False

    def room(self, mark: Mark | None) -> int:
        """The digests an endpoint may remember: the budget less the other endpoints' share."""
        return max(0, MAX_REMEMBERED - (self.held - _holding(mark)))

    def done(self, old: Mark | None, new: Mark) -> None:
        self.held += _holding(new) - _holding(old)
        self.capped = self.capped or "resume" in new


def _poll(
    connection: Connection,
    endpoints: list[str],
    marks: dict[str, Mark],
    start: str | None,
    tell_new: bool,
) -> dict[str, Any]:
    """The changes of these endpoints since their marks, and the next marks (of these
    endpoints only: an endpoint no longer watched starts afresh when it is watched again).

    A read left unfinished by its page cap is continued first; once it is finished, its
    endpoint's read from `since` waits until every other endpoint was read (else, a type read
    per parent with more parents than MAX_PAGES would be capped again, poll after poll, and no
    other endpoint read). Once a read is capped, the other endpoints wait for a later poll,
    unless they cannot have changed (a new one then starts from now).

    `tell_new`: whether timesheets are told created or updated (the trigger; Get Changes does
    not say, so it never spends the calls that learning the highest id takes).
    """
    stamps, server_now = newest_changes(connection, endpoints)
    now = _second(server_now or max([*stamps.values(), EPOCH], key=_instant))
    marks = {e: marks[e] for e in endpoints if e in marks}
    reader, round_ = Reader(connection), _Round(sum(_holding(m) for m in marks.values()))
    records: list[dict[str, Any]] = []
    order = sorted(endpoints, key=lambda e: "resume" not in marks.get(e, {}))
    for endpoint in order:
        old = marks.get(endpoint)
        mark = old or ({"since": start} if start else None)
        stamp = stamps.get(endpoint)
        if mark is not None and (round_.capped or _quiet(mark, stamp)):
            marks[endpoint] = mark  # nothing new, or read by a later poll, after the capped read
            continue
        if mark is None and round_.capped and not _quiet({"since": now}, stamp):
            continue  # started by a later poll, after the capped read
        if mark is None:
            found, new = _baseline(reader, endpoint, stamp, now, round_.room(None), tell_new)
        else:
            found, new = _poll_endpoint(reader, endpoint, mark, now, round_.room(old), tell_new)
        round_.done(old, new)
        marks[endpoint] = new
        records += found
        if old is not None and "resume" in old and "resume" not in new:
            order.append(endpoint)  # its read from `since`, after the others
    return {"records": records, "marks": marks}


def get_changes(connection: Connection, call: Call) -> dict[str, Any]:
    """Get Changes: what was created, changed or deleted since the cursor, and the next cursor."""
    watched = str(call.options["endpoints"]).split(",")
    cursor = call.options.get("cursor")
    marks = decode_cursor(cursor) if cursor else {}
    page = _poll(connection, endpoints_for(watched, True), marks, call.options.get("since"), False)
    reported = endpoints_for(GET_CHANGES_TYPES, True)
    result: dict[str, Any] = {ENDPOINTS[e].result_key: [] for e in reported}
    for change in page["records"]:
        kind = change["record_type"]
        endpoint = (
            ENDPOINTS[kind].record_type.deleted_endpoint if change["change"] == "deleted" else kind
        )
        result.setdefault(ENDPOINTS[str(endpoint)].result_key, []).append(change["record"])
    result["count"] = len(page["records"])
    result["cursor"] = encode_cursor(seal(page["marks"]))
    return result
