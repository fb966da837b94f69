"""The older host hooks (`refresh_lock=`, `load_token=`) seen as a token store."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from typing import Any

from .store import StoreBase, Token

HostLock = (
    contextlib.AbstractContextManager[Any] | Callable[[], contextlib.AbstractContextManager[Any]]
)


def fresh_lock(lock: HostLock | None) -> contextlib.AbstractContextManager[Any]:
    """A context manager to enter now, made anew each time when the host's is single-use.

    A `@contextmanager` object can be entered only once; it knows how to recreate itself.
    """
    if lock is None:
        return contextlib.nullcontext()
    recreate = getattr(lock, "_recreate_cm", None)
    if isinstance(lock, contextlib.ContextDecorator) and callable(recreate):
        made: contextlib.AbstractContextManager[Any] = recreate()
        return made
    if not hasattr(lock, "__enter__") and callable(lock):
        return lock()
    return lock  # type: ignore[return-value]


class HostHooksStore(StoreBase):
    """A store whose reads and lock are the host's; saving is left to `on_token_refresh`."""

    def __init__(
        self,
        load_token: Callable[[], Mapping[str, Any] | None] | None,
        refresh_lock: HostLock | None,
    ) -> None:
        self._load_token = load_token
        self._refresh_lock = refresh_lock

    def __repr__(self) -> str:
        return "HostHooksStore()"

    def load(self) -> Token | None:
        """What the host's `load_token` returns (None without one)."""
        loaded = self._load_token() if self._load_token is not None else None
        return dict(loaded) if loaded else None

    def save(self, token: Mapping[str, Any]) -> None:
        """Nothing: the host stores tokens in its `on_token_refresh`."""

    def lock(self) -> contextlib.AbstractContextManager[Any]:
        """The host's lock, entered anew for every refresh."""
        return fresh_lock(self._refresh_lock)
