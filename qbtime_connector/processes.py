"""What each process makes for itself, so a forked child never uses what its parent opened.

Hosts fork their workers (gunicorn, Celery's prefork pool, multiprocessing) after the connector
has run in the parent. A child that used the parent's database connection, HTTP socket or lock
would share it with the parent; one that closed them would break the parent's. So a
`PerProcess` value is made anew the first time a child asks for it, and the parent's is left
alone: kept referenced in the child, so that garbage collection never closes it there.
"""

from __future__ import annotations

import atexit
import os
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")

_generation = 0  # how many forks lie between the first process and this one
_making = threading.RLock()  # re-entered when one value is made of others
_inherited: list[object] = []  # the parent's values in this child: never used, never closed


def _after_fork_in_child() -> None:
    global _generation, _making
    _generation += 1
    _making = threading.RLock()  # the parent's could have been held by a thread that is gone


os.register_at_fork(after_in_child=_after_fork_in_child)


class PerProcess(Generic[T]):
    """A value `make` makes once in each process that asks for it (locks, sessions, pools)."""

    __slots__ = ("_generation", "_make", "_value")

    def __init__(self, make: Callable[[], T]) -> None:
        self._make = make
        self._value: T | None = None
        self._generation = -1

    def __repr__(self) -> str:
        return f"PerProcess({getattr(self._make, '__qualname__', self._make)!r})"

    def get(self) -> T:
        """This process's value, made on first use here."""
        if self._generation != _generation:
            with _making:
                if self._generation != _generation:
                    if self._value is not None:
                        _inherited.append(self._value)
                    self._value = self._make()
                    self._generation = _generation
        return self._value  # type: ignore[return-value]

    def made(self) -> T | None:
        """This process's value if it made one (nothing is made by asking)."""
        return self._value if self._generation == _generation else None

    def forget(self) -> None:
        """Drop this process's value (after closing it); the next `get` makes a new one."""
        with _making:
            if self._generation == _generation:
                self._value, self._generation = None, -1


class Shared(Generic[T]):
    """What this process's stores of one place share (a pool per database), counted by user.

    `acquire(key)` opens the resource on first use in this process; the last `release(key)`
    closes it. A child starts with none: its parent's are never used or closed there.
    """

    def __init__(self, open_: Callable[[str], T], close: Callable[[T], None]) -> None:
        self._open, self._close = open_, close
        self._held: PerProcess[dict[str, list[Any]]] = PerProcess(dict)
        self._lock: PerProcess[threading.Lock] = PerProcess(threading.Lock)
        atexit.register(self.close_all)

    def acquire(self, key: str) -> T:
        """The resource for `key`, opened if no store of this process holds it yet."""
        with self._lock.get():
            held = self._held.get()
            entry = held.get(key)
            if entry is None:
                entry = held[key] = [self._open(key), 0]
            entry[1] += 1
            resource: T = entry[0]
            return resource

    def release(self, key: str) -> None:
        """One user fewer; the last one closes the resource."""
        with self._lock.get():
            held = self._held.get()
            entry = held.get(key)
            if entry is not None:
                entry[1] -= 1
                if entry[1] <= 0:
                    del held[key]
                    self._close(entry[0])

    def close_all(self) -> None:
        """Close every resource this process opened (at exit)."""
        held = self._held.made() or {}
        while held:
            _, (resource, _) = held.popitem()
            self._close(resource)
