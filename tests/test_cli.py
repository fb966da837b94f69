"""The qbtime-connector command line."""

from __future__ import annotations

import json
import os
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from qbtime_connector import invoke
from qbtime_connector.cli import main
from qbtime_connector.connection_file import open_connection, write_private
from qbtime_connector.login import login
from qbtime_connector.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Sandbox

from .conftest import new_worker


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


@pytest.fixture
def interruptible() -> Iterator[None]:
    """Children started meanwhile take Ctrl-C. A suite started as a script's background job (`&`)
    has SIGINT ignored, and its children would inherit that: Python then installs no handler,
    and the SIGINT these tests send would do nothing."""
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, before)


@pytest.mark.usefixtures("interruptible")
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


def _other_thread_of(pid: int) -> int:
    """The id of a thread of process `pid` other than its main one (its server's, here)."""
    for _ in range(500):
        others = [int(t) for t in os.listdir(f"/proc/{pid}/task") if int(t) != pid]
        if others:
            return others[0]
        time.sleep(0.01)
    raise AssertionError(f"process {pid} has no thread but its main one")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="tgkill is Linux's")
@pytest.mark.usefixtures("interruptible")
@pytest.mark.parametrize(
    ("command", "interrupted"),
    [
        (["sandbox"], 0),
        (["login", "--no-browser", "--client-id", DEMO_CLIENT_ID, "--port", "0"], 130),
    ],
    ids=["sandbox", "login"],
)
def test_ctrl_c_stops_a_waiting_command_even_when_the_signal_lands_on_another_thread(
    tmp_path: Path, command: list[str], interrupted: int
) -> None:
    """The kernel may hand a process's SIGINT to any of its threads; Python then runs its handler
    only when the main thread next runs Python code. A main thread asleep in a long wait did
    not: the sandbox went on serving after Ctrl-C, and login waited out its five minutes."""
    import ctypes

    process = subprocess.Popen(
        [sys.executable, "-m", "qbtime_connector", *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "QBTIME_CLIENT_SECRET": DEMO_CLIENT_SECRET, "BROWSER": "false"},
    )
    try:
        assert process.stdout is not None and process.stdout.readline()  # it is waiting
        libc = ctypes.CDLL(None, use_errno=True)
        tgkill = 234 if os.uname().machine == "x86_64" else 131  # aarch64's number
        thread = _other_thread_of(process.pid)
        assert libc.syscall(tgkill, process.pid, thread, signal.SIGINT) == 0
        assert process.wait(timeout=10) == interrupted
    finally:
        process.kill()
        process.wait()


def test_login_catches_the_code_on_loopback_and_stores_an_owner_only_file(
    tmp_path: Path,
) -> None:
    target = tmp_path / "conn.json"
    with Sandbox() as running:
        stored = login(
            DEMO_CLIENT_ID,
            DEMO_CLIENT_SECRET,
            target,
            port=0,
            base_url=running.base_url,
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
    with Sandbox() as running:
        data: dict[str, Any] = {
            "client_id": DEMO_CLIENT_ID,
            "token": running.token(),
            "base_url": running.base_url,
        }
        write_private(target, data)
        running.state.expire_tokens()
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


# --- The command line as a user of well-kept tools expects it (issue 15, CLI part of 11) ---

VENV_BIN = Path(sys.executable).parent


def test_version_prints_the_package_metadata_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"qbtime-connector {version('qbtime-connector')}"


@pytest.mark.parametrize(
    "command",
    [[str(VENV_BIN / "qbtime-connector")], [sys.executable, "-m", "qbtime_connector"]],
    ids=["console-script", "python-m"],
)
def test_the_script_and_python_m_are_the_same_command(command: list[str]) -> None:
    shown = subprocess.run(
        [*command, "--version"], capture_output=True, text=True, timeout=60, check=True
    )
    assert shown.stdout.strip() == f"qbtime-connector {version('qbtime-connector')}"
    bad = subprocess.run(
        [*command, "run", "no_such_action"], capture_output=True, text=True, timeout=60
    )
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr


def test_help_documents_the_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    top = " ".join(capsys.readouterr().out.split())
    assert main(["run", "--help"]) == 0
    run = " ".join(capsys.readouterr().out.split())
    for text in (top, run):
        assert "0 success; 1 the API or the connection failed" in text
        assert "2 bad usage or input (nothing was sent); 130 interrupted" in text


def test_an_unknown_command_or_flag_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["frobnicate"]) == 2
    assert main(["actions", "--no-such-flag"]) == 2
    assert "usage:" in capsys.readouterr().err


