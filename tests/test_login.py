"""`login`'s page tells the truth, and only the callback with this login's state ends it.

The test plays the admin's browser: it is handed the approval URL and fetches what a browser
would (the approval, a favicon, a forged link), reading each page it is shown.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests

from qbtime_connector.cli import main
from qbtime_connector.errors import ApiError, AuthError
from qbtime_connector.login import login
from qbtime_connector.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Sandbox

Browser = Callable[[str], Any]


def redirect_of(approval_url: str) -> tuple[str, str]:
    """The redirect URI and state the approval URL carries."""
    query = parse_qs(urlsplit(approval_url).query)
    return query["redirect_uri"][0], query["state"][0]


def login_with(
    sandbox: Sandbox, target: Path, browser: Browser, secret: str = DEMO_CLIENT_SECRET
) -> Any:
    return login(
        DEMO_CLIENT_ID,
        secret,
        target,
        port=0,
        base_url=sandbox.base_url,
        open_url=browser,
        timeout=30,
    )


def test_the_page_says_connected_only_once_the_token_is_stored(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    target = tmp_path / "qbtime-connection.json"
    shown: list[tuple[int, str, bool]] = []

    def browser(url: str) -> None:  # the admin approves; the browser follows the redirect
        page = requests.get(url, timeout=10)
        shown.append((page.status_code, page.text, target.is_file()))

    stored = login_with(sandbox, target, browser)
    assert shown == [(200, "QuickBooks Time is connected. You can close this window.", True)]
    assert stored["token"]["access_token"]


def test_a_wrong_client_secret_is_reported_as_the_apps_not_the_customers(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    target = tmp_path / "qbtime-connection.json"
    shown: list[requests.Response] = []
    with pytest.raises(ApiError) as refused:
        login_with(
            sandbox, target, lambda url: shown.append(requests.get(url, timeout=10)), "wrong"
        )
    assert refused.value.code == "invalid_client" and not isinstance(refused.value, AuthError)
    assert "client secret" in str(refused.value) and "must reconnect" not in str(refused.value)
    assert shown[0].status_code == 502 and "connected" not in shown[0].text.replace(
        "Connecting", ""
    )
    assert "client secret" in shown[0].text and "Nothing was stored" in shown[0].text
    assert not target.exists()


def test_the_cli_names_a_wrong_client_secret(
    sandbox: Sandbox,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("webbrowser.open", lambda url: bool(requests.get(url, timeout=10)))
    monkeypatch.setenv("QBTIME_CLIENT_SECRET", "not-the-secret")
    target = str(tmp_path / "c.json")
    argv = ["login", "--client-id", DEMO_CLIENT_ID, "--port", "0", "--token-file", target]
    assert main([*argv, "--base-url", sandbox.base_url]) == 1
    err = capsys.readouterr().err
    assert "refused the app's client id or client secret" in err and "must reconnect" not in err


def test_a_refused_approval_says_so_and_stores_nothing(sandbox: Sandbox, tmp_path: Path) -> None:
    target = tmp_path / "qbtime-connection.json"
    shown: list[requests.Response] = []

    def browser(url: str) -> None:  # the admin clicks "Deny": the API sends an OAuth error back
        redirect, state = redirect_of(url)
        query = urlencode({"error": "access_denied", "state": state})
        shown.append(requests.get(f"{redirect}?{query}", timeout=10))

    with pytest.raises(AuthError, match=r"The approval was refused \(access_denied\)"):
        login_with(sandbox, target, browser)
    assert shown[0].status_code == 403 and "refused" in shown[0].text
    assert "is connected" not in shown[0].text and not target.exists()


def test_stray_and_forged_requests_neither_end_the_login_nor_say_connected(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    target = tmp_path / "qbtime-connection.json"
    shown: dict[str, requests.Response] = {}

    def browser(url: str) -> None:
        redirect, state = redirect_of(url)
        origin = redirect.removesuffix("/callback")
        shown["favicon"] = requests.get(f"{origin}/favicon.ico", timeout=10)
        shown["image"] = requests.get(f"{origin}/logo.png?state={state}", timeout=10)
        forged = urlencode({"code": "stolen", "state": "forged"})
        shown["forged"] = requests.get(f"{redirect}?{forged}", timeout=10)
        shown["no state"] = requests.get(f"{redirect}?code=stolen", timeout=10)
        assert not target.exists()  # the login is still waiting
        threading.Timer(0.2, lambda: requests.get(url, timeout=10)).start()  # then approves

    stored = login_with(sandbox, target, browser)
    assert stored["token"]["access_token"] and target.is_file()
    assert shown["favicon"].status_code == 404 and shown["image"].status_code == 404
    for name in ("forged", "no state"):
        assert shown[name].status_code == 400 and "still waiting" in shown[name].text
        assert "is connected" not in shown[name].text
    assert sandbox.state.count("POST /api/v1/grant") == 1  # the forged code was never exchanged
