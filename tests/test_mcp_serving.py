"""How `qbtime-connector mcp` is served: streamable HTTP on 127.0.0.1 only, admitting requests
only for its own host names (no DNS rebinding), and a command line that says what is wrong."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import anyio
import pytest
import requests
from mcp import Client

from .mcp_client import COMMAND, http_server

# One worker runs this file: its module's HTTP server then starts once, not in each worker (a
# server's start costs a second and a half of CPU, importing the SDK).
pytestmark = pytest.mark.xdist_group("mcp_serving")

INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "probe", "version": "1"},
    },
}
HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    """The URL of one `qbtime-connector mcp --sandbox --http` for this file's tests."""
    with http_server("--sandbox") as found:
        yield found


@pytest.mark.parametrize("mode", ["auto", "legacy"])
def test_an_agent_lists_and_calls_tools_over_streamable_http(url: str, mode: str) -> None:
    async def scenario() -> tuple[list[str], Any]:
        async with Client(url, mode=mode) as client:
            names = [t.name for t in (await client.list_tools()).tools]
            result = await client.call_tool("get_current_user", {})
            assert not result.is_error
            return names, result.structured_content

    names, found = anyio.run(scenario)

    assert "get_current_user" in names and "new_or_changed_records" in names
    assert found["user"]["username"] == "admin"


def post(url: str, **headers: str) -> int:
    """The status of an initialize request sent with these headers."""
    answer = requests.post(url, json=INITIALIZE, headers={**HEADERS, **headers}, timeout=10)
    return answer.status_code


def test_only_requests_for_its_own_host_and_origin_are_served(url: str) -> None:
    port = urlsplit(url).port
    assert post(url) == 200
    assert post(url, Host=f"localhost:{port}") == 200
    assert post(url, Origin=f"http://127.0.0.1:{port}") == 200
    # A page on another site, or another site's name resolved to 127.0.0.1 (DNS rebinding):
    assert post(url, Host=f"evil.example:{port}") == 421
    assert post(url, Host="evil.example") == 421
    assert post(url, Host=f"127.0.0.1:{port + 1}") == 421
    assert post(url, Origin="http://evil.example") == 403
    assert post(url, Origin=f"http://evil.example:{port}") == 403
    assert post(url, Origin=f"http://localhost:{port + 1}") == 403  # another local web app
    assert post(url, Origin=f"http://127.0.0.1:{port}.evil.example") == 403


def test_it_listens_on_127_0_0_1_only(url: str) -> None:
    port = urlsplit(url).port
    assert port is not None
    with pytest.raises(ConnectionRefusedError):  # another loopback address of this machine
        socket.create_connection(("127.0.0.2", port), timeout=5).close()


def mcp_command(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [COMMAND, "mcp", *args],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def test_a_port_in_use_is_a_usage_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        ran = mcp_command("--sandbox", "--http", "--port", str(taken.getsockname()[1]))
    assert ran.returncode == 2
    assert "is in use" in ran.stderr


def test_port_without_http_and_no_connection_are_usage_errors_said_before_the_sdk_loads(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The SDK takes over a second to import: a usage error is said without it (here, with
    the server's package made unimportable, it would otherwise fail another way)."""
    from qbtime_connector.cli import main

    monkeypatch.setitem(sys.modules, "mcp", None)
    monkeypatch.setitem(sys.modules, "qbtime_connector.mcp_server", None)
    assert main(["mcp", "--sandbox", "--port", "8000"]) == 2
    assert "--port is the HTTP port: give it with --http" in capsys.readouterr().err
    monkeypatch.delenv("QBTIME_CLIENT_ID", raising=False)
    assert main(["mcp"]) == 2
    said = capsys.readouterr().err
    assert "--connection FILE" in said and "--sandbox" in said


WITHOUT_SDK = """
import sys
sys.modules["mcp"] = None  # as if the extra were not installed
from qbtime_connector.cli import main
sys.exit(main(["mcp", "--sandbox"]))
"""


def test_without_the_extra_it_says_what_to_install() -> None:
    ran = subprocess.run(
        [sys.executable, "-c", WITHOUT_SDK], capture_output=True, text=True, timeout=60
    )
    assert ran.returncode == 2
    assert "pip install 'qbtime-connector[mcp]'" in ran.stderr
