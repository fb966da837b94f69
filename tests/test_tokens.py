"""Tokens refresh by themselves, rotated tokens reach the host, and no secret leaks."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

import pytest
import responses

from qbtime_connector import (
    ApiError,
    AuthError,
    Connection,
    ConnectorError,
    RateLimitError,
    TransportError,
    invoke,
)

from .conftest import ACCESS, API, REFRESH, SECRET, listing, make_token, no_sleep_policy

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
    api: responses.RequestsMock, stored: list[dict[str, Any]]
) -> None:
    api.post(f"{API}/grant", json=GRANT)
    api.get(f"{API}/users", json=listing("users", []))
    conn = expiring_conn(stored)
    invoke("get_users", {}, conn)
    form = dict(parse_qsl(api.calls[0].request.body))
    assert form == {
        "grant_type": "refresh_token",
        "refresh_token": REFRESH,
        "client_id": "client-id",
        "client_secret": SECRET,
    }
    assert "Authorization" not in api.calls[0].request.headers
    assert api.calls[1].request.headers["Authorization"] == f"Bearer {NEW_ACCESS}"
    assert [t["refresh_token"] for t in stored] == [NEW_REFRESH]
    assert stored[0]["expires_at"] > stored[0]["expires_in"]
    assert conn.token["access_token"] == NEW_ACCESS


def test_a_401_refreshes_once_and_retries_once(
    api: responses.RequestsMock, conn: Connection, stored: list[dict[str, Any]]
) -> None:
    api.get(f"{API}/users", status=401, json={"error": {"code": 401, "message": "Unauthorized"}})
    api.post(f"{API}/grant", json=GRANT)
    api.get(f"{API}/users", json=listing("users", [{"id": 1}]))
    assert invoke("get_users", {}, conn)["users"] == [{"id": 1}]
    assert len(stored) == 1


def test_a_second_401_asks_the_customer_to_reconnect(
    api: responses.RequestsMock, conn: Connection
) -> None:
    api.get(f"{API}/users", status=401, json={"error": {"code": 401, "message": "Unauthorized"}})
    api.post(f"{API}/grant", json=GRANT)
    with pytest.raises(AuthError, match="reconnect"):
        invoke("get_users", {}, conn)
    assert len(api.calls) == 3


def test_a_refused_refresh_leaves_the_token_untouched(
    api: responses.RequestsMock, stored: list[dict[str, Any]]
) -> None:
    api.post(
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
    api: responses.RequestsMock, stored: list[dict[str, Any]]
) -> None:
    api.post(f"{API}/grant", json={k: v for k, v in GRANT.items() if k != "refresh_token"})
    api.get(f"{API}/users", json=listing("users", []))
    invoke("get_users", {}, expiring_conn(stored))
    assert stored[0]["refresh_token"] == REFRESH


def test_no_refresh_token_means_reconnect(api: responses.RequestsMock) -> None:
    conn = Connection("c", SECRET, {"access_token": ACCESS, "expires_in": 0}, base_url=API)
    with pytest.raises(AuthError, match="no refresh token"):
        invoke("get_users", {}, conn)


def test_no_secret_in_any_error_text_or_repr(
    api: responses.RequestsMock, stored: list[dict[str, Any]]
) -> None:
    api.post(
        f"{API}/grant", status=400, json={"error": "invalid_grant", "error_description": "bad"}
    )
    conn = expiring_conn(stored)
    with pytest.raises(AuthError) as caught:
        invoke("get_users", {}, conn)
    texts = [str(caught.value), repr(caught.value), repr(conn), str(conn.__dict__.keys())]
    for text in texts:
        for secret in (SECRET, ACCESS, REFRESH):
            assert secret not in text


@pytest.mark.parametrize(
    "url",
    ["http://rest.tsheets.com/api/v1", "ftp://x/api", "http://10.0.0.5/api/v1", "https:///nohost"],
)
def test_plain_http_is_refused_except_on_loopback(url: str) -> None:
    with pytest.raises(ConnectorError, match="https"):
        Connection("c", SECRET, make_token(), base_url=url)


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8080/api/v1", "http://localhost:1/api/v1", "http://[::1]:9/api/v1"]
)
def test_plain_http_is_allowed_on_loopback(url: str) -> None:
    assert Connection("c", SECRET, make_token(), base_url=url).base_url == url


def test_api_error_body_is_mapped(api: responses.RequestsMock, conn: Connection) -> None:
    api.get(
        f"{API}/users",
        status=417,
        json={"error": {"code": 417, "message": "Expectation Failed: bad filter"}},
    )
    with pytest.raises(ApiError) as caught:
        invoke("get_users", {}, conn)
    assert (caught.value.status, caught.value.code) == (417, 417)
    assert "bad filter" in caught.value.message


def test_429_is_retried_then_raised_with_retry_after(
    api: responses.RequestsMock, conn: Connection
) -> None:
    for _ in range(5):
        api.get(
            f"{API}/users",
            status=429,
            headers={"Retry-After": "2"},
            json={"error": {"code": 429, "message": "Too Many Requests"}},
        )
    with pytest.raises(RateLimitError) as caught:
        invoke("get_users", {}, conn)
    assert caught.value.retry_after == 2.0 and caught.value.status == 429
    assert conn.retry.slept == [2.0, 2.0, 2.0, 4.0]  # type: ignore[attr-defined]


def test_a_500_on_a_write_is_not_retried(api: responses.RequestsMock, conn: Connection) -> None:
    api.post(f"{API}/users", status=500, json={"error": {"code": 500, "message": "oops"}})
    with pytest.raises(ApiError) as caught:
        invoke("create_user", {"username": "u", "first_name": "F", "last_name": "L"}, conn)
    assert caught.value.status == 500 and len(api.calls) == 1


def test_a_503_on_a_read_is_retried(api: responses.RequestsMock, conn: Connection) -> None:
    api.get(f"{API}/users", status=503, body="busy")
    api.get(f"{API}/users", json=listing("users", []))
    assert invoke("get_users", {}, conn)["users"] == []


def test_a_connection_failure_becomes_a_transport_error(
    api: responses.RequestsMock, conn: Connection
) -> None:
    import requests

    for _ in range(5):
        api.get(f"{API}/users", body=requests.ConnectionError("refused"))
    with pytest.raises(TransportError, match="could not reach"):
        invoke("get_users", {}, conn)
