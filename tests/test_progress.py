"""Progress of Fetch All and batch writes: a host's callback, and a line on a terminal's stderr."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from qbtime_connector import Connection, Progress, invoke
from qbtime_connector.cli import main
from qbtime_connector.connection_file import write_private
from qbtime_connector.progress import page_read
from qbtime_connector.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Sandbox

from .conftest import ManualClock

READ_ALL = {"start_date": "2000-01-01", "fetch_all": True}


def _users(count: int) -> list[dict[str, str]]:
    return [{"username": f"p{n}", "first_name": "P", "last_name": str(n)} for n in range(count)]


def told_of_a_fetch_all(sandbox: Sandbox, connection: Connection) -> tuple[list[Progress], int]:
    """What a Fetch All of 450 timesheets told its callback, and how many pages it read."""
    told: list[Progress] = []
    before = sandbox.state.count("GET /api/v1/timesheets")
    result = invoke("get_timesheets", READ_ALL, connection, progress=told.append)
    pages = sandbox.state.count("GET /api/v1/timesheets") - before
    assert [p.requests for p in told] == list(range(1, pages + 1))
    assert {p.kind for p in told} == {"read"} and {p.endpoint for p in told} == {"timesheets"}
    assert told[-1].records == len(result["timesheets"])
    return told, pages


def test_fetch_all_tells_the_callback_after_every_page(clock: ManualClock) -> None:
    with Sandbox(clock=clock) as sandbox, sandbox.connect() as connection:
        sandbox.state.add_timesheets(450)
        clock.tick(60)  # a quiet read: three pages of 200
        told, pages = told_of_a_fetch_all(sandbox, connection)
    assert pages == 3
    assert [p.records for p in told] == [200, 400, 490]


def test_a_fetch_all_that_starts_over_counts_on_its_pages_and_starts_its_records_over(
    sandbox: Sandbox, connection: Connection
) -> None:
    sandbox.state.add_timesheets(450)  # just now: the read cannot know it was quiet
    told, pages = told_of_a_fetch_all(sandbox, connection)
    assert pages == 3 + 3
    plain, overlapping = [p.records for p in told[:3]], [p.records for p in told[3:]]
    assert plain == [200, 400, 490]
    assert overlapping[0] == 200 and overlapping == sorted(overlapping) and overlapping[-1] == 490


def test_a_batch_write_tells_the_callback_after_every_request(
    sandbox: Sandbox, connection: Connection
) -> None:
    told: list[Progress] = []
    invoke("create_users", {"records": _users(120)}, connection, progress=told.append)
    assert sandbox.state.count("POST /api/v1/users") == 3
    assert [(p.kind, p.records, p.requests, p.total) for p in told] == [
        ("write", 50, 1, 120),
        ("write", 100, 2, 120),
        ("write", 120, 3, 120),
    ]


def test_the_callback_hears_only_its_own_call(connection: Connection) -> None:
    told: list[Progress] = []
    invoke("get_users", {"fetch_all": True}, connection, progress=told.append)
    heard = len(told)
    invoke("get_users", {"fetch_all": True}, connection)  # no callback: nobody is told
    page_read("users", 1, 1)  # outside any call
    assert heard == 1 and len(told) == heard


def test_a_single_page_read_reports_nothing(connection: Connection) -> None:
    told: list[Progress] = []
    invoke("get_users", {}, connection, progress=told.append)
    assert told == []


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _run_cli(tmp_path: Path, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> int:
    target = tmp_path / "conn.json"
    config = {"client_id": DEMO_CLIENT_ID, "token": sandbox.token(), "base_url": sandbox.base_url}
    write_private(target, config)
    monkeypatch.setenv("QBTIME_CLIENT_SECRET", DEMO_CLIENT_SECRET)
    sandbox.state.add_timesheets(450)
    argv = ["run", "get_timesheets", "--connection", str(target), "-i", "fetch_all=true"]
    return main([*argv, "-i", "start_date=2000-01-01"])


def test_the_cli_draws_progress_on_a_terminal(
    tmp_path: Path, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert _run_cli(tmp_path, sandbox, monkeypatch) == 0
    shown = terminal.getvalue()
    assert "\rtimesheets" in shown.replace("\x1b[K", "") and " pages" in shown
    assert shown.endswith("\n")  # the line is ended, so the shell prompt starts on its own


def test_the_cli_is_silent_when_stderr_is_not_a_terminal(
    tmp_path: Path,
    sandbox: Sandbox,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert _run_cli(tmp_path, sandbox, monkeypatch) == 0
    assert capsys.readouterr().err == ""
