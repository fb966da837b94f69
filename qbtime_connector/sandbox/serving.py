"""Serving a WSGI app on 127.0.0.1 from a background thread (the sandbox's and the designer's)."""

from __future__ import annotations

import functools
import socket
import threading
from typing import Any

# How often the serving loop looks for a stop request, so how long stop() may wait: at the
# default 0.5 s every test's sandbox took half a second to stop, minutes over the suite.
STOP_POLL = 0.02


class LoopbackServer:
    """One WSGI app on 127.0.0.1 (a free port when port is 0), served until `stop()`."""

    def __init__(self, app: Any, port: int, handler: type[Any], name: str) -> None:
        from werkzeug.serving import make_server

        # Bound here, not by werkzeug, which answers a busy port by printing and exiting:
        # an OSError (EADDRINUSE) lets the caller say so its own way.
        with socket.socket() as listening:
            listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listening.bind(("127.0.0.1", port))
            listening.listen(128)
            self._server: Any = make_server(
                "127.0.0.1",
                port,
                app,
                threaded=True,
                request_handler=handler,
                fd=listening.fileno(),
            )
        serve = functools.partial(self._server.serve_forever, poll_interval=STOP_POLL)
        threading.Thread(target=serve, daemon=True, name=name).start()

    @property
    def port(self) -> int:
        """The port it listens on."""
        return int(self._server.port)

    def stop(self) -> None:
        """Stop serving and free the port."""
        self._server.shutdown()
        self._server.server_close()