def _one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1 and "Traceback" not in captured.err
    assert lines[0].startswith("qbtime-connector: error: ")
    return lines[0]


def test_an_unknown_action_exits_2_with_one_line_and_a_suggestion(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["run", "get_usres", "--sandbox"]) == 2
    line = _one_line_error(capsys)
    assert "'get_usres'" in line and "did you mean 'get_users'" in line
    assert main(["describe", "nothing_like_it"]) == 2
    assert "`qbtime-connector actions` lists them" in _one_line_error(capsys)


def test_an_input_without_a_value_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["run", "get_users", "--sandbox", "-i", "active"]) == 2
    assert "KEY=VALUE; got 'active'" in _one_line_error(capsys)
    assert main(["run", "get_users", "--sandbox", "-i", "=yes"]) == 2
    assert "KEY=VALUE" in _one_line_error(capsys)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "cannot read --inputs file"),
        (b'{"active": ', "is not valid JSON"),
        (b'["active", "yes"]', "must hold a JSON object"),
        (b"\xff\xfe not utf-8", "cannot read --inputs file"),
    ],
    ids=["missing", "invalid-json", "not-an-object", "not-utf8"],
)
def test_a_bad_inputs_file_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None, expected: str
) -> None:
    path = tmp_path / "inputs.json"
    if content is not None:
        path.write_bytes(content)
    assert main(["run", "get_users", "--sandbox", "--inputs", str(path)]) == 2
    assert expected in _one_line_error(capsys)


def test_json_input_errors_are_one_object_naming_every_input(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["run", "get_users", "--sandbox", "--json", "-i", "per_page=0", "-i", "active=x"])
    assert code == 2
    error = json.loads(capsys.readouterr().out)
    assert error["error"] == "InputError" and error["status"] is None
    assert {e["input"] for e in error["inputs"]} == {"per_page", "active"}
    assert "Per Page" in error["message"]


def test_json_api_errors_carry_the_class_and_status(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "run",
            "update_timesheet",
            "--sandbox",
            "--json",
            "-i",
            "timesheet_id=99",
            "-i",
            'additional_query_parameters={"notes": "x"}',
        ]
    )
    assert code == 1
    error = json.loads(capsys.readouterr().out)
    assert error["error"] == "ItemError" and error["status"] == 404
    assert error["items"][0]["_status_code"] == 404


def test_json_usage_errors_are_json_too(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "no_such_action", "--json"]) == 2
    error = json.loads(capsys.readouterr().out)
    assert error["error"] == "UsageError" and "no_such_action" in error["message"]


@pytest.mark.slow
def test_a_connection_that_cannot_be_reached_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QBTIME_CLIENT_SECRET", DEMO_CLIENT_SECRET)
    with Sandbox() as running:
        data = {"client_id": DEMO_CLIENT_ID, "token": running.token(), "base_url": running.base_url}
    write_private(tmp_path / "conn.json", data)  # the sandbox has stopped: nothing listens
    assert main(["run", "get_current_user", "--connection", str(tmp_path / "conn.json")]) == 1
    assert "Traceback" not in capsys.readouterr().err


