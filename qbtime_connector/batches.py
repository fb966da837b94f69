"""Batch writes: many records per action, 50 per request, every item's outcome reported."""

from __future__ import annotations

from typing import Any

from .actions import send_records
from .connection import Connection
from .errors import item_failed
from .validation import Call


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
