"""Serving a WSGI app on 127.0.0.1 from a background thread (the sandbox's and the designer's)."""

from __future__ import annotations

import threading
from typing import Any


class LoopbackServer:
    """One WSGI app on 127.0.0.1 (a free port when port is 0), served until `stop()`."""

    def __init__(self, app: Any, port: int, handler: type[Any], name: str) -> None:
        from werkzeug.serving import make_server

        self._server: Any = make_server(
            "127.0.0.1", port, app, threaded=True, request_handler=handler
        )
        threading.Thread(target=self._server.serve_forever, daemon=True, name=name).start()

    @property
    def port(self) -> int:
        """The port it listens on."""
        return int(self._server.server_port)

    def stop(self) -> None:
        """Stop serving and free the port."""
        self._server.shutdown()
        self._server.server_close()
