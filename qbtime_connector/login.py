"""`qbtime-connector login`: the authorization-code flow for a real app, caught on loopback.

The page the browser is sent back to tells the truth: "connected" only once the code was
exchanged and the token stored, else what went wrong. Only the callback carrying this login's
state ends it; anything else sent to the port (a favicon, a forged or stale link) is answered
and the login goes on waiting.
"""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .errors import ApiError, AuthError, ConnectorError
from .interrupts import wait_for
from .oauth import authorize_url, exchange_code, new_state
from .tokens.file import write_private
from .urls import DEFAULT_BASE_URL

CALLBACK_PATH = "/callback"
CONNECTED = "QuickBooks Time is connected. You can close this window."
NOT_THIS_LOGIN = (
    "This is not the approval this login is waiting for (its state does not match), so it was "
    "ignored. The login is still waiting: approve the app from the page it opened."
)


class _Outcome:
    """How the login ended: the stored connection, or the error to raise. Set once."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.stored: dict[str, Any] | None = None
        self.error: ConnectorError | None = None


def _failure_page(error: ConnectorError) -> str:
    """What the browser shows when connecting failed, in the words of what to do next."""
    if isinstance(error, ApiError) and error.code == "invalid_client":
        return (
            "Connecting failed: QuickBooks Time refused the app's client id or client secret. "
            "Check the client secret you gave (QBTIME_CLIENT_SECRET) and log in again. "
            "Nothing was stored."
        )
    reason = error.reason if isinstance(error, AuthError) else str(error)
    return f"Connecting failed: {reason} Nothing was stored."


def _handler(
    state: str, finish: Callable[[str], dict[str, Any]], outcome: _Outcome
) -> type[http.server.BaseHTTPRequestHandler]:
    """A request handler that ends the login only for the callback carrying `state`."""

    class Callback(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            if parts.path != CALLBACK_PATH:
                self._answer(404, "Not found.")  # a favicon, an image: the login goes on
                return
            query = parse_qs(parts.query)
            if query.get("state", [""])[0] != state or outcome.done.is_set():
                self._answer(400, NOT_THIS_LOGIN)
                return
            if "code" not in query:
                error = query.get("error", ["no code came back"])[0]
                about = query.get("error_description", [""])[0]
                refusal = AuthError(
                    f"The approval was refused ({error}{': ' if about else ''}{about})."
                )
                self._end(403, f"{refusal.reason} Nothing was stored.", error=refusal)
                return
            try:
                stored = finish(query["code"][0])
            except ConnectorError as failed:
                self._end(502, _failure_page(failed), error=failed)
                return
            outcome.stored = stored
            self._end(200, CONNECTED)

        def _end(self, status: int, text: str, error: ConnectorError | None = None) -> None:
            outcome.error = error
            self._answer(status, text)
            outcome.done.set()

        def _answer(self, status: int, text: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(text.encode())

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the query holds the authorization code."""

    return Callback


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
    save_secret: bool = False,
) -> dict[str, Any]:
    """Send the admin to approve the app, catch the code on 127.0.0.1, store the token file.

    With `token_store` (a URL for open_store), the token goes into that store (with the API
    base it came from) and the file names the store instead of holding the token; a relative
    store path is written relative to the file's folder. The client secret is written into the
    file only with `save_secret`.
    """
    state = new_state()
    outcome = _Outcome()

    def finish(code: str) -> dict[str, Any]:
        token = exchange_code(client_id, client_secret, code, redirect_uri, base_url)
        secret = client_secret if save_secret else None
        return _store(token, client_id, secret, token_file, base_url, token_store, instance)

    server = http.server.HTTPServer(("127.0.0.1", port), _handler(state, finish, outcome))
    redirect_uri = f"http://127.0.0.1:{server.server_port}{CALLBACK_PATH}"
    server.timeout = 0.2  # how often the serving loop looks whether the login has ended
    deadline = time.monotonic() + timeout

    def serve() -> None:
        while not outcome.done.is_set() and time.monotonic() < deadline:
            server.handle_request()

    waiter = threading.Thread(target=serve, daemon=True, name="qbtime-login")
    waiter.start()
    try:
        open_url(authorize_url(client_id, redirect_uri, state, base_url=base_url))
        wait_for(outcome.done, deadline - time.monotonic())
        waiter.join(1.0)
    finally:
        server.server_close()
    if outcome.error is not None:
        raise outcome.error
    if outcome.stored is None:
        raise AuthError(f"The approval did not come back within {timeout:g} s.")
    return outcome.stored


def _store(
    token: dict[str, Any],
    client_id: str,
    client_secret: str | None,
    token_file: Path,
    base_url: str,
    token_store: str | None,
    instance: str | None,
) -> dict[str, Any]:
    """Write the connection file (and the token into its store); the file's contents.

    `client_secret` is written only when given (the user asked for it)."""
    stored: dict[str, Any] = {"client_id": client_id, "token": token, "base_url": base_url}
    if token_store:
        from .connection_file import relative_store_url
        from .tokens import open_store

        # The token remembers its API, so `run --token-store … --instance …` finds it again.
        open_store(token_store, instance).save({**token, "base_url": base_url})
        del stored["token"]
        stored.update(
            token_store=relative_store_url(token_store, token_file.parent), instance=instance
        )
    if client_secret:
        stored["client_secret"] = client_secret
    write_private(token_file, stored)
    return stored
