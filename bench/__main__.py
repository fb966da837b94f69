"""`python -m bench`: what a call costs, in API calls, in time, in memory and at cold start.

Runs against a local sandbox and prints one table, each figure beside its target and the least
it could be. Timings are medians of interleaved runs, so a noisy shared machine moves both
sides of each ratio alike. `--readme` writes the table into README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

from bench.shared_budget import measure_shared_budget
from qbtime_connector import invoke, manifest
from qbtime_connector.demo import create_worker
from qbtime_connector.sandbox import Sandbox
from qbtime_connector.validation import prepare

# measure, value, target, the least possible, verdict or note
Row = tuple[str, str, str, str, str]
COLD_START_TARGET = 1.15
PER_CALL_TARGET = 1.05
LINEAR_TARGET = 1.25  # per-record cost at the large size, at most this times the small one's
SHARED_BUDGET_TARGET = 1.10  # time of the workers together, at most this times the minimum
README = Path(__file__).resolve().parent.parent / "README.md"
TABLE_START, TABLE_END = "<!-- bench:start -->", "<!-- bench:end -->"


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


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


def versus(
    names: tuple[str, str, str],
    seconds: tuple[float, float],
    formats: tuple[str, str],
    target: float,
    note: str,
) -> list[Row]:
    """Three rows: our time, the bare time (ms), and their ratio against its target."""
    (ours, bare), (time_format, ratio_format) = seconds, formats
    ratio = ours / bare
    return [
        (names[0], f"{ours * 1e3:{time_format}} ms", "", "", note),
        (names[1], f"{bare * 1e3:{time_format}} ms", "", "", ""),
        (
            f"{names[2]} ratio",
            f"{ratio:{ratio_format}}",
            f"<= {target:.2f}",
            "1.00",
            verdict(ratio <= target),
        ),
    ]


def per_call(sb: Sandbox, runs: int) -> list[Row]:
    """invoke("get_users") against a bare requests.Session().get of the same request."""
    conn = sb.connect()
    bare = requests.Session()
    # Ours reads the environment once per session, not per request (session.py): so does the
    # bare side, or the ratio would hide our overhead behind requests' scans of os.environ.
    bare.trust_env = False
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
    return versus(
        ("per-call: invoke(get_users)", "per-call: bare requests.get + .json()", "per-call"),
        (median_ours, median_bare),
        (".3f", ".3f"),
        PER_CALL_TARGET,
        f"median of {runs}",
    )


def settle() -> None:
    """Let two seconds pass after records were added, so that a read that follows is one of
    records nobody is changing (a change in the second before a read makes Fetch All read
    again, with overlapping pages: docs/reading.md)."""
    time.sleep(2.0)


def bulk_calls(sb: Sandbox, reads: int, writes: int) -> list[Row]:
    """API calls to read `reads` timesheets and write `writes`, as the sandbox counts them."""
    sb.state.reset()
    sb.state.add_timesheets(reads - len(sb.state.company.timesheets))
    conn = sb.connect()
    settle()
    before = sb.state.count()  # every call: the pages and the look at the change stamps
    found = invoke(
        "get_timesheets", {"start_date": "2000-01-01", "fetch_all": True, "max_pages": 1000}, conn
    )
    read_calls = sb.state.count() - before
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
    least_reads, least_writes = math.ceil(reads / 200), math.ceil(writes / 50)
    # Pages of 200, and (for more than one page) one look at last_modified_timestamps.
    target_reads = least_reads + (least_reads > 1)
    return [
        (
            f"API calls to read {reads:,} timesheets",
            str(read_calls),
            str(target_reads),
            str(least_reads),
            verdict(read_calls <= target_reads),
        ),
        (
            f"API calls to write {writes} timesheets",
            str(write_calls),
            str(least_writes),
            str(least_writes),
            verdict(write_calls <= least_writes),
        ),
    ]


def installed_env(cache: str) -> dict[str, str]:
    """The environment of a fresh process that finds compiled bytecode, as an install has.

    pip compiles an installed package's modules; an editable checkout (with bytecode writing
    turned off, as here) would compile ours from source in every process, and only ours.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPYCACHEPREFIX": cache}


