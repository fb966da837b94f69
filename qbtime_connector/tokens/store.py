"""The token store protocol, the in-memory store, and which of two tokens is newer."""

from __future__ import annotations

import contextlib
import math
import threading
import time
from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

from ..errors import AuthError
from ..pacing import CallWindow

Token = dict[str, Any]


@runtime_checkable
class TokenStore(Protocol):
    """Where one customer instance's token lives, shared by every worker that uses it."""

    def load(self) -> Token | None:
        """The stored token, or None when there is none."""
        ...

    def save(self, token: Mapping[str, Any]) -> None:
        """Store the token; it is durable before this returns."""
        ...

    def lock(self) -> contextlib.AbstractContextManager[Any]:
        """A context manager exclusive for this instance across threads and processes."""
        ...


def normalise_token(token: Mapping[str, Any] | None) -> Token:
    """A copy of the token with `expires_at` (from `expires_in` when that is all it has)."""
    if not isinstance(token, Mapping) or not token.get("access_token"):
        raise AuthError("The connection has no access token.")
    normal = dict(token)
    if normal.get("expires_at") is not None:
        normal["expires_at"] = _seconds(normal["expires_at"], "expires_at")
    elif normal.get("expires_in") not in (None, ""):
        normal["expires_at"] = time.time() + _seconds(normal["expires_in"], "expires_in")
    return normal


def _seconds(value: Any, name: str) -> float:
    """A token's time field as seconds, or AuthError saying the token is unusable."""
    try:
        seconds = float(value)
    except (TypeError, ValueError, OverflowError):
        seconds = math.nan
    if not math.isfinite(seconds):
        raise AuthError(f"The connection's token is unusable: its {name} is not a number.")
    return seconds


def is_newer(candidate: Mapping[str, Any] | None, current: Mapping[str, Any]) -> bool:
    """Whether `candidate` is a later token than `current` (by expiry), so may replace it."""
    if not candidate or not candidate.get("access_token"):
        return False
    if candidate.get("access_token") == current.get("access_token"):
        return False
    mine, theirs = current.get("expires_at"), candidate.get("expires_at")
    if mine is None:
        return True
    return theirs is not None and float(theirs) > float(mine)


class MemoryTokenStore:
    """A token held in this process only (what a plain mapping connection gets)."""

    def __init__(self, token: Mapping[str, Any] | None = None) -> None:
        self._token = dict(token) if token else None
        self._lock = threading.RLock()
        self._calls = CallWindow()

    def __repr__(self) -> str:
        return "MemoryTokenStore()"

    def load(self) -> Token | None:
        """The stored token, or None when there is none."""
        return dict(self._token) if self._token else None

    def save(self, token: Mapping[str, Any]) -> None:
        """Keep the token (memory is as durable as this store gets)."""
        self._token = dict(token)

    def lock(self) -> contextlib.AbstractContextManager[Any]:
        """Exclusive across this process's threads (a memory store has no other processes)."""
        return self._lock

    def admit(self, calls: int, window: float, now: float) -> float:
        """0.0 when one more call fits (and it is counted), else the seconds to wait first."""
        return self._calls.admit(calls, window, now)
