"""Raw Request: any endpoint of the API, through the connection's auth, retries and errors."""

from __future__ import annotations

from typing import Any

from .connection import Connection
from .specs import Call, is_given, query_value


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
