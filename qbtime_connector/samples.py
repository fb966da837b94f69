"""Samples for a designer's "test trigger": the most recent records, in the trigger's shape.

The API cannot sort by modification time, so the newest records of an endpoint are found from
its newest stamp (GET /last_modified_timestamps) by reading `modified_since` windows that grow
until one holds enough records; a window too full for one page is narrowed by halving. No
state is read or written: a sample never moves a trigger on.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .changes import ENDPOINTS, EPOCH, endpoints_for, shape
from .connection import Connection
from .limits import MAX_LIMIT
from .results import more_of, records_of
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


def _modified(record: dict[str, Any]) -> dt.datetime:
    try:
        return _instant(record.get("last_modified"))
    except ValueError:
        return _instant(EPOCH)


def _newest_stamps(connection: Connection, endpoints: list[str]) -> dict[str, dt.datetime]:
    params = {"endpoints": ",".join(endpoints)}
    body = connection.request("GET", "last_modified_timestamps", params=params)
    found = (body.get("results") or {}).get("last_modified_timestamps") or {}
    return {k: _instant(v) for k, v in found.items() if k in endpoints and v}


def _read(
    connection: Connection, endpoint: str, since: dt.datetime
) -> tuple[list[dict[str, Any]], bool]:
    """One page of 200 records modified at or after `since`, and whether there are more."""
    params = {
        **ENDPOINTS[endpoint].filters,
        "modified_since": since.isoformat(),
        "supplemental_data": "no",
        "limit": MAX_LIMIT,
        "page": 1,
    }
    body = connection.request("GET", endpoint, params=params)
    return records_of(body, endpoint), more_of(body)


def _narrowed(
    connection: Connection, endpoint: str, newer: dt.datetime, older: dt.datetime, limit: int
) -> list[dict[str, Any]]:
    """Records since some instant in [older, newer]: at least `limit`, the newest among them.

    Fewer than `limit` records are modified since `newer`; more than a page since `older`.
    """
    while newer - older > dt.timedelta(seconds=1):
        middle = (older + (newer - older) / 2).replace(microsecond=0)
        records, more = _read(connection, endpoint, middle)
        if len(records) < limit:
            newer = middle
        elif more:
            older = middle
        else:
            return records
    # Within one second more than a page tie: the few after it, then any of that second.
    newest, _ = _read(connection, endpoint, newer)
    tied, _ = _read(connection, endpoint, older)
    return list({r["id"]: r for r in [*tied, *newest]}.values())


def _newest(
    connection: Connection, endpoint: str, newest: dt.datetime, limit: int
) -> list[dict[str, Any]]:
    """At least `limit` records of the endpoint (all, if it has fewer), the newest among them."""
    previous = newest + dt.timedelta(seconds=1)
    for window in WINDOWS:
        since = _instant(EPOCH) if window is None else newest - window
        records, more = _read(connection, endpoint, since)
        if more and len(records) >= limit:
            return _narrowed(connection, endpoint, previous, since, limit)
        if len(records) >= limit or window is None:
            return records
        previous = since
    return []


def _change(endpoint: str, record: dict[str, Any]) -> dict[str, Any]:
    if ENDPOINTS[endpoint].deleted:
        kind = "deleted"
    else:
        kind = "created" if record.get("created") == record.get("last_modified") else "updated"
    return shape(ENDPOINTS[endpoint], record, kind)


def recent_changes(connection: Connection, call: Call, limit: int) -> list[dict[str, Any]]:
    """New or Changed Records' sample: the `limit` most recently modified records, newest first."""
    wanted = chosen(call.options["record_types"])
    endpoints = endpoints_for(wanted, bool(call.options["include_deleted"]))
    stamps = _newest_stamps(connection, endpoints)
    found = [
        _change(endpoint, record)
        for endpoint in endpoints
        if endpoint in stamps
        for record in _newest(connection, endpoint, stamps[endpoint], limit)
    ]
    found.sort(key=lambda c: (_modified(c["record"]), c["id"]), reverse=True)
    return found[:limit]
