"""A store's clock: the time every worker of a store agrees on, whatever its own clock says.

Token expiries and the shared rate budget are times written by one worker and read by others. A
worker whose clock runs an hour fast would write tokens that look newer than later ones and
budget entries that hold everyone back for an hour. So each process measures how far its clock
is from a reference all workers share (the database server's clock, or the file system's) and
reads every time through that offset. Clocks within a second of the reference count as agreeing,
so the common case is exactly the local clock.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable

log = logging.getLogger("qbtime_connector")
AGREE = 1.0  # seconds of disagreement that do not matter at the scale of token margins
REMEASURE = 60.0  # seconds between measurements (a clock can be stepped meanwhile)


class StoreClock:
    """time.time() as the reference reads it; `reference` returns the reference's time now."""

    def __init__(self, reference: Callable[[], float]) -> None:
        self._reference = reference
        self._offset = 0.0
        self._measured = -REMEASURE
        self._measuring = threading.Lock()

    def __call__(self) -> float:
        """The reference's time now."""
        return time.time() + self.offset()

    def offset(self) -> float:
        """Seconds to add to this process's clock to read the reference's (0.0 if they agree);
        measured again once a minute."""
        if time.monotonic() - self._measured >= REMEASURE:
            self._measure()
        return self._offset

    def _measure(self) -> None:
        if not self._measuring.acquire(blocking=False):
            return  # another thread is measuring: the last offset is good meanwhile
        try:
            before = time.time()
            reference = self._reference()
            after = time.time()
            offset = reference - (before + after) / 2
            # Rounded to 1/1024 s, a binary fraction, so that adding it to a time is exact.
            self._offset = 0.0 if abs(offset) < AGREE else round(offset * 1024) / 1024
            if self._offset:
                log.warning("This worker's clock is %.1f s off its token store's.", -offset)
        except Exception as error:  # the store is down: keep the last offset, try again later
            log.debug("Could not read the token store's clock: %s", type(error).__name__)
        finally:
            self._measured = time.monotonic()
            self._measuring.release()


def file_system_time(directory: str) -> float:
    """The time as the file system stamps a new file in `directory` (a server's, on NFS)."""
    with tempfile.TemporaryFile(dir=directory) as probe:
        return os.fstat(probe.fileno()).st_mtime
