"""`python -m bench`: what a call costs, in API calls, in time, in memory and at cold start.

Runs against a local sandbox and prints one table. Timings are medians of interleaved runs, so
a noisy shared machine moves both sides of each ratio alike.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import requests

from qbtime_connector import invoke, manifest
from qbtime_connector.demo import create_worker
from qbtime_connector.sandbox import Sandbox
from qbtime_connector.validation import prepare

Row = tuple[str, str, str, str]


def _median_pair(a: Callable[[], Any], b: Callable[[], Any], runs: int) -> tuple[float, float]:
    """Median seconds of a() and b(), run alternately so drift hits both alike."""
    times_a, times_b = [], []
    for _ in range(runs):
        start = time.perf_counter()
        a()
        times_a.append(time.perf_counter() - start)
        start = time.perf_counter()
        b()
        times_b.append(time.perf_counter() - start)
    return statistics.median(times_a), statistics.median(times_b)


def per_call(sb: Sandbox, runs: int) -> list[Row]:
    """invoke("get_users") against a bare requests.Session().get of the same request."""
    conn = sb.connect()
    bare = requests.Session()
    headers = {"Authorization": f"Bearer {conn.token['access_token']}"}
    url = f"{sb.base_url}/users"
    query: dict[str, str | int] = {"active": "yes", "limit": 50, "page": 1}

    def ours() -> None:
        invoke("get_users", {}, conn)

    def theirs() -> None:
        bare.get(url, params=query, headers=headers, timeout=30).json()

    for _ in range(50):  # warm both pools and caches
        ours()
        theirs()
    median_ours, median_bare = _median_pair(ours, theirs, runs)
    ratio = median_ours / median_bare
    return [
        ("per-call: invoke(get_users)", f"{median_ours * 1e3:.3f} ms", "", f"median of {runs}"),
        ("per-call: bare requests.get + .json()", f"{median_bare * 1e3:.3f} ms", "", ""),
        ("per-call ratio", f"{ratio:.3f}", "<= 1.10", "met" if ratio <= 1.10 else "NOT met"),
    ]


def bulk_calls(sb: Sandbox, reads: int, writes: int) -> list[Row]:
    """API calls to read `reads` timesheets and write `writes`, as the sandbox counts them."""
    sb.state.reset()
    sb.state.add_timesheets(reads - len(sb.state.company.timesheets))
    conn = sb.connect()
    before = sb.state.count("GET /api/v1/timesheets")
    found = invoke(
        "get_timesheets", {"start_date": "2000-01-01", "fetch_all": True, "max_pages": 1000}, conn
    )
    read_calls = sb.state.count("GET /api/v1/timesheets") - before
    assert len(found["timesheets"]) == reads
    user_id = create_worker(conn, "bench")["id"]
    records = [
        {
            "user_id": user_id,
            "jobcode_id": 2000004,
            "start": f"2030-01-{1 + n // 20:02d}T{n % 20:02d}:00:00+00:00",
            "end": f"2030-01-{1 + n // 20:02d}T{n % 20:02d}:30:00+00:00",
        }
        for n in range(writes)
    ]
    before = sb.state.count("POST /api/v1/timesheets")
    made = invoke("create_timesheets", {"records": records}, conn)
    write_calls = sb.state.count("POST /api/v1/timesheets") - before
    assert made["succeeded"] == writes, made["failed"][:3]
    return [
        (
            f"API calls to read {reads:,} timesheets",
            str(read_calls),
            f"min {math.ceil(reads / 200)}",
            f"pages of 50: {math.ceil(reads / 50)}",
        ),
        (
            f"API calls to write {writes} timesheets",
            str(write_calls),
            f"min {math.ceil(writes / 50)}",
            f"one per record: {writes}",
        ),
    ]


def _run_python(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ})
    return time.perf_counter() - start


def cold_start(sb: Sandbox, runs: int) -> list[Row]:
    """A fresh process that imports the package and runs one action, against bare requests."""
    config = sb.connection_config()
    bearer = f"Bearer {config['token']['access_token']}"
    ours = (
        "import qbtime_connector, json;"
        f"qbtime_connector.invoke('get_users', {{}}, json.loads({json.dumps(json.dumps(config))}))"
    )
    bare = (
        f"import requests; requests.get({sb.base_url + '/users'!r}, "
        f"params={{'active': 'yes', 'limit': 50, 'page': 1}}, "
        f"headers={{'Authorization': {bearer!r}}}, timeout=30).json()"
    )
    _run_python(ours)
    _run_python(bare)
    median_ours, median_bare = _median_pair(
        lambda: _run_python(ours), lambda: _run_python(bare), runs
    )
    ratio = median_ours / median_bare
    return [
        ("cold start: import + one action", f"{median_ours * 1e3:.0f} ms", "", f"median of {runs}"),
        ("cold start: import requests + one get", f"{median_bare * 1e3:.0f} ms", "", ""),
        ("cold start ratio", f"{ratio:.2f}", "<= 1.5", "met" if ratio <= 1.5 else "NOT met"),
    ]


def validation_rate(seconds: float = 2.0) -> list[Row]:
    """Inputs validated per second for the widest Get action (every input given)."""
    spec = manifest.action("get_timesheets")
    inputs = {
        "on_the_clock": "both",
        "per_page": "200",
        "page": "3",
        "user_ids": "1, 2,3",
        "job_code_ids": [4, "5"],
        "start_date": "2026-11-01",
        "end_date": "2026-11-30",
        "fetch_all": "false",
        "max_pages": "10",
        "additional_query_parameters": [{"key": "supplemental_data", "value": "no"}],
    }
    prepare(spec, inputs)
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        prepare(spec, inputs)
        count += 1
    rate = count / (time.perf_counter() - start)
    return [
        (
            "validation: get_timesheets, 10 inputs",
            f"{rate:,.0f} /s",
            "",
            f"{1e6 / rate:.0f} µs each",
        )
    ]


# VmHWM, not ru_maxrss: after fork+exec ru_maxrss still counts the parent's peak (the sandbox).
MEMORY_CHILD = """
import json, sys
from qbtime_connector import invoke

