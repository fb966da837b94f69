"""Token refresh: before expiry or after a 401, the host gets the rotated token first, and a
refresh never loses a customer's connection (shared mappings, host locks, failed saves)."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
import types
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import pytest
import requests
import responses

from qbtime_connector import AuthError, Connection, ConnectorError, invoke
from qbtime_connector.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Sandbox
from qbtime_connector.tokens import MemoryTokenStore, SQLiteTokenStore, lifecycle, open_store
from qbtime_connector.tokens.lifecycle import TokenKeeper

from .conftest import (
    ACCESS,
    API,
    REFRESH,
    SECRET,
    ClockedStore,
    FakeTime,
    listing,
    make_token,
    no_sleep_policy,
)

GRANTS = "POST /api/v1/grant"
NEW = {
    "access_token": "fresh-access-000",
    "refresh_token": "fresh-refresh-000",
    "expires_in": 864000,
    "token_type": "bearer",
    "scope": "",
}


@contextlib.contextmanager
def host_lock(held: list[str]) -> Iterator[None]:
    """A host's lock, made with contextlib, that records each entry and exit in `held`."""
    held.append("enter")
    yield
    held.append("exit")


def test_sixteen_threads_sharing_one_plain_mapping_get_one_refresh(sandbox: Sandbox) -> None:
    config = sandbox.connection_config()
    sandbox.state.expire_tokens()
    start = threading.Barrier(16)

    def call(_: int) -> int:
        start.wait()
        return len(invoke("get_users", {}, config)["users"])

    with ThreadPoolExecutor(16) as pool:
        assert list(pool.map(call, range(16))) == [5] * 16
    assert sandbox.state.count(GRANTS) == 2  # the first token, then one refresh
    assert config["token"]["access_token"] in sandbox.state.access


def test_a_contextmanager_refresh_lock_works_for_every_refresh(
    mocked_api: responses.RequestsMock,
) -> None:
    held: list[str] = []
    connection = Connection(
        "c", SECRET, make_token(expires_in=1), base_url=API, refresh_lock=host_lock(held)
    )
    mocked_api.post(f"{API}/grant", json={**NEW, "expires_in": 0})  # expired at once
    mocked_api.post(f"{API}/grant", json=NEW)
    mocked_api.get(f"{API}/users", json=listing("users", []))
    mocked_api.get(f"{API}/users", json=listing("users", []))
    invoke("get_users", {}, connection)
    invoke("get_users", {}, connection)
    assert held == ["enter", "exit", "enter", "exit"]


def test_a_read_only_token_mapping_does_not_lose_the_rotated_token(sandbox: Sandbox) -> None:
    config = sandbox.connection_config()
    config["token"] = types.MappingProxyType(config["token"])
    frozen = types.MappingProxyType(dict(config))
    for _ in range(2):
        sandbox.state.expire_tokens()
        assert len(invoke("get_users", {}, frozen)["users"]) == 5
    assert sandbox.state.count(GRANTS) == 3  # first token, then one refresh per expiry
    sandbox.state.expire_tokens()
    assert len(invoke("get_users", {}, config)["users"]) == 5
    assert config["token"]["access_token"] in sandbox.state.access  # written back


def test_a_failed_save_never_lets_the_stale_stored_token_back_in(sandbox: Sandbox) -> None:
    stored = {"token": sandbox.token()}
    failures = [OSError("disk full")]

    def save(token: dict[str, Any]) -> None:
        if failures:
            raise failures.pop()
        stored["token"] = token

    connection = Connection(
        DEMO_CLIENT_ID,
        DEMO_CLIENT_SECRET,
        stored["token"],
        base_url=sandbox.base_url,
        on_token_refresh=save,
        load_token=lambda: stored["token"],
    )
    sandbox.state.expire_tokens()
    with pytest.raises(OSError, match="disk full"):
        invoke("get_users", {}, connection)
    sandbox.state.expire_tokens()
    assert len(invoke("get_users", {}, connection)["users"]) == 5  # not invalid_grant
    assert stored["token"] == connection.token


def test_a_dropped_refresh_response_is_retried(sandbox: Sandbox) -> None:
    with sandbox.connect(retry=no_sleep_policy()) as connection:
        sandbox.state.expire_tokens()
        sandbox.state.inject(drop=True, path="/grant", count=1)
        assert len(invoke("get_users", {}, connection)["users"]) == 5
    assert sandbox.state.count(GRANTS) == 3  # first token, the dropped try, its retry


