"""The transports: stdio (the default), or streamable HTTP on 127.0.0.1 only.

Over HTTP, every request must name this server in its Host header, and a browser's request must
come from this server's own origin: a web page cannot reach it through DNS rebinding.
"""

from __future__ import annotations

import socket
import sys
from collections.abc import Callable
from typing import Any

import anyio
from mcp.server.lowlevel import Server
from mcp.server.stdio import stdio_server
from mcp.server.transport_security import TransportSecuritySettings

LOOPBACK = "127.0.0.1"
PATH = "/mcp"


def serve_stdio(server: Server[Any]) -> None:
    """Serve one client on stdin/stdout until it closes stdin."""

    async def run() -> None:
        async with stdio_server() as (read_stream, write_stream):
            await server.run(read_stream, write_stream, server.create_initialization_options())

    anyio.run(run)


def bind(port: int) -> socket.socket:
    """A listening socket on 127.0.0.1 (port 0: a free one); OSError if the port is taken."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((LOOPBACK, port))
        listener.listen(128)
    except OSError:
        listener.close()
        raise
    return listener


def security(port: int) -> TransportSecuritySettings:
    """Host and Origin checks that admit only this server's own names, on its own port."""
    names = [f"{LOOPBACK}:{port}", f"localhost:{port}"]
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=names,
        allowed_origins=[f"http://{name}" for name in names],
    )


def serve_http(server: Server[Any], port: int, announce: Callable[[str], None]) -> None:
    """Serve streamable HTTP on 127.0.0.1:`port` until interrupted; `announce` gets its URL."""
    import uvicorn

    listener = bind(port)
    port = listener.getsockname()[1]
    app = server.streamable_http_app(
        streamable_http_path=PATH, host=LOOPBACK, transport_security=security(port)
    )
    # log_config=None: uvicorn leaves logging alone (the CLI's handler on stderr stays the one).
    config = uvicorn.Config(app, log_config=None, access_log=False, lifespan="on")
    announce(f"http://{LOOPBACK}:{port}{PATH}")
    print("streamable HTTP on 127.0.0.1; Ctrl-C stops", file=sys.stderr, flush=True)
    uvicorn.Server(config).run(sockets=[listener])
