"""A lock across this machine's threads and processes: a lock file, made anew in each process.

filelock's locks may not cross a fork() (a child that used its parent's would be told it was
"inherited across fork"), and a thread lock held at the fork would never be released in the
child: so both are made per process.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..processes import PerProcess

if TYPE_CHECKING:
    from filelock import BaseFileLock

    from .store import StoreBase


def _file_lock(path: str) -> BaseFileLock:
    from filelock import FileLock

    return FileLock(path, mode=0o600)


class LockFile:
    """Exclusive for one store across threads (an RLock) and processes (a lock file at `path`)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.threads: PerProcess[threading.RLock] = PerProcess(threading.RLock)
        self._file: PerProcess[BaseFileLock] = PerProcess(lambda: _file_lock(path))

    def __repr__(self) -> str:
        return f"LockFile({self.path!r})"

    @contextlib.contextmanager
    def held(self, store: StoreBase) -> Iterator[None]:
        """Hold the lock; a lock file that cannot be made is a StoreError of `store`."""
        with self.threads.get():
            file_lock = self._file.get()
            with store.reporting("take the lock", OSError):
                file_lock.acquire()
            try:
                yield
            finally:
                file_lock.release()
