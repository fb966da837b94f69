"""Shared fixtures. One name means one thing in every test file:

- `sandbox`: a running local emulator of the API (fresh for each test).
- `connection`: a Connection to `sandbox`, obtained through its OAuth flow.
- `mocked_api`: a `responses` mock of the real API's URL (every call must be expected).
- `mocked_connection`: a Connection to the real API's URL, for use with `mocked_api`.
- `stored`: every token a connection handed to `on_token_refresh`, in order.
- `clock`: a ManualClock (moves only when told) for a sandbox made with `Sandbox(clock=clock)`.
- `postgres_dsn`: a real PostgreSQL server this test session started (session-scoped).
- `postgres_server`: a PostgreSQL server of this test's own, which it may stop and start.
- `store_url`: `store_url(kind, name="tokens")`, the open_store URL of a file, sqlite or
  postgres store in this test's temporary directory (postgres: the session's server).
- `short_lived`: a sandbox whose tokens live SHORT_LIFETIME (3) seconds, with no rate limit.
- `manifest_copy`: call it with an edited copy of the resolved manifest (a deep copy of
  `manifest.load_raw()`); the package runs on that copy until the test ends.

Every test's DEBUG log records are scanned for secrets (`no_secret_in_log_records`).

The suite runs in pytest-xdist workers (pyproject's addopts): session-scoped fixtures are one
per worker (in its own temp dir, on free ports); the tests of the PostgreSQL store and those
timing many processes run one after another in one worker (the SERIAL group); what must be
built once for all (the sdist and wheel) is built under a lock; a file whose module fixtures
are costly (a browser) is marked `workers(n)` and runs in n workers, its tests dealt out in
turn (the longest first), so those fixtures start n times, not once in each worker. Mark a long test
`@pytest.mark.slow` (it is started first; `slow(seconds)` orders the longest first); a test
that must not run beside others joins `@pytest.mark.xdist_group(SERIAL)`.

A file that needs speed may share one module-scoped sandbox under the name `shared_sandbox`
(reset before each test) and override `connection` to connect to it; its docstring says so.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import responses

ROOT = Path(__file__).resolve().parent.parent  # the project's root folder


def _test_the_installed_wheel() -> bool:
    """From an unpacked sdist with the wheel installed (how packagers test), test the wheel.

    `python -m pytest` puts the current folder, the unpacked source, first on sys.path, and its
    package lacks what the build adds (the generated input checks). So that folder goes last
    here (tests/ and bench/ are still found in it). A test whose fresh process must import the
    installed package starts it in a folder of its own, as a host would. An editable install
    changes nothing.
    """
    installed = Path(sysconfig.get_paths()["purelib"]) / "qbtime_connector"
    if not (installed / "__init__.py").is_file() or installed == ROOT / "qbtime_connector":
        return False
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != str(ROOT)] + [str(ROOT)]
    return True


WHEEL_UNDER_TEST = _test_the_installed_wheel()

from qbtime_connector import (  # noqa: E402
    Connection,
    InputError,
    RetryPolicy,
    fast_validation,
    manifest,
)
from qbtime_connector import validation as validating  # noqa: E402
from qbtime_connector.manifest import ActionSpec  # noqa: E402
from qbtime_connector.sandbox import Sandbox  # noqa: E402
from qbtime_connector.tokens import MemoryTokenStore  # noqa: E402
from qbtime_connector.validation import prepare  # noqa: E402

# Examples Hypothesis tries for each action in the tests parametrized over all 110 actions and
# data sources: their inputs are drawn from the same few shared definitions, so 100 an action
# repeated one another's work and cost about 200 CPU-seconds a run (20: about 45); the tests
# over any action (not one) keep their own, larger, numbers, and each action's edge values are
# checked one by one besides. QBTIME_EXAMPLES_PER_ACTION=100 runs them deeper.
EXAMPLES_PER_ACTION = int(os.environ.get("QBTIME_EXAMPLES_PER_ACTION", "10"))
API = "https://rest.tsheets.com/api/v1"
SECRET = "client-secret-s3cr3t-value"
ACCESS = "access-token-a1b2c3d4e5"
REFRESH = "refresh-token-r9s8t7u6"


def no_sleep_policy(**kwargs: Any) -> RetryPolicy:
    """A retry policy whose waits are recorded instead of slept, with jitter fixed at 1."""
    slept: list[float] = []
    policy = RetryPolicy(random=lambda: 1.0, sleep=slept.append, **kwargs)
    policy.slept = slept  # type: ignore[attr-defined]
    return policy


def make_token(expires_in: float = 864000, **extra: Any) -> dict[str, Any]:
    return {
        "access_token": ACCESS,
        "refresh_token": REFRESH,
        "token_type": "bearer",
        "expires_at": time.time() + expires_in,
        **extra,
    }


# The xdist group of tests that run one after another in one worker: those of the PostgreSQL
# store (so one server starts) and those timing many worker processes against short token
# lives or rate windows (started beside each other, they starved each other past a token's
# life: "refused even after a refresh").
SERIAL = "serial"


def _uses_postgres(item: pytest.Item) -> bool:
    params = (
        item.callspec.params
        if isinstance(item, pytest.Function) and hasattr(item, "callspec")
        else {}
    )
    return "postgres_dsn" in getattr(item, "fixturenames", ()) or "postgres" in params.values()


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `slow` first: pytest-xdist then starts them at once beside the others,
    rather than last, when they would hold up the end of the run alone. Every test of the
    PostgreSQL store joins the SERIAL group; a `workers(n)` file's tests are dealt into n
    groups; in a loadgroup worker, each item's group is written where xdist reads it."""
    items.sort(key=_slowness)
    shares: dict[str, int] = {}  # tests so far of each module that is run in a few workers
    for item in items:
        if _uses_postgres(item) and not item.get_closest_marker("xdist_group"):
            item.add_marker(pytest.mark.xdist_group(SERIAL))
        workers = item.get_closest_marker("workers")
        if workers and not item.get_closest_marker("xdist_group"):
            module = item.nodeid.split("::")[0]
            share = shares[module] = shares.get(module, -1) + 1
            item.add_marker(pytest.mark.xdist_group(f"{module}:{share % workers.args[0]}"))
        if config.getoption("loadgroup", False):  # a worker of a --dist loadgroup run
            _join_group(item)