def test_actions_json_lists_actions_and_pick_lists(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["actions", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    kinds = {row["key"]: row["kind"] for row in rows}
    assert kinds["get_users"] == "action" and kinds["user_options"] == "pick_list"
    assert all(row["label"] and row["description"] for row in rows)


def test_actions_lines_up_its_columns(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["actions"]) == 0
    lines = capsys.readouterr().out.splitlines()
    labels = {"Get Users", "User Options", "Create Timesheet"}
    starts = {line.index(label) for line in lines for label in labels if f"  {label}  " in line}
    assert len(starts) == 1  # every label starts in the same column


def test_describe_json_gives_the_input_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["describe", "get_timesheets", "--json"]) == 0
    described = json.loads(capsys.readouterr().out)
    assert described["method"] == "GET" and described["endpoint"] == "timesheets"
    per_page = next(i for i in described["inputs"] if i["key"] == "per_page")
    assert per_page["default"] == 50 and per_page["type"] == "integer"


@pytest.mark.parametrize("columns", ["80", "200"])
def test_describe_keeps_every_column_aligned(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, columns: str
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    assert main(["describe", "get_timesheets"]) == 0
    lines = capsys.readouterr().out.splitlines()
    header = next(n for n, line in enumerate(lines) if line.startswith("Input "))
    at = {name: lines[header].index(name) for name in ("Type", "Required", "Default", "Comments")}
    for line in lines[header + 1 :]:
        if line.startswith(" "):  # a wrapped comment continues exactly under its column
            assert len(line) - len(line.lstrip()) == at["Comments"]
            continue
        assert line[at["Type"] - 2 : at["Type"]] == "  " and line[at["Type"]] != " "
        assert line[at["Comments"] - 2 : at["Comments"]] == "  "
    assert any(line.startswith("Per Page (per_page)  ") for line in lines)
    assert "Max is 200" in " ".join(" ".join(lines).split())


def test_pick_list_output_keeps_non_ascii_names_readable(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    sandbox: Sandbox,
) -> None:
    with sandbox.connect() as connected:
        new_worker(connected, "jose")
        invoke(
            "update_user",
            {
                "username": "jose",
                "additional_query_parameters": {"first_name": "José", "last_name": "Núñez"},
            },
            connected,
        )
    write_private(
        tmp_path / "conn.json",
        {"client_id": DEMO_CLIENT_ID, "token": sandbox.token(), "base_url": sandbox.base_url},
    )
    monkeypatch.setenv("QBTIME_CLIENT_SECRET", DEMO_CLIENT_SECRET)
    assert main(["run", "user_options", "--connection", str(tmp_path / "conn.json")]) == 0
    out = capsys.readouterr().out
    assert "José Núñez" in out and "\\u00e9" not in out


@pytest.mark.parametrize("port", ["70000", "65536", "-1", "eighty"])
def test_sandbox_refuses_a_port_outside_0_to_65535(
    capsys: pytest.CaptureFixture[str], port: str
) -> None:
    assert main(["sandbox", "--port", port]) == 2
    assert "--port" in capsys.readouterr().err


@pytest.mark.parametrize("value", ["0", "-5", "many"])
def test_bench_refuses_a_count_below_one(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    from bench.__main__ import arguments

    with pytest.raises(SystemExit) as stop:
        arguments(["--calls", value])
    assert stop.value.code == 2
    assert "--calls" in capsys.readouterr().err
    assert arguments(["--calls", "1"]).calls == 1


def test_login_opens_the_browser_and_says_what_to_register_and_where_it_stored(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    sandbox: Sandbox,
) -> None:
    opened: list[str] = []

    def browser(url: str) -> bool:  # the admin approves in the browser
        opened.append(url)
        requests.get(url, timeout=10)
        return True

    monkeypatch.setattr("webbrowser.open", browser)
    monkeypatch.setenv("QBTIME_CLIENT_SECRET", DEMO_CLIENT_SECRET)
    target = tmp_path / "conn.json"
    argv = ["login", "--client-id", DEMO_CLIENT_ID, "--port", "0", "--token-file", str(target)]
    assert main([*argv, "--base-url", sandbox.base_url]) == 0
    out = capsys.readouterr().out
    assert len(opened) == 1
    redirect = parse_qs(urlsplit(opened[0]).query)["redirect_uri"][0]
    assert f"Redirect URI (register it in your app's settings first): {redirect}" in out
    assert str(target.resolve()) in out and json.loads(target.read_text())["token"]
    assert DEMO_CLIENT_SECRET not in out


def test_login_no_browser_prints_the_url_to_open(tmp_path: Path, sandbox: Sandbox) -> None:
    target = tmp_path / "conn.json"
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "qbtime_connector", "login", "--no-browser"),
            *("--client-id", DEMO_CLIENT_ID, "--port", "0", "--token-file", str(target)),
            *("--base-url", sandbox.base_url),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "QBTIME_CLIENT_SECRET": DEMO_CLIENT_SECRET, "BROWSER": "false"},
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(3)]
        assert lines[0].startswith("Redirect URI (register it")
        assert lines[1].startswith("Open this URL in a browser")
        requests.get(lines[2].strip(), timeout=10)  # the admin approves
        out, _ = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0
    assert str(target.resolve()) in out and target.is_file()


