"""The HTTP session every call goes through: what requests' Session would send, made cheaper."""

from __future__ import annotations

from typing import Any

import pytest
import requests
import responses
from requests.adapters import BaseAdapter

from qbtime_connector import Connection, ConnectorError, invoke
from qbtime_connector.session import ApiSession

from .conftest import API, make_token


class _Recording(BaseAdapter):
    """An adapter that answers every request with an empty page of users and keeps what it got."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[tuple[requests.PreparedRequest, dict[str, Any]]] = []

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        self.sent.append((request, kwargs))
        answer = requests.Response()
        answer.status_code, answer.url, answer.request = 200, str(request.url), request
        answer._content = b'{"results": {"users": {}}, "more": false}'
        return answer

    def close(self) -> None:
        pass


def test_a_call_never_pays_for_session_requests_merging(
    monkeypatch: pytest.MonkeyPatch, mocked_api: responses.RequestsMock
) -> None:
    """Session.request's merging of per-request settings cost about 0.1 ms a call (bench/)."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("Session.request's merging was used")

    monkeypatch.setattr(requests.Session, "prepare_request", refuse)
    monkeypatch.setattr(requests.Session, "merge_environment_settings", refuse)
    mocked_api.get(f"{API}/users", json={"results": {"users": {}}, "more": False})
    with Connection("id", "secret", make_token()) as connection:
        assert invoke("get_users", {}, connection)["users"] == []


def test_the_sessions_headers_proxies_and_tls_settings_reach_the_adapter() -> None:
    with Connection("id", "secret", make_token()) as connection:
        session = connection.session
        session.headers["User-Agent"] = "host-app/1.0"
        session.proxies["https"] = "http://proxy.example:3128"
        session.verify, session.cert = "/etc/host-ca.pem", "/etc/host-client.pem"
        adapter = _Recording()
        session.mount("https://", adapter)
        invoke("get_users", {"per_page": 7}, connection)
    [(request, settings)] = adapter.sent
    assert request.headers["User-Agent"] == "host-app/1.0"
    assert request.headers["Authorization"] == f"Bearer {make_token()['access_token']}"
    assert request.headers["Accept-Encoding"] == "gzip, deflate"  # requests' own default
    assert request.url == f"{API}/users?active=yes&limit=7&page=1"
    assert settings["proxies"] == {"https": "http://proxy.example:3128"}
    assert (settings["verify"], settings["cert"]) == ("/etc/host-ca.pem", "/etc/host-client.pem")
    assert settings["timeout"] == connection.timeout and settings["stream"] is False


def test_what_a_host_sets_on_the_session_counts_as_requests_would_count_it() -> None:
    """A header set to None is not sent, default query parameters are sent (the call's own win),
    and the session's auth and stream settings apply."""
    with Connection("id", "secret", make_token()) as connection:
        session = connection.session
        session.headers["Accept-Encoding"] = None  # type: ignore[assignment]
        session.params = {"trace": "on", "limit": 1}
        session.stream = True
        adapter = _Recording()
        session.mount("https://", adapter)
        invoke("get_users", {"per_page": 7}, connection)
        session.auth = ("user", "pass")
        invoke("get_users", {}, connection)
    [(first, settings), (second, _)] = adapter.sent
    assert "Accept-Encoding" not in first.headers
    assert first.url == f"{API}/users?trace=on&limit=7&active=yes&page=1"
    assert settings["stream"] is True
    assert second.headers["Authorization"].startswith("Basic ")  # the host's choice, as in requests


def test_a_cookie_the_api_sets_is_sent_back_as_a_requests_session_would(
    mocked_api: responses.RequestsMock,
) -> None:
    page = {"results": {"users": {}}, "more": False}
    mocked_api.get(f"{API}/users", json=page, headers={"Set-Cookie": "affinity=node-7; Path=/"})
    mocked_api.get(f"{API}/users", json=page)
    with Connection("id", "secret", make_token()) as connection:
        invoke("get_users", {}, connection)
        invoke("get_users", {}, connection)
    first, second = (call.request for call in mocked_api.calls)
    assert "Cookie" not in first.headers and second.headers["Cookie"] == "affinity=node-7"


def test_a_get_through_the_session_itself_does_not_follow_a_redirect(
    mocked_api: responses.RequestsMock,
) -> None:
    """Session.get asks to follow redirects; ours never does (a redirect could carry the token)."""
    mocked_api.get(f"{API}/users", status=302, headers={"Location": "https://evil.example/"})
    session = ApiSession(API)
    answer = session.get(f"{API}/users", timeout=5)
    assert answer.status_code == 302 and len(mocked_api.calls) == 1


def test_the_session_still_refuses_another_origin() -> None:
    with pytest.raises(ConnectorError, match="outside the connection's API"):
        ApiSession(API).request("GET", "https://evil.example/api/v1/users", access_token="t")
