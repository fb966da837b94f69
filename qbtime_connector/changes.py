"""Change polling: each created, updated or deleted record reported once, through a small state.

Per watched endpoint the state keeps `since` (an instant; the next read asks for
`modified_since=since`, inclusive) and the short digests of the versions already reported whose
`last_modified` is at or after it. `since` only moves to the second the API's clock showed
(its `Date` header) when the poll began: every later change has a `last_modified` at or after
it, and every earlier one was read by this poll (paging.py reads each record once while others
change). Versions stamped in that very second could still be joined by more in it, so they are
remembered by digest; if there are too many to remember, they are held back and reported by
the next poll instead. When a read reaches its page cap, the state also keeps where it stopped
(`resume`), and the next poll continues there before it reads anything newer. For a record type
whose records carry no `created` stamp (timesheets) it keeps `top`, the highest id it has seen:
ids ascend, so a record above it is new.

The record types are declared in TYPES; a new one is a new entry there.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .connection import Connection
from .errors import InputError
from .limits import MAX_LIMIT, MAX_PAGES
from .paging import Read, read_every
from .results import more_of, records_of
from .specs import Call
from .timestamps import instant as _instant
from .timestamps import newest_changes


@dataclass(frozen=True)
class RecordType:
    """One record type the trigger watches: where its changes are read, how a new one is told."""

    name: str  # the trigger's record_type, and the endpoint its records are read from
    filters: Mapping[str, str] = field(default_factory=dict)  # under which a read sees them all
    deleted_endpoint: str | None = None  # where its deleted records are listed, if anywhere
    has_created: bool = True  # records carry `created`; if not, a new one is told by its id


@dataclass(frozen=True)
class Endpoint:
    """An endpoint changes are read from: a record type's own, or its deleted records'."""

    name: str
    record_type: RecordType
    deleted: bool = False

    @property
    def filters(self) -> Mapping[str, str]:
        return {} if self.deleted else self.record_type.filters

    @property
    def result_key(self) -> str:
        """Get Changes' result key for these records."""
        return f"deleted_{self.record_type.name}" if self.deleted else self.record_type.name

    @property
    def new_by_id(self) -> bool:
        """Whether new records are told by id (the state keeps the highest id seen)."""
        return not self.deleted and not self.record_type.has_created


TYPES = (
    RecordType(
        "timesheets",
        {"on_the_clock": "both", "jobcode_type": "all"},
        deleted_endpoint="timesheets_deleted",
        has_created=False,
    ),
    RecordType("users", {"active": "both"}),
    RecordType("jobcodes", {"active": "both", "type": "all"}),
)
RECORD_TYPES = tuple(t.name for t in TYPES)
ENDPOINTS: dict[str, Endpoint] = {}
for _type in TYPES:
    ENDPOINTS[_type.name] = Endpoint(_type.name, _type)
    if _type.deleted_endpoint:
        ENDPOINTS[_type.deleted_endpoint] = Endpoint(_type.deleted_endpoint, _type, deleted=True)
MAX_REMEMBERED = 40  # digests kept per endpoint: bounds the state (< 4 KB in all)
STATE_KIND = "qbtime-changes/1"
EPOCH = "1970-01-01T00:00:00+00:00"
CLOCK_CHECKS = 6  # how often a first poll looks for the API's clock to pass a burst's second
CLOCK_WAIT = 0.5  # seconds between those looks
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
    if not all(isinstance(d, str) for d in mark["seen"]):
        raise ValueError
    if "top" in mark and (type(mark["top"]) is not int or mark["top"] < 0):
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


def endpoints_for(record_types: Sequence[str], include_deleted: bool) -> list[str]:
    """The API endpoints that hold the changes of these record types."""
    return [
        e.name
        for e in ENDPOINTS.values()
        if e.record_type.name in record_types and (include_deleted or not e.deleted)
    ]


def _quiet(mark: Mark, stamp: str | None) -> bool:
    """Whether the endpoint cannot have changed since the mark (no read needed)."""
    if mark.get("resume") is not None:
        return False
    try:
        return stamp is None or _instant(stamp) < _instant(mark["since"])
    except ValueError:
        return False


def _read(
    connection: Connection,
    endpoint: str,
    since: str,
    budget: int,
    offset: int = 0,
    after: Any = None,
) -> Read:
    """The versions of the endpoint's records modified at or after `since`."""
    params = {**ENDPOINTS[endpoint].filters, "modified_since": since, "supplemental_data": "no"}
    return read_every(connection, endpoint, params, offset, after, budget)