def high_water_kib():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))

config = json.loads(sys.argv[1])
invoke("get_users", {}, config)
base = high_water_kib()
found = invoke("get_timesheets", {"start_date": "2000-01-01", "fetch_all": True,
                                  "max_pages": 1000}, config)
print(json.dumps({"records": len(found["timesheets"]), "base": base, "peak": high_water_kib()}))
"""


def memory(sb: Sandbox, records: int) -> list[Row]:
    """Peak RSS of a process that fetches all of `records` timesheets (sandbox elsewhere)."""
    sb.state.reset()
    sb.state.add_timesheets(records - len(sb.state.company.timesheets))
    out = subprocess.run(
        [sys.executable, "-c", MEMORY_CHILD, json.dumps(sb.connection_config())],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    found = json.loads(out)
    assert found["records"] == records
    return [
        (
            f"memory: peak RSS, fetch all of {records:,}",
            f"{found['peak'] / 1024:.0f} MiB",
            "",
            f"{found['base'] / 1024:.0f} MiB after imports and one call",
        )
    ]


def table(rows: list[Row]) -> str:
    header: Row = ("measure", "value", "target / minimum", "note")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |"
        for r in [header, *rows]
    ]
    lines.insert(1, "| " + " | ".join("-" * w for w in widths) + " |")
    return "\n".join(lines)


def count(text: str) -> int:
    """A count of at least 1 (argparse turns the ValueError into a usage error, exit 2)."""
    number = int(text)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {number}")
    return number


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    """The benchmark's options; a count below 1 or not a number is a usage error (exit 2)."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--calls", type=count, default=2000, help="per-call runs (>= 1000)")
    parser.add_argument("--cold", type=count, default=15, help="cold-start runs")
    parser.add_argument("--records", type=count, default=10000)
    parser.add_argument("--writes", type=count, default=500)
    return parser.parse_args(argv)


def main() -> None:
    args = arguments()
    rows: list[Row] = []
    with Sandbox(rate_limit=10**9) as sb:  # the real API's 300 per 5 minutes would stop a benchmark
        rows += per_call(sb, args.calls)
        rows += bulk_calls(sb, args.records, args.writes)
        sb.state.reset()
        rows += cold_start(sb, args.cold)
        rows += validation_rate()
        rows += memory(sb, args.records)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.platform()}"
    )
    print(table(rows))


if __name__ == "__main__":
    main()
