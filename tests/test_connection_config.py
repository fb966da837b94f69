"""A connection given odd or broken fields fails with the contract's errors, never a crash."""

from __future__ import annotations

from typing import Any

import pytest

from qbtime_connector import AuthError, Connection, ConnectorError, invoke
from qbtime_connector.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Sandbox
from qbtime_connector.tokens import open_store


def mapping(sandbox: Sandbox, **fields: Any) -> dict[str, Any]:
    token = {"access_token": "access-token-value", "refresh_token": "refresh-token-value"}
    return {
        "client_id": DEMO_CLIENT_ID,
        "client_secret": DEMO_CLIENT_SECRET,
        "token": token,
        "base_url": sandbox.base_url,
        **fields,
    }


@pytest.mark.parametrize(
    "token",
    [
        "abc",
        ["access-token-value"],
        {"access_token": "access-token-value", "expires_at": "2026-01-01"},
        {"access_token": "access-token-value", "expires_at": [1]},
        {"access_token": "access-token-value", "expires_at": 10**400},
        {"access_token": "access-token-value", "expires_at": float("nan")},
        {"access_token": "access-token-value", "expires_in": "abc"},
    ],
    ids=["text", "list", "date text", "list stamp", "huge", "nan", "bad expires_in"],
)
def test_a_malformed_token_is_an_auth_error(sandbox: Sandbox, token: Any) -> None:
    with pytest.raises(AuthError):
        invoke("get_current_user", {}, mapping(sandbox, token=token))
    with pytest.raises(AuthError):
        Connection(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, token=token, base_url=sandbox.base_url)
    assert sandbox.state.count() == 0


@pytest.mark.parametrize("token", [None, {}, ""], ids=["none", "empty", "blank"])
def test_a_mapping_without_a_token_is_an_auth_error(sandbox: Sandbox, token: Any) -> None:
    with pytest.raises(AuthError, match="reconnect"):
        invoke("get_current_user", {}, mapping(sandbox, token=token))


def test_an_unparsable_base_url_is_a_connector_error(sandbox: Sandbox) -> None:
    with pytest.raises(ConnectorError, match="base_url"):
        invoke("get_current_user", {}, mapping(sandbox, base_url="http://[::1"))


def test_an_instance_given_as_a_number_names_the_same_row(sandbox: Sandbox, tmp_path: Any) -> None:
    url = f"sqlite:{tmp_path / 'tokens.db'}"
    first = mapping(sandbox, token=sandbox.token(), token_store=url, instance=5)
    assert invoke("get_current_user", {}, first)["user"]["id"]
    stored = open_store(url, "5").load()
    assert stored is not None and stored["access_token"]


def test_a_store_url_that_is_not_text_is_a_connector_error() -> None:
    with pytest.raises(ConnectorError):
        open_store(None)  # type: ignore[arg-type]
