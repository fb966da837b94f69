"""Retries: what is retried (reads after any transient failure, writes only when unapplied),
and waits that are exact, capped, jittered and within the budget."""

from __future__ import annotations

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
from qbtime_connector.retry import parse_retry_after

from .conftest import API, SECRET, listing, make_token, no_sleep_policy, written

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
    mocked_api: responses.RequestsMock, mocked_connection: Connection, status: int, tries: int
) -> None:
    mocked_api.post(f"{API}/users", status=status, json={"error": {"code": status, "message": "x"}})
    if tries == 2:
        mocked_api.post(f"{API}/users", json=written("users", [{"_status_code": 200}]))
        invoke("create_user", USER, mocked_connection)
    else:
        with pytest.raises(ApiError):
            invoke("create_user", USER, mocked_connection)
    assert len(mocked_api.calls) == tries


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_a_read_is_retried_after_any_transient_status(
    mocked_api: responses.RequestsMock, mocked_connection: Connection, status: int
) -> None:
    mocked_api.get(f"{API}/users", status=status, body="")
    mocked_api.get(f"{API}/users", json=listing("users", []))
    invoke("get_users", {}, mocked_connection)
    assert len(mocked_api.calls) == 2


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
    mocked_api: responses.RequestsMock,
    mocked_connection: Connection,
    failure: Exception,
    retried: bool,
) -> None:
    mocked_api.post(f"{API}/users", body=failure)
    if retried:
        mocked_api.post(f"{API}/users", json=written("users", [{"_status_code": 200}]))
        invoke("create_user", USER, mocked_connection)
    else:
        with pytest.raises(TransportError):
            invoke("create_user", USER, mocked_connection)
    assert len(mocked_api.calls) == (2 if retried else 1)


@pytest.mark.parametrize("failure", [requests.ReadTimeout("slow"), dropped_after_sending()])
def test_a_read_without_an_answer_is_retried(
    mocked_api: responses.RequestsMock, mocked_connection: Connection, failure: Exception
) -> None:
    mocked_api.get(f"{API}/users", body=failure)
    mocked_api.get(f"{API}/users", json=listing("users", []))
    invoke("get_users", {}, mocked_connection)


def test_rate_limit_error_says_when_to_try_again(mocked_api: responses.RequestsMock) -> None:
    policy = no_sleep_policy(max_retries=1)
    conn = Connection("c", SECRET, make_token(), base_url=API, retry=policy)
    mocked_api.get(f"{API}/users", status=429, headers={"Retry-After": "30"}, body="")
    with pytest.raises(RateLimitError) as caught:
        invoke("get_users", {}, conn)
    assert caught.value.retry_after == 30.0
    assert len(mocked_api.calls) == 1  # waiting 30 s would pass the default 15 s budget


def test_429_is_retried_then_raised_with_retry_after(
    mocked_api: responses.RequestsMock, mocked_connection: Connection
) -> None:
    for _ in range(5):
        mocked_api.get(
            f"{API}/users",
            status=429,
            headers={"Retry-After": "2"},
            json={"error": {"code": 429, "message": "Too Many Requests"}},
        )
    with pytest.raises(RateLimitError) as caught:
        invoke("get_users", {}, mocked_connection)
    assert caught.value.retry_after == 2.0 and caught.value.status == 429
    assert mocked_connection.retry.slept == [2.0, 2.0, 2.0, 4.0]  # type: ignore[attr-defined]


def test_a_500_on_a_write_is_not_retried(
    mocked_api: responses.RequestsMock, mocked_connection: Connection
) -> None:
    mocked_api.post(f"{API}/users", status=500, json={"error": {"code": 500, "message": "oops"}})
    with pytest.raises(ApiError) as caught:
        invoke(
            "create_user", {"username": "u", "first_name": "F", "last_name": "L"}, mocked_connection
        )
    assert caught.value.status == 500 and len(mocked_api.calls) == 1


def test_a_503_on_a_read_is_retried(
    mocked_api: responses.RequestsMock, mocked_connection: Connection
) -> None:
    mocked_api.get(f"{API}/users", status=503, body="busy")
    mocked_api.get(f"{API}/users", json=listing("users", []))
    assert invoke("get_users", {}, mocked_connection)["users"] == []
