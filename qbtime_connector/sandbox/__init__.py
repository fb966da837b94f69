"""A local emulator of the QuickBooks Time API, for tests, demos and building flows offline.

with Sandbox() as sb:
    connection = sb.connect()          # a Connection through the real OAuth flow
    invoke("get_users", {}, connection)
"""

from __future__ import annotations

import datetime as dt
import threading
from email.utils import format_datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .state import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, SandboxState

__all__ = ["DEMO_CLIENT_ID", "DEMO_CLIENT_SECRET", "Sandbox", "SandboxState"]


class Sandbox:
    """The emulator served on 127.0.0.1 from a background thread; a context manager."""

    def __init__(self, port: int = 0, verbose: bool = False, **settings: Any) -> None:
        self.state = SandboxState(**settings)
        self._port = port
        self._verbose = verbose
        self._server: Any = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        """The API base, like http://127.0.0.1:PORT/api/v1."""
        return f"http://127.0.0.1:{self.port}/api/v1"

    @property
    def port(self) -> int:
        return int(self._server.server_port) if self._server else self._port

    def start(self) -> Sandbox:
        """Start serving (on a free port when port is 0)."""
        from werkzeug.serving import WSGIRequestHandler, make_server

        from .app import SandboxApp

        verbose = self._verbose
        clock = self.state.clock

        class Handler(WSGIRequestHandler):
            def log(self, type: str, message: str, *args: Any) -> None:
                if verbose:
                    super().log(type, message, *args)

            def date_time_string(self, timestamp: float | None = None) -> str:
                # The Date header follows the sandbox's clock, as last_modified does.
                return format_datetime(clock().astimezone(dt.timezone.utc), usegmt=True)

        self._server = make_server(
            "127.0.0.1", self._port, SandboxApp(self.state), threaded=True, request_handler=Handler
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, daemon=True, name="qbtime-sandbox"
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def authorize(
        self, redirect_uri: str = "http://127.0.0.1/callback", state: str = "sandbox"
    ) -> str:
        """Walk the authorize step as an approving admin would; returns the code."""
        import requests

        from ..oauth import authorize_url

        url = authorize_url(DEMO_CLIENT_ID, redirect_uri, state, base_url=self.base_url)
        answer = requests.get(url, allow_redirects=False, timeout=10)
        location = urlsplit(answer.headers["Location"])
        return parse_qs(location.query)["code"][0]

    def token(self, redirect_uri: str = "http://127.0.0.1/callback") -> dict[str, Any]:
        """A fresh token for the demo app, through authorize and grant."""
        from ..oauth import exchange_code

        code = self.authorize(redirect_uri)
        return exchange_code(
            DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, code, redirect_uri, base_url=self.base_url
        )

    def connection_config(self) -> dict[str, Any]:
        """The contract's plain-mapping connection to this sandbox, with a fresh token."""
        return {
            "client_id": DEMO_CLIENT_ID,
            "client_secret": DEMO_CLIENT_SECRET,
            "token": self.token(),
            "base_url": self.base_url,
        }

    def connect(self, **options: Any) -> Any:
        """A Connection to this sandbox with a fresh token (options go to Connection)."""
        from ..connection import Connection

        return Connection(
            DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, self.token(), base_url=self.base_url, **options
        )