def _join_group(item: pytest.Item) -> None:
    """Name an item's xdist_group at the end of its node id ("…@group"), where pytest-xdist's
    loadgroup scheduler looks for it. pytest-xdist 3.8 writes it to `item._nodeid`, which
    pytest 9.2 no longer reads: every group was silently ignored, and each worker started a
    PostgreSQL server of its own and ran the many-process tests beside the others."""
    mark = item.get_closest_marker("xdist_group")
    if mark is None:
        return
    group = str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
    if item.nodeid.endswith(f"@{group}"):
        return
    if hasattr(item, "_id"):  # pytest 9.2 and later: the id is structured
        from _pytest.nodeid import NodeId

        item._id = NodeId.parse(f"{item.nodeid}@{group}")
    else:
        item._nodeid = f"{item.nodeid}@{group}"


def _slowness(item: pytest.Item) -> tuple[bool, float]:
    """Slow tests first, the longest of them (`@pytest.mark.slow(seconds)`) before the rest."""
    slow = item.get_closest_marker("slow")
    return slow is None, -float(slow.args[0]) if slow and slow.args else 0.0


class _Recorder(logging.Handler):
    """Keeps the text of every log record."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.texts: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.texts.append(f"{record.name}: {record.getMessage()}")


@contextmanager
def secrets_kept_out_of_logs(used: Sandbox | None) -> Iterator[None]:
    """Fail if a DEBUG log record made inside holds a client secret or a token: the fixed ones
    of these tests, and every token `used` (a sandbox) issued."""
    recorder, root = _Recorder(), logging.getLogger()
    level = root.level
    root.addHandler(recorder)
    root.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        root.removeHandler(recorder)
        root.setLevel(level)
    secrets = {SECRET, ACCESS, REFRESH, "demo-secret"}
    for name in used.companies.names() if used is not None else ():
        company = used.company(name)  # every company the sandbox served
        secrets |= set(company.access) | set(company.refresh)
    assert [t for t in recorder.texts if any(s in t for s in secrets)] == []


@pytest.fixture(autouse=True)
def no_secret_in_log_records(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test whose DEBUG log records hold a client secret or a token: the fixed ones of
    these tests, and every token the test's `sandbox` issued."""
    used = request.getfixturevalue("sandbox") if "sandbox" in request.fixturenames else None
    with secrets_kept_out_of_logs(used):
        yield


