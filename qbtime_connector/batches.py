"""Batch writes: many records per action, 50 per request, every item's outcome reported."""

from __future__ import annotations

from typing import Any

from . import progress
from .actions import chunks
from .connection import Connection
from .errors import ApiError, AuthError, BatchError, ConnectorError, RateLimitError, item_failed
from .results import merge_supplemental, write_items
from .validation import Call

# Statuses after which the API has applied nothing of the request (5xx others may have).
_REFUSED_WHOLE = frozenset({503})


def _fate(error: ConnectorError) -> str:
    """What became of the records of the request that raised `error`."""
    if isinstance(error, AuthError | RateLimitError):
        return "not_applied"
    if isinstance(error, ApiError) and (
        error.status is None or error.status < 500 or error.status in _REFUSED_WHOLE
    ):
        return "not_applied"
    return "unknown"


def _outcomes(
    done: list[dict[str, Any]], stopped: int, total: int, error: ConnectorError
) -> list[dict[str, Any]]:
    """Every record's outcome when the request after `done` (of `stopped` records) failed."""
    records: list[dict[str, Any]] = [
        {"index": n, "outcome": "failed" if item_failed(item) else "applied", "result": item}
        for n, item in enumerate(done)
    ]
    fate = _fate(error)
    records += [{"index": n, "outcome": fate, "result": None} for n in range(len(done), stopped)]
    records += [{"index": n, "outcome": "not_sent", "result": None} for n in range(stopped, total)]
    return records


def send_batch(
    connection: Connection, method: str, endpoint: str, records: list[dict[str, Any]]
) -> dict[str, Any]:
    """POST or PUT records 50 per request; BatchError, keeping every answer, if one fails."""
    result: dict[str, Any] = {endpoint: []}
    sent = 0
    for requests, chunk in enumerate(chunks(records), 1):
        try:
            body = connection.request(method, endpoint, json={"data": list(chunk)})
        except ConnectorError as error:
            outcomes = _outcomes(result[endpoint], sent + len(chunk), len(records), error)
            raise BatchError(endpoint, outcomes, error) from error
        sent += len(chunk)
        result[endpoint].extend(write_items(endpoint, body))
        merge_supplemental(result, body)
        progress.records_written(endpoint, sent, requests, len(records))
    return result


def write_batch(
    connection: Connection, call: Call, records: list[dict[str, Any]]
) -> dict[str, Any]:
    """Send every record; report each item, and which failed, without raising for them."""
    result = send_batch(connection, call.method, call.endpoint, records)
    items = result[call.endpoint]
    failed = [
        {"index": n, **{k: v for k, v in item.items() if k.startswith("_status")}}
        for n, item in enumerate(items)
        if item_failed(item)
    ]
    result.update(succeeded=len(items) - len(failed), failed=failed)
    return result


def create_users(connection: Connection, call: Call) -> dict[str, Any]:
    """Create Users."""
    return write_batch(connection, call, call.options["records"])


def update_users(connection: Connection, call: Call) -> dict[str, Any]:
    """Update Users."""
    return write_batch(connection, call, call.options["records"])


def create_timesheets(connection: Connection, call: Call) -> dict[str, Any]:
    """Create Timesheets."""
    return write_batch(connection, call, call.options["records"])


def update_timesheets(connection: Connection, call: Call) -> dict[str, Any]:
    """Update Timesheets."""
    return write_batch(connection, call, call.options["records"])
