"""Workers forked from a host that already used its token stores, as gunicorn or Celery fork them.

A child re-opens what it needs (database connections, pools, locks) and never uses a lock or a
connection of its parent: the parent's are left to the parent, which keeps working.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from qbtime_connector import Connection, invoke
from qbtime_connector.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Sandbox
from qbtime_connector.tokens import MemoryTokenStore, TokenStore, open_store

from .conftest import SHORT_LIFETIME, StoreUrl
from .store_worker import forked

# Each test forks workers that wait out short token lives: started first, beside the others.
pytestmark = pytest.mark.slow

GRANTS = "POST /api/v1/grant"
LIFETIME = SHORT_LIFETIME  # seconds a `short_lived` sandbox token lives


def seeded(
    sandbox: Sandbox, store_url: StoreUrl, kind: str, request: pytest.FixtureRequest
) -> tuple[str, str | None]:
    """The URL and instance of a store of `kind` holding a fresh token of `sandbox`."""
    url = store_url(kind)
    instance = None if kind == "file" else f"{request.node.name}-acme"
    open_store(url, instance).save(sandbox.token())
    return url, instance


# A worker's pace: twenty calls a second each, so every expiry still meets all the workers at
# once (at fifty a second, this file took 37 CPU-seconds, against 28).
PAUSE = 0.05


def calls_for(
    config: dict[str, Any] | Connection, seconds: float, pause: float = PAUSE
) -> dict[str, Any]:
    """A worker's loop: get_users through the connection every `pause` s; successes, errors."""
    outcome: dict[str, Any] = {"ok": 0, "errors": []}
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            invoke("get_users", {}, config)
            outcome["ok"] += 1
        except Exception as error:  # everything: a crash of the store is what is looked for
            outcome["errors"].append(f"{type(error).__name__}: {error}"[:300])
        time.sleep(pause)
    return outcome


@contextlib.contextmanager
def lock_held_by_a_parent_thread(store: TokenStore, seconds: float) -> Iterator[None]:
    """A thread of this (the parent) process holds the store's lock for `seconds` from entry."""
    held = threading.Event()

    def hold() -> None:
        with store.lock():
            held.set()
            time.sleep(seconds)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(10)
    try:
        yield
    finally:
        holder.join()


@pytest.mark.parametrize("kind", ["file", "sqlite", "postgres"])
def test_forked_workers_refresh_through_the_store_their_parent_opened(
    short_lived: Sandbox, store_url: StoreUrl, kind: str, request: pytest.FixtureRequest
) -> None:
    url, instance = seeded(short_lived, store_url, kind, request)
    config = {
        "client_id": DEMO_CLIENT_ID,
        "client_secret": DEMO_CLIENT_SECRET,
        "base_url": short_lived.base_url,
        "token_store": url,
        "instance": instance,
    }
    short_lived.state.expire_tokens()
    invoke("get_users", {}, config)  # the parent refreshes: its connections and locks are open
    with lock_held_by_a_parent_thread(open_store(url, instance), seconds=0.5):
        outcomes = forked(4, lambda _: calls_for(config, seconds=3 * LIFETIME))
    assert all("result" in o for o in outcomes), outcomes
    assert [o["result"]["errors"] for o in outcomes] == [[]] * 4
    assert all(o["result"]["ok"] > 0 for o in outcomes)
    issued = sorted(grant.expires_at for grant in short_lived.state.access.values())
    assert len(issued) >= 4  # the seeded token, the parent's refresh, then the children's
    assert short_lived.state.count(GRANTS) == len(issued)  # none refused: no token lost
    newest = max(short_lived.state.access.items(), key=lambda item: item[1].expires_at)[0]
    assert open_store(url, instance).load()["access_token"] == newest  # type: ignore[index]
    short_lived.state.expire_tokens()
    assert len(invoke("get_users", {}, config)["users"]) == 5  # the parent's store still works


