"""Shared fixtures. One name means one thing in every test file:

- `sandbox`: a running local emulator of the API (fresh for each test).
- `connection`: a Connection to `sandbox`, obtained through its OAuth flow.
- `mocked_api`: a `responses` mock of the real API's URL (every call must be expected).
- `mocked_connection`: a Connection to the real API's URL, for use with `mocked_api`.
- `stored`: every token a connection handed to `on_token_refresh`, in order.

(`api` and `conn` are the older names of `mocked_api` and `mocked_connection`.)
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from typing import Any

import pytest
import responses

from qbtime_connector import Connection, RetryPolicy
from qbtime_connector.sandbox import Sandbox

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


@pytest.fixture
def stored() -> list[dict[str, Any]]:
    """Every token handed to on_token_refresh, in order."""
    return []


@pytest.fixture
def conn(stored: list[dict[str, Any]]) -> Iterator[Connection]:
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
def api() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


@pytest.fixture
def mocked_api(api: responses.RequestsMock) -> responses.RequestsMock:
    return api


@pytest.fixture
def mocked_connection(conn: Connection) -> Connection:
    return conn


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
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


class ManualClock:
    """A sandbox clock that moves only when told, so changes can share a second."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 24, 12, tzinfo=dt.timezone.utc)

    def __call__(self) -> dt.datetime:
        return self.now

    def tick(self, seconds: int = 1) -> None:
        self.now += dt.timedelta(seconds=seconds)
