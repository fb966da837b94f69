"""A custom field's pattern comes from the customer's account: it is checked in linear time, and
a pattern the engine cannot read is left to the API, never a crash."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from qbtime_connector import Connection, InputError, invoke
from qbtime_connector.custom_values import FieldCheck
from qbtime_connector.sandbox import Sandbox

from .test_custom_fields import MOOD, sheet


def field(pattern: str) -> dict[str, Any]:
    return {
        "id": 7100,
        "name": "Code",
        "applies_to": "timesheet",
        "type": "free-form",
        "active": True,
        "regex_filter": pattern,
    }


def problem(pattern: str, value: str) -> str:
    check = FieldCheck(None, [], "timesheets")  # type: ignore[arg-type]  # no field to read
    return check.problem(field(pattern), value)


@pytest.mark.parametrize(
    ("pattern", "good", "bad"),
    [
        (r"^(?<year>\d{4})-\d{2}$", "2026-11", "26-11"),  # a named group as PCRE writes it
        (r"^\p{Lu}{2}\d+$", "AB12", "ab12"),  # a Unicode class
        (r"^[0-9]{4,8}$", "1234", "12"),
    ],
)
def test_patterns_re_cannot_read_are_enforced(pattern: str, good: str, bad: str) -> None:
    assert problem(pattern, good) == ""
    assert "must match" in problem(pattern, bad) and repr(bad) in problem(pattern, bad)


@pytest.mark.parametrize("pattern", [r"^(a)\1$", r"^(?=a)b", r"(?<=a)b", "(unclosed"])
def test_a_pattern_the_engine_cannot_read_is_left_to_the_api(pattern: str) -> None:
    assert problem(pattern, "anything") == ""


def test_a_catastrophic_pattern_is_decided_at_once() -> None:
    # With Python's re this takes far longer than the guard below (2**41 paths); a linear-time
    # engine answers at once. The subprocess keeps a regression from hanging the suite.
    code = (
        "from tests.test_custom_field_patterns import problem;"
        "print(problem('^(a+)+$', 'a' * 41 + '!'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert "must match" in done.stdout


def test_an_unreadable_pattern_in_the_account_lets_the_write_through(
    sandbox: Sandbox, connection: Connection
) -> None:
    with sandbox.state.lock:
        sandbox.state.company.customfields[int(MOOD)]["regex_filter"] = r"^(?=x)x$"
    made = invoke("create_timesheet", sheet({MOOD: "x"}), connection)
    assert made["timesheets"][0]["_status_code"] == 200
    with sandbox.state.lock:
        sandbox.state.company.customfields[int(MOOD)]["regex_filter"] = r"^\p{Lu}+$"
    with pytest.raises(InputError, match="must match"):
        invoke("create_timesheet", sheet({MOOD: "lower"}, "2026-11-26"), connection)
