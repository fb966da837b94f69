"""Everything the sandbox holds for one company: its records, tokens, faults, hooks and counts."""

from __future__ import annotations

import collections
import datetime as dt
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .company import Company
from .errors import ApiFailure, GrantFailure
from .seed import ADMIN_ID, add_timesheets, seed

DEMO_CLIENT_ID = "demo-client"
DEMO_CLIENT_SECRET = "demo-secret"
DEMO_COMPANY = "demo"
PREFIX_DIGITS = 8  # a token or code starts with its company's number in hex (companies.py)


@dataclass
class Fault:
    """A misbehaviour for the next `count` API requests (whose path contains `path`)."""

    status: int | None = None
    delay: float = 0.0
    drop: bool = False
    count: int = 1
    path: str = ""
    retry_after: str | None = None


@dataclass
class Grant:
    """Who an access or refresh token speaks for, and until when."""

    client_id: str
    user_id: int
    expires_at: float = float("inf")


@dataclass
class SandboxState:
    """One company's whole state; every method is safe to call from any thread.

    Tokens and codes start with the company's `number` (8 hex digits), so a request finds its
    company without a shared index. What has expired (access tokens with their rate windows,
    codes) is dropped by a sweep at most every `sweep_every` seconds, when a grant is made.
    """

    token_lifetime: float = 864000.0
    rate_limit: int = 300
    rate_window: float = 300.0
    clock: Callable[[], dt.datetime] = field(default=lambda: dt.datetime.now(dt.timezone.utc))
    code_lifetime: float = 600.0
    sweep_every: float = 60.0
    name: str = DEMO_COMPANY
    number: int = 1
    lock: threading.RLock = field(default_factory=threading.RLock)

    def __post_init__(self) -> None:
        self.apps = {DEMO_CLIENT_ID: DEMO_CLIENT_SECRET}
        self.prefix = f"{self.number:0{PREFIX_DIGITS}x}"
        self.reset()

    def reset(self) -> None:
        """Back to the seeded demo company, with no tokens, faults or counts."""
        with self.lock:
            self.company = Company(self.clock, str(5000 + self.number), self._client_url())
            seed(self.company)
            self.codes: dict[str, tuple[str, str, int, float]] = {}
            self.access: dict[str, Grant] = {}
            self.refresh: dict[str, Grant] = {}
            self.faults: list[Fault] = []
            self.calls: dict[str, collections.deque[float]] = {}
            self.counts: collections.Counter[str] = collections.Counter()
            self.statuses: collections.Counter[int] = collections.Counter()  # API answers
            self.hooks: list[Callable[[SandboxState], None]] = []
            self.swept = time.time()

    def _client_url(self) -> str:
        return "sandbox" if self.name == DEMO_COMPANY else f"sandbox-{self.name}"

    # -- controls for tests -------------------------------------------------------------------

    def inject(self, **fault: Any) -> None:
        """Misbehave on the next requests: status, delay (s), drop, count, path, retry_after."""
        with self.lock:
            self.faults.append(Fault(**fault))

    def between(self, hook: Callable[[SandboxState], None]) -> None:
        """Call `hook(state)` after each API request is answered, before the next is served.

        Tests use it to change records between the pages of a read; `reset()` removes it.
        Hooks run outside the lock, so a hook may wait for another caller's requests.
        """
        with self.lock:
            self.hooks.append(hook)

    def answered(self, status: int = 200) -> None:
        """Tally an API answer's status and run the between-request hooks (once per request)."""
        with self.lock:
            self.statuses[status] += 1
            hooks = list(self.hooks)
        for hook in hooks:
            hook(self)

    def add_timesheets(self, count: int) -> None:
        """Bulk-add timesheets (from 2025-01-01) for tests and benchmarks of large reads."""
        with self.lock:
            add_timesheets(self.company, count)

    def expire_tokens(self) -> None:
        """Make every access token issued so far expired (refresh tokens stay good)."""
        with self.lock:
            for grant in self.access.values():
                grant.expires_at = 0.0

    def count(self, key: str = "") -> int:
        """Requests received: all of them, or those whose 'METHOD /path' starts with `key`."""
        with self.lock:
            return sum(n for k, n in self.counts.items() if k.startswith(key))

    # -- the request pipeline -----------------------------------------------------------------

    def record(self, method: str, path: str) -> Fault | None:
        """Count a request and take the fault it must suffer, if any."""
        with self.lock:
            self.counts[f"{method} {path}"] += 1
            for fault in self.faults:
                if fault.path in path and fault.count > 0:
                    fault.count -= 1
                    self.faults = [f for f in self.faults if f.count > 0]
                    return fault
        return None

    def authorize(self, header: str | None) -> int:
        """The user id a Bearer header speaks for; 401 or 429 when it may not be served."""
        token = header[7:].strip() if header and header[:7].lower() == "bearer " else ""
        with self.lock:
            grant = self.access.get(token)
            if grant is None or grant.expires_at <= time.time():
                raise ApiFailure(401, "the access token is missing, expired or revoked")
            now = time.monotonic()
            window = self.calls.setdefault(token, collections.deque())
            while window and window[0] <= now - self.rate_window:
                window.popleft()
            if len(window) >= self.rate_limit:
                raise ApiFailure(
                    429, f"more than {self.rate_limit} calls in {self.rate_window:g} seconds"
                )
            window.append(now)
            return grant.user_id

    # -- OAuth ---------------------------------------------------------------------------------

    def issue_code(self, client_id: str, redirect_uri: str) -> str:
        with self.lock:
            if client_id not in self.apps:
                raise ApiFailure(400, "unknown client_id")
            code = self._secret(16)
            self.codes[code] = (client_id, redirect_uri, ADMIN_ID, time.time())
            return code

    def grant(self, form: dict[str, str]) -> dict[str, Any]:
        """The /grant endpoint: authorization_code and refresh_token grants."""
        with self.lock:
            client_id = form.get("client_id", "")
            if self.apps.get(client_id) != form.get("client_secret") or not client_id:
                raise GrantFailure("invalid_client", "Client authentication failed", 401)
            kind = form.get("grant_type")
            if kind == "authorization_code":
                found = self.codes.pop(form.get("code", ""), None)
                if found is None or found[0] != client_id or found[1] != form.get("redirect_uri"):
                    raise GrantFailure(
                        "invalid_grant",
                        "The authorization code is invalid, used, or for another redirect_uri",
                    )
                user_id = found[2]
            elif kind == "refresh_token":
                old = self.refresh.pop(form.get("refresh_token", ""), None)
                if old is None or old.client_id != client_id:
                    raise GrantFailure(
                        "invalid_grant", "The refresh token is invalid or was already used"
                    )
                user_id = old.user_id
            else:
                raise GrantFailure(
                    "unsupported_grant_type", f"grant_type {kind!r} is not supported"
                )
            self._sweep()
            return self._tokens(client_id, user_id)

    def _secret(self, size: int) -> str:
        """A token or code: the company's prefix, then random hex (40 digits for a token)."""
        return self.prefix + secrets.token_hex(size)

    def _tokens(self, client_id: str, user_id: int) -> dict[str, Any]:
        access, refresh = self._secret(16), self._secret(16)
        self.access[access] = Grant(client_id, user_id, time.time() + self.token_lifetime)
        self.refresh[refresh] = Grant(client_id, user_id)
        return {
            "access_token": access,
            "expires_in": int(self.token_lifetime),
            "token_type": "bearer",
            "scope": "",
            "refresh_token": refresh,
            "user_id": str(user_id),
            "company_id": self.company.company_id,
            "client_url": self.company.client_url,
        }

    def _sweep(self) -> None:
        """Drop expired access tokens (with their rate windows) and codes, when a sweep is due.

        A sweep walks the company's tables, so it runs at most every `sweep_every` seconds:
        the tables hold what was issued since the last sweep, plus what is still good.
        """
        now = time.time()
        if now - self.swept < self.sweep_every:
            return
        self.swept = now
        for token in [t for t, g in self.access.items() if g.expires_at <= now]:
            del self.access[token]
            self.calls.pop(token, None)
        for code in [c for c, v in self.codes.items() if v[3] + self.code_lifetime <= now]:
            del self.codes[code]
