"""Retries respect the API, waits are exact and bounded, and rotated tokens are never lost."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import responses
from urllib3.exceptions import MaxRetryError, NewConnectionError, ProtocolError

from qbtime_connector import (
    ApiError,
    Connection,
    RateLimitError,
    RetryPolicy,
    TransportError,
    invoke,
)
from qbtime_connector.pacing import Pacer
from qbtime_connector.retry import parse_retry_after

from .conftest import ACCESS, API, SECRET, listing, make_token, no_sleep_policy, written

NEW = {
    "access_token": "fresh-access-000",
    "refresh_token": "fresh-refresh-000",
    "expires_in": 864000,
    "token_type": "bearer",
    "scope": "",
}
USER = {"username": "u", "first_name": "F", "last_name": "L"}


def never_connected() -> requests.ConnectionError:
    reason = NewConnectionError(None, "Connection refused")  # type: ignore[arg-type]
    return requests.ConnectionError(MaxRetryError(None, "/", reason=reason))  # type: ignore[arg-type]


def dropped_after_sending() -> requests.ConnectionError:
    return requests.ConnectionError(ProtocolError("Connection aborted.", ConnectionResetError()))


# -- backoff ------------------------------------------------------------------------------------


def test_backoff_is_exponential_capped_and_jittered() -> None:
    policy = RetryPolicy(base_delay=0.5, max_delay=3.0, random=lambda: 0.5)
    assert [policy.delay(n) for n in range(5)] == [0.25, 0.5, 1.0, 1.5, 1.5]
    assert RetryPolicy(random=lambda: 0.0).delay(3, retry_after=7.0) == 7.0


def test_the_wait_budget_ends_retries_early() -> None:
    policy = RetryPolicy(
        max_retries=10, base_delay=1.0, max_delay=8.0, budget=5.0, random=lambda: 1.0
    )
    waits, waited, retry = [], 0.0, 0
    while (wait := policy.next_wait(retry, waited, None)) is not None:
        waits.append(wait)
        waited, retry = waited + wait, retry + 1
    assert waits == [1.0, 2.0]  # a third wait (4.0) would pass the 5 s budget


def test_retry_after_is_read_in_both_forms() -> None:
    assert parse_retry_after("12") == 12.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


# -- what is retried ----------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "tries"), [(429, 2), (503, 2), (500, 1), (502, 1), (504, 1)])
def test_a_write_is_retried_only_when_the_api_cannot_have_applied_it(
    api: responses.RequestsMock, conn: Connection, status: int, tries: int
) -> None:
    api.post(f"{API}/users", status=status, json={"error": {"code": status, "message": "x"}})
    if tries == 2:
        api.post(f"{API}/users", json=written("users", [{"_status_code": 200}]))
        invoke("create_user", USER, conn)
    else:
        with pytest.raises(ApiError):
            invoke("create_user", USER, conn)
    assert len(api.calls) == tries


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_a_read_is_retried_after_any_transient_status(
    api: responses.RequestsMock, conn: Connection, status: int
) -> None:
    api.get(f"{API}/users", status=status, body="")
    api.get(f"{API}/users", json=listing("users", []))
    invoke("get_users", {}, conn)
    assert len(api.calls) == 2


@pytest.mark.parametrize(
    ("failure", "retried"),
    [
        (never_connected(), True),
        (requests.ConnectTimeout("connect timed out"), True),
        (requests.ReadTimeout("read timed out"), False),
        (dropped_after_sending(), False),
    ],
)
def test_a_write_without_an_answer_is_retried_only_if_it_never_connected(
    api: responses.RequestsMock, conn: Connection, failure: Exception, retried: bool
) -> None:
    api.post(f"{API}/users", body=failure)
    if retried:
        api.post(f"{API}/users", json=written("users", [{"_status_code": 200}]))
        invoke("create_user", USER, conn)
    else:
        with pytest.raises(TransportError):
            invoke("create_user", USER, conn)
    assert len(api.calls) == (2 if retried else 1)


@pytest.mark.parametrize("failure", [requests.ReadTimeout("slow"), dropped_after_sending()])
def test_a_read_without_an_answer_is_retried(
    api: responses.RequestsMock, conn: Connection, failure: Exception
) -> None:
    api.get(f"{API}/users", body=failure)
    api.get(f"{API}/users", json=listing("users", []))
    invoke("get_users", {}, conn)


def test_rate_limit_error_says_when_to_try_again(api: responses.RequestsMock) -> None:
    policy = no_sleep_policy(max_retries=1)
    conn = Connection("c", SECRET, make_token(), base_url=API, retry=policy)
    api.get(f"{API}/users", status=429, headers={"Retry-After": "30"}, body="")
    with pytest.raises(RateLimitError) as caught:
        invoke("get_users", {}, conn)
    assert caught.value.retry_after == 30.0
    assert len(api.calls) == 1  # waiting 30 s would pass the default 15 s budget


# -- pacing -------------------------------------------------------------------------------------


def test_the_pacer_keeps_calls_under_the_window() -> None:
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    pacer = Pacer(calls=3, window=10.0, clock=lambda: now[0], sleep=sleep)
    for _ in range(7):
        pacer.wait_turn()
        now[0] += 1.0
    assert slept == [7.0, 7.0]  # calls at 0,1,2 | 10,11,12 | 20


def test_a_paced_connection_waits_before_sending(api: responses.RequestsMock) -> None:
    now = [0.0]
    pacer = Pacer(
        calls=1, window=5.0, clock=lambda: now[0], sleep=lambda s: now.__setitem__(0, now[0] + s)
    )
    conn = Connection("c", SECRET, make_token(), base_url=API, pacer=pacer)
    api.get(f"{API}/users", json=listing("users", []))
    api.get(f"{API}/users", json=listing("users", []))
    invoke("get_users", {}, conn)
    invoke("get_users", {}, conn)
    assert pacer.waited == 5.0


# -- tokens -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("expires_in", "refreshed"), [(200, True), (400, False)])
def test_refresh_happens_a_margin_before_expiry(
    api: responses.RequestsMock, expires_in: float, refreshed: bool
) -> None:
    conn = Connection(
        "c", SECRET, make_token(expires_in=expires_in), base_url=API, refresh_margin=300
    )
    if refreshed:
        api.post(f"{API}/grant", json=NEW)
    api.get(f"{API}/users", json=listing("users", []))
    invoke("get_users", {}, conn)
    assert len(api.calls) == (2 if refreshed else 1)


def test_the_host_gets_the_new_token_before_any_request_uses_it(
    api: responses.RequestsMock,
) -> None:
    seen_at_callback: list[str] = []
    conn: Connection

    def store(token: dict[str, Any]) -> None:
        seen_at_callback.append(conn.token["access_token"])
        assert len(api.calls) == 1  # only the refresh itself has been sent

    conn = Connection("c", SECRET, make_token(expires_in=1), base_url=API, on_token_refresh=store)
    api.post(f"{API}/grant", json=NEW)
    api.get(f"{API}/users", json=listing("users", []))
    invoke("get_users", {}, conn)
    assert seen_at_callback == [ACCESS]  # the old token was still the one in use
    assert api.calls[1].request.headers["Authorization"] == f"Bearer {NEW['access_token']}"


def test_a_failing_store_still_keeps_the_new_token_in_use(api: responses.RequestsMock) -> None:
    def broken_store(token: dict[str, Any]) -> None:
        raise OSError("disk full")

    conn = Connection(
        "c", SECRET, make_token(expires_in=1), base_url=API, on_token_refresh=broken_store
    )
    api.post(f"{API}/grant", json=NEW)
    with pytest.raises(OSError, match="disk full"):
        invoke("get_users", {}, conn)
    assert conn.token["refresh_token"] == NEW["refresh_token"]  # the old one is dead


def test_a_host_lock_is_held_around_every_refresh(api: responses.RequestsMock) -> None:
    held: list[str] = []

    @contextlib.contextmanager
    def host_lock() -> Iterator[None]:
        held.append("enter")
        yield
        held.append("exit")

    class Reusable:
        def __enter__(self) -> None:
            self._cm = host_lock()
            self._cm.__enter__()

        def __exit__(self, *exc: object) -> None:
            self._cm.__exit__(None, None, None)

    conn = Connection("c", SECRET, make_token(expires_in=1), base_url=API, refresh_lock=Reusable())
    api.post(f"{API}/grant", json=NEW)
    api.get(f"{API}/users", json=listing("users", []))
    invoke("get_users", {}, conn)
    assert held == ["enter", "exit"]


def test_a_token_another_process_stored_is_adopted_instead_of_refreshing(
    api: responses.RequestsMock,
) -> None:
    store = {"token": make_token(expires_in=1)}
    conn = Connection("c", SECRET, store["token"], base_url=API, load_token=lambda: store["token"])
    store["token"] = {**NEW, "expires_at": make_token()["expires_at"]}  # another process
    api.get(f"{API}/users", json=listing("users", []))
    invoke("get_users", {}, conn)
    assert len(api.calls) == 1  # no POST /grant: the stored token was taken
    assert api.calls[0].request.headers["Authorization"] == f"Bearer {NEW['access_token']}"
