"""The token store protocol, what every store of ours shares, and which of two tokens is newer."""

from __future__ import annotations

import contextlib
import math
import threading
import time
from collections.abc import Hashable, Iterator, Mapping
from typing import Any, ClassVar, Generic, Protocol, TypeVar, runtime_checkable

from ..errors import AuthError, StoreError
from ..pacing import CallWindow
from ..processes import PerProcess, Shared
from .clocks import StoreClock
from .locations import scrub

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
        normal["expires_at"] = seconds_of(normal["expires_at"], "expires_at")
    elif normal.get("expires_in") not in (None, ""):
        normal["expires_at"] = time.time() + seconds_of(normal["expires_in"], "expires_in")
    return normal


def seconds_of(value: Any, name: str) -> float:
    """A token's time field as seconds, or AuthError saying the token is unusable."""
    try:
        seconds = float(value)
    except (TypeError, ValueError, OverflowError):
        seconds = math.nan
    if not math.isfinite(seconds) or isinstance(value, bool):
        raise AuthError(f"The connection's token is unusable: its {name} is not a number.")
    return seconds


def generation(token: Mapping[str, Any] | None) -> int | None:
    """The token's place in its chain of rotations (stamped at each refresh), if it has one."""
    value = token.get("generation") if token else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def is_newer(candidate: Mapping[str, Any] | None, current: Mapping[str, Any]) -> bool:
    """Whether `candidate` is a later token than `current`, so may replace it.

    Tokens stamped with a generation are ordered by it: every worker agrees on it, whatever its
    clock says. Others (a host's first token) fall back to their expiry.
    """
    if not candidate or not candidate.get("access_token"):
        return False
    if candidate.get("access_token") == current.get("access_token"):
        return False
    theirs, mine = generation(candidate), generation(current)
    if theirs is not None and mine is not None:
        return theirs > mine
    mine_at, theirs_at = current.get("expires_at"), candidate.get("expires_at")
    if mine_at is None:
        return True
    return theirs_at is not None and float(theirs_at) > float(mine_at)


def stored_token(data: Any, store: StoreBase) -> Token:
    """A token read from a store, or StoreError when what is stored is not one."""
    if not isinstance(data, dict) or not isinstance(data.get("access_token"), str):
        kind = "an object without an access_token" if isinstance(data, dict) else "not an object"
        raise store.failure(f"the stored token is {kind}; fix or delete it, then reconnect")
    return data


class StoreBase:
    """What every store of ours has: a name for errors, close(), and use as a context manager."""

    name = "memory"
    instance: str | None = None

    def close(self) -> None:
        """Release what this store holds in this process (it opens again if used again)."""

    def key(self) -> Hashable:
        """The same for every store object that reaches the same token (this one only, here)."""
        return id(self)

    def __enter__(self) -> StoreBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def failure(self, problem: str) -> StoreError:
        """The StoreError naming this store (never with a password) and its instance."""
        return StoreError(self.name, self.instance, problem)

    @contextlib.contextmanager
    def reporting(self, doing: str, *failures: type[BaseException]) -> Iterator[None]:
        """Turn `failures` (OSError, sqlite3.Error, psycopg.Error…) into a StoreError."""
        try:
            yield
        except StoreError:
            raise
        except failures as exc:
            why = scrub(" ".join(str(exc).split()), self.secrets())[:300]
            raise self.failure(f"cannot {doing} ({type(exc).__name__}: {why})") from None

    def secrets(self) -> list[str]:
        """What must never appear in this store's errors (a database password)."""
        return []


class MemoryTokenStore(StoreBase):
    """A token held in this process only (what a plain mapping connection gets)."""

    def __init__(self, token: Mapping[str, Any] | None = None) -> None:
        self._token = dict(token) if token else None
        self._lock: PerProcess[threading.RLock] = PerProcess(threading.RLock)
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
        return self._lock.get()

    def admit(self, calls: int, window: float, now: float) -> float:
        """0.0 when one more call fits (and it is counted), else the seconds to wait first."""
        return self._calls.admit(calls, window, now)


class Database(Protocol):
    """What a database store shares in a process: one per database, with the store's clock."""

    clock: StoreClock


D = TypeVar("D", bound=Database)


class DatabaseStore(StoreBase, Generic[D]):
    """A store of one row per instance in a database this process opens once, for all stores.

    Subclasses name their `databases` (a `Shared` registry) and the `failures` of their driver.
    """

    databases: ClassVar[Shared[Any]]
    failures: ClassVar[tuple[type[BaseException], ...]]

    def __init__(self, key: str, instance: str) -> None:
        self._key = key
        self.instance: str = instance
        self._database: PerProcess[D] = PerProcess(self._open)

    def _open(self) -> D:
        with self.reporting("open the database", *self.failures):
            database: D = self.databases.acquire(self._key)
            return database

    def close(self) -> None:
        """Let go of this process's database (the last store of it to close closes it)."""
        if self._database.made() is not None:
            self._database.forget()
            self.databases.release(self._key)

    def clock(self) -> float:
        """The time by the database's clock (the same for every worker, whatever its own says)."""
        return self._database.get().clock()