def _run_python(code: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
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
    with tempfile.TemporaryDirectory(prefix="bench-pycache-") as cache:
        env = installed_env(cache)
        _run_python(ours, env)  # compiles and caches both sides' bytecode, then warms the OS
        _run_python(bare, env)
        median_ours, median_bare = _median_pair(
            lambda: _run_python(ours, env), lambda: _run_python(bare, env), runs
        )
    return versus(
        ("cold start: import + one action", "cold start: import requests + one get", "cold start"),
        (median_ours, median_bare),
        (".0f", ".2f"),
        COLD_START_TARGET,
        f"median of {runs} fresh processes",
    )


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
            "",
            f"{1e6 / rate:.0f} µs each",
        )
    ]


def polling(sb: Sandbox) -> list[Row]:
    """API calls of a Get Changes poll when nothing changed, and after one user changed."""
    sb.state.reset()
    conn = sb.connect()
    first = invoke("get_changes", {"since": "2026-11-01T00:00:00+00:00"}, conn)

    def calls_of_a_poll(cursor: str) -> tuple[int, str]:
        before = sb.state.count()
        found = invoke("get_changes", {"cursor": cursor}, conn)
        return sb.state.count() - before, str(found["cursor"])

    quiet, cursor = calls_of_a_poll(str(first["cursor"]))
    invoke(
        "update_user",
        {"id": 1000002, "additional_query_parameters": {"last_name": "Changed"}},
        conn,
    )
    changed, _ = calls_of_a_poll(cursor)
    return [
        ("API calls of a quiet poll (get_changes)", str(quiet), "1", "1", verdict(quiet <= 1)),
        (
            "API calls of a poll after one change",
            str(changed),
            "2",
            "2",
            verdict(changed <= 2),
        ),
    ]


