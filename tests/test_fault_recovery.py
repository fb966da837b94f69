"""Faults injected into the sandbox are survived: the flow completes, nothing lost or doubled.

For speed the file shares one sandbox (`shared_sandbox`, module-scoped, reset before each
test); `connection` here is a Connection to it with a patient retry policy that never sleeps.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from qbtime_connector import Connection, TransportError, invoke
from qbtime_connector.sandbox import Sandbox

from .conftest import no_sleep_policy


@pytest.fixture
def connection(shared_sandbox: Sandbox) -> Iterator[Connection]:
    shared_sandbox.state.reset()
    with shared_sandbox.connect(retry=no_sleep_policy(max_retries=6, budget=60)) as connected:
        yield connected


def every_timesheet(
    connection: Connection, per_page: int = 3, before_page: Any = lambda page: None
) -> list[int]:
    ids: list[int] = []
    page = 1
    while True:
        before_page(page)
        result = invoke(
            "get_timesheets",
            {"start_date": "2026-11-16", "per_page": per_page, "page": page},
            connection,
        )
        ids += [s["id"] for s in result["timesheets"]]
        if not result["more"]:
            return ids
        page += 1


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_a_burst_of_errors_on_reads_is_survived(
    shared_sandbox: Sandbox, connection: Connection, status: int
) -> None:
    shared_sandbox.state.inject(status=status, count=3, path="/users")
    assert len(invoke("get_users", {}, connection)["users"]) == 5
    assert shared_sandbox.state.count("GET /api/v1/users") == 4
    assert len(connection.retry.slept) == 3  # type: ignore[attr-defined]


def test_a_retry_after_from_the_server_is_honoured(
    shared_sandbox: Sandbox, connection: Connection
) -> None:
    shared_sandbox.state.inject(status=429, count=1, retry_after="4")
    invoke("get_users", {}, connection)
    assert connection.retry.slept == [4.0]  # type: ignore[attr-defined]


def test_dropped_connections_are_survived_on_reads(
    shared_sandbox: Sandbox, connection: Connection
) -> None:
    shared_sandbox.state.inject(drop=True, count=2)
    assert len(invoke("get_users", {}, connection)["users"]) == 5


def test_a_slow_read_past_the_timeout_is_retried(shared_sandbox: Sandbox) -> None:
    shared_sandbox.state.reset()
    with shared_sandbox.connect(timeout=(5.0, 0.3), retry=no_sleep_policy()) as connection:
        shared_sandbox.state.inject(delay=1.0, count=1, path="/users")
        assert len(invoke("get_users", {}, connection)["users"]) == 5


def test_a_slow_write_past_the_timeout_is_not_repeated(shared_sandbox: Sandbox) -> None:
    shared_sandbox.state.reset()
    with shared_sandbox.connect(timeout=(5.0, 0.3), retry=no_sleep_policy()) as connection:
        shared_sandbox.state.inject(delay=1.0, count=1, path="/users")
        with pytest.raises(TransportError):
            invoke(
                "create_user", {"username": "once", "first_name": "O", "last_name": "N"}, connection
            )
        assert shared_sandbox.state.count("POST /api/v1/users") == 1
        # the server did apply it (after its delay): a retry would have doubled the write
        deadline = time.monotonic() + 10
        while not any(u["username"] == "once" for u in shared_sandbox.state.company.users.values()):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert shared_sandbox.state.count("POST /api/v1/users") == 1


def test_a_token_expiring_mid_pagination(shared_sandbox: Sandbox, connection: Connection) -> None:
    first = invoke("get_timesheets", {"start_date": "2026-11-16", "per_page": 10}, connection)
    shared_sandbox.state.expire_tokens()
    rest = [
        invoke(
            "get_timesheets", {"start_date": "2026-11-16", "per_page": 10, "page": p}, connection
        )["timesheets"]
        for p in (2, 3, 4)
    ]
    ids = [s["id"] for s in first["timesheets"]] + [s["id"] for page in rest for s in page]
    assert len(ids) == len(set(ids)) == 40
    assert connection.refresh_count == 1


def test_a_fetch_across_many_pages_with_faults_returns_every_record_once(
    shared_sandbox: Sandbox, connection: Connection
) -> None:
    faults = [
        {"status": 503, "count": 2},
        {"drop": True, "count": 1},
        {"status": 429, "count": 3},
        {"status": 500, "count": 1},
        {"status": 502, "count": 2},
        {"status": 504, "count": 1},
        {"drop": True, "count": 2},
    ]
    injected = []

    def inject(page: int) -> None:
        fault = faults[page % len(faults)]
        injected.append(fault["count"])
        shared_sandbox.state.inject(path="/timesheets", **fault)

    ids = every_timesheet(connection, before_page=inject)
    assert len(ids) == len(set(ids)) == 40
    assert len(injected) == 14 and shared_sandbox.state.faults == []  # every fault met and survived
    assert shared_sandbox.state.count("GET /api/v1/timesheets") == 14 + sum(injected)


def test_sixteen_threads_share_one_connection_through_an_expiry(shared_sandbox: Sandbox) -> None:
    shared_sandbox.state.reset()
    stored: list[dict[str, Any]] = []
    with shared_sandbox.connect(on_token_refresh=stored.append) as connection:
        shared_sandbox.state.expire_tokens()
        grants = shared_sandbox.state.count("POST /api/v1/grant")
        start = threading.Barrier(16)

        def call(_: int) -> int:
            start.wait()
            return len(invoke("get_users", {}, connection)["users"])

        with ThreadPoolExecutor(16) as pool:
            assert list(pool.map(call, range(16))) == [5] * 16
        assert shared_sandbox.state.count("POST /api/v1/grant") == grants + 1
        assert len(stored) == 1 and connection.token == stored[-1]


def test_a_refresh_token_rotated_under_a_concurrent_caller(shared_sandbox: Sandbox) -> None:
    """Two processes of a host share one stored token through its lock and its store."""
    shared_sandbox.state.reset()
    store: dict[str, Any] = {"token": shared_sandbox.token()}
    lock = threading.Lock()

    def open_worker() -> Connection:
        return Connection(
            shared_sandbox.connection_config()["client_id"],
            "demo-secret",
            store["token"],
            base_url=shared_sandbox.base_url,
            on_token_refresh=lambda t: store.update(token=t),
            refresh_lock=lock,
            load_token=lambda: store["token"],
        )

    first, second = open_worker(), open_worker()
    shared_sandbox.state.expire_tokens()
    invoke("get_users", {}, first)  # rotates: the refresh token `second` holds is now dead
    assert len(invoke("get_users", {}, second)["users"]) == 5
    assert first.refresh_count == 1 and second.refresh_count == 0
    assert second.token == first.token == store["token"]
