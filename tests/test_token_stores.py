"""Token stores keep one customer's token for many workers: durable, locked, never forked."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from qbtime_connector import Connection, ConnectorError, invoke
from qbtime_connector.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Sandbox
from qbtime_connector.tokens import (
    FileTokenStore,
    MemoryTokenStore,
    PostgresTokenStore,
    SQLiteTokenStore,
    StoreError,
    TokenStore,
    open_store,
)

from .conftest import ROOT, SERIAL, SHORT_LIFETIME, StoreUrl, make_token
from .store_worker import run_threads

GRANTS = "POST /api/v1/grant"
KINDS = ["memory", "file", "sqlite", "postgres"]
SHARED_KINDS = ["file", "sqlite", "postgres"]

StoreMaker = Callable[[str], TokenStore]


@pytest.fixture
def make_store(store_url: StoreUrl, request: pytest.FixtureRequest) -> StoreMaker:
    """A fresh store of a kind; PostgreSQL instances get a name unique to the test."""
    unique = request.node.name

    def make(kind: str) -> TokenStore:
        if kind == "memory":
            return MemoryTokenStore()
        return open_store(store_url(kind, "tokens"), f"{unique}-acme")

    return make


# -- the protocol, per store --------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_a_store_is_empty_until_a_token_is_saved(make_store: StoreMaker, kind: str) -> None:
    store = make_store(kind)
    assert store.load() is None
    token = make_token()
    store.save(token)
    assert store.load() == token
    store.save({**token, "access_token": "next"})
    assert store.load() == {**token, "access_token": "next"}


@pytest.mark.parametrize("kind", KINDS)
def test_a_store_lock_is_exclusive_across_threads_and_reusable(
    make_store: StoreMaker, kind: str
) -> None:
    store = make_store(kind)
    inside, most = [0], [0]

    def hold() -> None:
        for _ in range(3):
            with store.lock():
                inside[0] += 1
                most[0] = max(most[0], inside[0])
                time.sleep(0.002)
                inside[0] -= 1

    threads = [threading.Thread(target=hold) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most == [1]


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_one_database_holds_many_instances(
    store_url: StoreUrl, kind: str, request: pytest.FixtureRequest
) -> None:
    url = store_url(kind, "many")
    names = [f"{request.node.name}-{n}" for n in range(3)]
    for n, name in enumerate(names):
        open_store(url, name).save(make_token(access_token=f"access-{n}"))
    assert [open_store(url, name).load()["access_token"] for name in names] == [  # type: ignore[index]
        "access-0",
        "access-1",
        "access-2",
    ]


@pytest.mark.parametrize("kind", ["file", "sqlite"])
def test_a_store_file_is_readable_by_its_owner_only(make_store: StoreMaker, kind: str) -> None:
    store = make_store(kind)
    store.save(make_token())
    path = store.path  # type: ignore[attr-defined]
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_a_file_store_keeps_the_files_other_fields(tmp_path: Path) -> None:
    target = tmp_path / "conn.json"
    target.write_text(json.dumps({"client_id": "c", "base_url": "https://x/api/v1"}))
    FileTokenStore(target).save(make_token())
    on_disk = json.loads(target.read_text())
    assert on_disk["client_id"] == "c" and on_disk["token"]["access_token"]


def test_open_store_reads_each_url_form(tmp_path: Path) -> None:
    assert isinstance(open_store(f"file:{tmp_path}/a.json"), FileTokenStore)
    assert isinstance(open_store(f"file://{tmp_path}/a.json"), FileTokenStore)
    assert isinstance(open_store(f"sqlite:{tmp_path}/a.db", "acme"), SQLiteTokenStore)
    store = open_store("postgresql://u:pw@db.example/tokens", "acme")
    assert isinstance(store, PostgresTokenStore) and "pw" not in repr(store)
    with pytest.raises(ConnectorError, match="instance"):
        open_store(f"sqlite:{tmp_path}/a.db")
    with pytest.raises(ConnectorError, match="token store URL") as caught:
        open_store("redis://secret@host/0", "acme")
    assert "secret" not in str(caught.value)


# -- a Connection on a store --------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_a_connection_saves_a_given_token_into_an_empty_store_and_refreshes_into_it(
    sandbox: Sandbox, make_store: StoreMaker, kind: str
) -> None:
    store = make_store(kind)
    first = sandbox.token()
    connection = Connection(
        DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, first, base_url=sandbox.base_url, store=store
    )
    assert store.load() == connection.token
    sandbox.state.expire_tokens()
    invoke("get_users", {}, connection)
    assert store.load() == connection.token != first
    again = Connection(
        DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, first, base_url=sandbox.base_url, store=store
    )
    assert again.token == connection.token  # the store's newer token wins over an old given one


@pytest.mark.parametrize("kind", SHARED_KINDS)
def test_a_token_another_worker_stored_is_adopted_without_a_grant(
    sandbox: Sandbox, make_store: StoreMaker, kind: str
) -> None:
    store = make_store(kind)
    store.save(sandbox.token())
    mine = Connection(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, base_url=sandbox.base_url, store=store)
    theirs = Connection(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, base_url=sandbox.base_url, store=store)
    sandbox.state.expire_tokens()
    invoke("get_users", {}, theirs)
    grants = sandbox.state.count(GRANTS)
    invoke("get_users", {}, mine)
    assert sandbox.state.count(GRANTS) == grants and mine.token == theirs.token


@pytest.mark.parametrize("kind", SHARED_KINDS)
def test_a_mapping_connection_may_name_its_token_store(
    sandbox: Sandbox, store_url: StoreUrl, kind: str
) -> None:
    url = store_url(kind, "mapped")
    open_store(url, "mapped-acme").save(sandbox.token())
    config = {
        "client_id": DEMO_CLIENT_ID,
        "client_secret": DEMO_CLIENT_SECRET,
        "base_url": sandbox.base_url,
        "token_store": url,
        "instance": "mapped-acme",
    }
    sandbox.state.expire_tokens()
    for _ in range(2):
        assert len(invoke("get_users", {}, config)["users"]) == 5
    assert sandbox.state.count(GRANTS) == 2
    assert open_store(url, "mapped-acme").load()["access_token"] in sandbox.state.access  # type: ignore[index]


# -- many workers: 4 processes x 8 threads ---------------------------------------------------


def run_processes(url: str, instance: str, base_url: str, amount: str) -> list[dict[str, Any]]:
    """Four worker processes of eight threads each on one store; their outcomes."""
    command = [sys.executable, "-m", "tests.store_worker", url, instance, base_url, "8", amount]
    workers = [
        subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    outcomes = []
    for worker in workers:
        out, err = worker.communicate(timeout=180)
        assert worker.returncode == 0, err
        outcomes.append(json.loads(out))
    return outcomes


def run_workers(
    kind: str,
    make_store: StoreMaker,
    sandbox: Sandbox,
    amount: str,
    request: pytest.FixtureRequest,
    then: Callable[[], None] = lambda: None,
) -> tuple[TokenStore, list[dict[str, Any]]]:
    """Seed a store of `kind` with a fresh token, call `then`, and run the workers on it."""
    store = make_store(kind)
    store.save(sandbox.token())
    then()
    if kind == "memory":
        seconds = float(amount[:-1]) if amount.endswith("s") else 0.0
        calls = 0 if seconds else int(amount)
        return store, [run_threads(store, sandbox.base_url, 32, calls=calls, seconds=seconds)]
    url = request.getfixturevalue("store_url")(kind, "tokens")
    return store, run_processes(url, f"{request.node.name}-acme", sandbox.base_url, amount)


def newest_issued(sandbox: Sandbox) -> str:
    return max(sandbox.state.access.items(), key=lambda item: item[1].expires_at)[0]


@pytest.mark.xdist_group(SERIAL)
@pytest.mark.parametrize("kind", KINDS)
def test_many_workers_share_one_expiry_with_one_grant(
    sandbox: Sandbox, make_store: StoreMaker, kind: str, request: pytest.FixtureRequest
) -> None:
    expire = sandbox.state.expire_tokens
    store, outcomes = run_workers(kind, make_store, sandbox, "5", request, then=expire)
    assert [o["errors"] for o in outcomes] == [[]] * len(outcomes)
    assert sum(o["ok"] for o in outcomes) == 160
    assert sandbox.state.count(GRANTS) == 2  # the seeded token, then one refresh
    assert store.load()["access_token"] == newest_issued(sandbox)  # type: ignore[index]


@pytest.mark.xdist_group(SERIAL)
@pytest.mark.parametrize("kind", KINDS)
def test_many_workers_through_several_expiries_make_one_grant_per_expiry(
    short_lived: Sandbox, make_store: StoreMaker, kind: str, request: pytest.FixtureRequest
) -> None:
    store, outcomes = run_workers(kind, make_store, short_lived, "7s", request)
    assert [o["errors"] for o in outcomes] == [[]] * len(outcomes)
    issued = sorted(grant.expires_at for grant in short_lived.state.access.values())
    assert len(issued) >= 3  # the seeded token and at least two refreshes
    gaps = [later - earlier for earlier, later in itertools.pairwise(issued)]
    assert min(gaps) >= SHORT_LIFETIME - 1e-6  # no token was replaced before it expired
    assert short_lived.state.count(GRANTS) == len(issued)  # one grant per token, no refusals
    assert store.load()["access_token"] == newest_issued(short_lived)  # type: ignore[index]


@pytest.mark.xdist_group(SERIAL)
@pytest.mark.parametrize("kind", KINDS)
def test_many_workers_survive_a_dropped_refresh_response(
    sandbox: Sandbox, make_store: StoreMaker, kind: str, request: pytest.FixtureRequest
) -> None:
    def expire_and_drop() -> None:
        sandbox.state.expire_tokens()
        sandbox.state.inject(drop=True, path="/grant", count=1)

    store, outcomes = run_workers(kind, make_store, sandbox, "5", request, then=expire_and_drop)
    assert [o["errors"] for o in outcomes] == [[]] * len(outcomes)
    assert sum(o["ok"] for o in outcomes) == 160
    assert sandbox.state.count(GRANTS) == 3  # seeded, the dropped try, its retry
    assert store.load()["access_token"] == newest_issued(sandbox)  # type: ignore[index]


# -- the command line ---------------------------------------------------------------------------


def test_login_and_run_keep_the_token_in_the_named_store(
    sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import requests

    from qbtime_connector.cli import main
    from qbtime_connector.login import login

    url, target = f"sqlite:{tmp_path / 'tokens.db'}", tmp_path / "conn.json"
    login(
        DEMO_CLIENT_ID,
        DEMO_CLIENT_SECRET,
        target,
        port=0,
        base_url=sandbox.base_url,
        open_url=lambda address: requests.get(address, timeout=10),
        token_store=url,
        instance="acme",
    )
    assert "token" not in json.loads(target.read_text())
    monkeypatch.setenv("QBTIME_CLIENT_SECRET", DEMO_CLIENT_SECRET)
    sandbox.state.expire_tokens()
    assert main(["run", "get_users", "--connection", str(target)]) == 0
    monkeypatch.setenv("QBTIME_CLIENT_ID", DEMO_CLIENT_ID)
    monkeypatch.setenv("QBTIME_BASE_URL", sandbox.base_url)
    sandbox.state.expire_tokens()
    assert main(["run", "get_users", "--token-store", url, "--instance", "acme"]) == 0
    assert sandbox.state.count(GRANTS) == 3  # the code exchange, then one refresh per expiry
    assert open_store(url, "acme").load()["access_token"] == newest_issued(sandbox)  # type: ignore[index]


def test_on_token_refresh_still_gets_every_token_a_store_connection_obtains(
    sandbox: Sandbox, tmp_path: Path, stored: list[dict[str, Any]]
) -> None:
    store = SQLiteTokenStore(tmp_path / "tokens.db", "acme")
    store.save(sandbox.token())
    connection = Connection(
        DEMO_CLIENT_ID,
        DEMO_CLIENT_SECRET,
        base_url=sandbox.base_url,
        store=store,
        on_token_refresh=stored.append,
    )
    for _ in range(2):
        sandbox.state.expire_tokens()
        invoke("get_users", {}, connection)
    assert len(stored) == 2 and stored[-1] == store.load() == connection.token


# -- every store: close() and `with` --------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_every_store_closes_and_is_a_context_manager(make_store: StoreMaker, kind: str) -> None:
    with make_store(kind) as store:  # type: ignore[attr-defined]
        store.save(make_token())
    store.close()  # closing twice is harmless
    assert store.load() == make_token() | {"expires_at": store.load()["expires_at"]}  # reopens


# -- bounded connections: one pool per database and process, not one per instance --------------


def open_files_to(path: Path) -> int:
    """How many of this process's file descriptors are open on `path`."""
    target, count = str(path.resolve()), 0
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):
            count += os.readlink(f"/proc/self/fd/{fd}") == target
    return count