def highest_id(connection: Connection, endpoint: str) -> int:
    """The highest id of the endpoint's records now (0 when none): the last of the last page.

    Records come in ascending id order; the last page is found by doubling the page number,
    then halving the gap, so it costs 1 call up to 200 records and about 2 log2(pages) above.
    """
    params = {**ENDPOINTS[endpoint].filters, "modified_since": EPOCH, "supplemental_data": "no"}

    def page(number: int) -> tuple[list[dict[str, Any]], bool]:
        query = {**params, "limit": MAX_LIMIT, "page": number}
        body = connection.request("GET", endpoint, params=query)
        return records_of(body, endpoint), more_of(body)

    full, empty, number = 0, 0, 1  # a page known to have more after it; one known empty
    while not empty or empty - full > 1:
        records, more = page(number)
        if records and not more:
            return int(records[-1]["id"])
        if records:
            full = number
        else:
            empty = number
        number = number * 2 if not empty else (full + empty) // 2
    if not full:
        return 0
    records, _ = page(full)  # records left between the reads: the last of those still there
    return int(records[-1]["id"]) if records else 0


# -- polling --------------------------------------------------------------------------------


Found = list[tuple[dict[str, Any], str]]  # each new version, and the since it beat


def _resumed(
    connection: Connection, endpoint: str, mark: Mark, budget: int
) -> tuple[Found, Any, int]:
    """What the read a page cap stopped still had: (versions, where it stops now, calls)."""
    resume = mark["resume"]
    read = _read(
        connection, endpoint, resume["since"], budget, int(resume["offset"]), int(resume["after"])
    )
    since = _instant(mark["since"])
    # Versions at or after `since` come again in the read from `since`.
    found = [(r, resume["since"]) for r in read.records if not _at_or_after(r, since)]
    left = {"since": resume["since"], "offset": read.offset, "after": read.last_id}
    return found, (left if read.more else None), read.calls


def _settle(
    found: Found, read: list[dict[str, Any]], seen: set[str], now: str
) -> tuple[Found, list[str]]:
    """What is reported now, and the digests to remember for the second `now`.

    Versions stamped in that second may be joined by more in it, so they are remembered. When
    they would be too many, the new ones among them are held back (the next poll reads that
    second again and reports them); those already reported stay remembered, so none comes twice.
    """
    moment = _instant(now)
    reported = {digest(r) for r in read if digest(r) in seen and _at_or_after(r, moment)}
    late = {digest(r) for r, _ in found if _at_or_after(r, moment)}
    if len(reported | late) <= MAX_REMEMBERED:
        return found, sorted(reported | late)
    return [(r, s) for r, s in found if not _at_or_after(r, moment)], sorted(reported)


def _outcome(endpoint: str, found: Found, mark: Mark) -> tuple[list[dict[str, Any]], Mark]:
    """The changes found, told by the mark's `top` (if kept), and the mark with `top` raised
    past the ids just reported."""
    where, top = ENDPOINTS[endpoint], mark.get("top")
    records = [shape(where, r, change_of(where, r, since, top)) for r, since in found]
    if top is not None:
        mark = {**mark, "top": max([top, *(int(r["id"]) for r, _ in found)])}
    return records, mark


def _next_mark(mark: Mark, now: str, remembered: list[str], read: Read) -> Mark:
    """From `now` on, with what is remembered, `top` kept, and where a capped read stopped."""
    following: Mark = {"since": now, "seen": remembered}
    if "top" in mark:
        following["top"] = mark["top"]
    if read.more and read.last_id is not None:
        following["resume"] = {"since": mark["since"], "offset": read.offset, "after": read.last_id}
    return following


def _poll_endpoint(
    connection: Connection, endpoint: str, mark: Mark, now: str, tell_new: bool = True
) -> tuple[list[dict[str, Any]], Mark]:
    """The new versions of one endpoint's records, and its next mark."""
    if tell_new and ENDPOINTS[endpoint].new_by_id and "top" not in mark:
        mark = {**mark, "top": highest_id(connection, endpoint)}  # a state made before `top`
    found: Found = []
    budget = MAX_PAGES
    if mark.get("resume") is not None:
        found, left, calls = _resumed(connection, endpoint, mark, budget)
        if left is not None:
            return _outcome(endpoint, found, {**mark, "resume": left})
        budget = max(1, budget - calls)
    read = _read(connection, endpoint, mark["since"], budget)
    seen = set(mark["seen"])
    found += [(r, mark["since"]) for r in read.records if digest(r) not in seen]
    found, remembered = _settle(found, read.records, seen, now)
    return _outcome(endpoint, found, _next_mark(mark, now, remembered, read))


