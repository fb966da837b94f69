"""The MCP server: every action of the manifest as a tool an AI agent can call (extra `mcp`).

`qbtime-connector mcp` serves one customer instance, on stdio or (`--http`) streamable HTTP on
127.0.0.1. Nothing else in the connector imports this package or the `mcp` SDK.
"""

from __future__ import annotations

from ..connection import Connection
from ..pacing import Pacer
from .server import build_server
from .serving import serve_http, serve_stdio

__all__ = ["build_server", "serve"]


def serve(connection: Connection, port: int | None = None) -> None:
    """Serve the tools on `connection`: stdio, or streamable HTTP on 127.0.0.1 with a port.

    The connection is paced (a Pacer counting calls in its token store's ledger) unless it is
    already, so every server of one customer instance shares one rate budget, as it shares one
    refresh through the store.
    """
    if connection.pacer is None:
        connection.pacer = Pacer()
    server = build_server(connection)
    if port is None:
        serve_stdio(server)
    else:
        serve_http(server, port, announce=lambda url: print(url, flush=True))
