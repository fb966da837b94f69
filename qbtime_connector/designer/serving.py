"""Serves the designer on 127.0.0.1 from a background thread, with an embedded sandbox."""

from __future__ import annotations

import logging
from pathlib import Path

from ..home import DESIGNER_DATA_DIR
from ..sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Sandbox
from ..sandbox.serving import LoopbackServer
from .server import DesignerApp, Settings

log = logging.getLogger(__name__)
DEFAULT_DATA_DIR = DESIGNER_DATA_DIR


class Designer:
    """The designer app and its server; a context manager. Runs against a sandbox by default."""

    def __init__(
        self, port: int = 0, data_dir: Path = DEFAULT_DATA_DIR, settings: Settings | None = None
    ) -> None:
        self._port = port
        self._data_dir = data_dir
        self._settings = settings
        self.sandbox: Sandbox | None = None
        self.app: DesignerApp | None = None
        self._server: LoopbackServer | None = None

    @property
    def url(self) -> str:
        """The page's address, like http://127.0.0.1:PORT/."""
        assert self._server is not None, "start() the designer first"
        return f"http://127.0.0.1:{self._server.port}/"

    def start(self) -> Designer:
        """Start the sandbox (unless settings name another API) and the designer."""
        from werkzeug.serving import WSGIRequestHandler

        settings = self._settings
        if settings is None:
            self.sandbox = Sandbox().start()
            settings = Settings(
                self._data_dir, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, self.sandbox.base_url
            )
        self.app = DesignerApp(settings)

        class Handler(WSGIRequestHandler):
            def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
                # The path only: the OAuth redirect's query carries the authorization code.
                path = self.path.split("?", 1)[0]
                log.info("%s %s %s", self.command, path, code)

        try:
            self._server = LoopbackServer(self.app, self._port, Handler, "qbtime-designer")
        except BaseException:  # a busy port: the sandbox started for it goes too
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop the designer (closing its token stores) and its sandbox."""
        if self._server is not None:
            self._server.stop()
            self._server = None
        if self.app is not None:  # kept, closed, for what a caller reads of it afterwards
            self.app.close()
        if self.sandbox is not None:
            self.sandbox.stop()
            self.sandbox = None

    def __enter__(self) -> Designer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
