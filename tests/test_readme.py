"""The README tells the truth: its commands, names, folders and examples are what the code does."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from qbtime_connector import invoke
from qbtime_connector.cli import main
from qbtime_connector.home import DESIGNER_DATA_DIR
from qbtime_connector.sandbox import Sandbox

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
TEST_COMMAND = (
    "python3 -m venv .venv && .venv/bin/pip install -q -e '.[dev]' && .venv/bin/python -m pytest"
)


def section(title: str) -> str:
    """The README's section under `## title`, up to the next section of that level."""
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end != -1 else None]


def test_the_readme_starts_with_the_two_commands_and_ci_runs_the_same_test_command() -> None:
    first_block = README.split("```bash\n", 1)[1].split("```", 1)[0].splitlines()
    assert first_block[0].endswith(".venv/bin/qbtime-connector demo")
    assert first_block[1] == TEST_COMMAND
    assert TEST_COMMAND in (ROOT / ".ci" / "run").read_text()


def test_the_readme_says_what_the_test_command_needs_and_how_long_it_takes() -> None:
    said = " ".join(README[: README.index("## Using it from a host")].split())
    assert re.search(r"take about \d+ minutes? on a 2-core machine", said)
    assert "PostgreSQL" in said and "Chromium" in said and "skipped" in said


def test_the_connection_file_has_the_name_login_gives_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert "conn.json" not in README
    assert main(["login", "--help"]) == 0
    assert "(defaultqbtime-connection.json)" in "".join(capsys.readouterr().out.split())
    assert "--connection qbtime-connection.json" in README


def test_the_designers_data_folder_is_the_one_its_help_names(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["designer", "--help"]) == 0
    unwrapped = "".join(capsys.readouterr().out.split())  # argparse wraps at the path's hyphen
    assert f"(default{DESIGNER_DATA_DIR})" in unwrapped
    shown = f"~/{DESIGNER_DATA_DIR.relative_to(Path.home()).as_posix()}/"
    assert f"kept in `{shown}`" in " ".join(section("The designer").split())


def test_the_architecture_page_is_linked() -> None:
    assert "](docs/architecture.md)" in README


def test_a_failed_batch_item_has_the_fields_the_readme_names(sandbox: Sandbox) -> None:
    named = re.search(r"`failed` \(each `\{([^}]*)\}`", README)
    assert named, "the README names the fields of a `failed` entry"
    records = [{"username": "twice", "first_name": "A", "last_name": "B"}] * 2
    with sandbox.connect() as connection:
        failed = invoke("create_users", {"records": records}, connection)["failed"]
    assert [f.strip() for f in named.group(1).split(",")] == list(failed[0])


def test_the_host_example_reads_records_from_the_sandbox(sandbox: Sandbox) -> None:
    example = section("Using it from a host")
    call = re.search(r'invoke\(\s*"(\w+)", (\{[^}]*\}), connection', example)
    assert call, "the host example invokes an action with literal inputs"
    inputs = ast.literal_eval(call.group(2))
    with sandbox.connect() as connection:
        result = invoke(call.group(1), inputs, connection)
    asked = {int(i) for i in str(inputs["user_ids"]).split(",")}
    assert result["timesheets"] and {t["user_id"] for t in result["timesheets"]} == asked


def test_the_exit_statuses_are_those_of_the_command_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--help"]) == 0
    helptext = " ".join(capsys.readouterr().out.split())
    said = " ".join(section("Command line").split())
    assert "an item of a batch failed" in helptext and "an item of a batch that failed" in said
    assert "141" in helptext and "**141**" in said


def test_the_environment_the_command_line_reads_is_documented() -> None:
    said = section("Command line")
    for variable in ("QBTIME_CLIENT_SECRET", "QBTIME_CLIENT_ID", "QBTIME_BASE_URL"):
        assert variable in said
    assert "--base-url" in said and "--save-secret" in said
