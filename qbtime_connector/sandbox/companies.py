"""The companies one sandbox serves, by name: the seeded demo company, and any made on demand.

A real integration has one registered app, and each customer's admin approves it for their own
company. So it is here: `demo-client` is registered in every company, and the company is chosen
at the authorize step (`company=NAME`, as if that company's admin had logged in), created on
first use with the demo data. Its tokens and codes start with its number, so every later request
(a Bearer token, a code or a refresh token) finds its company without a shared index.
"""

from __future__ import annotations

import re
import threading
from typing import Any

from .errors import ApiFailure
from .state import DEMO_COMPANY, PREFIX_DIGITS, SandboxState

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


class Companies:
    """Every company of one sandbox; `settings` are each new company's SandboxState settings."""

    def __init__(self, **settings: Any) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._by_name: dict[str, SandboxState] = {}
        self._by_prefix: dict[str, SandboxState] = {}
        self.default = self.get(DEMO_COMPANY)

    def get(self, name: str) -> SandboxState:
        """The company called `name`, made (seeded) on first use; 400 for a name not allowed."""
        if not NAME.fullmatch(name):
            raise ApiFailure(400, "company must be 1-64 letters, digits, '_', '.' or '-'")
        with self._lock:
            found = self._by_name.get(name)
            if found is None:
                found = SandboxState(**self.settings, name=name, number=len(self._by_name) + 1)
                self._by_name[name] = found
                self._by_prefix[found.prefix] = found
            return found

    def find(self, name: str) -> SandboxState | None:
        """The company called `name` if it exists (never makes one)."""
        with self._lock:
            return self._by_name.get(name)

    def owner(self, secret: str) -> SandboxState | None:
        """The company that issued a token or code (by its prefix), if any."""
        with self._lock:
            return self._by_prefix.get(secret[:PREFIX_DIGITS])

    def names(self) -> list[str]:
        """The companies' names, in the order they were made."""
        with self._lock:
            return list(self._by_name)

    def __len__(self) -> int:
        with self._lock:
            return len(self._by_name)