def test_a_refresh_that_times_out_is_retried_with_backoff(
    mocked_api: responses.RequestsMock,
) -> None:
    policy = no_sleep_policy()
    connection = Connection("c", SECRET, make_token(expires_in=1), base_url=API, retry=policy)
    mocked_api.post(f"{API}/grant", body=requests.ReadTimeout("no answer"))
    mocked_api.post(f"{API}/grant", body=requests.ReadTimeout("no answer"))
    mocked_api.post(f"{API}/grant", json=NEW)
    mocked_api.get(f"{API}/users", json=listing("users", []))
    invoke("get_users", {}, connection)
    assert policy.slept == [0.5, 1.0]  # type: ignore[attr-defined]
    assert connection.token["access_token"] == NEW["access_token"]


def test_a_refused_refresh_is_final_and_changes_nothing_stored(
    mocked_api: responses.RequestsMock,
) -> None:
    token = make_token(expires_in=1)
    store = MemoryTokenStore(token)
    connection = Connection("c", SECRET, base_url=API, store=store, retry=no_sleep_policy())
    mocked_api.post(
        f"{API}/grant", status=400, json={"error": "invalid_grant", "error_description": "used"}
    )
    with pytest.raises(AuthError, match="invalid_grant"):
        invoke("get_users", {}, connection)
    assert store.load() == token and len(mocked_api.calls) == 1


def test_a_stored_token_older_than_ours_is_never_adopted(
    mocked_api: responses.RequestsMock,
) -> None:
    older = make_token(expires_in=-100, access_token="older-access-111")
    store = MemoryTokenStore(make_token(expires_in=1))
    connection = Connection("c", SECRET, base_url=API, store=store)
    mocked_api.post(f"{API}/grant", json=NEW)
    mocked_api.get(f"{API}/users", json=listing("users", []))
    invoke("get_users", {}, connection)
    store.save(older)  # a stale writer elsewhere
    mocked_api.get(f"{API}/users", status=401, json={"error": {"code": 401, "message": "x"}})
    mocked_api.post(f"{API}/grant", json={**NEW, "access_token": "fresh-access-222"})
    mocked_api.get(f"{API}/users", json=listing("users", []))
    invoke("get_users", {}, connection)
    grant_form = mocked_api.calls[3].request.body
    assert f"refresh_token={NEW['refresh_token']}" in str(grant_form)
    assert REFRESH not in str(grant_form)


