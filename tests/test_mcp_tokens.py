"""A long-running `qbtime-connector mcp` keeps working past its token's life: tokens refresh and
rotate through the instance's store, and the servers of one instance share one refresh and one
rate budget (the store's ledger)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client

from qbtime_connector.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Sandbox
from qbtime_connector.tokens import SQLiteTokenStore

from .mcp_client import stdio_session, texts

INSTANCE = "acme"
GRANTS = "POST /api/v1/grant"


@pytest.fixture
def store_path(sandbox: Sandbox, tmp_path: Path) -> Path:
    """A SQLite token store holding, for instance `acme`, a token that expired a minute ago."""
    path = tmp_path / "tokens.db"
    token = {k: v for k, v in sandbox.token().items() if k != "expires_in"}
    SQLiteTokenStore(path, INSTANCE).save({**token, "expires_at": time.time() - 60})
    return path


def store_arguments(path: Path) -> list[str]:
    return ["--token-store", f"sqlite:{path}", "--instance", INSTANCE]


def client_environment(sandbox: Sandbox) -> dict[str, str]:
    """What a host sets for `--token-store`: the app's client, and where the API is."""
    return {
        "QBTIME_CLIENT_ID": DEMO_CLIENT_ID,
        "QBTIME_CLIENT_SECRET": DEMO_CLIENT_SECRET,
        "QBTIME_BASE_URL": sandbox.base_url,
    }


def stored_refresh_token(path: Path) -> str:
    token = SQLiteTokenStore(path, INSTANCE).load()
    assert token is not None
    return str(token["refresh_token"])


def test_an_expired_token_is_refreshed_during_a_call_and_rotated_through_the_store(
    sandbox: Sandbox, store_path: Path
) -> None:
    first_refresh = stored_refresh_token(store_path)
    rotated: list[str] = []

    async def scenario(client: Client) -> list[Any]:
        results = [await client.call_tool("get_users", {"per_page": 1})]
        rotated.append(stored_refresh_token(store_path))
        sandbox.state.expire_tokens()  # ten days later: the API refuses the access token
        results.append(await client.call_tool("get_users", {"per_page": 1}))
        rotated.append(stored_refresh_token(store_path))
        return results

    async def run() -> list[Any]:
        arguments = store_arguments(store_path)
        async with stdio_session(*arguments, env=client_environment(sandbox)) as client:
            return await scenario(client)

    results = anyio.run(run)

    assert [r.is_error for r in results] == [False, False], [texts(r) for r in results]
    assert sandbox.state.count(GRANTS) == 1 + 2  # the fixture's code grant, then two refreshes
    assert len({first_refresh, *rotated}) == 3  # each refresh rotated the stored token
    assert rotated[-1] in sandbox.state.refresh  # the store holds the one that still works


def test_two_servers_of_one_instance_share_one_refresh_and_one_rate_budget(
    sandbox: Sandbox, store_path: Path
) -> None:
    calls_each = 5
    grants_before = sandbox.state.count(GRANTS)

    async def server(failures: list[str]) -> None:
        arguments = store_arguments(store_path)
        async with stdio_session(*arguments, env=client_environment(sandbox)) as client:
            for _ in range(calls_each):
                result = await client.call_tool("get_users", {"per_page": 1})
                failures.extend(texts(result) if result.is_error else [])

    async def run() -> list[str]:
        failures: list[str] = []
        async with anyio.create_task_group() as both:
            both.start_soon(server, failures)
            both.start_soon(server, failures)
        return failures

    assert anyio.run(run) == []
    assert sandbox.state.count(GRANTS) - grants_before == 1  # one refresh, not one per server
    sent = sandbox.state.count("GET /api/v1/users")
    assert sent == 2 * calls_each
    # The store's ledger counted every call of both servers: it is full at `sent` calls...
    store = SQLiteTokenStore(store_path, INSTANCE)
    assert store.admit(sent, 300.0, time.time()) > 0
    # ...and had room for one more than that.
    assert store.admit(sent + 1, 300.0, time.time()) == 0.0