def on_threads(threads: int, work: Callable[[], None], then: Callable[[], Any]) -> Any:
    """Run `work` on `threads` threads, and `then` while they are all still alive."""
    finished, release = threading.Barrier(threads + 1), threading.Event()

    def run() -> None:
        work()
        finished.wait()
        release.wait()

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    finished.wait()
    try:
        return then()
    finally:
        release.set()
        for worker in workers:
            worker.join()


def test_sixty_instances_on_one_sqlite_file_from_three_threads_share_one_connection(
    tmp_path: Path,
) -> None:
    path = tmp_path / "tokens.db"
    stores = [SQLiteTokenStore(path, f"instance-{n}") for n in range(60)]

    def work() -> None:
        for n, store in enumerate(stores):
            store.save(make_token(access_token=f"access-{n}"))
            store.load()

    assert on_threads(3, work, lambda: open_files_to(path)) == 1
    for store in stores:
        store.close()
    assert open_files_to(path) == 0  # the last close released the connection


def application_dsn(postgres_dsn: str, name: str) -> str:
    """The test server's DSN with an application name of its own, to count its sessions by."""
    return f"{postgres_dsn}?application_name={name}"


def sessions_of(postgres_dsn: str, name: str) -> int:
    import psycopg

    with psycopg.connect(postgres_dsn, autocommit=True) as db:
        row = db.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", (name,)
        ).fetchone()
    return int(row[0]) if row else 0


