"""Batch writes: many records per action, 50 per request, every item's outcome reported."""

from __future__ import annotations

from typing import Any

from . import progress
from .actions import chunks, send_records
from .connection import Connection
from .custom_values import check_records
from .errors import BatchError, ConnectorError, item_failed
from .results import merge_supplemental
from .specs import Call


def send_batch(
    connection: Connection,
    method: str,
    endpoint: str,
    records: list[dict[str, Any]],
    beside: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """POST or PUT records 50 per request (each request with the `beside` fields next to its
    "data"); BatchError, keeping every answer, if one fails."""
    result: dict[str, Any] = {endpoint: []}
    sent = 0
    for requests, chunk in enumerate(chunks(records), 1):
        try:
            answered = send_records(connection, method, endpoint, chunk, beside)
        except ConnectorError as error:
            stopped = sent + len(chunk)
            failure = BatchError.stopped(endpoint, result[endpoint], stopped, len(records), error)
            if failure is error:
                raise
            raise failure from error
        sent += len(chunk)
        result[endpoint].extend(answered[endpoint])
        merge_supplemental(result, answered)
        progress.records_written(endpoint, sent, requests, len(records))
    return result


def write_batch(
    connection: Connection, call: Call, records: list[dict[str, Any]]
) -> dict[str, Any]:
    """Send every record; report each item, and which failed, without raising for them.

    The action's own inputs with a `param` (call.body) travel beside the records' "data"."""
    result = send_batch(connection, call.method, call.endpoint, records, call.body)
    items = result[call.endpoint]
    failed = [
        {"index": n, **{k: v for k, v in item.items() if k.startswith("_status")}}
        for n, item in enumerate(items)
        if item_failed(item)
    ]
    result.update(succeeded=len(items) - len(failed), failed=failed)
    return result


def write_records(connection: Connection, call: Call) -> dict[str, Any]:
    """Create or update many records (the Records input, validated one by one) of the endpoint."""
    records = call.options["records"]
    check_records(connection, records, call.endpoint, "records", "Records")
    return write_batch(connection, call, records)