def test_a_forked_worker_never_waits_on_a_memory_store_lock_its_parent_held(
    sandbox: Sandbox,
) -> None:
    store = MemoryTokenStore(sandbox.token())
    connection = Connection(
        DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, base_url=sandbox.base_url, store=store
    )
    sandbox.state.expire_tokens()
    with lock_held_by_a_parent_thread(store, seconds=2.0):
        outcomes = forked(1, lambda _: len(invoke("get_users", {}, connection)["users"]), 10.0)
    assert outcomes == [{"result": 5}]  # refreshed in the child, never stuck on the parent's lock


# -- a thousand instances in eight forked workers, one PostgreSQL server ------------------------


def sessions(db: Any, application: str) -> int:
    """How many sessions the server holds for this application name now."""
    row = db.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", (application,)
    ).fetchone()
    return int(row[0]) if row else 0


def thousand_instances(dsn: str, worker: int) -> dict[str, Any]:
    """One worker: 1,000 instances' stores, four threads loading, saving and locking them."""
    stores = [open_store(dsn, f"soak-{n}") for n in range(1000)]
    errors: list[str] = []

    def work(share: int) -> None:
        for n in range(share, len(stores), 4):
            try:
                stores[n].load()
                if n % 10 == worker:
                    with stores[n].lock():
                        stores[n].save({"access_token": f"a-{worker}-{n}", "expires_in": 60})
            except Exception as error:
                errors.append(f"{type(error).__name__}: {error}"[:300])

    threads = [threading.Thread(target=work, args=(share,)) for share in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"errors": errors[:5], "failed": len(errors)}


def test_eight_forked_workers_of_a_thousand_instances_fit_under_max_connections(
    postgres_dsn: str,
) -> None:
    application = "qbtime-thousand"
    dsn = f"{postgres_dsn}?application_name={application}"
    open_store(dsn, "soak-0").load()  # the parent opened the store before forking
    peak, done = [0], threading.Event()
    import psycopg

    monitor = psycopg.connect(postgres_dsn, autocommit=True)

    def watch() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], sessions(monitor, application))
            time.sleep(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        outcomes = forked(8, lambda n: thousand_instances(dsn, n), timeout=300)
    finally:
        done.set()
        watcher.join()
        monitor.close()
    assert outcomes == [{"result": {"errors": [], "failed": 0}}] * 8
    assert 0 < peak[0] <= 8 * 4 + 1  # four sessions per worker (and the parent's one)


# -- a worker whose clock runs an hour fast --------------------------------------------------------


def run_an_hour_fast() -> None:
    """From now on this process's clock reads an hour ahead, as a badly set machine's would."""
    real = time.time
    time.time = lambda: real() + 3600.0  # type: ignore[assignment]


@pytest.mark.parametrize("kind", ["file", "sqlite", "postgres"])
def test_a_worker_whose_clock_runs_an_hour_fast_loses_no_customer(
    short_lived: Sandbox, store_url: StoreUrl, kind: str, request: pytest.FixtureRequest
) -> None:
    url, instance = seeded(short_lived, store_url, kind, request)
    seconds = 4 * LIFETIME

    def worker(n: int) -> dict[str, Any]:
        fast = n == 0
        if fast:
            run_an_hour_fast()
        connection = Connection(
            DEMO_CLIENT_ID,
            DEMO_CLIENT_SECRET,
            base_url=short_lived.base_url,
            store=open_store(url, instance),
            refresh_margin=0.0 if fast else 0.1,
        )
        # The fast worker calls less often: the others meet each expiry first.
        return calls_for(connection, seconds, pause=0.5 if fast else PAUSE)

    outcomes = forked(3, worker)
    assert all("result" in o for o in outcomes), outcomes
    assert [o["result"]["errors"] for o in outcomes] == [[]] * 3  # nobody must reconnect
    issued = len(short_lived.state.access)
    assert short_lived.state.count(GRANTS) == issued  # no refresh token was sent twice
    assert issued <= seconds / (LIFETIME * 0.95) + 2  # one grant per token life, not per call