@pytest.fixture
def stored() -> list[dict[str, Any]]:
    """Every token handed to on_token_refresh, in order."""
    return []


@pytest.fixture
def mocked_connection(stored: list[dict[str, Any]]) -> Iterator[Connection]:
    connection = Connection(
        "client-id",
        SECRET,
        make_token(),
        base_url=API,
        on_token_refresh=stored.append,
        retry=no_sleep_policy(),
    )
    yield connection
    connection.close()


@pytest.fixture
def mocked_api() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as running:
        yield running


@pytest.fixture(scope="module")
def shared_sandbox() -> Iterator[Sandbox]:
    """One sandbox for a whole test file (its `connection` override resets it per test)."""
    with Sandbox() as running:
        yield running


@pytest.fixture
def connection(sandbox: Sandbox, stored: list[dict[str, Any]]) -> Iterator[Connection]:
    with sandbox.connect(on_token_refresh=stored.append) as connected:
        yield connected


def new_worker(conn: Connection, username: str = "worker", tracking: bool = True) -> int:
    """The id of a new user (who may track time unless told otherwise)."""
    from qbtime_connector.demo import create_worker

    user_id: int = create_worker(conn, username, "W", "K", tracking)["id"]
    return user_id


SPEC_PAGE_LABELS = [
    "Create Timesheet",
    "Create User",
    "Delete Timesheet",
    "Get Job Code Assignments",
    "Get Job Codes",
    "Get Time Sheets",
    "Get Users",
    "Update Timesheet",
    "Update User",
]


def input_errors(spec: ActionSpec, key: str, value: Any) -> list[dict[str, Any]]:
    """The validation errors of one input given alone (other inputs' errors left out)."""
    try:
        prepare(spec, {key: value})
    except InputError as error:
        return [e for e in error.errors if e["input"] == key]
    return []


def listing(
    endpoint: str, records: list[dict[str, Any]], more: bool = False, supplemental: Any = None
) -> dict[str, Any]:
    """An API GET answer: records keyed by id."""
    return {
        "results": {endpoint: {str(r["id"]): r for r in records}},
        "more": more,
        "supplemental_data": supplemental if supplemental is not None else {},
    }