def shared_budget(processes: int, calls: int, limit: int, window: float) -> list[Row]:
    """Workers of one customer pacing through one token store: 429s and time (see its module)."""
    found = measure_shared_budget(processes, calls // processes, limit, window)
    ratio = found["elapsed_s"] / found["minimum_s"] if found["minimum_s"] else math.inf
    return [
        (
            f"{processes} processes sharing a budget: 429s",
            str(found["responses_429"]),
            "0",
            "0",
            f"{verdict(found['responses_429'] == 0)}: {found['calls']:,} calls, "
            f"limit {found['limit']}",
        ),
        (
            f"{processes} processes sharing a budget: time",
            f"{found['elapsed_s']:.1f} s",
            f"<= {SHARED_BUDGET_TARGET:.2f}x least",
            f"{found['minimum_s']:.1f} s",
            f"{verdict(ratio <= SHARED_BUDGET_TARGET)}: {ratio:.2f}x",
        ),
    ]


# VmHWM, not ru_maxrss: after fork+exec ru_maxrss still counts the parent's peak (the sandbox).
FETCH_CHILD = """
import json, sys, time
from qbtime_connector import invoke

def high_water_kib():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))

def resident_kib():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))

config = json.loads(sys.argv[1])
invoke("get_users", {}, config)
# The peak so far (loading the manifest, the first call) is not the read's: start it afresh
# (Linux: 5 to clear_refs resets VmHWM), from what is resident now.
with open("/proc/self/clear_refs", "w") as refs:
    refs.write("5")
base = resident_kib()
start = time.perf_counter()
found = invoke("get_timesheets", {"start_date": "2000-01-01", "fetch_all": True,
                                  "max_pages": 1000}, config)
seconds = time.perf_counter() - start
print(json.dumps({"records": len(found["timesheets"]), "base": base, "peak": high_water_kib(),
                  "seconds": seconds}))
"""


def fetch_all(sb: Sandbox, records: int) -> dict[str, float]:
    """Time and client memory of a fresh process that fetches all of `records` timesheets."""
    sb.state.reset()
    sb.state.add_timesheets(records - len(sb.state.company.timesheets))
    settle()
    before = sb.state.count("GET /api/v1/timesheets")
    out = subprocess.run(
        [sys.executable, "-c", FETCH_CHILD, json.dumps(sb.connection_config())],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    found: dict[str, float] = json.loads(out)
    assert found["records"] == records
    found["calls"] = sb.state.count("GET /api/v1/timesheets") - before
    return found


def at_scale(sb: Sandbox, records: int) -> list[Row]:
    """Fetch All of `records` timesheets against a tenth of it: time and memory per record.

    The least possible is the calls of pages of 200, which a read of records nobody changes
    makes (and one look at the change stamps, not counted here).
    """
    runs = [(fetch_all(sb, records // 10), fetch_all(sb, records)) for _ in range(2)]
    # The faster of two interleaved runs of each size: a busy moment of a shared machine
    # would otherwise read as a per-record cost that grows with the size.
    small = min((s for s, _ in runs), key=lambda run: run["seconds"])
    large = min((big for _, big in runs), key=lambda run: run["seconds"])
    pages = math.ceil(records / 200)

    def per_record(run: dict[str, float], key: str) -> float:
        return run[key] / run["records"]

    def growth(run: dict[str, float]) -> float:
        return (run["peak"] - run["base"]) / run["records"]

    time_ratio = per_record(large, "seconds") / per_record(small, "seconds")
    memory_ratio = growth(large) / growth(small)
    return [
        (
            f"Fetch All of {records:,} timesheets: time",
            f"{large['seconds']:.1f} s",
            f"linear: <= {LINEAR_TARGET}x per record",
            f"{pages} calls",
            f"{verdict(time_ratio <= LINEAR_TARGET)}: {time_ratio:.2f}x the per-record time "
            f"of {records // 10:,} ({small['seconds']:.2f} s); {large['calls']:.0f} calls",
        ),
        (
            f"Fetch All of {records:,}: client peak RSS",
            f"{large['peak'] / 1024:.0f} MiB",
            f"flat per page: <= {LINEAR_TARGET}x",
            "the records kept",
            f"{verdict(memory_ratio <= LINEAR_TARGET)}: {growth(large) * 200:.0f} KiB per page "
            f"of 200, {growth(small) * 200:.0f} KiB at {records // 10:,}; "
            f"{large['base'] / 1024:.0f} MiB before",
        ),
    ]


def table(rows: list[Row]) -> str:
    """The rows as a Markdown table."""
    header: Row = ("measure", "value", "target", "least possible", "verdict / note")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |"
        for r in [header, *rows]
    ]
    lines.insert(1, "| " + " | ".join("-" * w for w in widths) + " |")
    return "\n".join(lines)


def machine() -> str:
    return (
        f"{dt.date.today()}; {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.platform()}"
    )


def write_readme(text: str, path: Path = README) -> None:
    """Put the table (and the machine it ran on) between the README's bench markers."""
    readme = path.read_text(encoding="utf-8")
    block = f"{TABLE_START}\n{text}\n{TABLE_END}"
    pattern = re.compile(re.escape(TABLE_START) + ".*?" + re.escape(TABLE_END), re.DOTALL)
    if not pattern.search(readme):
        raise SystemExit(f"{path} has no {TABLE_START} ... {TABLE_END} block")
    path.write_text(pattern.sub(lambda _: block, readme), encoding="utf-8")


def count(text: str) -> int:
    """A count of at least 1 (argparse turns the ValueError into a usage error, exit 2)."""
    number = int(text)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {number}")
    return number


def seconds(text: str) -> float:
    """A positive number of seconds (else a usage error, exit 2)."""
    number = float(text)
    if not number > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0, not {text}")
    return number


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    """The benchmark's options; a count below 1 or not a number is a usage error (exit 2)."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--calls", type=count, default=2000, help="per-call runs (>= 1000)")
    parser.add_argument("--cold", type=count, default=21, help="cold-start runs")
    parser.add_argument("--records", type=count, default=10000)
    parser.add_argument("--writes", type=count, default=500)
    parser.add_argument(
        "--scale", type=count, default=100000, help="timesheets for Fetch All at scale"
    )
    parser.add_argument("--workers", type=count, default=4, help="processes sharing a budget")
    parser.add_argument("--budget-calls", type=count, default=1000, help="their calls in all")
    parser.add_argument("--budget-limit", type=count, default=250, help="calls allowed per window")
    parser.add_argument("--budget-window", type=seconds, default=10.0, help="window (seconds)")
    parser.add_argument("--readme", action="store_true", help="write the table into README.md")
    return parser.parse_args(argv)


def main() -> None:
    args = arguments()
    rows: list[Row] = []
    with Sandbox(rate_limit=10**9) as sb:  # the real API's 300 per 5 minutes would stop a benchmark
        rows += per_call(sb, args.calls)
        rows += bulk_calls(sb, args.records, args.writes)
        sb.state.reset()
        rows += cold_start(sb, args.cold)
        rows += polling(sb)
        rows += validation_rate()
        rows += at_scale(sb, args.scale)
    rows += shared_budget(args.workers, args.budget_calls, args.budget_limit, args.budget_window)
    text = f"Measured {machine()}:\n\n{table(rows)}"
    print(text)
    if args.readme:
        write_readme(text)


if __name__ == "__main__":
    main()
