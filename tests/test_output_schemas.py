"""Each entry's `output` schema describes what it really returns (sandbox and reference)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import responses
from jsonschema import Draft202012Validator

from qbtime_connector import Connection, invoke, manifest
from qbtime_connector.sandbox import Sandbox

from .conftest import API
from .test_end_to_end import real_results

EVERY = {**manifest.actions(), **manifest.data_sources(), **manifest.triggers()}
REFERENCE = json.loads(
    (Path(__file__).parent / "fixtures" / "reference_responses.json").read_text()
)
SHEET = {
    "user_id": 1242515,
    "jobcode_id": 17288283,
    "start_date": "2018-07-23T11:00:00-06:00",
    "end_date": "2018-07-23T14:10:23-06:00",
}
# The request each transcribed reference answer replies to, and inputs that make it.
REFERENCE_CALLS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "get_users": ("GET", "users", {}),
    "get_job_codes": ("GET", "jobcodes", {}),
    "get_job_code_assignments": ("GET", "jobcode_assignments", {}),
    "get_timesheets": ("GET", "timesheets", {"start_date": "2018-07-16"}),
    "get_current_user": ("GET", "current_user", {}),
    "create_user": ("POST", "users", {"username": "a", "first_name": "A", "last_name": "B"}),
    "update_user": ("PUT", "users", {"id": 933849}),
    "create_timesheet": ("POST", "timesheets", SHEET),
    "update_timesheet": ("PUT", "timesheets", {"timesheet_id": 135288264}),
    "delete_timesheet": ("DELETE", "timesheets", {"timesheet_ids": "135498984"}),
}


def problems(output: dict[str, Any], result: Any) -> list[str]:
    """Where a result breaks an output schema, one line per place."""
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}"
        for e in Draft202012Validator(output).iter_errors(result)
    ]


@pytest.fixture(scope="module")
def real() -> Iterator[dict[str, dict[str, Any]]]:
    """One real result of every action and pick list, from one sandbox."""
    with Sandbox() as sandbox, sandbox.connect() as connection:
        yield real_results(connection)


@pytest.mark.parametrize("key", [*manifest.actions(), *manifest.data_sources()])
def test_the_output_schema_validates_a_real_sandbox_result(
    key: str, real: dict[str, dict[str, Any]]
) -> None:
    output = EVERY[key].output
    assert problems(output, real[key]) == []
    assert set(real[key]) <= set(output["properties"]), "every result field is documented"


@pytest.mark.parametrize("key", list(EVERY))
def test_the_example_result_fits_the_output_schema(key: str) -> None:
    assert problems(EVERY[key].output, EVERY[key].example) == []


@pytest.mark.parametrize("key", list(REFERENCE_CALLS))
def test_the_output_schema_validates_the_api_references_example(
    key: str, mocked_api: responses.RequestsMock, mocked_connection: Connection
) -> None:
    method, endpoint, inputs = REFERENCE_CALLS[key]
    url = re.compile(re.escape(f"{API}/{endpoint}") + r"(\?.*)?$")
    mocked_api.add(method, url, json=REFERENCE[key])
    result = invoke(key, inputs, mocked_connection)
    first_field = EVERY[key].output["required"][0]
    assert result[first_field], "the reference's records came through"
    assert problems(EVERY[key].output, result) == []


def test_an_output_schema_refuses_a_result_of_another_shape() -> None:
    """The schemas are not vacuous: a page of users is not a page of timesheets."""
    users_page = manifest.action("get_users").example
    assert problems(manifest.action("get_timesheets").output, users_page)
    broken = {**users_page, "users": [{"id": "not a number"}]}
    assert problems(manifest.action("get_users").output, broken)