def ended_within(seconds: float, ended: Callable[[], bool]) -> bool:
    """Whether `ended()` came true within `seconds`, looked at every 20 ms."""
    deadline = time.monotonic() + seconds
    while not ended():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def test_sixty_postgres_instances_from_three_threads_share_a_small_pool(
    postgres_dsn: str,
) -> None:
    dsn = application_dsn(postgres_dsn, "qbtime-sixty")
    stores = [PostgresTokenStore(dsn, f"sixty-{n}") for n in range(60)]

    def work() -> None:
        for n, store in enumerate(stores):
            with store.lock():
                store.save(make_token(access_token=f"access-{n}"))
            store.load()
            store.admit(290, 300.0, time.time())  # type: ignore[attr-defined]

    assert 1 <= on_threads(3, work, lambda: sessions_of(postgres_dsn, "qbtime-sixty")) <= 4
    for store in stores:
        store.close()
    # The last close closed the pool: the server lists a session until its backend has ended,
    # a few milliseconds after the client hung up (longer on a busy machine).
    assert ended_within(10.0, lambda: sessions_of(postgres_dsn, "qbtime-sixty") == 0)


def test_the_postgres_pool_size_is_set_per_process(
    postgres_dsn: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QBTIME_POSTGRES_POOL_SIZE", "2")
    dsn = application_dsn(postgres_dsn, "qbtime-two")
    stores = [open_store(dsn, f"two-{n}") for n in range(20)]

    def work() -> None:
        for store in stores:
            with store.lock():
                store.load()

    assert 1 <= on_threads(8, work, lambda: sessions_of(postgres_dsn, "qbtime-two")) <= 2
    for store in stores:
        store.close()  # type: ignore[attr-defined]


def test_a_long_refresh_of_one_instance_never_holds_up_the_others(postgres_dsn: str) -> None:
    dsn = application_dsn(postgres_dsn, "qbtime-long")
    slow, others = (
        PostgresTokenStore(dsn, "long-slow"),
        [PostgresTokenStore(dsn, f"long-{n}") for n in range(20)],
    )
    holding, release = threading.Event(), threading.Event()

    def refresh_slowly() -> None:
        with slow.lock():
            holding.set()
            release.wait(30)

    refresher = threading.Thread(target=refresh_slowly)
    refresher.start()
    holding.wait(10)
    try:
        for n, store in enumerate(others * 5):
            store.save(make_token(access_token=f"access-{n}"))
            assert store.load() is not None
        with others[0].lock():  # a refresh of another instance, while the slow one goes on
            others[0].save(make_token())
        assert not release.is_set()  # all of that happened while the slow refresh held its lock
    finally:
        release.set()
        refresher.join()
        for store in [slow, *others]:
            store.close()


# -- PostgreSQL churn: sessions reused, tables created once ---------------------------------------


@pytest.fixture
def fresh_database(postgres_dsn: str, request: pytest.FixtureRequest) -> str:
    """The DSN of a database created for this test, with no tables yet."""
    import psycopg

    name = "qbtime_" + "".join(c for c in request.node.name.lower() if c.isalnum())[-40:]
    with psycopg.connect(postgres_dsn, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
    return f"{postgres_dsn.rsplit('/', 1)[0]}/{name}"


def count_sessions_and_ddl(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Counts of sessions opened and CREATE statements run by this process from now on."""
    import psycopg

    counts = {"sessions": 0, "ddl": 0}
    connect, execute = psycopg.Connection.connect.__func__, psycopg.Connection.execute  # type: ignore[attr-defined]

    def counting_connect(cls: Any, *args: Any, **kwargs: Any) -> Any:
        counts["sessions"] += 1
        return connect(cls, *args, **kwargs)

    def counting_execute(self: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
        counts["ddl"] += str(query).lstrip().upper().startswith("CREATE")
        return execute(self, query, *args, **kwargs)

    monkeypatch.setattr(psycopg.Connection, "connect", classmethod(counting_connect))
    monkeypatch.setattr(psycopg, "connect", psycopg.Connection.connect)
    monkeypatch.setattr(psycopg.Connection, "execute", counting_execute)
    return counts


def test_postgres_refreshes_and_new_store_objects_reuse_pooled_sessions(
    fresh_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    counts = count_sessions_and_ddl(monkeypatch)
    for n in range(100):
        store = PostgresTokenStore(fresh_database, f"churn-{n % 10}")  # a new object each time
        with store.lock():  # what a refresh does
            store.load()
            store.save(make_token(access_token=f"access-{n}"))
        store.admit(290, 300.0, time.time())  # type: ignore[attr-defined]
    assert counts["ddl"] == 3  # two tables and an index, created once
    assert 1 <= counts["sessions"] <= 4
    PostgresTokenStore(fresh_database, "churn-0").close()


# -- a dropped PostgreSQL session, a restarted server ---------------------------------------------


def postgres_connection(sandbox: Sandbox, store: TokenStore) -> Connection:
    store.save(sandbox.token())
    return Connection(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, base_url=sandbox.base_url, store=store)


def test_a_terminated_postgres_session_is_replaced_and_the_refresh_carries_on(
    sandbox: Sandbox, postgres_dsn: str
) -> None:
    import psycopg

    store = PostgresTokenStore(application_dsn(postgres_dsn, "qbtime-dropped"), "dropped")
    connection = postgres_connection(sandbox, store)
    for _ in range(2):
        sandbox.state.expire_tokens()
        with psycopg.connect(postgres_dsn, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = 'qbtime-dropped'"
            )
        assert len(invoke("get_users", {}, connection)["users"]) == 5
    assert sandbox.state.count(GRANTS) == 3  # the first token, then one refresh per expiry
    assert store.load() == connection.token
    store.close()


def test_a_postgres_restart_is_survived_even_by_a_call_made_while_it_is_down(
    sandbox: Sandbox, postgres_server: Any
) -> None:
    store = PostgresTokenStore(postgres_server.dsn, "restarted")
    connection = postgres_connection(sandbox, store)
    postgres_server.stop()
    postgres_server.start()
    sandbox.state.expire_tokens()
    assert len(invoke("get_users", {}, connection)["users"]) == 5
    postgres_server.stop()
    later = threading.Timer(1.0, postgres_server.start)
    later.start()
    try:
        sandbox.state.expire_tokens()
        assert len(invoke("get_users", {}, connection)["users"]) == 5  # waited for the server
    finally:
        later.join()
    assert sandbox.state.count(GRANTS) == 3
    assert store.load() == connection.token
    store.close()


# -- corrupt contents and failing stores are StoreError, and nothing is overwritten ---------------


def assert_names(error: StoreError, *names: str) -> None:
    for name in names:
        assert name in str(error), (name, str(error))


@pytest.mark.parametrize("content", ["not json", "[1, 2]", '"text"', "null", '{"no": "token"}'])
def test_a_corrupt_sqlite_row_is_a_store_error_and_is_left_as_it_was(
    sandbox: Sandbox, tmp_path: Path, content: str
) -> None:
    path = tmp_path / "tokens.db"
    SQLiteTokenStore(path, "acme").save(make_token())
    with sqlite3.connect(path) as db:
        db.execute("UPDATE qbtime_tokens SET token = ?", (content,))
    store = SQLiteTokenStore(path, "acme")
    with pytest.raises(StoreError) as caught:
        store.load()
    assert_names(caught.value, str(path), "acme")
    with pytest.raises(StoreError):  # a given token never overwrites what could not be read
        Connection(
            DEMO_CLIENT_ID,
            DEMO_CLIENT_SECRET,
            sandbox.token(),
            base_url=sandbox.base_url,
            store=store,
        )
    config = {
        "client_id": DEMO_CLIENT_ID,
        "client_secret": DEMO_CLIENT_SECRET,
        "base_url": sandbox.base_url,
        "token_store": f"sqlite:{path}",
        "instance": "acme",
    }
    with pytest.raises(StoreError):
        invoke("get_users", {}, config)
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT token FROM qbtime_tokens").fetchall() == [(content,)]


@pytest.mark.parametrize("content", ["[1, 2]", '"text"', "null"])
def test_a_corrupt_postgres_row_is_a_store_error(
    postgres_dsn: str, content: str, request: pytest.FixtureRequest
) -> None:
    import psycopg

    instance = f"{request.node.name}-acme"
    store = PostgresTokenStore(postgres_dsn, instance)
    store.save(make_token())
    with psycopg.connect(postgres_dsn, autocommit=True) as db:
        db.execute(
            "UPDATE qbtime_tokens SET token = %s::jsonb WHERE instance = %s", (content, instance)
        )
    with pytest.raises(StoreError) as caught:
        store.load()
    assert_names(caught.value, "127.0.0.1", instance)


def test_a_sqlite_file_that_is_not_a_database_is_a_store_error_and_is_left_alone(
    tmp_path: Path,
) -> None:
    path = tmp_path / "tokens.db"
    path.write_bytes(b"this is not a database " * 100)
    with pytest.raises(StoreError) as caught:
        SQLiteTokenStore(path, "acme").load()
    assert_names(caught.value, str(path), "acme")
    assert path.read_bytes() == b"this is not a database " * 100


@pytest.mark.parametrize("content", ["{not json", '{"token": [1, 2]}', '{"token": "text"}', "[]"])
def test_a_corrupt_token_file_is_a_store_error_and_is_left_as_it_was(
    tmp_path: Path, content: str
) -> None:
    path = tmp_path / "conn.json"
    path.write_text(content)
    store = FileTokenStore(path)
    with pytest.raises(StoreError) as caught:
        store.load()
    assert_names(caught.value, str(path))
    with pytest.raises(StoreError):
        Connection("c", "s", make_token(), base_url="http://127.0.0.1:9/api/v1", store=store)
    assert path.read_text() == content


@pytest.mark.parametrize("entry", ["'garbage'", "NULL", "'[null]'"])
def test_a_corrupt_sqlite_budget_entry_is_a_store_error_once(tmp_path: Path, entry: str) -> None:
    path = tmp_path / "tokens.db"
    store = SQLiteTokenStore(path, "acme")
    assert store.admit(3, 10.0, time.time()) == 0.0
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE qbtime_calls")  # NULL needs a column that allows it
        db.execute("CREATE TABLE qbtime_calls (instance TEXT NOT NULL, at REAL)")
        db.execute(f"INSERT INTO qbtime_calls VALUES ('acme', {entry})")
    with pytest.raises(StoreError) as caught:
        store.admit(3, 10.0, time.time())
    assert_names(caught.value, str(path), "acme", "budget")
    assert store.admit(3, 10.0, time.time()) == 0.0  # the unreadable budget was set aside


@pytest.mark.parametrize("content", ["[null]", '["garbage"]', "{not json", '{"a": 1}'])
def test_a_corrupt_file_budget_is_a_store_error_once(tmp_path: Path, content: str) -> None:
    store = FileTokenStore(tmp_path / "conn.json")
    (tmp_path / "conn.json.calls").write_text(content)
    with pytest.raises(StoreError) as caught:
        store.admit(3, 10.0, time.time())
    assert_names(caught.value, str(tmp_path / "conn.json"), "budget")
    assert store.admit(3, 10.0, time.time()) == 0.0


def test_stores_that_cannot_be_read_or_written_raise_store_error(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("")
    (tmp_path / "a-folder.json").mkdir()
    failing = [
        lambda: FileTokenStore(tmp_path / "a-folder.json").load(),
        lambda: FileTokenStore(tmp_path / "a-file" / "conn.json").save(make_token()),
        lambda: SQLiteTokenStore(tmp_path / "a-file" / "tokens.db", "acme").load(),
        lambda: PostgresTokenStore("postgresql://u@127.0.0.1:1/db", "acme", timeout=1.0).load(),
    ]
    for attempt in failing:
        with pytest.raises(StoreError):
            attempt()


# -- files: symlinks followed, modes made owner-only ----------------------------------------------


def test_a_file_store_reached_through_a_symlink_writes_through_to_its_target(
    tmp_path: Path,
) -> None:
    target = tmp_path / "real" / "conn.json"
    target.parent.mkdir()
    target.write_text(json.dumps({"client_id": "c", "token": make_token()}))
    link = tmp_path / "conn.json"
    link.symlink_to(target)
    FileTokenStore(link).save(make_token(access_token="the-next-one"))
    assert link.is_symlink()
    on_disk = json.loads(target.read_text())
    assert on_disk["client_id"] == "c" and on_disk["token"]["access_token"] == "the-next-one"
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600


def test_a_sqlite_store_file_readable_by_others_is_made_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "tokens.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE other (a)")
    path.chmod(0o644)
    store = SQLiteTokenStore(path, "acme")
    store.save(make_token())
    wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
    assert wal.exists() and shm.exists()
    assert [stat.S_IMODE(p.stat().st_mode) for p in (path, wal, shm)] == [0o600] * 3
    store.close()


def test_a_wait_for_a_session_names_only_a_failure_to_connect_made_during_it() -> None:
    """An hours-old refusal (a restart) does not explain a pool that is merely busy now."""
    pytest.importorskip("psycopg_pool")
    from psycopg_pool import PoolTimeout

    from qbtime_connector.tokens.postgres import CONNECT_FAILURES, PostgresDatabase

    database = PostgresDatabase("postgresql://127.0.0.1:1/tokens", 1, 2.0)
    try:
        timeout = PoolTimeout("couldn't get a connection after 2.00 sec")
        name = database.pool.name
        CONNECT_FAILURES.last[name] = (time.time() - 3600, "Connection refused")
        assert str(database.why(timeout)) == str(timeout)
        CONNECT_FAILURES.last[name] = (time.time() - 1, "Connection refused")
        assert str(database.why(timeout)).endswith("the last try to connect: Connection refused")
    finally:
        database.close()
