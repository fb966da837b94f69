"""Samples for a designer's "test trigger": the most recent records, in the trigger's shape.

The API cannot sort by modification time, so the newest records of an endpoint are found from
its newest stamp (GET /last_modified_timestamps) by reading `modified_since` windows that grow
until one holds enough records; a window too full for one page is narrowed by halving. A type
the API reads only per parent (the notes of one project, ...) is read for its newest parents
(record_types.SAMPLE_READS of them) in each window. No state is read or written: a sample never
moves a trigger on.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .changes import shape
from .connection import Connection
from .record_types import ENDPOINTS, EPOCH, Reader, endpoints_for
from .triggers import chosen
from .validation import Call

# How far back from an endpoint's newest stamp each read looks (None: since the epoch).
WINDOWS: tuple[dt.timedelta | None, ...] = (
    dt.timedelta(0),
    dt.timedelta(minutes=1),
    dt.timedelta(hours=1),
    dt.timedelta(days=1),
    dt.timedelta(days=30),
    dt.timedelta(days=366),
    None,
)


def _instant(stamp: Any) -> dt.datetime:
    moment = dt.datetime.fromisoformat(str(stamp))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def _modified(change: dict[str, Any]) -> dt.datetime:
    """When a change's record was last changed (by the field its type is stamped in)."""
    try:
        return _instant(change["record"].get(ENDPOINTS[change["record_type"]].stamp))
    except ValueError:
        return _instant(EPOCH)


def _newest_stamps(connection: Connection, endpoints: list[str]) -> dict[str, dt.datetime]:
    params = {"endpoints": ",".join(endpoints)}
    body = connection.request("GET", "last_modified_timestamps", params=params)
    found = (body.get("results") or {}).get("last_modified_timestamps") or {}
    return {k: _instant(v) for k, v in found.items() if k in endpoints and v}


def _read(reader: Reader, endpoint: str, since: dt.datetime) -> tuple[list[dict[str, Any]], bool]:
    """One page of 200 records (one per parent, for a type read per parent) modified at or
    after `since`, and whether there are more."""
    return reader.first_pages(endpoint, since.isoformat())


def _narrowed(
    reader: Reader, endpoint: str, newer: dt.datetime, older: dt.datetime, limit: int
) -> list[dict[str, Any]]:
    """Records since some instant in [older, newer]: at least `limit`, the newest among them.

    Fewer than `limit` records are modified since `newer`; more than a page since `older`.
    """
    while newer - older > dt.timedelta(seconds=1):
        middle = (older + (newer - older) / 2).replace(microsecond=0)
        records, more = _read(reader, endpoint, middle)
        if len(records) < limit:
            newer = middle
        elif more:
            older = middle
        else:
            return records
    # Within one second more than a page tie: the few after it, then any of that second.
    newest, _ = _read(reader, endpoint, newer)
    tied, _ = _read(reader, endpoint, older)
    return list({r["id"]: r for r in [*tied, *newest]}.values())


def _newest(
    reader: Reader, endpoint: str, newest: dt.datetime, limit: int, floor: dt.datetime | None
) -> list[dict[str, Any]]:
    """At least `limit` records of the endpoint (all, if it has fewer), the newest among them;
    none older than `floor` (when given, the sample's `limit` newest so far are no older), so
    that window is read at once."""
    previous = newest + dt.timedelta(seconds=1)
    for window in WINDOWS if floor is None else (newest - floor,):
        since = _instant(EPOCH) if window is None else newest - window
        records, more = _read(reader, endpoint, since)
        if more and len(records) >= limit:
            return _narrowed(reader, endpoint, previous, since, limit)
        if len(records) >= limit or window is None or floor is not None:
            return records
        previous = since
    return []


def _change(endpoint: str, record: dict[str, Any]) -> dict[str, Any]:
    where = ENDPOINTS[endpoint]
    if where.deleted:
        kind = "deleted"
    else:
        new = where.record_type.has_created and record.get("created") == record.get(where.stamp)
        kind = "created" if new else "updated"
    return shape(where, record, kind)


def recent_changes(connection: Connection, call: Call, limit: int) -> list[dict[str, Any]]:
    """New or Changed Records' sample: the `limit` most recently modified records, newest first."""
    wanted = chosen(call.options["record_types"])
    endpoints = endpoints_for(wanted, bool(call.options["include_deleted"]))
    stamps = _newest_stamps(connection, endpoints)
    reader = Reader(connection)
    found: list[dict[str, Any]] = []
    for endpoint in sorted(stamps, key=lambda e: stamps[e], reverse=True):
        # The newest `limit` so far: an endpoint whose newest change is older adds none.
        floor = _modified(found[limit - 1]) if len(found) >= limit else None
        if floor is not None and stamps[endpoint] < floor:
            continue
        found += [
            _change(endpoint, r) for r in _newest(reader, endpoint, stamps[endpoint], limit, floor)
        ]
        found.sort(key=lambda c: (_modified(c), c["id"]), reverse=True)
    return found[:limit]
