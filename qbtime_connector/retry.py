"""When a failed call is tried again, and how long to wait first."""

from __future__ import annotations

import random
import time
from collections.abc import Callable

import requests

from .values import Value

# Methods the API treats as reads: repeating one can change nothing.
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS"})
# Statuses after which the API has not applied a write, so any method may be retried.
NOT_APPLIED = frozenset({429, 503})
# Statuses worth retrying for reads only: the server may have done part of a write.
TRANSIENT = frozenset({500, 502, 504})


def status_retryable(method: str, status: int) -> bool:
    """Whether an answer with this status may be retried for this method."""
    return status in NOT_APPLIED or (method in IDEMPOTENT and status in TRANSIENT)


def grant_status_retryable(method: str, status: int) -> bool:
    """Whether a token-endpoint answer may be retried: anything but a verdict on the grant."""
    return status == 429 or status >= 500


def grant_exception_retryable(method: str, exc: requests.RequestException) -> bool:
    """A grant whose answer never came is retried: only the API's refusal is final."""
    return True


def exception_retryable(method: str, exc: requests.RequestException) -> bool:
    """Whether a failure without an answer may be retried: writes only if it never connected."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    if method in IDEMPOTENT:
        return isinstance(exc, requests.ConnectionError | requests.Timeout)
    return isinstance(exc, requests.ConnectionError) and _never_connected(exc)


def _never_connected(exc: requests.ConnectionError) -> bool:
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return type(reason).__name__ in {"NewConnectionError", "ConnectTimeoutError"}


class RetryPolicy(Value):
    """Capped exponential backoff with full jitter, within a total wait budget per call.

    `random` and `sleep` are injectable so tests can make every delay exact.
    """

    _fields = ("max_retries", "base_delay", "max_delay", "budget", "random", "sleep")
    _hidden = frozenset({"random", "sleep"})

    def __init__(
        self,
        max_retries: int = 4,
        base_delay: float = 0.5,
        max_delay: float = 8.0,
        budget: float = 15.0,
        random: Callable[[], float] = random.random,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.max_retries = max_retries
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.budget = budget
        self.random = random
        self.sleep = sleep

    def delay(self, retry: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number `retry` (0-based); honours Retry-After."""
        backoff = min(self.max_delay, self.base_delay * 2.0**retry) * self.random()
        return max(backoff, retry_after or 0.0)

    def next_wait(self, retry: int, waited: float, retry_after: float | None) -> float | None:
        """The wait before the next try, or None when retries or the wait budget are spent."""
        if retry >= self.max_retries:
            return None
        wait = self.delay(retry, retry_after)
        return wait if waited + wait <= self.budget else None


def parse_retry_after(value: str | None) -> float | None:
    """Retry-After in seconds, from either of its forms (seconds, or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
