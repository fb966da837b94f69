"""Polling triggers: each turns its validated inputs and the saved state into new records."""

from __future__ import annotations

from typing import Any

from . import changes
from .connection import Connection
from .specs import Call


def chosen(value: Any) -> list[str]:
    """A choice list's values in order, once each: from a list or comma-joined text."""
    items = value if isinstance(value, list) else str(value).split(",")
    return list(dict.fromkeys(str(item).strip() for item in items))


def new_or_changed_records(
    connection: Connection, call: Call, state: dict[str, Any] | None
) -> dict[str, Any]:
    """New or Changed Records: what changed since `state`, each change once, and the next state."""
    record_types = chosen(call.options["record_types"])
    include_deleted = bool(call.options["include_deleted"])
    key = call.options.get("state_key") or None
    return changes.poll(connection, record_types, include_deleted, state, key=key)
