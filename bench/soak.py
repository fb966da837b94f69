"""`python -m bench.soak`: the connector run as hosts run it, for minutes, with faults.

One sandbox process serves N companies (one per customer instance, each connected through the
OAuth flow); a PostgreSQL server of our own (default max_connections=100) holds every token;
the parent uses the stores once, then forks W workers. Each worker polls the trigger of its
share of the instances and writes (creates and updates timesheets, each recorded) to instances
picked at random, through the contract's plain mapping connection with a `token_store`, until
M minutes are up. Tokens live T seconds. Faults: PostgreSQL is restarted once; one worker is
SIGKILLed as it starts a refresh (and a new worker takes its place, as a supervisor would);
one worker's clock runs an hour fast. At the end the parent polls every trigger until quiet
and checks each recorded write against what the triggers reported.

It prints calls, grants per instance per token lifetime, 429 answers, lost connections,
errors by class, writes missed / repeated by the trigger, poll latency, PostgreSQL sessions,
CPU seconds of workers, sandbox and PostgreSQL, and memory at start and end.
`--json` prints the same as JSON (tests/test_soak.py runs a short soak and reads it).
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import datetime as dt
import json
import os
import random
import shutil
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.postgres import PostgresServer

TRIGGER = "new_or_changed_records"
INPUTS = {"record_types": "timesheets"}
SEEDED_SHEETS = range(4000001, 4000041)  # every company's seeded timesheets (sandbox/seed.py)
TRACKING_USERS = (1000002, 1000003, 1000004, 1000005)
JOBCODE = 2000004
SKEW = 3600.0  # seconds the skewed worker's clock runs fast
RATE_LIMIT = 300  # the real API's: 300 calls per 5 minutes per token
RATE_WINDOW = 300.0


# -- small things -------------------------------------------------------------------------------


def rss_mib(pid: int) -> float:
    """Resident memory of a process, in MiB (0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def instance_name(n: int) -> str:
    return f"i{n:05d}"


def mapping(plan: dict[str, Any], n: int) -> dict[str, Any]:
    """The contract's plain mapping connection of instance n, its token in PostgreSQL."""
    from qbtime_connector.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET

    return {
        "client_id": DEMO_CLIENT_ID,
        "client_secret": DEMO_CLIENT_SECRET,
        "token_store": plan["dsn"],
        "instance": instance_name(n),
        "base_url": plan["base_url"],
    }


def close_store(store: Any) -> None:
    """Close a store if it can be (the contract's close(), added by the token-store work)."""
    close = getattr(store, "close", None)
    if callable(close):
        close()


class Log:
    """Lines of JSON appended to one file per worker (no contention between processes)."""

    def __init__(self, path: Path) -> None:
        self.file = path.open("a", buffering=1)

    def write(self, **fields: Any) -> None:
        self.file.write(json.dumps(fields) + "\n")


def read_logs(folder: Path, prefix: str) -> list[dict[str, Any]]:
    lines = []
    for path in sorted(folder.glob(f"{prefix}-*.jsonl")):
        for line in path.read_text().splitlines():
            with contextlib.suppress(ValueError):
                lines.append(json.loads(line))  # a line cut by SIGKILL is skipped
    return lines


class States:
    """Each trigger's saved state, shared by the workers (SQLite, as a host's own database)."""

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path, timeout=60, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("CREATE TABLE IF NOT EXISTS states (n INTEGER PRIMARY KEY, state TEXT)")

    def load(self, n: int) -> dict[str, Any] | None:
        row = self.db.execute("SELECT state FROM states WHERE n = ?", (n,)).fetchone()
        return json.loads(row[0]) if row else None

    def save(self, n: int, state: dict[str, Any]) -> None:
        self.db.execute("REPLACE INTO states VALUES (?, ?)", (n, json.dumps(state)))


# -- the sandbox process ----------------------------------------------------------------------


class SandboxProcess:
    """The sandbox, forked into a process of its own (its CPU and memory measured apart)."""

    def __init__(self, token_lifetime: float) -> None:
        ask_r, self._ask = os.pipe()
        self._tell, tell_w = os.pipe()
        self.pid = os.fork()
        if not self.pid:
            os.close(self._ask)
            os.close(self._tell)
            try:
                _serve_sandbox(token_lifetime, ask_r, tell_w)
            finally:
                os._exit(0)
        os.close(ask_r)
        os.close(tell_w)
        self.port = int(self._read_line())

    def _read_line(self) -> str:
        answer = b""
        while not answer.endswith(b"\n"):
            chunk = os.read(self._tell, 1 << 20)
            if not chunk:
                raise RuntimeError("the sandbox process ended")
            answer += chunk
        return answer.decode()

    def summary(self) -> dict[str, Any]:
        """Per company: calls, grants, answers by status; the token tables; its memory."""
        os.write(self._ask, b"summary\n")
        found: dict[str, Any] = json.loads(self._read_line())
        return found

    def stop(self) -> float:
        """Stop it; its CPU seconds."""
        with contextlib.suppress(OSError):
            os.write(self._ask, b"stop\n")
        _, _, usage = os.wait4(self.pid, 0)
        return float(usage.ru_utime + usage.ru_stime)


def _serve_sandbox(token_lifetime: float, ask: int, tell: int) -> None:
    from qbtime_connector.sandbox import Sandbox

    sandbox = Sandbox(token_lifetime=token_lifetime, rate_limit=RATE_LIMIT, rate_window=RATE_WINDOW)
    sandbox.start()
    with os.fdopen(ask) as questions, os.fdopen(tell, "w") as answers:
        answers.write(f"{sandbox.port}\n")
        answers.flush()
        for line in questions:
            if line.strip() != "summary":
                break
            answers.write(json.dumps(sandbox_summary(sandbox)) + "\n")
            answers.flush()
    sandbox.stop()


def sandbox_summary(sandbox: Any) -> dict[str, Any]:
    """Per company: calls, grants, answers by status; and the token tables' sizes."""
    companies: dict[str, Any] = {}
    tables = collections.Counter[str]()
    for name in sandbox.companies.names():
        state = sandbox.company(name)
        with state.lock:
            companies[name] = {
                "calls": state.count("GET /api/v1")
                + state.count("POST /api/v1")
                + state.count("PUT /api/v1")
                + state.count("DELETE /api/v1"),
                "grants": state.count("POST /api/v1/grant"),
                "statuses": {str(k): v for k, v in state.statuses.items()},
            }
            tables.update(
                access=len(state.access),
                refresh=len(state.refresh),
                windows=len(state.calls),
                codes=len(state.codes),
            )
    return {"companies": companies, "tables": dict(tables), "rss_mib": rss_mib(os.getpid())}


# -- workers ------------------------------------------------------------------------------------


def worker(plan: dict[str, Any], slot: int, index: int, fault: str | None) -> None:
    """One worker process: poll its share of the triggers, write to instances at random."""
    from qbtime_connector import AuthError, invoke

    rng = random.Random(plan["seed"] * 1000 + slot)
    folder = Path(plan["folder"])
    if fault == "skew":
        real_time = time.time
        time.time = lambda: real_time() + SKEW
    if fault == "kill":
        arm_kill_on_refresh(plan["kill_at"])
    writes, reports = Log(folder / f"writes-{slot}.jsonl"), Log(folder / f"reports-{slot}.jsonl")
    states = States(folder / "states.sqlite")
    mine = [n for n in range(plan["instances"]) if n % plan["workers"] == index]
    due = {n: time.monotonic() + rng.uniform(0, plan["poll_every"]) for n in mine}
    write_gap = plan["write_every"] * plan["workers"] / plan["instances"]
    next_write = time.monotonic() + rng.uniform(0, write_gap)
    metrics: dict[str, Any] = {"slot": slot, "polls": 0, "writes": 0, "latencies": []}
    errors: collections.Counter[str] = collections.Counter()
    lost: set[int] = set()
    made = 0
    flushed = time.monotonic()
    while time.monotonic() < plan["deadline"]:
        soonest = min([*due.values(), next_write])
        if soonest > time.monotonic():
            time.sleep(min(0.2, soonest - time.monotonic()))
            continue
        try:
            if next_write <= time.monotonic():
                next_write += write_gap * rng.uniform(0.5, 1.5)
                n = rng.randrange(plan["instances"])
                kind = "create" if rng.random() < plan["create_share"] else "update"
                token = f"s{slot}-{metrics['writes']}"
                if kind == "create":
                    made += 1
                    sheet = create(invoke, mapping(plan, n), slot, made, token, rng)
                else:
                    sheet = rng.choice(SEEDED_SHEETS)
                    inputs = {
                        "timesheet_id": sheet,
                        "additional_query_parameters": {"notes": token},
                    }
                    invoke("update_timesheet", inputs, mapping(plan, n))
                writes.write(i=n, id=sheet, token=token, kind=kind, t=time.monotonic())
                metrics["writes"] += 1
            else:
                n = min(due, key=due.__getitem__)
                due[n] += plan["poll_every"]
                began = time.monotonic()
                poll_and_record(plan, n, states, reports)
                metrics["latencies"].append(time.monotonic() - began)
                metrics["polls"] += 1
        except AuthError:
            errors["AuthError"] += 1
            lost.add(n)
        except Exception as error:  # every failure is counted by its class
            errors[type(error).__name__] += 1
        if time.monotonic() - flushed > 2:
            flush_metrics(folder, slot, metrics, errors, lost)
            flushed = time.monotonic()
    flush_metrics(folder, slot, metrics, errors, lost)


def poll_and_record(plan: dict[str, Any], n: int, states: States, log: Log) -> int:
    """Poll instance n's trigger from its saved state, log each change, save the new state
    (after the log, so a worker killed in between reports again rather than loses); how many."""
    from qbtime_connector import poll

    page = poll(TRIGGER, INPUTS, mapping(plan, n), states.load(n))
    for change in page["records"]:
        record = change["record"]
        log.write(
            i=n,
            id=change["id"],
            notes=record.get("notes", ""),
            lm=record.get("last_modified", ""),
            change=change["change"],
        )
    states.save(n, page["state"])
    return len(page["records"])


def create(
    invoke: Any, connection: dict[str, Any], slot: int, made: int, token: str, rng: Any
) -> int:
    """A new one-hour timesheet at a time no other write of the soak uses (no overlaps)."""
    start = dt.datetime(2027, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(
        hours=slot * 100_000 + made
    )
    inputs = {
        "user_id": rng.choice(TRACKING_USERS),
        "jobcode_id": JOBCODE,
        "start_date": start.isoformat(),
        "end_date": (start + dt.timedelta(minutes=30)).isoformat(),
        "additional_query_parameters": {"notes": token},
    }
    sheet: int = invoke("create_timesheet", inputs, connection)["timesheets"][0]["id"]
    return sheet


def arm_kill_on_refresh(kill_at: float) -> None:
    """SIGKILL this process as it starts its first refresh after `kill_at` (monotonic).

    It dies holding the instance's refresh lock, before the grant is sent: a death after the
    API answered but before the new token was stored would lose that customer whatever the
    client did (the old refresh token is spent), so that is not the fault under test.
    """
    from qbtime_connector.tokens.grant import GrantClient

    original = GrantClient.refresh

    def refresh_then_die(self: GrantClient, refresh_token: str) -> Any:
        if time.monotonic() >= kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        return original(self, refresh_token)

    GrantClient.refresh = refresh_then_die  # type: ignore[method-assign]


def flush_metrics(
    folder: Path, slot: int, metrics: dict[str, Any], errors: Any, lost: set[int]
) -> None:
    payload = {**metrics, "errors": dict(errors), "lost": sorted(lost)}
    temporary = folder / f"metrics-{slot}.tmp"
    temporary.write_text(json.dumps(payload))
    temporary.replace(folder / f"metrics-{slot}.json")


def fork_worker(plan: dict[str, Any], slot: int, index: int, fault: str | None) -> int:
    pid = os.fork()
    if pid:
        return pid
    code = 0
    try:
        worker(plan, slot, index, fault)
    except BaseException:
        code = 1
    os._exit(code)


# -- the run ------------------------------------------------------------------------------------


def connect_instances(plan: dict[str, Any], base_url: str) -> None:
    """Each instance connects its own company through the OAuth flow; its token goes to PG."""
    import requests

    from qbtime_connector.oauth import authorize_url, exchange_code
    from qbtime_connector.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
    from qbtime_connector.tokens import open_store

    redirect = "http://127.0.0.1/callback"
    with requests.Session() as session:
        for n in range(plan["instances"]):
            url = authorize_url(DEMO_CLIENT_ID, redirect, "soak", base_url=base_url)
            answer = session.get(
                url, params={"company": instance_name(n)}, allow_redirects=False, timeout=30
            )
            code = answer.headers["Location"].split("code=")[1].split("&")[0]
            token = exchange_code(
                DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, code, redirect, base_url=base_url
            )
            store = open_store(plan["dsn"], instance_name(n))
            store.save(token)
            close_store(store)


def baseline(plan: dict[str, Any], states: States) -> None:
    """Each trigger's first poll, in the parent (which so uses the stores before it forks)."""
    from qbtime_connector import poll

    for n in range(plan["instances"]):
        states.save(n, poll(TRIGGER, INPUTS, mapping(plan, n), None)["state"])


def finish(folder: Path, plan: dict[str, Any]) -> dict[str, Any]:
    """Drain every trigger and check every instance from a fresh process (as a host's next
    job would run), so what the parent's sessions went through does not colour the counts."""
    import subprocess

    (folder / "plan.json").write_text(json.dumps(plan))
    command = [sys.executable, "-m", "bench.soak", "--finish", str(folder)]
    subprocess.run(command, check=True, cwd=Path(__file__).resolve().parent.parent)
    found: dict[str, Any] = json.loads((folder / "finish.json").read_text())
    return found


def finish_here(folder: Path) -> None:
    """The fresh process of finish(): drain, then the final check, into finish.json."""
    plan = json.loads((folder / "plan.json").read_text())
    errors = drain(plan, States(folder / "states.sqlite"), folder)
    lost = sorted(final_check(plan))
    (folder / "finish.json").write_text(
        json.dumps({"drain_errors": dict(errors), "lost_at_the_end": lost})
    )


def drain(plan: dict[str, Any], states: States, folder: Path) -> collections.Counter[str]:
    """Poll every trigger until quiet, recording what it reports; errors by class."""

    log, errors = Log(folder / "reports-drain.jsonl"), collections.Counter[str]()
    for n in range(plan["instances"]):
        for _ in range(10):
            try:
                if not poll_and_record(plan, n, states, log):
                    break
            except Exception as error:
                errors[type(error).__name__] += 1
                break
    return errors


def check_writes(folder: Path) -> dict[str, int]:
    """Writes missed and versions repeated by the triggers; creates not told as created."""
    writes = sorted(read_logs(folder, "writes"), key=lambda w: w["t"])
    reports = read_logs(folder, "reports")
    versions = collections.Counter((r["i"], r["id"], r["notes"], r["lm"]) for r in reports)
    told: dict[tuple[int, int], set[str]] = collections.defaultdict(set)
    kinds: dict[tuple[int, int, str], set[str]] = collections.defaultdict(set)
    for r in reports:
        told[(r["i"], r["id"])].add(r["notes"])
        kinds[(r["i"], r["id"], r["notes"])].add(r["change"])
    later: dict[tuple[int, int], list[str]] = collections.defaultdict(list)
    for w in writes:
        later[(w["i"], w["id"])].append(w["token"])
    missed = 0
    for w in writes:
        tokens = later[(w["i"], w["id"])]
        after = tokens[tokens.index(w["token"]) :]  # this write, or one that replaced it
        missed += not (told[(w["i"], w["id"])] & set(after))
    creates = [w for w in writes if w["kind"] == "create"]
    not_created = sum(
        "created" not in kinds.get((w["i"], w["id"], w["token"]), {"created"}) for w in creates
    )
    return {
        "writes": len(writes),
        "creates": len(creates),
        "missed": missed,
        "repeated": sum(n - 1 for n in versions.values() if n > 1),
        "creates_told_updated": not_created,
    }


def run(options: argparse.Namespace) -> dict[str, Any]:
    """The whole soak; returns its figures."""
    folder = Path(tempfile.mkdtemp(prefix="qbtime-soak-"))
    postgres = PostgresServer()
    sandbox = SandboxProcess(options.token_lifetime)
    base_url = f"http://127.0.0.1:{sandbox.port}/api/v1"
    plan: dict[str, Any] = {
        "instances": options.instances,
        "workers": options.workers,
        "poll_every": options.poll_every,
        "write_every": options.write_every,
        "create_share": 1 / 3,
        "seed": options.seed,
        "dsn": postgres.dsn,
        "base_url": base_url,
        "folder": str(folder),
    }
    figures: dict[str, Any] = {"options": vars(options)}
    children: dict[int, dict[str, Any]] = {}
    try:
        connect_instances(plan, base_url)
        states = States(folder / "states.sqlite")
        baseline(plan, states)
        sessions_before = int(postgres.query("SELECT sum(sessions) FROM pg_stat_database") or 0)
        grants_before = grants_of(sandbox.summary())
        start = time.monotonic()
        length = options.minutes * 60
        plan["deadline"] = start + length
        plan["kill_at"] = start + 0.45 * length
        faults = {1 % options.workers: "kill", 2 % options.workers: "skew"}
        for index in range(options.workers):
            fault = faults.get(index)
            pid = fork_worker(plan, index, index, fault)
            children[pid] = {"index": index, "slot": index, "fault": fault}
        figures.update(watch(options, plan, postgres, children, start, sandbox.pid))
        # Grants while the workers ran, per instance, per token lifetime of that time: the
        # connecting before and the drain after are not the load the target is about.
        loaded = time.monotonic() - start
        refreshes = grants_of(sandbox.summary()) - grants_before
        lifetimes = loaded / options.token_lifetime
        figures["grants_per_instance_per_lifetime"] = round(
            refreshes / options.instances / lifetimes, 3
        )
        figures["loaded_s"] = round(loaded, 1)
        figures["postgres_sessions"] = (
            int(postgres.query("SELECT sum(sessions) FROM pg_stat_database") or 0)
            - sessions_before
            + figures.pop("sessions_lost_in_restart", 0)
        )
        figures.update(finish(folder, plan))
        figures["lost"] = sorted(set(figures["lost"]) | set(figures.pop("lost_at_the_end")))
        figures["changes"] = check_writes(folder)
        figures.update(sandbox_figures(sandbox.summary(), options))
        figures["postgres_cpu_s"] = postgres.cpu_seconds()
    finally:
        for pid in list(children):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        figures["sandbox_cpu_s"] = sandbox.stop()
        postgres.close()
        if options.keep:
            print(f"the soak's logs are in {folder}", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return figures


def watch(
    options: argparse.Namespace,
    plan: dict[str, Any],
    postgres: PostgresServer,
    children: dict[int, dict[str, Any]],
    start: float,
    sandbox_pid: int,
) -> dict[str, Any]:
    """Run until every worker is done: restart PostgreSQL once, replace the killed worker,
    sample sessions and memory; returns what the workers and the samples add up to."""
    restart_at = start + 0.3 * options.minutes * 60
    restarted = killed = False
    sessions_lost = 0
    most_sessions = 0
    memory: dict[str, list[float]] = {"workers_start": [], "workers_end": []}
    memory["sandbox_start"] = [rss_mib(sandbox_pid)]
    sampled_start = False
    cpu = 0.0
    events: list[str] = []
    next_slot = options.workers
    while children:
        now = time.monotonic()
        if not restarted and now >= restart_at:
            with contextlib.suppress(Exception):
                sessions_lost = int(postgres.query("SELECT sum(sessions) FROM pg_stat_database"))
            postgres.restart()
            after = int(postgres.query("SELECT sum(sessions) FROM pg_stat_database") or 0)
            sessions_lost = max(0, sessions_lost - after)  # statistics a restart did not keep
            restarted = True
            events.append(f"PostgreSQL restarted at {now - start:.0f} s")
        if not sampled_start and now >= start + min(60.0, 0.2 * options.minutes * 60):
            memory["workers_start"] = [rss_mib(pid) for pid in children]
            memory["sandbox_start"] = [rss_mib(sandbox_pid)]
            sampled_start = True
        if now >= plan["deadline"] - 1.5 and not memory["workers_end"]:
            memory["workers_end"] = [rss_mib(pid) for pid in children]
            memory["sandbox_end"] = [rss_mib(sandbox_pid)]
        with contextlib.suppress(Exception):
            active = postgres.query(
                "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'"
            )
            most_sessions = max(most_sessions, int(active) - 1)  # less our own
        pid, status, usage = os.wait4(-1, os.WNOHANG)
        if pid:
            child = children.pop(pid)
            cpu += usage.ru_utime + usage.ru_stime
            if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL:
                killed = True
                events.append(
                    f"worker {child['index']} SIGKILLed during a refresh at {now - start:.0f} s;"
                    " a new worker took its place"
                )
                if time.monotonic() < plan["deadline"] - 1:
                    slot, next_slot = next_slot, next_slot + 1
                    new = fork_worker(plan, slot, child["index"], None)
                    children[new] = {"index": child["index"], "slot": slot, "fault": None}
            continue
        time.sleep(0.5)
    if not killed:
        events.append("the worker set to be killed never refreshed after the kill time")
    events.append(f"worker {2 % options.workers} ran with its clock {SKEW:.0f} s fast")
    totals = worker_totals(Path(plan["folder"]))
    return {
        **totals,
        "events": events,
        "workers_cpu_s": cpu,
        "postgres_most_sessions": most_sessions,
        "sessions_lost_in_restart": sessions_lost,
        "memory_mib": {k: round(statistics.fmean(v), 1) if v else 0.0 for k, v in memory.items()},
    }


def worker_totals(folder: Path) -> dict[str, Any]:
    errors: collections.Counter[str] = collections.Counter()
    lost: set[int] = set()
    latencies: list[float] = []
    polls = writes = 0
    for path in folder.glob("metrics-*.json"):
        metrics = json.loads(path.read_text())
        errors.update(metrics["errors"])
        lost |= set(metrics["lost"])
        latencies += metrics["latencies"]
        polls += metrics["polls"]
        writes += metrics["writes"]
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {
        "errors": dict(errors),
        "lost": sorted(lost),
        "polls": polls,
        "write_jobs": writes,
        "poll_p50_ms": round(cuts[49] * 1000, 1),
        "poll_p99_ms": round(cuts[98] * 1000, 1),
    }


def final_check(plan: dict[str, Any]) -> set[int]:
    """Instances that cannot make a call any more: the customer would have to reconnect."""
    from qbtime_connector import AuthError, invoke

    lost = set()
    for n in range(plan["instances"]):
        try:
            invoke("get_current_user", {}, mapping(plan, n))
        except AuthError:
            lost.add(n)
        except Exception:
            continue  # counted by the drain if it persists
    return lost


def grants_of(summary: dict[str, Any]) -> int:
    """Grants the customer instances' companies answered so far (codes and refreshes)."""
    return sum(c["grants"] for name, c in summary["companies"].items() if name != "demo")


def sandbox_figures(summary: dict[str, Any], options: argparse.Namespace) -> dict[str, Any]:
    companies = summary["companies"]
    ours = [c for name, c in companies.items() if name != "demo"]
    statuses: collections.Counter[str] = collections.Counter()
    for company in ours:
        statuses.update(company["statuses"])
    return {
        "calls": sum(c["calls"] for c in ours),
        "answers_429": statuses.get("429", 0),
        "answers_by_status": dict(statuses),
        "grants_whole_run": sum(c["grants"] for c in ours),
        "sandbox_tables": summary["tables"],
        "sandbox_rss_end_mib": round(summary["rss_mib"], 1),
    }


def report(figures: dict[str, Any]) -> str:
    """The soak's figures as lines a person reads."""
    o, c, m = figures["options"], figures["changes"], figures["memory_mib"]
    lines = [
        f"soak: {o['instances']} instances, {o['workers']} forked workers, "
        f"{o['token_lifetime']:g}-s tokens, {o['minutes']:g} min, PostgreSQL max_connections=100",
        f"calls                                 {figures['calls']}",
        f"grants per instance per token life    {figures['grants_per_instance_per_lifetime']}"
        f" (target <= 1.1; over the {figures['loaded_s']:.0f} s the workers ran)",
        f"answers 429                           {figures['answers_429']} (target 0)",
        f"lost connections                      {len(figures['lost'])} (target 0)",
        f"errors by class                       {figures['errors'] or 0} (target 0)",
        f"errors in the final drain             {figures['drain_errors'] or 0}",
        f"writes (creates)                      {c['writes']} ({c['creates']})",
        f"writes missed by the trigger          {c['missed']} (target 0)",
        f"versions repeated by the trigger      {c['repeated']} (target 0)",
        f"creates reported as updated           {c['creates_told_updated']}",
        f"polls; latency p50 / p99              {figures['polls']}; "
        f"{figures['poll_p50_ms']} / {figures['poll_p99_ms']} ms",
        f"PostgreSQL sessions opened; most      {figures['postgres_sessions']}; "
        f"{figures['postgres_most_sessions']} at once",
        f"CPU s: workers / sandbox / PostgreSQL {figures['workers_cpu_s']:.1f} / "
        f"{figures.get('sandbox_cpu_s', 0):.1f} / {figures['postgres_cpu_s']:.1f}"
        " (target: PostgreSQL below workers)",
        f"memory MiB, start -> end              worker (mean) {m['workers_start']} -> "
        f"{m['workers_end']}; sandbox {m['sandbox_start']} -> {m.get('sandbox_end', 0)}",
        f"sandbox token tables at the end       {figures['sandbox_tables']}",
        "faults                                " + "; ".join(figures["events"]),
    ]
    return "\n".join(lines)


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.soak", description=__doc__.split("\n")[0]
    )
    parser.add_argument("-n", "--instances", type=int, default=1000)
    parser.add_argument("-w", "--workers", type=int, default=8)
    parser.add_argument("-t", "--token-lifetime", type=float, default=60.0, help="seconds")
    parser.add_argument("-m", "--minutes", type=float, default=10.0)
    parser.add_argument("--poll-every", type=float, default=10.0, help="seconds per trigger")
    parser.add_argument("--write-every", type=float, default=20.0, help="seconds per instance")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--keep", action="store_true", help="keep the writes' and reports' logs")
    parser.add_argument("--finish", metavar="FOLDER", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.workers < 3:
        parser.error("--workers must be at least 3 (one is killed, one runs fast)")
    return options


def main(argv: list[str] | None = None) -> int:
    options = parse(argv)
    if options.finish:
        finish_here(Path(options.finish))
        return 0
    figures = run(options)
    print(json.dumps(figures) if options.json else report(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