def _clock_past(connection: Connection, endpoint: str, moment: str) -> str | None:
    """The API's clock once it shows a later second than `moment` (None if it never does)."""
    for check in range(CLOCK_CHECKS):
        if check:
            sleep(CLOCK_WAIT)
        later = newest_changes(connection, [endpoint])[1]
        if later is not None and _instant(later) > _instant(moment):
            return later
    return None


def _baseline(
    connection: Connection, endpoint: str, stamp: str | None, now: str, tell_new: bool
) -> tuple[list[dict[str, Any]], Mark]:
    """A first poll's mark: from now, with what changed earlier in this second as seen.

    When more changed in this second than a state remembers, it waits for the second to end and
    reads it again: versions the first read saw are the baseline, any other came after the start
    and is reported now.
    """
    mark: Mark = {"since": now, "seen": []}
    if tell_new and ENDPOINTS[endpoint].new_by_id:
        mark["top"] = highest_id(connection, endpoint)
    if _quiet(mark, stamp):
        return [], mark  # nothing changed yet in this second: no read needed
    read = _read(connection, endpoint, now, MAX_PAGES)
    before = {digest(r) for r in read.records}
    if len(before) <= MAX_REMEMBERED and not read.more:
        return [], {**mark, "seen": sorted(before)}
    later = _clock_past(connection, endpoint, now)
    if later is None:  # the API's clock stands still: the next poll reports them all
        return [], mark
    return _poll_endpoint(connection, endpoint, {**mark, "seen": sorted(before)}, later, tell_new)


def poll(
    connection: Connection,
    record_types: Sequence[str],
    include_deleted: bool,
    state: Mapping[str, Any] | None,
    key: Key = None,
) -> dict[str, Any]:
    """{"records": [...], "state": {...}}; each record is {"record_type": "timesheets"|"users"|
    "jobcodes", "change": "created"|"updated"|"deleted", "id": int, "record": {...}}.
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


def _poll(
    connection: Connection,
    endpoints: list[str],
    marks: dict[str, Mark],
    start: str | None,
    tell_new: bool,
) -> dict[str, Any]:
    """The changes of these endpoints since their marks, and the next marks.

    `tell_new`: whether timesheets are told created or updated (the trigger; Get Changes does
    not say, so it never spends the calls that learning the highest id takes).
    """
    stamps, server_now = newest_changes(connection, endpoints)
    now = server_now or max([*stamps.values(), EPOCH], key=_instant)
    records: list[dict[str, Any]] = []
    for endpoint in endpoints:
        mark = marks.get(endpoint)
        if mark is None and not start:
            found, marks[endpoint] = _baseline(
                connection, endpoint, stamps.get(endpoint), now, tell_new
            )
        elif _quiet(mark or {"since": start}, stamps.get(endpoint)):
            marks[endpoint] = mark or {"since": start, "seen": []}
            continue
        else:
            found, marks[endpoint] = _poll_endpoint(
                connection, endpoint, mark or {"since": start, "seen": []}, now, tell_new
            )
        records += found
    return {"records": records, "marks": marks}


def get_changes(connection: Connection, call: Call) -> dict[str, Any]:
    """Get Changes: what was created, changed or deleted since the cursor, and the next cursor."""
    watched = str(call.options["endpoints"]).split(",")
    cursor = call.options.get("cursor")
    marks = decode_cursor(cursor) if cursor else {}
    page = _poll(connection, endpoints_for(watched, True), marks, call.options.get("since"), False)
    result: dict[str, Any] = {e.result_key: [] for e in ENDPOINTS.values()}
    for change in page["records"]:
        kind = change["record_type"]
        endpoint = (
            ENDPOINTS[kind].record_type.deleted_endpoint if change["change"] == "deleted" else kind
        )
        result[ENDPOINTS[str(endpoint)].result_key].append(change["record"])
    result["count"] = len(page["records"])
    result["cursor"] = encode_cursor(seal(page["marks"]))
    return result
