"""How the command line ends when things around it go wrong: the status and the one line said.

A closed pipe, a busy port, a missing optional extra, and a batch in which some items failed.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from qbtime_connector.cli import main

# Runs the command line in a fresh interpreter in which the named top-level modules cannot be
# imported, as if their extra were not installed.
WITHOUT_MODULES = """
import sys
for name in sys.argv[1].split(","):
    sys.modules[name] = None  # import raises ModuleNotFoundError, as for a package not installed
from qbtime_connector.cli import main
sys.exit(main(sys.argv[2:]))
"""


def run_without(modules: list[str], *argv: str, **options: Any) -> subprocess.CompletedProcess[str]:
    """The CLI run in a fresh process where `modules` are missing."""
    command = [sys.executable, "-c", WITHOUT_MODULES, ",".join(modules), *argv]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, **options)


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A loopback port another program is listening on."""
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        yield busy.getsockname()[1]


# --- A reader that went away (`| head -1`) -------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [["actions"], ["manifest"], ["run", "get_users", "--sandbox", "-i", "active=both"]],
    ids=["actions", "manifest", "run"],
)
def test_a_closed_pipe_ends_the_command_quietly_as_unix_tools_do(argv: list[str]) -> None:
    reading, writing = os.pipe()
    os.close(reading)  # the reader is gone before anything is written, as after `head -1`
    try:
        ended = subprocess.run(
            [sys.executable, "-m", "qbtime_connector", *argv],
            stdout=writing,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(writing)
    assert ended.stderr == ""  # no "Broken pipe", no "Exception ignored"
    assert ended.returncode == 141  # 128 + SIGPIPE, what a shell reports for `yes | head -1`


# --- A busy port ------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["sandbox", "designer"])
def test_a_busy_port_is_one_line_and_exit_2(
    command: str, busy_port: int, capsys: pytest.CaptureFixture[str], tmp_path: Any
) -> None:
    extra = ["--data", str(tmp_path)] if command == "designer" else []
    assert main([command, "--port", str(busy_port), *extra]) == 2
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0] == (
        f"qbtime-connector: error: port {busy_port} is in use: free it, or give another "
        "--port (0 picks a free one)"
    )


# --- A missing extra --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "extra"),
    [
        (["demo"], "sandbox"),
        (["sandbox"], "sandbox"),
        (["run", "get_users", "--sandbox"], "sandbox"),
        (["designer"], "designer"),
    ],
    ids=["demo", "sandbox", "run --sandbox", "designer"],
)
def test_a_command_needing_a_missing_extra_names_it(argv: list[str], extra: str) -> None:
    ended = run_without(["werkzeug"], *argv)
    assert ended.returncode == 2, ended.stderr
    assert ended.stderr == (
        f"qbtime-connector: error: this needs the {extra} extra: "
        f"pip install 'qbtime-connector[{extra}]'\n"
    )


def test_a_postgresql_store_without_its_extra_names_it() -> None:
    argv = ["run", "get_users", "--token-store", "postgresql://db.invalid/x", "--instance", "a"]
    env = {**os.environ, "QBTIME_CLIENT_ID": "id", "QBTIME_CLIENT_SECRET": "secret"}
    ended = run_without(["psycopg"], *argv, env=env)
    assert ended.returncode == 2, ended.stderr
    assert ended.stderr == (
        "qbtime-connector: error: this needs the postgres extra: "
        "pip install 'qbtime-connector[postgres]'\n"
    )


def test_an_unreachable_postgresql_store_is_one_line_saying_why() -> None:
    """psycopg_pool's own warnings (one per try to connect) are the host's logging's to show."""
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]  # bound, never listening: connections are refused
        dsn = f"postgresql://ann:hunter2@127.0.0.1:{port}/tokens?connect_timeout=1"
        argv = ["run", "get_users", "--token-store", dsn, "--instance", "a",
                "--base-url", "http://127.0.0.1:9/api/v1"]  # fmt: skip
        env = {**os.environ, "QBTIME_CLIENT_ID": "id", "QBTIME_CLIENT_SECRET": "secret",
               "QBTIME_POSTGRES_TIMEOUT": "3"}  # fmt: skip
        ended = run_without([], *argv, env=env)
    assert ended.returncode == 1
    (line,) = ended.stderr.splitlines()
    assert line.startswith(f"Error: Token store postgresql://ann@127.0.0.1:{port}/tokens")
    assert "the last try to connect: connection failed" in line
    assert "refused" in line
    assert "hunter2" not in ended.stderr + ended.stdout


# --- A batch in which some items failed -------------------------------------------------------


def test_a_batch_with_a_failed_item_exits_1_and_still_prints_every_item(
    capsys: pytest.CaptureFixture[str],
) -> None:
    records = [
        {"username": "new.one", "first_name": "New", "last_name": "One"},
        {"username": "new.one", "first_name": "Twice", "last_name": "Over"},  # name taken
    ]
    argv = ["run", "create_users", "--sandbox", "-i", f"records={json.dumps(records)}"]
    assert main(argv) == 1
    captured = capsys.readouterr()
    result = json.loads(captured.out)
    assert result["succeeded"] == 1 and [f["index"] for f in result["failed"]] == [1]
    assert captured.err == '1 of 2 items failed: see "failed" in the result\n'


def test_a_batch_in_which_every_item_succeeded_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    records = [{"username": "only.one", "first_name": "Only", "last_name": "One"}]
    argv = ["run", "create_users", "--sandbox", "-i", f"records={json.dumps(records)}"]
    assert main(argv) == 0
    assert json.loads(capsys.readouterr().out)["failed"] == []
