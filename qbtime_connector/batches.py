"""Batch writes: many records per action, 50 per request, every item's outcome reported."""

from __future__ import annotations

from typing import Any

from .actions import send_records
from .connection import Connection
from .custom_values import check_records
from .errors import item_failed
from .validation import Call, is_given, whole_number

_ID_FIELDS = ("id", "user_id", "jobcode_id")


def clean(record: dict[str, Any]) -> dict[str, Any]:
    """A record without empty values (an empty `end` would clock a user in), ids as integers."""
    kept = {k: v for k, v in record.items() if is_given(v)}
    for key in _ID_FIELDS:
        if key in kept:
            kept[key] = whole_number(kept[key])
    return kept


def _timesheet(record: dict[str, Any]) -> dict[str, Any]:
    """A timesheet record with its type spelled out when the fields make it plain."""
    kept = clean(record)
    kept.setdefault("type", "regular" if "start" in kept else "manual")
    return kept


def write_batch(
    connection: Connection, call: Call, records: list[dict[str, Any]]
) -> dict[str, Any]:
    """Send every record; report each item, and which failed, without raising for them."""
    result = send_records(connection, call.method, call.endpoint, records)
    items = result[call.endpoint]
    failed = [
        {"index": n, **{k: v for k, v in item.items() if k.startswith("_status")}}
        for n, item in enumerate(items)
        if item_failed(item)
    ]
    result.update(succeeded=len(items) - len(failed), failed=failed)
    return result


def write_records(connection: Connection, call: Call) -> dict[str, Any]:
    """Create or update many records (the Records input) of the entry's endpoint."""
    new_timesheets = call.method == "POST" and call.endpoint == "timesheets"
    shape = _timesheet if new_timesheets else clean
    records = [shape(r) for r in call.options["records"]]
    check_records(connection, records, call.endpoint, "records", "Records")
    return write_batch(connection, call, records)
