"""A host's worker process for the stress tests: threads making calls through one token store.

python -m tests.store_worker STORE_URL INSTANCE BASE_URL THREADS SECONDS_OR_CALLS

`forked(children, work)` runs `work(n)` in forked children instead, as gunicorn or Celery's
prefork pool would, and gathers what each returned.
"""

from __future__ import annotations

import json
import os
import select
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from qbtime_connector import Connection, ConnectorError, RetryPolicy, invoke
from qbtime_connector.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from qbtime_connector.tokens import TokenStore, open_store


def run_threads(
    store: TokenStore,
    base_url: str,
    threads: int,
    calls: int = 5,
    seconds: float = 0.0,
) -> dict[str, Any]:
    """Each thread opens its own Connection on `store` and calls get_users `calls` times (or
    for `seconds`); returns the successes and every error's type and text."""
    outcome: dict[str, Any] = {"ok": 0, "errors": []}
    guard = threading.Lock()

    def work() -> None:
        connection = Connection(
            DEMO_CLIENT_ID,
            DEMO_CLIENT_SECRET,
            base_url=base_url,
            store=store,
            refresh_margin=0.0,
            retry=RetryPolicy(base_delay=0.05),
        )
        deadline = time.monotonic() + seconds
        done = 0
        while (done < calls) if not seconds else (time.monotonic() < deadline):
            try:
                invoke("get_users", {}, connection)
                with guard:
                    outcome["ok"] += 1
            except ConnectorError as error:
                with guard:
                    outcome["errors"].append(f"{type(error).__name__}: {error}")
            done += 1
            if seconds:
                # A pace the sandbox keeps up with on a loaded machine: faster, its queue grew
                # until requests waited longer than a short-lived token lasts. 32 threads at
                # 0.4 s still send 80 calls a second across each expiry (0.2 s cost a third
                # more CPU).
                time.sleep(0.4)
        connection.close()

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return outcome


def forked(
    children: int, work: Callable[[int], Any], timeout: float = 120.0
) -> list[dict[str, Any]]:
    """Fork `children` processes from this one; child n runs `work(n)` and exits at once.

    Each child's outcome is {"result": what work returned} or {"error": its traceback's last
    line}; a child still running after `timeout` seconds is killed and reported as {"hung":
    True}. A child never returns into the caller's code (pytest's included).
    """
    pipes: list[tuple[int, int]] = []
    for n in range(children):
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child
            os.close(read)
            outcome: dict[str, Any]
            try:
                outcome = {"result": work(n)}
            except BaseException as error:
                last = traceback.format_exception_only(type(error), error)[-1].strip()
                outcome = {"error": last}
            try:
                os.write(write, json.dumps(outcome, default=str).encode())
            finally:
                os._exit(0)
        os.close(write)
        pipes.append((pid, read))
    deadline = time.monotonic() + timeout
    outcomes = []
    for pid, read in pipes:
        chunks = []
        while True:
            ready, _, _ = select.select([read], [], [], max(0.0, deadline - time.monotonic()))
            chunk = os.read(read, 65536) if ready else b""
            if not chunk:
                break
            chunks.append(chunk)
        os.close(read)
        if not ready:
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        if not ready:
            outcomes.append({"hung": True})
        else:
            outcomes.append(json.loads(b"".join(chunks)) if chunks else {"error": "no answer"})
    return outcomes


def main(argv: list[str]) -> int:
    url, instance, base_url, threads, amount = argv[:5]
    store = open_store(url, instance or None)
    if amount.endswith("s"):
        outcome = run_threads(store, base_url, int(threads), seconds=float(amount[:-1]))
    else:
        outcome = run_threads(store, base_url, int(threads), calls=int(amount))
    print(json.dumps(outcome))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