def test_login_on_a_busy_port_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QBTIME_CLIENT_SECRET", DEMO_CLIENT_SECRET)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        assert main(["login", "--client-id", DEMO_CLIENT_ID, "--port", port]) == 2
    assert f"port {port} is in use" in _one_line_error(capsys)


def test_a_file_that_cannot_be_written_exits_1_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "docs").write_text("a file where the docs folder should be")
    assert main(["docs", "--root", str(tmp_path)]) == 1
    assert "Traceback" not in capsys.readouterr().err


def test_ctrl_c_exits_130_without_a_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*_: Any, **__: Any) -> dict[str, Any]:
        raise KeyboardInterrupt

    monkeypatch.setattr(sys.modules["qbtime_connector.invoke"], "invoke", interrupted)
    assert main(["run", "get_users", "--sandbox"]) == 130
    assert "Traceback" not in capsys.readouterr().err


def test_login_into_a_token_store_names_its_kind_never_its_url(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    sandbox: Sandbox,
) -> None:
    monkeypatch.setattr("webbrowser.open", lambda url: bool(requests.get(url, timeout=10)))
    monkeypatch.setenv("QBTIME_CLIENT_SECRET", DEMO_CLIENT_SECRET)
    store = f"sqlite:{tmp_path / 'tokens.db'}"
    argv = ["login", "--client-id", DEMO_CLIENT_ID, "--port", "0", "--base-url", sandbox.base_url]
    target = tmp_path / "conn.json"
    argv += ["--token-file", str(target), "--token-store", store, "--instance", "acme"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "in the sqlite token store of --token-store, instance acme" in out
    assert store not in out and str(target.resolve()) in out


def test_json_of_a_batch_stopped_part_way_keeps_every_record_and_the_cause() -> None:
    from qbtime_connector.cli import error_json
    from qbtime_connector.errors import ApiError, BatchError

    records = [
        {"index": 0, "outcome": "applied", "result": {"id": 7, "_status_code": 200}},
        {"index": 1, "outcome": "unknown", "result": None},
    ]
    shown = json.loads(json.dumps(error_json(BatchError("users", records, ApiError(500, "x")))))
    assert shown["error"] == "BatchError" and shown["records"] == records
    assert shown["cause"]["error"] == "ApiError" and shown["cause"]["status"] == 500


def test_v_counts_before_and_after_the_command() -> None:
    from qbtime_connector.cli import parser, verbosity

    def given(*argv: str) -> int:
        return verbosity(parser().parse_args(argv))

    assert given("run", "get_users") == 0
    assert given("-v", "run", "get_users") == 1
    assert given("run", "get_users", "-vv") == 2
    assert given("-v", "run", "get_users", "-v") == 2
    assert given("-vv", "demo") == 2


def test_describe_says_when_an_action_takes_no_inputs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["describe", "get_current_user"]) == 0
    out = capsys.readouterr().out
    assert out.rstrip().endswith("It takes no inputs.") and "Comments" not in out


# --- Usage the review found answered with exit 1 or a traceback ---------------------------


@pytest.mark.parametrize(
    "extra",
    [
        ["--token-store", "bogus:x", "--instance", "x"],
        ["--token-store", "sqlite:/tmp/qbtime-cli-usage.db"],
        ["--sandbox", "--token-store", "sqlite:/tmp/qbtime-cli-usage.db", "--instance", "x"],
        ["--connection", "/nonexistent/qbtime-connection.json"],
    ],
    ids=["unknown scheme", "no instance", "sandbox and store", "missing file"],
)
def test_token_store_misuse_is_a_usage_error(
    extra: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", "get_users", *extra]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_an_unreadable_token_store_is_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not a database" * 100)
    monkeypatch.setenv("QBTIME_CLIENT_ID", DEMO_CLIENT_ID)
    monkeypatch.setenv("QBTIME_CLIENT_SECRET", DEMO_CLIENT_SECRET)
    code = main(["run", "get_users", "--token-store", f"sqlite:{garbage}", "--instance", "x"])
    err = capsys.readouterr().err
    assert code == 1 and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "DatabaseError" in err


def test_login_without_a_secret_or_a_terminal_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("QBTIME_CLIENT_SECRET", raising=False)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": (_ for _ in ()).throw(EOFError()))
    assert main(["login", "--client-id", DEMO_CLIENT_ID, "--no-browser"]) == 2
    assert "QBTIME_CLIENT_SECRET" in capsys.readouterr().err
