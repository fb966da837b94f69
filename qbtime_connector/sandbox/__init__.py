"""A local emulator of the QuickBooks Time API, for tests, demos and building flows offline.

with Sandbox() as sb:
    connection = sb.connect()          # a Connection through the real OAuth flow
    invoke("get_users", {}, connection)
    acme = sb.connect(company="acme")  # another customer's company, on the same port
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

if TYPE_CHECKING:
    from .serving import KeepAliveServer

from .companies import Companies
from .state import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, SandboxState

__all__ = ["DEMO_CLIENT_ID", "DEMO_CLIENT_SECRET", "Companies", "Sandbox", "SandboxState"]


class Sandbox:
    """The emulator served on 127.0.0.1 from a background thread; a context manager.

    `settings` (token_lifetime, rate_limit, rate_window, clock, code_lifetime, sweep_every) are
    every company's; `state` is the seeded demo company's, `company(name)` another's.
    """

    def __init__(self, port: int = 0, verbose: bool = False, **settings: Any) -> None:
        self.companies = Companies(**settings)
        self.state = self.companies.default
        self._port = port
        self._verbose = verbose
        self._server: KeepAliveServer | None = None

    @property
    def base_url(self) -> str:
        """The API base, like http://127.0.0.1:PORT/api/v1."""
        return f"http://127.0.0.1:{self.port}/api/v1"

    @property
    def port(self) -> int:
        return self._server.port if self._server else self._port

    @property
    def connections(self) -> int:
        """TCP connections accepted so far (clients keep theirs open between requests)."""
        return self._server.connections if self._server else 0

    def company(self, name: str) -> SandboxState:
        """The state of the company called `name` (made, with the demo data, on first use)."""
        return self.companies.get(name)

    def start(self) -> Sandbox:
        """Start serving (on a free port when port is 0)."""
        from .app import SandboxApp
        from .serving import KeepAliveServer

        app = SandboxApp(self.companies)
        self._server = KeepAliveServer(app, self._port, "qbtime-sandbox", self._verbose)
        return self

    def stop(self) -> None:
        """Stop serving and free the port."""
        if self._server is not None:
            self._server.stop()
            self._server = None

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def authorize(
        self,
        redirect_uri: str = "http://127.0.0.1/callback",
        state: str = "sandbox",
        company: str | None = None,
    ) -> str:
        """Walk the authorize step as an approving admin (of `company`) would; returns the code."""
        import requests

        from ..oauth import authorize_url

        url = authorize_url(DEMO_CLIENT_ID, redirect_uri, state, base_url=self.base_url)
        params = {"company": company} if company else None
        answer = requests.get(url, params=params, allow_redirects=False, timeout=10)
        location = urlsplit(answer.headers["Location"])
        return parse_qs(location.query)["code"][0]

    def token(
        self, redirect_uri: str = "http://127.0.0.1/callback", company: str | None = None
    ) -> dict[str, Any]:
        """A fresh token for the demo app (in `company`), through authorize and grant."""
        from ..oauth import exchange_code

        code = self.authorize(redirect_uri, company=company)
        return exchange_code(
            DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, code, redirect_uri, base_url=self.base_url
        )

    def connection_config(self, company: str | None = None) -> dict[str, Any]:
        """The contract's plain-mapping connection to this sandbox, with a fresh token."""
        return {
            "client_id": DEMO_CLIENT_ID,
            "client_secret": DEMO_CLIENT_SECRET,
            "token": self.token(company=company),
            "base_url": self.base_url,
        }

    def connect(self, company: str | None = None, **options: Any) -> Any:
        """A Connection to this sandbox (to `company`) with a fresh token; options go to it."""
        from ..connection import Connection

        token = self.token(company=company)
        return Connection(
            DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, token, base_url=self.base_url, **options
        )