def written(endpoint: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    """An API POST/PUT answer: items keyed by 1-based position."""
    return {"results": {endpoint: {str(n): i for n, i in enumerate(items, 1)}}}


StoreUrl = Callable[..., str]
# Short enough for several expiries in one test, long enough that a worker starved of CPU
# (four processes and the other tests' workers on two cores) still uses a token it adopted
# before that token expires: at 2 s a test failed under load, "refused even after a refresh".
SHORT_LIFETIME = 3.0


@pytest.fixture
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> StoreUrl:
    """The open_store URL of a store of `kind` in this test's temporary directory."""

    def url(kind: str, name: str = "tokens") -> str:
        if kind == "file":
            return f"file:{tmp_path / (name + '.json')}"
        if kind == "sqlite":
            return f"sqlite:{tmp_path / (name + '.db')}"
        dsn: str = request.getfixturevalue("postgres_dsn")
        return dsn

    return url


@pytest.fixture
def short_lived() -> Iterator[Sandbox]:
    """A sandbox whose tokens live SHORT_LIFETIME seconds, with no rate limit."""
    with Sandbox(token_lifetime=SHORT_LIFETIME, rate_limit=100_000) as running:
        yield running


def _forget_the_manifest() -> None:
    """Drop every reading of the manifest cached so far, and what was built from it."""
    for cached in (
        manifest._document,
        manifest._text,
        manifest.load_raw,
        manifest._entries,
        manifest._built,
        manifest.load_schema,
        validating.resolved_schema,
        validating.validator_for,
    ):
        cached.cache_clear()
    fast_validation._CHECKS.clear()


@pytest.fixture
def manifest_copy(tmp_path: Path) -> Iterator[Callable[[dict[str, Any]], None]]:
    """Run the package on an edited copy of the manifest, handed to the function this yields."""
    shipped = manifest.MANIFEST_PATH

    def use(document: dict[str, Any]) -> None:
        path = tmp_path / "manifest.json"
        stored = {k: v for k, v in document.items() if k != "version"}
        path.write_text(json.dumps(stored), encoding="utf-8")
        manifest.MANIFEST_PATH = path
        _forget_the_manifest()

    try:
        yield use
    finally:
        manifest.MANIFEST_PATH = shipped
        _forget_the_manifest()


class ManualClock:
    """A sandbox clock that moves only when told, so changes can share a second."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 24, 12, tzinfo=dt.timezone.utc)

    def __call__(self) -> dt.datetime:
        return self.now

    def tick(self, seconds: int = 1) -> None:
        self.now += dt.timedelta(seconds=seconds)


@pytest.fixture
def clock() -> ManualClock:
    """A fresh ManualClock, for a sandbox built with it."""
    return ManualClock()


class FakeTime:
    """A clock for a Pacer and a sleep that only moves it on, keeping each wait in `slept`."""

    def __init__(self, start: float = 1_000.0) -> None:
        self.now = start
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


class ClockedStore(MemoryTokenStore):
    """A memory token store whose clock (what its workers agree the time is) is `clock`."""

    def __init__(self, clock: Callable[[], float], token: dict[str, Any] | None = None) -> None:
        super().__init__(token)
        self.clock = clock


def postgres_bin(lib: Path = Path("/usr/lib/postgresql")) -> Path | None:
    """The folder of PostgreSQL's initdb and postgres: `pg_config --bindir`'s, else the newest
    version under `lib` (Debian's layout), else wherever `initdb` is on PATH; None if none."""
    found: list[Path] = []
    try:
        asked = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
        found.append(Path(asked.stdout.strip()))
    except OSError:
        pass
    versions = [p for p in lib.glob("*/bin") if p.parent.name.replace(".", "").isdigit()]
    found += sorted(versions, key=lambda p: [int(n) for n in p.parent.name.split(".")])[::-1]
    on_path = shutil.which("initdb")
    found += [Path(on_path).parent] if on_path else []
    return next((p for p in found if (p / "initdb").is_file()), None)


POSTGRES_BIN = postgres_bin()


def _as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its programs as the postgres user then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class PostgresServer:
    """A PostgreSQL server of our own in a temporary directory (default max_connections, 100)."""

    def __init__(self) -> None:
        if POSTGRES_BIN is None:
            pytest.skip("PostgreSQL's server binaries are missing (.ci/services installs them)")
        self.root = Path(tempfile.mkdtemp(prefix="qbtime-pg-"))
        self.data = self.root / "data"
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        initdb = [str(POSTGRES_BIN / "initdb"), "-D", str(self.data), "-U", "postgres"]
        subprocess.run(
            _as_postgres([*initdb, "--auth=trust", "-E", "UTF8"]), check=True, capture_output=True
        )
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.dsn = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Serve, and return once the server accepts connections."""
        import psycopg

        serve = [str(POSTGRES_BIN / "postgres"), "-D", str(self.data), "-p", str(self.port)]
        settings = [
            "-c",
            "listen_addresses=127.0.0.1",
            "-c",
            f"unix_socket_directories={self.root}",
        ]
        self.process = subprocess.Popen(
            _as_postgres([*serve, *settings]),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(600):
            try:
                psycopg.connect(self.dsn, connect_timeout=1).close()
                return
            except psycopg.OperationalError:
                time.sleep(0.1)
        raise RuntimeError(f"PostgreSQL did not start in {self.data}")

    def stop(self) -> None:
        """Stop as an administrator's fast shutdown does: every session is ended."""
        if self.process is not None:
            pg_ctl = [str(POSTGRES_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w"]
            subprocess.run(_as_postgres([*pg_ctl, "stop"]), capture_output=True, timeout=60)
            self.process.wait(timeout=60)
            self.process = None

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_dsn() -> Iterator[str]:
    """A real PostgreSQL server of our own in a temporary directory, for this test session."""
    server = PostgresServer()
    try:
        server.start()
        yield server.dsn
    finally:
        server.remove()


@pytest.fixture
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server for this test alone, which it may stop and start again."""
    server = PostgresServer()
    try:
        server.start()
        yield server
    finally:
        server.remove()
