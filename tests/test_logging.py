"""What -v and -vv show on stderr: INFO waits, refreshes and pages; DEBUG requests; no secret."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

import pytest

from qbtime_connector import Connection, Progress, invoke
from qbtime_connector.cli import main
from qbtime_connector.connection_file import write_private
from qbtime_connector.pacing import Pacer
from qbtime_connector.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Sandbox

from .conftest import FakeTime, no_sleep_policy


def _connection_file(tmp_path: Path, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "conn.json"
    config = {"client_id": DEMO_CLIENT_ID, "token": sandbox.token(), "base_url": sandbox.base_url}
    write_private(target, config)
    monkeypatch.setenv("QBTIME_CLIENT_SECRET", DEMO_CLIENT_SECRET)
    return target


def _long_run(sandbox: Sandbox, target: Path, *flags: str) -> int:
    """Fetch All over three pages, with an expired token and one 503 on the way."""
    sandbox.state.add_timesheets(450)
    sandbox.state.expire_tokens()
    sandbox.state.inject(status=503, count=1, path="/api/v1/timesheets")
    argv = ["run", "get_timesheets", "--connection", str(target), *flags]
    return main([*argv, "-i", "fetch_all=true", "-i", "start_date=2000-01-01"])


def _secrets(target: Path) -> list[str]:
    token: dict[str, Any] = json.loads(target.read_text())["token"]
    return [DEMO_CLIENT_SECRET, token["access_token"], token["refresh_token"]]


def test_info_shows_refreshes_retries_and_pages(
    tmp_path: Path,
    sandbox: Sandbox,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    target = _connection_file(tmp_path, sandbox, monkeypatch)
    assert _long_run(sandbox, target, "-v") == 0
    err = capsys.readouterr().err
    assert "INFO Refreshed the access token" in err
    assert re.search(r"INFO GET /api/v1/timesheets: HTTP 503; retry 1 in \d+\.\d s", err)
    assert "GET /api/v1/timesheets: the token was refused; refreshing it" in err
    assert "INFO timesheets: page 1 read, 200 records so far" in err
    assert "INFO timesheets: page 3 read" in err
    assert "DEBUG" not in err


def test_without_v_nothing_is_logged(
    tmp_path: Path,
    sandbox: Sandbox,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    target = _connection_file(tmp_path, sandbox, monkeypatch)
    assert _long_run(sandbox, target) == 0
    assert capsys.readouterr().err == ""


def test_debug_shows_every_request_and_never_a_secret(
    tmp_path: Path,
    sandbox: Sandbox,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    target = _connection_file(tmp_path, sandbox, monkeypatch)
    before = _secrets(target)
    assert _long_run(sandbox, target, "-vv") == 0
    err = capsys.readouterr().err
    assert "DEBUG POST /api/v1/grant -> 200" in err
    # Every page answered 200 (three, and three more as the records were added just before
    # the read, which then cannot know it was quiet and reads again overlapping).
    pages = re.findall(r"DEBUG GET /api/v1/timesheets\?\S*start_date=2000-01-01\S* -> 200", err)
    assert len(pages) == 6
    for secret in {*before, *_secrets(target)}:  # the old and the rotated tokens
        assert secret not in err


def test_a_pacing_wait_is_logged_and_told_to_the_progress_callback(
    sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    fake = FakeTime(start=0.0)
    pacer = Pacer(calls=1, window=10.0, clock=fake, sleep=fake.sleep)
    told: list[Progress] = []
    with (
        caplog.at_level(logging.INFO, logger="qbtime_connector"),
        Connection(
            DEMO_CLIENT_ID,
            DEMO_CLIENT_SECRET,
            sandbox.token(),
            base_url=sandbox.base_url,
            pacer=pacer,
            retry=no_sleep_policy(),
        ) as connection,
    ):
        invoke("get_users", {"fetch_all": True, "per_page": 2}, connection, progress=told.append)
        invoke("get_users", {}, connection, progress=told.append)
    assert fake.slept == [10.0]
    assert "Pacing: waiting 10.0 s to stay under 1 calls per 10 s" in caplog.text
    assert [p.wait for p in told if p.kind == "wait"] == [10.0]
