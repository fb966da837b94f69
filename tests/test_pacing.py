"""Pacing: calls kept under the window, one budget per customer instance across all workers."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
import responses
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.shared_budget import measure_shared_budget
from qbtime_connector import Connection, RateLimitError, RetryPolicy, invoke
from qbtime_connector.pacing import CallLedger, CallWindow, Pacer
from qbtime_connector.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Sandbox
from qbtime_connector.tokens import MemoryTokenStore, TokenStore, open_store

from .conftest import API, SECRET, SERIAL, ClockedStore, FakeTime, StoreUrl, listing, make_token
from .store_worker import forked


@pytest.fixture(params=["memory", "file", "sqlite", "postgres"])
def ledger_store(request: pytest.FixtureRequest, tmp_path: Path) -> TokenStore:
    kind = request.param
    if kind == "memory":
        return MemoryTokenStore()
    if kind == "file":
        return open_store(f"file:{tmp_path / 'conn.json'}")
    if kind == "sqlite":
        return open_store(f"sqlite:{tmp_path / 'tokens.db'}", "acme")
    return open_store(request.getfixturevalue("postgres_dsn"), f"{request.node.name}-acme")


def test_two_pacers_sharing_a_store_share_one_budget(ledger_store: TokenStore) -> None:
    assert isinstance(ledger_store, CallLedger)
    fake = FakeTime()
    first = Pacer(calls=3, window=10.0, clock=fake, sleep=fake.sleep)
    second = Pacer(calls=3, window=10.0, clock=fake, sleep=fake.sleep)
    for pacer in (first, second, first):
        pacer.wait_turn(ledger_store)
        fake.now += 1.0
    second.wait_turn(ledger_store)  # the fourth call in 10 s waits for the first to age out
    assert (first.waited, second.waited) == (0.0, 7.0)


def test_connections_on_one_store_stay_under_the_limit_together(tmp_path: Path) -> None:
    with Sandbox(rate_limit=4, rate_window=60.0) as sandbox:
        store = open_store(f"sqlite:{tmp_path / 'tokens.db'}", "acme")
        store.save(sandbox.token())
        fake = FakeTime()

        def worker() -> Connection:
            pacer = Pacer(calls=4, window=60.0, clock=fake, sleep=fake.sleep)
            return Connection(
                DEMO_CLIENT_ID,
                DEMO_CLIENT_SECRET,
                base_url=sandbox.base_url,
                store=store,
                pacer=pacer,
                retry=RetryPolicy(max_retries=0),
            )

        workers = [worker(), worker()]
        for n in range(4):
            invoke("get_current_user", {}, workers[n % 2])
        fake.slept.clear()
        with pytest.raises(RateLimitError):  # the fake clock moved on; the sandbox's did not
            invoke("get_current_user", {}, workers[0])
        assert fake.slept == [60.0]  # the fifth call was held back by the budget the two share
        assert sandbox.state.count("GET /api/v1/current_user") == 5


@pytest.mark.xdist_group(SERIAL)
def test_four_processes_pacing_through_one_store_get_no_429() -> None:
    figures = measure_shared_budget(processes=4, calls_each=10, limit=15, window=1.0)
    assert figures["calls"] == figures["succeeded"] == 40
    assert figures["responses_429"] == 0
    assert figures["elapsed_s"] >= figures["minimum_s"] == 2.0


@settings(max_examples=100, deadline=None)
@given(
    calls=st.integers(1, 5),
    window=st.floats(0.5, 10.0),
    gaps=st.lists(st.floats(0.0, 3.0), min_size=1, max_size=40),
)
def test_no_window_ever_holds_more_calls_than_the_budget(
    calls: int, window: float, gaps: list[float]
) -> None:
    fake = FakeTime()
    pacer = Pacer(calls=calls, window=window, clock=fake, sleep=fake.sleep)
    ledger, sent = CallWindow(), []
    for gap in gaps:
        fake.now += gap
        pacer.wait_turn(ledger)
        sent.append(fake.now)
    assert all(sum(1 for t in sent if s - window < t <= s) <= calls for s in sent)


def test_the_pacer_keeps_calls_under_the_window() -> None:
    fake = FakeTime(start=0.0)
    pacer = Pacer(calls=3, window=10.0, clock=fake, sleep=fake.sleep)
    for _ in range(7):
        pacer.wait_turn()
        fake.now += 1.0
    assert fake.slept == [7.0, 7.0]  # calls at 0,1,2 | 10,11,12 | 20


def test_a_paced_connection_waits_before_sending(mocked_api: responses.RequestsMock) -> None:
    fake = FakeTime(start=0.0)
    pacer = Pacer(calls=1, window=5.0, clock=fake, sleep=fake.sleep)
    conn = Connection("c", SECRET, make_token(), base_url=API, pacer=pacer)
    mocked_api.get(f"{API}/users", json=listing("users", []))
    mocked_api.get(f"{API}/users", json=listing("users", []))
    invoke("get_users", {}, conn)
    invoke("get_users", {}, conn)
    assert pacer.waited == 5.0


# -- the token is taken after the wait, not before -------------------------------------------------


def test_the_token_is_taken_after_the_pacing_wait(mocked_api: responses.RequestsMock) -> None:
    fake = FakeTime()
    lives = {"access-0": fake.now + 60}  # each access token the API issued, until when it works

    def users(request: Any) -> tuple[int, dict[str, str], str]:
        if lives.get(request.headers["Authorization"][7:], 0) <= fake.now:
            return 401, {}, json.dumps({"error": {"code": 401, "message": "expired"}})
        return 200, {}, json.dumps(listing("users", []))

    def grant(request: Any) -> tuple[int, dict[str, str], str]:
        access = f"access-{len(lives)}"
        lives[access] = fake.now + 60
        body = {"access_token": access, "refresh_token": f"r-{access}", "expires_in": 60}
        return 200, {}, json.dumps(body)

    mocked_api.add_callback(responses.GET, f"{API}/users", callback=users)
    mocked_api.add_callback(responses.POST, f"{API}/grant", callback=grant)
    store = ClockedStore(
        fake, {"access_token": "access-0", "refresh_token": "r-0", "expires_in": 60}
    )
    store.save({**store.load(), "expires_at": fake.now + 60})  # type: ignore[dict-item]
    pacer = Pacer(calls=1, window=300.0, clock=fake, sleep=fake.sleep)
    connection = Connection("c", SECRET, base_url=API, store=store, pacer=pacer)
    for _ in range(3):
        invoke("get_users", {}, connection)  # each waits 300 s: longer than a token lives
    statuses = [(call.request.method, call.response.status_code) for call in mocked_api.calls]
    assert statuses == [("GET", 200), ("POST", 200), ("GET", 200), ("POST", 200), ("GET", 200)]
    assert fake.slept == [300.0, 300.0]


# -- a worker whose clock runs an hour fast -------------------------------------------------------


class Paused(Exception):
    """Raised by a pacer's sleep, to see how long it was told to wait."""


def stop_at_first_wait(seconds: float) -> None:
    raise Paused(seconds)


@pytest.mark.parametrize("kind", ["file", "sqlite", "postgres"])
def test_a_worker_whose_clock_runs_an_hour_fast_never_holds_the_others_back(
    kind: str, store_url: StoreUrl, request: pytest.FixtureRequest
) -> None:
    url = store_url(kind)
    instance = None if kind == "file" else f"{request.node.name}-acme"

    def fast_worker(_: int) -> float:
        real = time.time
        time.time = lambda: real() + 3600.0  # type: ignore[assignment]
        pacer = Pacer(calls=3, window=10.0, clock=time.time, sleep=stop_at_first_wait)
        for _ in range(3):
            pacer.wait_turn(open_store(url, instance))  # type: ignore[arg-type]
        return pacer.waited

    assert forked(1, fast_worker) == [{"result": 0.0}]
    pacer = Pacer(calls=3, window=10.0, sleep=stop_at_first_wait)
    with pytest.raises(Paused) as paused:
        pacer.wait_turn(open_store(url, instance))  # type: ignore[arg-type]
    assert 0.0 < paused.value.args[0] <= 10.0  # the budget is full for its window, no longer
