"""Client-side pacing: stay under the API's limit instead of running into 429s."""

from __future__ import annotations

import collections
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from . import progress

log = logging.getLogger(__name__)


@dataclass
class Pacer:
    """At most `calls` requests in any `window` seconds; callers past that wait their turn.

    The API allows 300 calls per 5 minutes per access token; the defaults leave it a margin.
    `clock` and `sleep` are injectable so tests need not wait.
    """

    calls: int = 290
    window: float = 300.0
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    waited: float = 0.0

    def __post_init__(self) -> None:
        self._sent: collections.deque[float] = collections.deque()
        self._lock = threading.Lock()

    def wait_turn(self) -> None:
        """Block until one more request fits in the window, then count it."""
        while True:
            with self._lock:
                now = self.clock()
                while self._sent and self._sent[0] <= now - self.window:
                    self._sent.popleft()
                if len(self._sent) < self.calls:
                    self._sent.append(now)
                    return
                pause = self._sent[0] + self.window - now
            self.waited += pause
            log.info(
                "Pacing: waiting %.1f s to stay under %d calls per %.0f s",
                pause,
                self.calls,
                self.window,
            )
            progress.waiting(pause)
            self.sleep(pause)
