"""Bad input is refused before any request, with every bad input named by its label."""

from __future__ import annotations

from typing import Any

import pytest
import responses

from qbtime_connector import Connection, InputError, invoke, manifest
from qbtime_connector.validation import prepare

GOOD_SHEET = {
    "user_id": 1,
    "jobcode_id": 2,
    "start_date": "2026-11-24T09:00:00-07:00",
    "end_date": "2026-11-24T17:00:00-07:00",
}


def refused(action: str, inputs: Any, mocked_connection: Connection) -> InputError:
    """Invoke with no HTTP mocked at all: any request would fail the test."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        with pytest.raises(InputError) as caught:
            invoke(action, inputs, mocked_connection)
        assert len(mock.calls) == 0
    return caught.value


@pytest.mark.parametrize(
    ("action", "inputs", "label", "words"),
    [
        ("delete_timesheet", {"timesheet_ids": "1;DROP"}, "Timesheet IDs", "comma-separated"),
        ("delete_timesheet", {"timesheet_ids": "0"}, "Timesheet IDs", "positive integer"),
        ("delete_timesheet", {"timesheet_ids": [1, -2]}, "Timesheet IDs", "positive integer"),
        ("delete_timesheet", {"timesheet_ids": "1,,2"}, "Timesheet IDs", "comma-separated"),
        ("delete_timesheet", {"timesheet_ids": True}, "Timesheet IDs", "positive integer"),
        ("delete_timesheet", {}, "Timesheet IDs", "is required"),
        ("delete_timesheet", {"job_code_ids": "1"}, "job_code_ids", "timesheet_ids"),
        ("get_job_code_assignments", {"user_ids": "abc"}, "User IDs", "positive integer"),
        ("update_user", {"id": "12a"}, "ID", "whole number"),
        ("update_user", {}, "ID", "give ID or Username"),
        (
            "create_timesheet",
            {**GOOD_SHEET, "start_date": "2026-11-24T09:00:00"},
            "Start Date",
            "UTC offset",
        ),
        ("create_timesheet", {**GOOD_SHEET, "end_date": "2026-11-24"}, "End Date", "UTC offset"),
        (
            "create_timesheet",
            {**GOOD_SHEET, "end_date": "2026-02-30T10:00:00-07:00"},
            "End Date",
            "no such time",
        ),
        (
            "create_timesheet",
            {**GOOD_SHEET, "end_date": "2026-11-24T08:00:00-07:00"},
            "End Date",
            "after Start Date",
        ),
        (
            "create_timesheet",
            {**GOOD_SHEET, "end_date": "2026-11-24T09:00:00-07:00"},
            "End Date",
            "after Start Date",
        ),
        ("create_timesheet", {"user_id": 1}, "Jobcode ID", "is required"),
        (
            "create_timesheet",
            {**GOOD_SHEET, "additional_query_parameters": {"user_id": 5}},
            "Additional Query Parameters",
            "User ID input",
        ),
        (
            "create_timesheet",
            {**GOOD_SHEET, "additional_query_parameters": {"type": "manual"}},
            "Additional Query Parameters",
            "type=regular",
        ),
        (
            "get_timesheets",
            {"start_date": "2026-11-08", "end_date": "2026-11-07"},
            "End Date",
            "on or after Start Date",
        ),
        ("get_timesheets", {"start_date": "2026-13-01"}, "Start Date", "real calendar date"),
        ("get_timesheets", {"start_date": "2026-02-29"}, "Start Date", "real calendar date"),
        ("get_timesheets", {"end_date": "2026-11-07"}, "Start Date", "modified_since"),
        ("get_timesheets", {}, "Start Date", "refuses"),
        # Blank text is "not given" everywhere (and never sent), so it satisfies no rule either.
        (
            "get_timesheets",
            {"additional_query_parameters": {"ids": "   "}},
            "Start Date",
            "refuses",
        ),
        (
            "get_timesheets",
            {"additional_query_parameters": [{"key": "modified_since", "value": "\t"}]},
            "Start Date",
            "refuses",
        ),
        ("get_timesheets", {"additional_query_parameters": {"ids": []}}, "Start Date", "refuses"),
        ("get_timesheets", {"active": "yes", "start_date": "2026-11-01"}, "active", "on_the_clock"),
        (
            "get_timesheets",
            {"on_the_clock": "maybe", "start_date": "2026-11-01"},
            "On The Clock",
            "yes, no, both",
        ),
        ("get_users", {"per_page": 0}, "Per Page", "at least 1"),
        ("get_users", {"per_page": "201"}, "Per Page", "at most 200"),
        ("get_users", {"per_page": "ten"}, "Per Page", "whole number"),
        ("get_users", {"page": "0"}, "Page", "at least 1"),
        ("get_users", {"active": "maybe"}, "Active", "yes, no, both"),
        (
            "get_users",
            {"additional_query_parameters": {"limit": 10}},
            "Additional Query Parameters",
            "Per Page input",
        ),
        (
            "get_users",
            {"additional_query_parameters": [{"key": "per_page", "value": 10}]},
            "Additional Query Parameters",
            "Per Page input",
        ),
        (
            "get_users",
            {"additional_query_parameters": {"active": "no"}},
            "Additional Query Parameters",
            "Active input",
        ),
        (
            "get_users",
            {"additional_query_parameters": {"bad key&ids=": 1}},
            "Additional Query Parameters",
            "API parameter names",
        ),
        (
            "get_users",
            {"additional_query_parameters": {"usernames": {"nested": 1}}},
            "Additional Query Parameters",
            "key/value",
        ),
        (
            "get_users",
            {"additional_query_parameters": "usernames=a"},
            "Additional Query Parameters",
            "key/value",
        ),
        ("create_user", {"username": "u", "first_name": "F"}, "Last Name", "is required"),
        (
            "create_user",
            {"username": "u\r\nX-Evil: 1", "first_name": "F", "last_name": "L"},
            "Username",
            "control characters",
        ),
        ("get_users", {"colour": "blue"}, "colour", "not an input"),
    ],
)
def test_bad_input_is_refused_before_any_request(
    mocked_connection: Connection, action: str, inputs: dict[str, Any], label: str, words: str
) -> None:
    error = refused(action, inputs, mocked_connection)
    messages = {e["label"]: e["message"] for e in error.errors}
    assert label in messages, error.errors
    assert words in messages[label]
    assert label in str(error)


def test_every_bad_input_is_listed_at_once(mocked_connection: Connection) -> None:
    error = refused("create_timesheet", {"user_id": "x", "start_date": "today"}, mocked_connection)
    assert [e["input"] for e in error.errors] == ["user_id", "jobcode_id", "start_date", "end_date"]


def test_an_unknown_action_is_an_input_error(mocked_connection: Connection) -> None:
    assert "get_users" in str(refused("get_userz", {}, mocked_connection))


def test_inputs_that_are_not_a_mapping_are_refused(mocked_connection: Connection) -> None:
    assert refused("get_users", ["active", "yes"], mocked_connection).errors[0]["input"] == "inputs"


@pytest.mark.parametrize(
    ("given", "sent"),
    [("2019-11-05T00:00:00+00:00", "2019-11-05"), ("2019-11-05T00:00:00Z", "2019-11-05")],
)
def test_a_date_written_as_the_api_writes_one_is_sent_as_its_date(given: str, sent: str) -> None:
    """Get Projects answers start_date as midnight UTC; mapped into Create Project, it is the
    date it stands for (the reference's own create example writes it so)."""
    call = prepare(manifest.action("create_project"), {"name": "P", "start_date": given})
    assert call.body["start_date"] == sent
    batch = prepare(manifest.action("create_projects"), {"records": [{"name": "P",
                    "start_date": given, "due_date": given}]})  # fmt: skip
    assert batch.options["records"][0]["start_date"] == sent


@pytest.mark.parametrize("given", ["2019-11-05T01:00:00+00:00", "2019-11-05T00:00:00-06:00"])
def test_a_date_with_a_time_of_day_is_still_refused(
    given: str, mocked_connection: Connection
) -> None:
    error = refused("create_project", {"name": "P", "start_date": given}, mocked_connection)
    assert "real calendar date" in str(error)
