"""Waiting in the main thread in slices, so a Ctrl-C is seen even when another thread got it.

The kernel may hand a process's SIGINT to any of its threads (a server's, here); Python then
runs its handler only once the main thread runs Python code again. One long wait never did:
the sandbox went on serving after Ctrl-C, and login waited out its five minutes.
"""

from __future__ import annotations

import threading
import time

SIGNAL_CHECK = 0.25  # seconds between the main thread's looks for a Ctrl-C


def wait_for(event: threading.Event, timeout: float) -> bool:
    """Whether `event` was set within `timeout` seconds (KeyboardInterrupt on Ctrl-C)."""
    deadline = time.monotonic() + timeout
    while not event.wait(min(max(deadline - time.monotonic(), 0.0), SIGNAL_CHECK)):
        if time.monotonic() >= deadline:
            return False
    return True


def until_interrupted() -> None:
    """Sleep until Ctrl-C (raises KeyboardInterrupt)."""
    while True:
        time.sleep(SIGNAL_CHECK)
