"""The qbtime-connector command line."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import requests

from qbtime_connector.cli import main
from qbtime_connector.connection_file import open_connection, write_private
from qbtime_connector.login import login
from qbtime_connector.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Sandbox


def test_describe_shows_the_input_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["describe", "get_users"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "Per Page (per_page)" in out and "Max is 200" in out and "Sends GET /users" in out


def test_run_prints_the_result_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "get_users", "--sandbox", "-i", "active=both", "-i", "per_page=2"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert len(result["users"]) == 2 and result["more"] is True


def test_run_takes_json_values_and_an_inputs_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "in.json").write_text(json.dumps({"start_date": "2026-11-16"}))
    code = main(
        [
            "run",
            "get_timesheets",
            "--sandbox",
            "--inputs",
            str(tmp_path / "in.json"),
            "-i",
            'additional_query_parameters={"ids": "4000001"}',
        ]
    )
    assert code == 0
    assert [s["id"] for s in json.loads(capsys.readouterr().out)["timesheets"]] == [4000001]


def test_run_exits_2_naming_every_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "get_users", "--sandbox", "-i", "per_page=0", "-i", "active=x"]) == 2
    err = capsys.readouterr().err
    assert "Per Page (per_page)" in err and "Active (active)" in err


def test_run_exits_1_on_an_api_error(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "run",
            "update_timesheet",
            "--sandbox",
            "-i",
            "timesheet_id=99",
            "-i",
            'additional_query_parameters={"notes": "x"}',
        ]
    )
    assert code == 1
    assert "404" in capsys.readouterr().err


def test_sandbox_command_prints_its_base_url_first() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "qbtime_connector.cli", "sandbox"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        base_url = process.stdout.readline().strip()
        assert base_url.startswith("http://127.0.0.1:") and base_url.endswith("/api/v1")
        answer = requests.get(f"{base_url}/current_user", timeout=10)
        assert answer.status_code == 401
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0


def test_login_catches_the_code_on_loopback_and_stores_an_owner_only_file(
    tmp_path: Path,
) -> None:
    target = tmp_path / "conn.json"
    with Sandbox() as sb:
        stored = login(
            DEMO_CLIENT_ID,
            DEMO_CLIENT_SECRET,
            target,
            port=0,
            base_url=sb.base_url,
            open_url=lambda url: requests.get(url, timeout=10),
        )  # the admin approves
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        on_disk = json.loads(target.read_text())
        assert on_disk == stored and "client_secret" not in on_disk
        assert on_disk["token"]["refresh_token"]


def test_a_connection_file_is_rewritten_when_the_token_rotates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "conn.json"
    monkeypatch.setenv("QBTIME_CLIENT_SECRET", DEMO_CLIENT_SECRET)
    with Sandbox() as sb:
        data: dict[str, Any] = {
            "client_id": DEMO_CLIENT_ID,
            "token": sb.token(),
            "base_url": sb.base_url,
        }
        write_private(target, data)
        sb.state.expire_tokens()
        assert main(["run", "get_users", "--connection", str(target)]) == 0
        rotated = json.loads(target.read_text())
        assert rotated["token"]["refresh_token"] != data["token"]["refresh_token"]
        assert "client_secret" not in rotated
        assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
        with open_connection(target) as connection:
            assert connection.token == rotated["token"]


def test_run_without_a_connection_says_what_to_give(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("QBTIME_CONNECTION_FILE", raising=False)
    assert main(["run", "get_users"]) == 2
    assert "--connection" in capsys.readouterr().err
