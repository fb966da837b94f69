"""Get Current User: the user a connection acts as, and the cheap call that tests it."""

from __future__ import annotations

from typing import Any

from .connection import Connection
from .results import records_of
from .specs import Call


def get_current_user(connection: Connection, call: Call) -> dict[str, Any]:
    """Get Current User: the cheap call that proves a connection works."""
    body = connection.request(call.method, call.endpoint)
    users = records_of(body, "users")
    return {"user": users[0] if users else {}}
