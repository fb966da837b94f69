"""One sandbox serves many companies on one port, keeps connections open, and forgets the expired.

Each customer instance connects its own company through the OAuth flow (`company=NAME` on
/authorize, or `Sandbox.connect(company=NAME)`); what one company holds, suffers or counts never
reaches another. Token tables stay the same size however many refreshes are made.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests

from qbtime_connector import invoke
from qbtime_connector.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Sandbox, SandboxState


def refresh(sandbox: Sandbox, token: dict[str, Any]) -> dict[str, Any]:
    """A refresh_token grant, raw."""
    form = {
        "grant_type": "refresh_token",
        "refresh_token": token["refresh_token"],
        "client_id": DEMO_CLIENT_ID,
        "client_secret": DEMO_CLIENT_SECRET,
    }
    answer = requests.post(f"{sandbox.base_url}/grant", data=form, timeout=10)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def call(sandbox: Sandbox, token: dict[str, Any]) -> int:
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    return requests.get(f"{sandbox.base_url}/current_user", headers=headers, timeout=10).status_code


def entries(state: SandboxState) -> int:
    """Everything a company keeps per token or code: the tables that used to grow."""
    return len(state.access) + len(state.refresh) + len(state.calls) + len(state.codes)


def test_token_tables_stay_bounded_however_many_refreshes() -> None:
    with Sandbox(sweep_every=0) as sandbox:
        token = sandbox.token()
        for _ in range(150):
            assert call(sandbox, token) == 200  # each access token gets a rate window
            sandbox.state.expire_tokens()
            token = refresh(sandbox, token)
        assert call(sandbox, token) == 200
        # The live access and refresh token and one rate window; nothing of the 150 before.
        assert entries(sandbox.state) <= 4


def test_unused_authorization_codes_expire() -> None:
    with Sandbox(sweep_every=0, code_lifetime=0) as sandbox:
        for _ in range(30):
            sandbox.authorize()
        sandbox.token()  # a grant sweeps: the 30 codes never exchanged are gone
        assert len(sandbox.state.codes) == 0


def test_expired_tokens_are_kept_until_the_next_sweep_is_due() -> None:
    with Sandbox() as sandbox:  # sweeps at most once a minute by default
        first = sandbox.token()
        sandbox.state.expire_tokens()
        sandbox.token()
        assert first["access_token"] in sandbox.state.access
        assert call(sandbox, first) == 401


def test_each_company_has_its_own_records_tokens_faults_and_counts() -> None:
    with Sandbox() as sandbox:
        acme, globex = sandbox.connect(company="acme"), sandbox.connect(company="globex")
        with acme, globex:
            made = invoke(
                "create_user",
                {"username": "acme.only", "first_name": "A", "last_name": "Only"},
                acme,
            )["users"][0]
            assert [u["id"] for u in invoke("get_users", {}, acme)["users"]][-1] == made["id"]
            for other in (globex, sandbox.connect()):
                names = [u["username"] for u in invoke("get_users", {}, other)["users"]]
                assert "acme.only" not in names
            sandbox.company("globex").inject(status=503, count=50, path="/users")
            assert invoke("get_users", {}, acme)["users"]  # acme suffers none of globex's faults
            assert sandbox.company("acme").count("GET /api/v1/users") == 2
            assert sandbox.company("globex").count("GET /api/v1/users") == 1
            assert sandbox.state.count("GET /api/v1/users") == 1
            headers = {"Authorization": f"Bearer {globex.token['access_token']}"}
            raw = requests.get(f"{sandbox.base_url}/users", headers=headers, timeout=10)
            assert raw.status_code == 503
            assert sandbox.company("globex").statuses[503] == 1  # answers are tallied by status
            assert sandbox.company("acme").statuses[503] == 0
        ids = {sandbox.company(n).company.company_id for n in ("acme", "globex")}
        assert len(ids | {sandbox.state.company.company_id}) == 3
        assert sandbox.companies.names() == ["demo", "acme", "globex"]


def test_a_token_of_one_company_speaks_only_for_it() -> None:
    with Sandbox() as sandbox:
        acme = sandbox.token(company="acme")
        assert acme["access_token"] in sandbox.company("acme").access
        assert acme["access_token"] not in sandbox.state.access
        assert call(sandbox, acme) == 200
        sandbox.company("acme").expire_tokens()
        assert call(sandbox, acme) == 401
        assert refresh(sandbox, acme)["company_id"] == sandbox.company("acme").company.company_id


def test_between_hooks_run_only_for_their_company() -> None:
    with Sandbox() as sandbox:
        seen: list[str] = []
        sandbox.company("acme").between(lambda state: seen.append(state.name))
        call(sandbox, sandbox.token())
        call(sandbox, sandbox.token(company="globex"))
        assert seen == []
        call(sandbox, sandbox.token(company="acme"))
        assert seen == ["acme"] * 3  # its authorize, grant and call


def test_a_company_name_must_be_plain_text() -> None:
    with Sandbox() as sandbox:
        url = f"{sandbox.base_url}/authorize"
        query = {
            "response_type": "code",
            "client_id": DEMO_CLIENT_ID,
            "redirect_uri": "http://127.0.0.1/cb",
            "state": "s",
            "company": "../../etc",
        }
        answer = requests.get(url, params=query, allow_redirects=False, timeout=10)
        assert answer.status_code == 400
        assert sandbox.companies.names() == ["demo"]


def test_controls_take_a_company() -> None:
    with Sandbox() as sandbox:
        token = sandbox.token(company="acme")
        root = sandbox.base_url.removesuffix("/api/v1")
        stats = requests.get(f"{root}/_sandbox/stats", params={"company": "acme"}, timeout=10)
        assert stats.json()["total"] == 2  # its authorize and its grant
        requests.post(f"{root}/_sandbox/expire_tokens", params={"company": "acme"}, timeout=10)
        assert call(sandbox, token) == 401
        missing = requests.get(f"{root}/_sandbox/stats", params={"company": "nope"}, timeout=10)
        assert missing.status_code == 404


def test_one_tcp_connection_serves_many_calls() -> None:
    with Sandbox() as sandbox, sandbox.connect() as connection:
        before = sandbox.connections
        for _ in range(20):
            invoke("get_current_user", {}, connection)
        assert sandbox.connections - before == 1


def test_a_kept_alive_connection_sends_each_answer_without_waiting_for_an_ack() -> None:
    """TCP_NODELAY on the served socket: without it every answer on a kept-alive connection
    waited for the client's delayed ACK (40 ms a call; the benchmark's per-call ratio was 14)."""
    import socket

    with Sandbox() as sandbox, sandbox.connect() as connection:
        invoke("get_current_user", {}, connection)
        server = sandbox._server
        assert server is not None
        held = list(server._open)
        assert held
        assert all(s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) for s in held)


def test_a_request_body_left_unread_does_not_spoil_the_next_request() -> None:
    with Sandbox() as sandbox, requests.Session() as session:
        url = f"{sandbox.base_url}/users"
        bad = session.post(url, json={"data": [{"x": "y" * 5000}]}, timeout=10)  # no token
        assert bad.status_code == 401
        token = sandbox.token()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        assert session.get(url, headers=headers, timeout=10).status_code == 200
        assert sandbox.connections <= 3  # the session's one, and the token's two


@pytest.mark.parametrize("header", ["close", "keep-alive"])
def test_a_client_may_still_ask_to_close(header: str) -> None:
    with Sandbox() as sandbox, requests.Session() as session:
        token = sandbox.token()
        headers = {"Authorization": f"Bearer {token['access_token']}", "Connection": header}
        before = sandbox.connections
        for _ in range(3):
            session.get(f"{sandbox.base_url}/current_user", headers=headers, timeout=10)
        assert sandbox.connections - before == (3 if header == "close" else 1)
