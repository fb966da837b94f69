"""`qbtime-connector login`: the authorization-code flow for a real app, caught on loopback."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .errors import AuthError
from .oauth import authorize_url, exchange_code, new_state
from .tokens.file import write_private
from .urls import DEFAULT_BASE_URL


class _Catcher(http.server.BaseHTTPRequestHandler):
    """Answers the one redirect the browser makes, and keeps its query."""

    caught: dict[str, list[str]]

    def do_GET(self) -> None:
        type(self).caught = parse_qs(urlsplit(self.path).query)
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.end_headers()
        self.wfile.write(b"QuickBooks Time is connected. You can close this window.")

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the query holds the authorization code."""


def login(
    client_id: str,
    client_secret: str,
    token_file: Path,
    port: int = 8765,
    base_url: str = DEFAULT_BASE_URL,
    open_url: Callable[[str], Any] = print,
    timeout: float = 300.0,
    token_store: str | None = None,
    instance: str | None = None,
) -> dict[str, Any]:
    """Send the admin to approve the app, catch the code on 127.0.0.1, store the token file.

    With `token_store` (a URL for open_store), the token goes into that store and the file
    names the store instead of holding the token.
    """
    handler: type[_Catcher] = type("Catcher", (_Catcher,), {"caught": {}})
    server = http.server.HTTPServer(("127.0.0.1", port), handler)
    redirect_uri = f"http://127.0.0.1:{server.server_port}/callback"
    state = new_state()
    waiter = threading.Thread(target=server.handle_request, daemon=True)
    server.timeout = timeout
    waiter.start()
    try:
        open_url(authorize_url(client_id, redirect_uri, state, base_url=base_url))
        waiter.join(timeout)
    finally:
        server.server_close()
    caught = handler.caught
    if caught.get("state", [""])[0] != state:
        raise AuthError("The approval did not come back (or came back with the wrong state).")
    if "code" not in caught:
        raise AuthError(f"The approval was refused: {caught.get('error', ['unknown'])[0]}.")
    token = exchange_code(client_id, client_secret, caught["code"][0], redirect_uri, base_url)
    stored: dict[str, Any] = {"client_id": client_id, "token": token, "base_url": base_url}
    if token_store:
        from .tokens import open_store

        open_store(token_store, instance).save(token)
        del stored["token"]
        stored.update(token_store=token_store, instance=instance)
    write_private(token_file, stored)
    return stored
