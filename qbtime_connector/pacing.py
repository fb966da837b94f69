"""Client-side pacing: stay under the API's limit instead of running into 429s.

The count of recent calls lives in a ledger: the pacer's own (one process), or the token store's
(file, SQLite, PostgreSQL), so that every worker of one customer instance shares one budget.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Protocol, runtime_checkable

from . import progress
from .processes import PerProcess
from .values import Value

log = logging.getLogger(__name__)


@runtime_checkable
class CallLedger(Protocol):
    """Where the times of recent calls are kept; `admit` counts a call or says how long to wait."""

    def admit(self, calls: int, window: float, now: float) -> float:
        """0.0 when one more call fits (and it is counted), else the seconds to wait first."""
        ...


def admit(sent: list[float], calls: int, window: float, now: float) -> tuple[list[float], float]:
    """The calls still in the window (this one added when admitted), and the wait (0 = admitted).

    A time after `now` (written by a worker whose clock runs ahead) counts as `now`: it can hold
    the others back for one window at most, never for as long as that clock is wrong.
    """
    recent = sorted(min(t, now) for t in sent if t > now - window)
    if len(recent) < calls:
        return [*recent, now], 0.0
    return recent, max(recent[len(recent) - calls] + window - now, 1e-3)


class CallWindow:
    """An in-process ledger (what a single process, or the memory token store, uses)."""

    def __init__(self) -> None:
        self._sent: list[float] = []
        self._lock: PerProcess[threading.Lock] = PerProcess(threading.Lock)

    def admit(self, calls: int, window: float, now: float) -> float:
        """0.0 when one more call fits (and it is counted), else the seconds to wait first."""
        with self._lock.get():
            self._sent, wait = admit(self._sent, calls, window, now)
            return wait


class Pacer(Value):
    """At most `calls` requests in any `window` seconds; callers past that wait their turn.

    The API allows 300 calls per 5 minutes per access token; the defaults leave it a margin.
    Wall-clock time, so processes sharing a store's ledger agree; `clock` and `sleep` are
    injectable so tests need not wait.
    """

    _fields = ("calls", "window", "clock", "sleep", "waited")
    _hidden = frozenset({"clock", "sleep"})

    def __init__(
        self,
        calls: int = 290,
        window: float = 300.0,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        waited: float = 0.0,
    ) -> None:
        self.calls = calls
        self.window = window
        self.clock = clock
        self.sleep = sleep
        self.waited = waited
        self._own = CallWindow()

    def wait_turn(self, ledger: CallLedger | None = None) -> None:
        """Block until one more request fits in the window, then count it (in `ledger`)."""
        keeper = ledger or self._own
        while (pause := keeper.admit(self.calls, self.window, self.clock())) > 0:
            self.waited += pause
            log.info(
                "Pacing: waiting %.1f s to stay under %d calls per %.0f s",
                pause,
                self.calls,
                self.window,
            )
            progress.waiting(pause)
            self.sleep(pause)
