"""Actions beyond the spec page's nine: the current user, and a raw request."""

from __future__ import annotations

from typing import Any

from .connection import Connection
from .results import records_of
from .validation import Call, is_given, query_value


def get_current_user(connection: Connection, call: Call) -> dict[str, Any]:
    """Get Current User: the cheap call that proves a connection works."""
    body = connection.request("GET", call.endpoint)
    users = records_of(body, "users")
    return {"user": users[0] if users else {}}


def raw_request(connection: Connection, call: Call) -> dict[str, Any]:
    """Raw Request: any endpoint, through the same auth, retries and error mapping."""
    options = call.options
    query = {k: query_value(v) for k, v in options.get("query", {}).items() if is_given(v)}
    body = connection.request(
        options["method"],
        options["path"],
        params=query or None,
        json=options.get("body"),
        headers=options.get("headers"),
    )
    return {"body": body}
