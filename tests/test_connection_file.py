"""The connection `login` makes, used as printed: its secret, its token store and its API base.

Each test logs in to a sandbox (the admin approves at once), then runs what `login` printed,
from another folder where that matters.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from qbtime_connector.cli import main
from qbtime_connector.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Sandbox


@pytest.fixture
def approving_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    """The browser `login` opens, in which the admin approves the app at once."""
    monkeypatch.setattr("webbrowser.open", lambda url: bool(requests.get(url, timeout=10)))


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The folder the user logs in from (the current directory while the test runs)."""
    folder = tmp_path / "project"
    folder.mkdir()
    monkeypatch.chdir(folder)
    yield folder


def log_in(
    sandbox: Sandbox,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *extra: str,
) -> list[str]:
    """`login` against the sandbox; the command it printed to use the connection, as argv."""
    monkeypatch.setenv("QBTIME_CLIENT_SECRET", DEMO_CLIENT_SECRET)
    argv = ["login", "--client-id", DEMO_CLIENT_ID, "--port", "0", "--base-url", sandbox.base_url]
    assert main([*argv, *extra]) == 0
    out = capsys.readouterr().out
    printed = next(line for line in out.splitlines() if line.startswith("Use it with: "))
    command = shlex.split(printed.removeprefix("Use it with: "))
    assert command[:3] == ["qbtime-connector", "run", "ACTION"]
    monkeypatch.delenv("QBTIME_CLIENT_SECRET")
    return ["run", "get_current_user", *command[3:]]


@pytest.mark.usefixtures("approving_browser", "project")
def test_logins_printed_command_works_with_the_secret_in_the_environment(
    sandbox: Sandbox, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    printed = log_in(sandbox, capsys, monkeypatch)
    monkeypatch.setenv("QBTIME_CLIENT_SECRET", DEMO_CLIENT_SECRET)
    assert main(printed) == 0
    assert json.loads(capsys.readouterr().out)["user"]


@pytest.mark.usefixtures("approving_browser", "project")
def test_logins_printed_command_asks_for_the_secret_on_a_terminal(
    sandbox: Sandbox, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    printed = log_in(sandbox, capsys, monkeypatch)
    asked: list[str] = []
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": asked.append(prompt) or "demo-secret")
    assert main(printed) == 0
    assert asked == ["Client secret: "] and json.loads(capsys.readouterr().out)["user"]


@pytest.mark.usefixtures("approving_browser", "project")
def test_logins_printed_command_without_a_secret_or_terminal_names_the_variable(
    sandbox: Sandbox, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    printed = log_in(sandbox, capsys, monkeypatch)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(printed) == 2
    err = capsys.readouterr().err
    assert err == (
        "qbtime-connector: error: no client secret: set QBTIME_CLIENT_SECRET "
        "(or run in a terminal to be asked for it)\n"
    )


@pytest.mark.usefixtures("approving_browser")
def test_the_secret_is_kept_beside_the_token_only_when_asked(
    sandbox: Sandbox,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    project: Path,
) -> None:
    log_in(sandbox, capsys, monkeypatch)
    assert DEMO_CLIENT_SECRET not in (project / "qbtime-connection.json").read_text()
    printed = log_in(sandbox, capsys, monkeypatch, "--save-secret")
    saved = json.loads((project / "qbtime-connection.json").read_text())
    assert saved["client_secret"] == DEMO_CLIENT_SECRET
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(printed) == 0  # no variable, no terminal: the file's secret is used


@pytest.mark.usefixtures("approving_browser")
def test_a_relative_token_store_is_found_beside_the_connection_file_from_anywhere(
    sandbox: Sandbox,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    project: Path,
    tmp_path: Path,
) -> None:
    store = ["--token-store", "sqlite:tokens.db", "--instance", "acme"]
    printed = log_in(sandbox, capsys, monkeypatch, *store)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    printed = [str(project / a) if a.endswith(".json") else a for a in printed]
    monkeypatch.setenv("QBTIME_CLIENT_SECRET", DEMO_CLIENT_SECRET)
    assert main(printed) == 0, capsys.readouterr().err
    assert json.loads(capsys.readouterr().out)["user"]
    assert list(elsewhere.iterdir()) == []  # no empty tokens.db left behind


def test_a_token_store_that_does_not_exist_is_never_created_by_a_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QBTIME_CLIENT_ID", DEMO_CLIENT_ID)
    monkeypatch.setenv("QBTIME_CLIENT_SECRET", DEMO_CLIENT_SECRET)
    missing = tmp_path / "tokens.db"
    assert main(["run", "get_users", "--token-store", f"sqlite:{missing}", "--instance", "a"]) == 2
    assert capsys.readouterr().err == (
        f"qbtime-connector: error: no token store at {missing}: connect the instance with "
        "`qbtime-connector login --token-store …` first, or give the right path\n"
    )
    assert not missing.exists()


@pytest.mark.usefixtures("approving_browser", "project")
def test_a_store_connection_remembers_its_api_base(
    sandbox: Sandbox, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    store = ["--token-store", "sqlite:tokens.db", "--instance", "acme"]
    log_in(sandbox, capsys, monkeypatch, *store)
    monkeypatch.delenv("QBTIME_BASE_URL", raising=False)
    monkeypatch.setenv("QBTIME_CLIENT_ID", DEMO_CLIENT_ID)
    monkeypatch.setenv("QBTIME_CLIENT_SECRET", DEMO_CLIENT_SECRET)
    sandbox.state.expire_tokens()  # the first run refreshes: the new token keeps the API too
    for _ in range(2):
        assert main(["run", "get_current_user", *store]) == 0, capsys.readouterr().err
        assert json.loads(capsys.readouterr().out)["user"]
    assert sandbox.state.count("POST /api/v1/grant") == 2  # login's, and one refresh


def test_run_takes_the_api_base_from_base_url_or_the_environment(
    sandbox: Sandbox,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from qbtime_connector.tokens import open_store

    open_store(f"sqlite:{tmp_path / 't.db'}", "acme").save(sandbox.token())  # no base_url in it
    monkeypatch.setenv("QBTIME_CLIENT_ID", DEMO_CLIENT_ID)
    monkeypatch.setenv("QBTIME_CLIENT_SECRET", DEMO_CLIENT_SECRET)
    store = ["--token-store", f"sqlite:{tmp_path / 't.db'}", "--instance", "acme"]
    assert main(["run", "get_current_user", *store, "--base-url", sandbox.base_url]) == 0
    monkeypatch.setenv("QBTIME_BASE_URL", sandbox.base_url)
    assert main(["run", "get_current_user", *store]) == 0
    assert sandbox.state.count("GET /api/v1/current_user") == 2
    capsys.readouterr()
    assert main(["run", "--help"]) == 0
    helptext = " ".join(capsys.readouterr().out.split())
    for variable in ("QBTIME_BASE_URL", "QBTIME_CLIENT_ID", "QBTIME_CLIENT_SECRET"):
        assert variable in helptext


def test_a_store_without_a_client_id_names_the_variable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("QBTIME_CLIENT_ID", raising=False)
    monkeypatch.setenv("QBTIME_CLIENT_SECRET", DEMO_CLIENT_SECRET)
    store = tmp_path / "t.db"
    assert main(["run", "get_users", "--token-store", f"sqlite:{store}", "--instance", "a"]) == 2
    assert capsys.readouterr().err == (
        "qbtime-connector: error: no client id: set QBTIME_CLIENT_ID to the app's client id\n"
    )
