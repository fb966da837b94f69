"""Get Custom Fields: the company's custom fields, each managed list with its items."""

from __future__ import annotations

from typing import Any

from .actions import read_page
from .connection import Connection
from .custom_values import MANAGED, active_items
from .specs import Call


def get_custom_fields(connection: Connection, call: Call) -> dict[str, Any]:
    """Get Custom Fields: one more request per managed-list field when Include Items is on."""
    result = read_page(connection, call)
    for field in result[call.endpoint]:
        wanted = call.options.get("include_items") and field.get("type") == MANAGED
        field["items"] = active_items(connection, int(field["id"])) if wanted else []
    return result