def cli_run(connection_file: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "QBTIME_CLIENT_SECRET": DEMO_CLIENT_SECRET}
    command = [sys.executable, "-m", "qbtime_connector.cli", "run", "get_users"]
    return subprocess.Popen(
        [*command, "--connection", str(connection_file)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_three_cli_runs_after_expiry_share_the_connection_file(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    target = tmp_path / "conn.json"
    first = sandbox.token()
    data = {"client_id": DEMO_CLIENT_ID, "token": first, "base_url": sandbox.base_url}
    target.write_text(json.dumps(data))
    for expiry in (1, 2):
        sandbox.state.expire_tokens()
        runs = [cli_run(target) for _ in range(3)]
        outcomes = [(run.communicate(timeout=60)[1], run.returncode) for run in runs]
        assert outcomes == [("", 0)] * 3
        assert sandbox.state.count(GRANTS) == 1 + expiry  # one refresh per expiry
    assert json.loads(target.read_text())["token"]["access_token"] in sandbox.state.access


COLD_CALL = """
import json, sys
import qbtime_connector
config = json.loads(sys.argv[1])
qbtime_connector.invoke("get_users", {}, config)
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("oauthlib", "requests_oauthlib"))
print(json.dumps(loaded))
"""


@pytest.mark.parametrize("expired", [False, True])
def test_oauthlib_is_imported_only_when_a_token_is_refreshed(
    sandbox: Sandbox, expired: bool, tmp_path: Path
) -> None:
    config = sandbox.connection_config()
    if expired:
        sandbox.state.expire_tokens()
    run = subprocess.run(
        [sys.executable, "-c", COLD_CALL, json.dumps(config)],
        cwd=tmp_path,  # a host's folder: the installed package is imported, not a source tree
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert bool(json.loads(run.stdout)) == expired


def test_the_sandbox_rotates_refresh_tokens_and_refuses_a_used_one(sandbox: Sandbox) -> None:
    first = sandbox.token()
    form = {
        "grant_type": "refresh_token",
        "client_id": DEMO_CLIENT_ID,
        "client_secret": DEMO_CLIENT_SECRET,
        "refresh_token": first["refresh_token"],
    }
    rotated = requests.post(f"{sandbox.base_url}/grant", data=form, timeout=10)
    assert rotated.status_code == 200
    assert rotated.json()["refresh_token"] != first["refresh_token"]
    again = requests.post(f"{sandbox.base_url}/grant", data=form, timeout=10)
    assert (again.status_code, again.json()["error"]) == (400, "invalid_grant")


NEW_ACCESS = "new-access-token-zz99"
NEW_REFRESH = "new-refresh-token-yy88"
GRANT = {
    "access_token": NEW_ACCESS,
    "refresh_token": NEW_REFRESH,
    "expires_in": 864000,
    "token_type": "bearer",
    "scope": "",
    "user_id": "1",
    "company_id": "2",
    "client_url": "demo",
}


def expiring_conn(stored: list[dict[str, Any]], **kwargs: Any) -> Connection:
    return Connection(
        "client-id",
        SECRET,
        make_token(expires_in=10),
        base_url=API,
        on_token_refresh=stored.append,
        retry=no_sleep_policy(),
        **kwargs,
    )


def test_a_token_near_expiry_is_refreshed_before_the_call(
    mocked_api: responses.RequestsMock, stored: list[dict[str, Any]]
) -> None:
    mocked_api.post(f"{API}/grant", json=GRANT)
    mocked_api.get(f"{API}/users", json=listing("users", []))
    conn = expiring_conn(stored)
    invoke("get_users", {}, conn)
    form = dict(parse_qsl(mocked_api.calls[0].request.body))
    assert form == {
        "grant_type": "refresh_token",
        "refresh_token": REFRESH,
        "client_id": "client-id",
        "client_secret": SECRET,
    }
    assert "Authorization" not in mocked_api.calls[0].request.headers
    assert mocked_api.calls[1].request.headers["Authorization"] == f"Bearer {NEW_ACCESS}"
    assert [t["refresh_token"] for t in stored] == [NEW_REFRESH]
    assert stored[0]["expires_at"] > stored[0]["expires_in"]
    assert conn.token["access_token"] == NEW_ACCESS


def test_a_401_refreshes_once_and_retries_once(
    mocked_api: responses.RequestsMock, mocked_connection: Connection, stored: list[dict[str, Any]]
) -> None:
    mocked_api.get(
        f"{API}/users", status=401, json={"error": {"code": 401, "message": "Unauthorized"}}
    )
    mocked_api.post(f"{API}/grant", json=GRANT)
    mocked_api.get(f"{API}/users", json=listing("users", [{"id": 1}]))
    assert invoke("get_users", {}, mocked_connection)["users"] == [{"id": 1}]
    assert len(stored) == 1


def test_a_second_401_asks_the_customer_to_reconnect(
    mocked_api: responses.RequestsMock, mocked_connection: Connection
) -> None:
    mocked_api.get(
        f"{API}/users", status=401, json={"error": {"code": 401, "message": "Unauthorized"}}
    )
    mocked_api.post(f"{API}/grant", json=GRANT)
    with pytest.raises(AuthError, match="reconnect"):
        invoke("get_users", {}, mocked_connection)
    assert len(mocked_api.calls) == 3


def test_a_refused_refresh_leaves_the_token_untouched(
    mocked_api: responses.RequestsMock, stored: list[dict[str, Any]]
) -> None:
    mocked_api.post(
        f"{API}/grant",
        status=400,
        json={"error": "invalid_grant", "error_description": "Refresh token is invalid"},
    )
    conn = expiring_conn(stored)
    before = conn.token
    with pytest.raises(AuthError, match="invalid_grant") as caught:
        invoke("get_users", {}, conn)
    assert conn.token == before and stored == []
    assert "reconnect" in str(caught.value)


def test_a_refresh_without_a_new_refresh_token_keeps_the_old_one(
    mocked_api: responses.RequestsMock, stored: list[dict[str, Any]]
) -> None:
    mocked_api.post(f"{API}/grant", json={k: v for k, v in GRANT.items() if k != "refresh_token"})
    mocked_api.get(f"{API}/users", json=listing("users", []))
    invoke("get_users", {}, expiring_conn(stored))
    assert stored[0]["refresh_token"] == REFRESH


def test_no_refresh_token_means_reconnect(mocked_api: responses.RequestsMock) -> None:
    conn = Connection("c", SECRET, {"access_token": ACCESS, "expires_in": 0}, base_url=API)
    with pytest.raises(AuthError, match="no refresh token"):
        invoke("get_users", {}, conn)


@pytest.mark.parametrize(("expires_in", "refreshed"), [(200, True), (400, False)])
def test_refresh_happens_a_margin_before_expiry(
    mocked_api: responses.RequestsMock, expires_in: float, refreshed: bool
) -> None:
    conn = Connection(
        "c", SECRET, make_token(expires_in=expires_in), base_url=API, refresh_margin=300
    )
    if refreshed:
        mocked_api.post(f"{API}/grant", json=NEW)
    mocked_api.get(f"{API}/users", json=listing("users", []))
    invoke("get_users", {}, conn)
    assert len(mocked_api.calls) == (2 if refreshed else 1)


def test_the_host_gets_the_new_token_before_any_request_uses_it(
    mocked_api: responses.RequestsMock,
) -> None:
    seen_at_callback: list[str] = []
    conn: Connection

    def store(token: dict[str, Any]) -> None:
        seen_at_callback.append(conn.token["access_token"])
        assert len(mocked_api.calls) == 1  # only the refresh itself has been sent

    conn = Connection("c", SECRET, make_token(expires_in=1), base_url=API, on_token_refresh=store)
    mocked_api.post(f"{API}/grant", json=NEW)
    mocked_api.get(f"{API}/users", json=listing("users", []))
    invoke("get_users", {}, conn)
    assert seen_at_callback == [ACCESS]  # the old token was still the one in use
    assert mocked_api.calls[1].request.headers["Authorization"] == f"Bearer {NEW['access_token']}"


def test_a_failing_store_still_keeps_the_new_token_in_use(
    mocked_api: responses.RequestsMock,
) -> None:
    def broken_store(token: dict[str, Any]) -> None:
        raise OSError("disk full")

    conn = Connection(
        "c", SECRET, make_token(expires_in=1), base_url=API, on_token_refresh=broken_store
    )
    mocked_api.post(f"{API}/grant", json=NEW)
    with pytest.raises(OSError, match="disk full"):
        invoke("get_users", {}, conn)
    assert conn.token["refresh_token"] == NEW["refresh_token"]  # the old one is dead


def test_a_host_lock_is_held_around_every_refresh(mocked_api: responses.RequestsMock) -> None:
    held: list[str] = []

    class Reusable:
        def __enter__(self) -> None:
            self._cm = host_lock(held)
            self._cm.__enter__()

        def __exit__(self, *exc: object) -> None:
            self._cm.__exit__(None, None, None)

    conn = Connection("c", SECRET, make_token(expires_in=1), base_url=API, refresh_lock=Reusable())
    mocked_api.post(f"{API}/grant", json=NEW)
    mocked_api.get(f"{API}/users", json=listing("users", []))
    invoke("get_users", {}, conn)
    assert held == ["enter", "exit"]


def test_a_token_another_process_stored_is_adopted_instead_of_refreshing(
    mocked_api: responses.RequestsMock,
) -> None:
    store = {"token": make_token(expires_in=1)}
    conn = Connection("c", SECRET, store["token"], base_url=API, load_token=lambda: store["token"])
    store["token"] = {**NEW, "expires_at": make_token()["expires_at"]}  # another process
    mocked_api.get(f"{API}/users", json=listing("users", []))
    invoke("get_users", {}, conn)
    assert len(mocked_api.calls) == 1  # no POST /grant: the stored token was taken
    assert mocked_api.calls[0].request.headers["Authorization"] == f"Bearer {NEW['access_token']}"


# -- the refresh margin: never longer than a short token's life ----------------------------------


def test_a_sixty_second_token_is_not_refreshed_on_every_call() -> None:
    with Sandbox(token_lifetime=60.0) as sandbox:
        config = sandbox.connection_config()
        for _ in range(10):
            invoke("get_users", {}, config)
        assert sandbox.state.count(GRANTS) == 1  # the first token only: it is still young


def test_a_short_token_is_refreshed_once_per_life_not_once_per_call() -> None:
    fake, grants = FakeTime(), []

    def grant(refresh_token: str) -> dict[str, Any]:
        grants.append(refresh_token)
        n = len(grants)
        return {"access_token": f"access-{n}", "refresh_token": f"refresh-{n}", "expires_in": 60}

    first = {"access_token": "access-0", "refresh_token": "refresh-0", "expires_in": 60}
    store = ClockedStore(fake, {**first, "expires_at": fake.now + 60})
    keeper = TokenKeeper(store, grant)  # the default margin, 300 s, is five lifetimes
    for _ in range(600):  # ten minutes, a call a second
        keeper.current()
        fake.now += 1.0
    # Capped at 5% of the 60-s life, the margin is 3 s: a refresh at 57 s of each token's life.
    assert len(grants) == 10
    assert grants == [f"refresh-{n}" for n in range(10)]


@pytest.mark.parametrize(("margin", "refreshed"), [(30, True), (10, False)])
def test_a_mapping_connection_sets_its_refresh_margin(
    mocked_api: responses.RequestsMock, margin: int, refreshed: bool
) -> None:
    config = {
        "client_id": "c",
        "client_secret": SECRET,
        "base_url": API,
        "token": {
            "access_token": f"margin-access-{margin}",
            "refresh_token": f"margin-refresh-{margin}",
            "expires_at": time.time() + 20,
        },
        "refresh_margin": margin,
    }
    if refreshed:
        mocked_api.post(f"{API}/grant", json=NEW)
    mocked_api.get(f"{API}/users", json=listing("users", []))
    invoke("get_users", {}, config)
    assert len(mocked_api.calls) == (2 if refreshed else 1)


@pytest.mark.parametrize("margin", ["soon", -1, float("nan"), True])
def test_a_mapping_refresh_margin_that_is_not_seconds_is_refused(
    mocked_api: responses.RequestsMock, margin: Any
) -> None:
    config = {"client_id": "c", "client_secret": SECRET, "token": make_token()}
    with pytest.raises(ConnectorError, match="refresh_margin"):
        invoke("get_users", {}, {**config, "refresh_margin": margin})


# -- a rotated token reaches its store, even when saving it fails for a while --------------------


def failing_saves(monkeypatch: pytest.MonkeyPatch, times: int) -> list[int]:
    """SQLite stores refuse the next `times` saves as a locked database makes them; returns the
    count left (set it to [0] to let saves through)."""
    left, save = [times], SQLiteTokenStore.save

    def flaky(self: SQLiteTokenStore, token: Any) -> None:
        if left[0] > 0:
            left[0] -= 1
            with self.reporting("save the token", sqlite3.Error):
                raise sqlite3.OperationalError("database is locked")
        save(self, token)

    monkeypatch.setattr(SQLiteTokenStore, "save", flaky)
    monkeypatch.setattr(lifecycle, "SAVE_RETRY", no_sleep_policy(), raising=False)
    return left


def store_mapping(sandbox: Sandbox, url: str) -> dict[str, Any]:
    open_store(url, "acme").save(sandbox.token())
    return {
        "client_id": DEMO_CLIENT_ID,
        "client_secret": DEMO_CLIENT_SECRET,
        "base_url": sandbox.base_url,
        "token_store": url,
        "instance": "acme",
    }


def newest(sandbox: Sandbox) -> str:
    return max(sandbox.state.access.items(), key=lambda item: item[1].expires_at)[0]


def test_a_rotated_token_whose_save_fails_a_few_times_is_saved_before_the_call_returns(
    sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:{tmp_path / 'tokens.db'}"
    config = store_mapping(sandbox, url)
    failing_saves(monkeypatch, 3)
    sandbox.state.expire_tokens()
    assert len(invoke("get_users", {}, config)["users"]) == 5
    assert open_store(url, "acme").load()["access_token"] == newest(sandbox)  # type: ignore[index]
    assert sandbox.state.count(GRANTS) == 2


def test_a_rotated_token_that_could_not_be_saved_outlives_its_mapping_connection(
    sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:{tmp_path / 'tokens.db'}"
    config = store_mapping(sandbox, url)
    left = failing_saves(monkeypatch, 1000)  # the store refuses every save for now
    sandbox.state.expire_tokens()
    with pytest.raises(ConnectorError):
        invoke("get_users", {}, config)  # refreshed, but the new token could not be stored
    left[0] = 0  # the store is back
    assert len(invoke("get_users", {}, config)["users"]) == 5  # not invalid_grant
    assert sandbox.state.count(GRANTS) == 2  # the one refresh: its token was kept and saved
    assert open_store(url, "acme").load()["access_token"] == newest(sandbox)  # type: ignore[index]


def test_closing_a_connection_saves_a_rotated_token_its_store_refused_before(
    sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = SQLiteTokenStore(tmp_path / "tokens.db", "acme")
    store.save(sandbox.token())
    connection = Connection(
        DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, base_url=sandbox.base_url, store=store
    )
    left = failing_saves(monkeypatch, 1000)
    sandbox.state.expire_tokens()
    with pytest.raises(ConnectorError):
        invoke("get_users", {}, connection)
    left[0] = 0
    connection.close()
    assert store.load() == connection.token
    assert store.load()["access_token"] == newest(sandbox)  # type: ignore[index]
