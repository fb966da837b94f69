"""Refreshes never lose a customer's connection: shared mappings, host locks, failed saves."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
import types
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests
import responses

from qbtime_connector import AuthError, Connection, invoke
from qbtime_connector.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Sandbox
from qbtime_connector.tokens import MemoryTokenStore

from .conftest import API, REFRESH, SECRET, listing, make_token, no_sleep_policy

GRANTS = "POST /api/v1/grant"
NEW = {
    "access_token": "fresh-access-000",
    "refresh_token": "fresh-refresh-000",
    "expires_in": 864000,
    "token_type": "bearer",
    "scope": "",
}


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

    @contextlib.contextmanager
    def host_lock() -> Iterator[None]:
        held.append("enter")
        yield
        held.append("exit")

    connection = Connection(
        "c", SECRET, make_token(expires_in=1), base_url=API, refresh_lock=host_lock()
    )
    mocked_api.post(f"{API}/grant", json={**NEW, "expires_in": 1})
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
    sandbox: Sandbox, expired: bool
) -> None:
    config = sandbox.connection_config()
    if expired:
        sandbox.state.expire_tokens()
    run = subprocess.run(
        [sys.executable, "-c", COLD_CALL, json.dumps(config)],
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
