"""Progress of long reads and writes, told to a caller's callback (and pages to the log)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from contextvars import ContextVar

from .values import FrozenDeclared

log = logging.getLogger(__name__)


class Progress(FrozenDeclared):
    """Where a Fetch All or batch write stands: after each request, or before a wait."""

    endpoint: str
    kind: str  # "read" (pages fetched), "write" (records sent) or "wait" (a pause before a call)
    records: int = 0  # records read, or records written, so far
    requests: int = 0  # pages fetched, or write requests made, so far
    total: int | None = None  # records to write, when known
    wait: float = 0.0  # seconds of the pause about to be taken ("wait" only)


ProgressCallback = Callable[[Progress], None]

# A context variable, not a parameter threaded through every loop: the loops stay as they are
# and a host's callback follows the call that asked for it (and no other thread's calls).
_callback: ContextVar[ProgressCallback | None] = ContextVar("qbtime_progress", default=None)
_endpoint: ContextVar[str] = ContextVar("qbtime_progress_endpoint", default="")


def reporting(callback: ProgressCallback | None) -> AbstractContextManager[None]:
    """Tell `callback` (if any) the progress of every loop run inside this block."""
    if callback is None and _callback.get() is None:
        return _NOBODY  # nobody to tell here or around: nothing to set (every call runs this)
    return _Reporting(callback)


_NOBODY = nullcontext()


class _Reporting:
    """Sets the callback (and a fresh endpoint) for its block, and puts back what was there."""

    __slots__ = ("_callback", "_tokens")

    def __init__(self, callback: ProgressCallback | None) -> None:
        self._callback = callback

    def __enter__(self) -> None:
        self._tokens = (_callback.set(self._callback), _endpoint.set(""))

    def __exit__(self, *exc: object) -> None:
        told, endpoint = self._tokens
        _endpoint.reset(endpoint)
        _callback.reset(told)


def _tell(progress: Progress) -> None:
    callback = _callback.get()
    if callback is not None:
        _endpoint.set(progress.endpoint)
        callback(progress)


def page_read(endpoint: str, records: int, pages: int) -> None:
    """A page of a Fetch All arrived: `records` so far over `pages` pages."""
    log.info("%s: page %d read, %d records so far", endpoint, pages, records)
    _tell(Progress(endpoint, "read", records=records, requests=pages))


def records_written(endpoint: str, records: int, requests: int, total: int) -> None:
    """A write request of a batch was answered: `records` of `total` sent so far."""
    log.info("%s: %d of %d records written in %d requests", endpoint, records, total, requests)
    _tell(Progress(endpoint, "write", records=records, requests=requests, total=total))


def waiting(seconds: float) -> None:
    """The connection is about to pause `seconds` (a retry's backoff or the rate pacing)."""
    if seconds > 0:
        _tell(Progress(_endpoint.get(), "wait", wait=seconds))
