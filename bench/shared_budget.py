"""One rate budget across workers: processes pacing through one token store stay under the limit.

`measure_shared_budget()` runs the measurement (for the benchmark table and the tests);
`python -m bench.shared_budget` prints it. Each worker process is this module run as
`python -m bench.shared_budget worker STORE_URL INSTANCE BASE_URL CALLS LIMIT WINDOW START_AT`.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from qbtime_connector import Connection, RateLimitError, RetryPolicy, invoke
from qbtime_connector.pacing import Pacer
from qbtime_connector.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Sandbox
from qbtime_connector.tokens import open_store

ROOT = Path(__file__).resolve().parent.parent
# Time the pacer's window adds to the sandbox's: a call admitted at t may reach the server
# later than one admitted after it, so the client's window is a little wider than the API's.
SLACK = 0.5


def worker(url: str, instance: str, base_url: str, calls: int, pacer: Pacer) -> dict[str, int]:
    """Make `calls` paced calls through the store; count successes and 429s (never retried)."""
    connection = Connection(
        DEMO_CLIENT_ID,
        DEMO_CLIENT_SECRET,
        base_url=base_url,
        store=open_store(url, instance),
        pacer=pacer,
        retry=RetryPolicy(max_retries=0),
    )
    outcome = {"ok": 0, "rate_limited": 0}
    with connection:
        for _ in range(calls):
            try:
                invoke("get_current_user", {}, connection)
                outcome["ok"] += 1
            except RateLimitError:
                outcome["rate_limited"] += 1
    return outcome


def measure_shared_budget(
    processes: int = 4, calls_each: int = 10, limit: int = 15, window: float = 1.0
) -> dict[str, Any]:
    """`processes` workers of one customer instance against a sandbox allowing `limit` calls per
    `window` seconds: total calls, 429 answers, elapsed seconds, and the minimum the limit
    allows."""
    with (
        tempfile.TemporaryDirectory() as folder,
        Sandbox(rate_limit=limit, rate_window=window) as sandbox,
    ):
        url, instance = f"sqlite:{Path(folder) / 'tokens.db'}", "acme"
        open_store(url, instance).save(sandbox.token())
        start_at = time.time() + 1.5  # every worker has imported before the first call
        command = [sys.executable, "-m", "bench.shared_budget", "worker", url, instance]
        command += [sandbox.base_url, str(calls_each), str(limit), str(window), str(start_at)]
        workers = [
            subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
            for _ in range(processes)
        ]
        outcomes = [json.loads(w.communicate(timeout=300)[0]) for w in workers]
        elapsed = time.time() - start_at
        api_calls = sandbox.state.count("GET /api/v1/current_user")
    total = processes * calls_each
    return {
        "processes": processes,
        "calls": api_calls,
        "succeeded": sum(o["ok"] for o in outcomes),
        "responses_429": sum(o["rate_limited"] for o in outcomes),
        "elapsed_s": round(elapsed, 2),
        "minimum_s": (math.ceil(total / limit) - 1) * window,
        "limit": f"{limit} per {window:g} s",
    }


def main(argv: list[str]) -> int:
    """The measurement as JSON, or one worker when the first argument is `worker`."""
    if argv[:1] == ["worker"]:
        url, instance, base_url, calls, limit, window, start_at = argv[1:8]
        pacer = Pacer(calls=int(limit), window=float(window) + SLACK)
        time.sleep(max(0.0, float(start_at) - time.time()))
        print(json.dumps(worker(url, instance, base_url, int(calls), pacer)))
        return 0
    print(json.dumps(measure_shared_budget(), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
