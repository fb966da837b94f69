"""The sandbox answers as the official reference's examples show, and so do our manifest examples.

Record shapes and values below are transcribed from the reference (TSheetsTeam/api_docs):
its example requests are replayed against the sandbox and its example answers' keys compared.
"""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import Draft202012Validator

from qbtime_connector import Connection, invoke, manifest
from qbtime_connector.sandbox import Sandbox

from .test_end_to_end import real_results, same_shape

# The reference's user object (Users/Examples/_object), key by key.
USER_KEYS = {
    "id", "first_name", "last_name", "group_id", "active", "employee_number", "salaried",
    "exempt", "username", "email", "email_verified", "payroll_id", "mobile_number",
    "hire_date", "term_date", "last_modified", "last_active", "created", "client_url",
    "company_name", "profile_image_url", "display_name", "pto_balances", "submitted_to",
    "approved_to", "manager_of_group_ids", "require_password_change", "pay_rate",
    "pay_interval", "permissions", "customfields",
}  # fmt: skip
PERMISSION_KEYS = [
    "admin", "mobile", "status_box", "reports", "manage_timesheets", "manage_authorization",
    "manage_users", "manage_my_timesheets", "manage_jobcodes", "pin_login",
    "approve_timesheets", "manage_schedules", "external_access", "manage_my_schedule",
    "manage_company_schedules", "view_company_schedules", "view_group_schedules",
    "manage_no_schedules", "view_my_schedules", "time_tracking",
]  # fmt: skip
DELETED_KEYS = {
    "id", "user_id", "jobcode_id", "start", "end", "duration", "date", "tz", "tz_str", "type",
    "location", "active", "locked", "notes", "last_modified",
}  # fmt: skip
DEFAULT_STAMPED = {
    "current_user", "customfields", "customfielditems", "effective_settings", "geolocations",
    "jobcodes", "jobcode_assignments", "timesheets", "timesheets_deleted", "users",
    "reminders", "locations", "geofence_configs",
}  # fmt: skip
CURRENT_TOTALS_KEYS = {
    "user_id", "on_the_clock", "timesheet_id", "jobcode_id", "group_id",
    "shift_geolocations_available", "shift_seconds", "day_seconds",
}  # fmt: skip
PAYROLL_KEYS = {
    "user_id", "client_id", "start_date", "end_date", "total_re_seconds", "total_ot_seconds",
    "total_dt_seconds", "total_pto_seconds", "total_work_seconds", "pto_seconds",
}  # fmt: skip
CUSTOMFIELD_KEYS = {
    "id", "active", "required", "applies_to", "type", "short_code", "regex_filter", "name",
    "last_modified", "created", "ui_preference", "required_customfields", "show_to_all",
}  # fmt: skip
CUSTOMFIELDITEM_KEYS = {
    "id", "customfield_id", "active", "short_code", "name", "last_modified",
    "required_customfields",
}  # fmt: skip
GROUP_KEYS = {"id", "active", "name", "last_modified", "created", "manager_ids"}
LOCATION_KEYS = {
    "id", "addr1", "addr2", "city", "state", "zip", "country", "formatted_address", "active",
    "latitude", "longitude", "place_id", "place_id_hash", "label", "notes", "geocoding_status",
    "created", "last_modified", "linked_objects", "geofence_config_id",
}  # fmt: skip
TIME_OFF_KEYS = {
    "id", "user_id", "time_off_request_notes", "time_off_request_entries", "status", "active",
    "created", "last_modified",
}  # fmt: skip
TIME_OFF_ENTRY_KEYS = {
    "id", "time_off_request_id", "status", "approver_user_id", "date", "entry_method",
    "duration", "start_time", "end_time", "tz_string", "jobcode_id", "user_id",
    "approved_timesheet_id", "active", "created", "last_modified",
}  # fmt: skip
NEW_ACTIONS = [
    "clock_in", "clock_out", "submit_timesheets", "approve_timesheets", "get_current_totals",
    "get_payroll_report", "get_custom_fields", "get_groups", "get_locations",
    "get_time_off_requests", "find_users", "find_or_create_user",
]  # fmt: skip
MARY = 1000002
INSTALLATION, REPAIRS = 2000002, 2000003


def get(connection: Connection, endpoint: str, **params: Any) -> dict[str, Any]:
    body: dict[str, Any] = connection.request("GET", endpoint, params=params)
    return body


def first(body: dict[str, Any], endpoint: str) -> dict[str, Any]:
    record: dict[str, Any] = next(iter(body["results"][endpoint].values()))
    return record


def new_action_results(connection: Connection) -> dict[str, dict[str, Any]]:
    """A real result of each new action, from the seeded sandbox."""
    start = "2026-11-27T08:00:00-07:00"
    return {
        "clock_in": invoke(
            "clock_in", {"user_id": MARY, "jobcode_id": INSTALLATION, "start_time": start},
            connection,
        ),
        "get_current_totals": invoke("get_current_totals", {"on_the_clock": "yes"}, connection),
        "clock_out": invoke(
            "clock_out", {"user_id": MARY, "end_time": "2026-11-27T12:00:00-07:00"}, connection
        ),
        "submit_timesheets": invoke(
            "submit_timesheets", {"user_ids": str(MARY), "date": "2026-11-21"}, connection
        ),
        "approve_timesheets": invoke(
            "approve_timesheets", {"user_ids": str(MARY), "date": "2026-11-21"}, connection
        ),
        "get_payroll_report": invoke(
            "get_payroll_report", {"start_date": "2026-11-16", "end_date": "2026-11-22"},
            connection,
        ),
        "get_custom_fields": invoke("get_custom_fields", {}, connection),
        "get_groups": invoke("get_groups", {}, connection),
        "get_locations": invoke("get_locations", {}, connection),
        "get_time_off_requests": invoke("get_time_off_requests", {}, connection),
        "find_users": invoke("find_users", {"name": "Mary Samsonite"}, connection),
        "find_or_create_user": invoke(
            "find_or_create_user",
            {"username": "msamsonite", "first_name": "Mary", "last_name": "Samsonite"},
            connection,
        ),
    }  # fmt: skip


def test_each_manifest_example_has_the_shape_of_a_real_result(connection: Connection) -> None:
    real = real_results(connection)  # new_action_results included
    every = {**manifest.actions(), **manifest.data_sources()}
    assert set(real) == set(every)
    for key, action in every.items():
        same_shape(action.example, real[key], key)


def test_each_new_actions_result_and_example_fit_its_output_schema(
    connection: Connection,
) -> None:
    real = new_action_results(connection)
    raw = {a["key"]: a for a in manifest.load_raw()["actions"]}
    assert set(NEW_ACTIONS) <= set(raw)
    for key in NEW_ACTIONS:
        validator = Draft202012Validator(raw[key]["output"])
        assert not list(validator.iter_errors(real[key])), key
        assert not list(validator.iter_errors(raw[key]["example"])), key


def test_users_and_the_current_user_carry_every_field_of_the_reference(
    connection: Connection,
) -> None:
    for body in (get(connection, "users"), get(connection, "current_user")):
        user = first(body, "users")
        assert set(user) == USER_KEYS
        assert list(user["permissions"]) == PERMISSION_KEYS


def test_a_new_user_gets_the_references_default_permissions(connection: Connection) -> None:
    made = invoke("create_user", {"username": "n", "first_name": "N", "last_name": "U"}, connection)
    permissions = made["users"][0]["permissions"]
    assert [k for k, v in permissions.items() if v] == ["mobile"]
    assert len(permissions) == 20


def test_job_codes_carry_filtered_customfielditems(connection: Connection) -> None:
    codes = get(connection, "jobcodes")["results"]["jobcodes"]
    assert codes[str(INSTALLATION)]["filtered_customfielditems"] == ""
    assert codes[str(REPAIRS)]["filtered_customfielditems"] == {"7001": [8002]}


def test_deleted_timesheets_answer_as_the_reference_shows(connection: Connection) -> None:
    invoke("delete_timesheet", {"timesheet_ids": "4000001"}, connection)
    body = get(connection, "timesheets_deleted", ids="4000001")
    record = first(body, "timesheets_deleted")
    assert set(record) == DELETED_KEYS
    assert record["active"] == "0"
    # The reference supplements the job code and its parent (18080900 and 17288279 there).
    jobcodes = body["supplemental_data"]["jobcodes"]
    assert set(jobcodes) == {str(INSTALLATION), "2000001"}
    assert list(body["supplemental_data"]["users"]) == [str(MARY)]


def test_timesheets_supplement_parent_job_codes(connection: Connection) -> None:
    body = get(connection, "timesheets", ids="4000001")
    assert set(body["supplemental_data"]["jobcodes"]) == {str(INSTALLATION), "2000001"}


def test_last_modified_lists_the_references_endpoints_and_groups_on_request(
    connection: Connection,
) -> None:
    stamps = get(connection, "last_modified_timestamps")["results"]["last_modified_timestamps"]
    assert set(stamps) == DEFAULT_STAMPED
    asked = get(connection, "last_modified_timestamps", endpoints="groups,time_off_requests")
    assert set(asked["results"]["last_modified_timestamps"]) == {"groups", "time_off_requests"}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"first_name": "mary"}, ["msamsonite"]),
        ({"first_name": "MA*"}, ["msamsonite"]),
        ({"last_name": "*o*"}, ["msamsonite", "jdoe", "pnovak"]),
        ({"first_name": "M?ry"}, []),  # only * is a wild card
        ({"first_name": "Mar"}, []),  # the whole name must match
    ],
)
def test_name_filters_ignore_case_and_take_star_as_wild_card(
    connection: Connection, filters: dict[str, str], expected: list[str]
) -> None:
    body = get(connection, "users", **filters)
    assert [u["username"] for u in body["results"]["users"].values()] == expected


def test_job_code_names_match_without_regard_to_case(connection: Connection) -> None:
    body = get(connection, "jobcodes", name="field*")
    assert [c["name"] for c in body["results"]["jobcodes"].values()] == ["Field Work"]


def test_an_overlapping_update_answers_409_with_the_unmodified_timesheet(
    connection: Connection,
) -> None:
    # 4000001 is Mary's 09:00-12:00 on 2026-11-16; 4000002 her 13:00-17:00 the same day.
    sent = {"id": 4000001, "end": "2026-11-16T14:00:00-07:00"}
    body = connection.request("PUT", "timesheets", json={"data": [sent]})
    item = body["results"]["timesheets"]["1"]
    assert (item["_status_code"], item["_status_message"]) == (409, "Conflict")
    assert item["end"] == "2026-11-16T12:00:00-07:00"  # the unmodified timesheet, to revert to


def test_an_overlapping_create_answers_406(connection: Connection) -> None:
    sent = {
        "user_id": MARY,
        "jobcode_id": INSTALLATION,
        "type": "regular",
        "start": "2026-11-16T11:00:00-07:00",
        "end": "2026-11-16T11:30:00-07:00",
    }
    body = connection.request("POST", "timesheets", json={"data": [sent]})
    assert body["results"]["timesheets"]["1"]["_status_code"] == 406


def test_the_current_totals_example_request_answers_in_the_references_shape(
    sandbox: Sandbox, connection: Connection
) -> None:
    invoke("clock_in", {"user_id": MARY, "jobcode_id": INSTALLATION}, connection)
    body = connection.request(
        "POST", "reports/current_totals", json={"data": {"on_the_clock": "both"}}
    )
    totals = body["results"]["current_totals"]
    assert all(set(t) == CURRENT_TOTALS_KEYS for t in totals.values())
    on, off = totals[str(MARY)], totals["1000003"]
    assert on["on_the_clock"] and on["timesheet_id"] and on["jobcode_id"] == INSTALLATION
    assert (off["timesheet_id"], off["jobcode_id"], off["shift_seconds"]) == (None, None, 0)
    assert set(body["supplemental_data"]) == {"users", "groups", "timesheets", "jobcodes"}
    assert sandbox.state.count("POST /api/v1/reports/current_totals") == 1


def test_the_payroll_example_request_answers_in_the_references_shape(
    connection: Connection,
) -> None:
    request = {"data": {"start_date": "2026-11-16", "end_date": "2026-11-20",
                        "advanced_overtime": "no"}}  # fmt: skip
    body = connection.request("POST", "reports/payroll", json=request)
    rows = body["results"]["payroll_report"]
    assert rows and all(set(r) == PAYROLL_KEYS for r in rows.values())
    mary = rows[str(MARY)]
    # A week of 09-12 and 13-17: 7 hours a day for 5 days.
    assert mary["total_re_seconds"] == mary["total_work_seconds"] == 5 * 7 * 3600
    assert set(body["supplemental_data"]) == {"users"}


def test_the_payroll_report_needs_its_dates(connection: Connection) -> None:
    from qbtime_connector import ApiError

    with pytest.raises(ApiError) as refused:
        connection.request("POST", "reports/payroll", json={"data": {"start_date": "2026-11-16"}})
    assert refused.value.status == 417


@pytest.mark.parametrize(
    ("endpoint", "params", "keys", "supplemental"),
    [
        ("customfields", {"applies_to": "all"}, CUSTOMFIELD_KEYS, set()),
        ("customfielditems", {"customfield_id": 7001}, CUSTOMFIELDITEM_KEYS, {"customfields"}),
        ("groups", {}, GROUP_KEYS, {"users"}),
        ("locations", {}, LOCATION_KEYS, {"jobcodes"}),
        (
            "time_off_requests",
            {},
            TIME_OFF_KEYS,
            {"users", "time_off_request_notes", "time_off_request_entries"},
        ),
    ],
)
def test_the_newer_record_types_answer_in_the_references_shape(
    connection: Connection,
    endpoint: str,
    params: dict[str, Any],
    keys: set[str],
    supplemental: set[str],
) -> None:
    body = get(connection, endpoint, **params)
    assert body["more"] is False
    assert all(set(r) == keys for r in body["results"][endpoint].values())
    assert set(body.get("supplemental_data", {})) == supplemental


def test_time_off_entries_carry_the_references_fields(connection: Connection) -> None:
    body = get(connection, "time_off_requests")
    entries = body["supplemental_data"]["time_off_request_entries"]
    assert entries and all(set(e) == TIME_OFF_ENTRY_KEYS for e in entries.values())


def test_custom_field_items_need_their_field(connection: Connection) -> None:
    from qbtime_connector import ApiError

    with pytest.raises(ApiError) as refused:
        get(connection, "customfielditems")
    assert refused.value.status == 417


def test_custom_fields_default_to_timesheet_fields(connection: Connection) -> None:
    body = get(connection, "customfields")
    assert {f["applies_to"] for f in body["results"]["customfields"].values()} == {"timesheet"}


# Moved from test_cli.py: the listing has every action and pick list (issue 24: 103 and 8).
def test_actions_lists_every_action_and_pick_list(capsys: pytest.CaptureFixture[str]) -> None:
    from qbtime_connector.cli import main

    assert main(["actions"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert (len(manifest.actions()), len(manifest.data_sources())) == (103, 8)
    assert len(lines) == 111 and lines[0].startswith("create_timesheet")
    assert lines[-1].startswith("group_options")
    assert all(any(line.startswith(key + " ") for line in lines) for key in NEW_ACTIONS)


# The functions of the actions where the API is special; every other action is a declaration
# served by the generic readers and writers (issue 24).
SPECIAL = {
    "qbtime_connector.current_user:get_current_user": ["get_current_user"],
    "qbtime_connector.raw_request:raw_request": ["raw_request"],
    "qbtime_connector.changes:get_changes": ["get_changes"],
    "qbtime_connector.time_clock:clock_in": ["clock_in"],
    "qbtime_connector.time_clock:clock_out": ["clock_out"],
    "qbtime_connector.approvals:submit_timesheets": ["submit_timesheets"],
    "qbtime_connector.approvals:approve_timesheets": ["approve_timesheets"],
    "qbtime_connector.reports:get_current_totals": ["get_current_totals"],
    "qbtime_connector.reports:get_payroll_report": ["get_payroll_report"],
    "qbtime_connector.reports:get_report": [
        "get_payroll_by_job_code", "get_project_report", "get_project_estimate_report",
        "get_project_estimate_detail_report",
    ],
    "qbtime_connector.custom_fields:get_custom_fields": ["get_custom_fields"],
    "qbtime_connector.user_search:find_users": ["find_users"],
    "qbtime_connector.user_search:find_or_create_user": ["find_or_create_user"],
    "qbtime_connector.files:upload_file": ["upload_file"],
    "qbtime_connector.files:download_file": ["download_file"],
    "qbtime_connector.actions:delete_records": [
        "delete_timesheet", "remove_job_code_assignments", "delete_notifications", "delete_files",
    ],
}  # fmt: skip
GENERIC = {
    "qbtime_connector.actions:read_page",
    "qbtime_connector.actions:read_object",
    "qbtime_connector.actions:write_one",
    "qbtime_connector.batches:write_records",
}


def test_only_the_special_endpoints_have_functions_of_their_own() -> None:
    by_function: dict[str, list[str]] = {}
    for action in manifest.actions().values():
        by_function.setdefault(action.function, []).append(action.key)
    assert {f: k for f, k in by_function.items() if f not in GENERIC} == SPECIAL
    generic = sum(len(k) for f, k in by_function.items() if f in GENERIC)
    assert generic == 103 - sum(map(len, SPECIAL.values())) == 81
    assert len(by_function["qbtime_connector.batches:write_records"]) == 40


def test_every_batch_write_is_a_post_or_put_of_records() -> None:
    for action in manifest.actions().values():
        if action.function == "qbtime_connector.batches:write_records":
            assert action.method in {"POST", "PUT"}, action.key
            assert action.input("records").required, action.key
            assert action.output["required"][1:] == ["succeeded", "failed"], action.key


def test_new_actions_are_labelled_as_the_contract_pins() -> None:
    labels = {k: a.label for k, a in manifest.actions().items()}
    assert labels["find_or_create_user"] == "Find or Create User"
    assert labels["get_payroll_report"] == "Get Payroll Report"
    for key in NEW_ACTIONS:
        assert labels[key].lower().replace(" ", "_") == key


# Moved from test_cli.py: the demo runs every action and pick list (issue 24).
def test_demo_runs_every_action(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import re

    from qbtime_connector import demo
    from qbtime_connector.cli import main

    from .conftest import SPEC_PAGE_LABELS

    ran: list[str] = []

    def recording(key: str, inputs: Any, connection: Any) -> dict[str, Any]:
        ran.append(key)
        return invoke(key, inputs, connection)

    monkeypatch.setattr(demo, "invoke", recording)
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    for label in SPEC_PAGE_LABELS:
        assert label in out
    for step in ("Fetch All", "Create Timesheets (batch)", "Get Changes (next poll)"):
        assert step in out
    assert set(manifest.actions()) | set(manifest.data_sources()) <= set(ran)
    steps = re.search(r"All ([0-9]+) steps passed", out)
    assert steps and int(steps.group(1)) == 116
    assert "1 written, 1 refused (Oops! That Short Code is already in use)" in out


def test_the_create_timesheets_example_request_is_accepted(connection: Connection) -> None:
    # The reference's three timesheets (two regular, one manual; ids as text, duration as
    # text), with the sandbox's user, job code and custom field in place of the reference's.
    common = {"user_id": MARY, "jobcode_id": str(INSTALLATION)}
    fields = {"7001": "Tractor", "7002": "Item 2"}
    data = [
        {**common, "type": "regular", "start": "2026-12-07T10:00:00-07:00",
         "end": "2026-12-07T13:10:23-07:00", "notes": "This is a test of the emergency broadcast "
         "system", "customfields": fields, "attached_files": [50692, 44878]},
        {**common, "type": "regular", "start": "2026-12-09T09:30:00-07:00",
         "end": "2026-12-09T13:10:23-07:00", "notes": "This is a test", "customfields": fields,
         "attached_files": [50692, 44878]},
        {**common, "type": "manual", "date": "2026-12-07", "duration": "15552",
         "notes": "This is a test of a manual time entry", "customfields": fields},
    ]  # fmt: skip
    body = connection.request("POST", "timesheets", json={"data": data})
    items = body["results"]["timesheets"]
    assert [items[k]["_status_code"] for k in ("1", "2", "3")] == [200, 200, 200]
    assert [items[k]["duration"] for k in ("1", "2", "3")] == [11423, 13223, 15552]
    assert items["1"]["attached_files"] == [50692, 44878]
    assert items["3"]["type"] == "manual" and items["3"]["start"] == ""
    # The update example: a new end and job code for one, a new duration for the manual one.
    update = [
        {"id": items["1"]["id"], "end": "2026-12-07T14:00:00-07:00", "jobcode_id": "2000004"},
        {"id": items["3"]["id"], "date": "2026-12-07", "duration": 15552},
    ]
    changed = connection.request("PUT", "timesheets", json={"data": update})["results"]
    first, manual = changed["timesheets"]["1"], changed["timesheets"]["2"]
    assert (first["_status_code"], first["jobcode_id"], first["duration"]) == (200, 2000004, 14400)
    assert (manual["_status_code"], manual["duration"]) == (200, 15552)


def test_the_update_users_example_request_finds_users_by_id_or_username(
    connection: Connection,
) -> None:
    data = [
        {"id": str(MARY), "first_name": "Mary", "last_name": "Samsonite"},
        {"username": "jdoe", "permissions": {"mobile": True}},
    ]
    users = connection.request("PUT", "users", json={"data": data})["results"]["users"]
    assert [users[k]["_status_code"] for k in ("1", "2")] == [200, 200]
    assert users["2"]["id"] == 1000003 and users["2"]["permissions"]["mobile"] is True


# Every new action, with every value as text, as a designer's form sends them.
STRING_INPUTS: list[tuple[str, dict[str, str]]] = [
    ("clock_in", {"user_id": "1000003", "jobcode_id": "2000003", "notes": "n",
                  "customfields": '{"7001": "Shovel"}', "start_time": "2026-11-27T08:00:00-07:00"}),
    ("get_current_totals", {"on_the_clock": "YES", "user_ids": "1000003", "group_ids": "5002",
                            "order_by": "day_seconds", "order_desc": "false", "per_page": "5",
                            "page": "1"}),
    ("clock_out", {"timesheet_id": "", "user_id": "1000003", "notes": "",
                   "end_time": "2026-11-27T09:00:00-07:00"}),
    ("submit_timesheets", {"user_ids": "1000003, 1000004", "date": "2026-11-20"}),
    ("approve_timesheets", {"user_ids": "1000003", "date": "2026-11-20"}),
    ("get_payroll_report", {"start_date": "2026-11-16", "end_date": "2026-11-20",
                            "user_ids": "1000003", "group_ids": "", "include_zero_time": "no",
                            "advanced_overtime": "no"}),
    ("get_custom_fields", {"active": "both", "applies_to": "timesheet",
                           "value_type": "managed-list", "include_items": "true",
                           "per_page": "10", "page": "1", "fetch_all": "false"}),
    ("get_groups", {"active": "yes", "ids": "5001,5002", "manager_ids": "1000001",
                    "name": "Field Crew", "fetch_all": "true", "max_pages": "2"}),
    ("get_locations", {"active": "both", "ids": "6001", "geocoding_status": "complete",
                       "per_page": "20"}),
    ("get_time_off_requests", {"ids": "9001", "user_ids": "1000002", "page": "1"}),
    ("find_users", {"name": "john doe", "active": "both", "employee_number": ""}),
    ("find_or_create_user", {"username": "jdoe", "first_name": "John", "last_name": "Doe",
                             "email": ""}),
]  # fmt: skip


def test_every_new_action_takes_string_inputs(connection: Connection) -> None:
    assert [key for key, _ in STRING_INPUTS] == [
        "clock_in", "get_current_totals", "clock_out", "submit_timesheets",
        "approve_timesheets", "get_payroll_report", "get_custom_fields", "get_groups",
        "get_locations", "get_time_off_requests", "find_users", "find_or_create_user",
    ]  # fmt: skip
    results = {key: invoke(key, inputs, connection) for key, inputs in STRING_INPUTS}
    assert results["clock_in"]["timesheets"][0]["customfields"] == {"7001": "Shovel"}
    assert [r["user_id"] for r in results["get_current_totals"]["current_totals"]] == [1000003]
    assert results["clock_out"]["timesheets"][0]["duration"] == 3600
    assert results["get_payroll_report"]["payroll_report"][0]["total_re_seconds"] == 35 * 3600
    assert [f["name"] for f in results["get_custom_fields"]["customfields"]] == ["Equipment"]
    assert [g["name"] for g in results["get_groups"]["groups"]] == ["Field Crew"]
    assert len(results["get_locations"]["locations"]) == 1
    assert len(results["get_time_off_requests"]["time_off_requests"]) == 1
    assert [u["username"] for u in results["find_users"]["users"]] == ["jdoe"]
    assert results["find_or_create_user"]["outcome"] == "found"


# -- fidelity gaps found by replaying the reference (issue 24) -----------------------------------

# The reference's timesheet write item (Timesheets/Examples create and update), key by key.
TIMESHEET_WRITE_KEYS = {
    "_status_code", "_status_message", "id", "user_id", "jobcode_id", "start", "end", "duration",
    "date", "tz", "tz_str", "type", "location", "active", "locked", "notes", "customfields",
    "attached_files", "last_modified",
}  # fmt: skip


def test_job_codes_read_by_parent_supplement_the_parent(connection: Connection) -> None:
    body = get(connection, "jobcodes", parent_ids="2000001")
    assert set(body["results"]["jobcodes"]) == {str(INSTALLATION), str(REPAIRS)}
    # The reference's parent_ids example supplements the parent (and its locations).
    assert set(body["supplemental_data"]["jobcodes"]) == {"2000001"}


def test_users_supplement_their_groups_and_time_off_job_codes(connection: Connection) -> None:
    body = get(connection, "users", ids=str(MARY))
    user = first(body, "users")
    supplemental = body["supplemental_data"]
    assert set(supplemental["groups"]) == {str(user["group_id"])}
    assert user["pto_balances"] and set(supplemental["jobcodes"]) == set(user["pto_balances"])


def test_updating_an_unknown_user_answers_a_417_item(connection: Connection) -> None:
    body = connection.request("PUT", "users", json={"data": [{"id": 999, "first_name": "X"}]})
    item = body["results"]["users"]["1"]
    # The reference documents 200 and 417 for user updates, never 404.
    assert (item["_status_code"], item["_status_message"]) == (417, "Expectation Failed")


def test_timesheet_write_answers_carry_the_references_fields(connection: Connection) -> None:
    closed = {"user_id": MARY, "jobcode_id": INSTALLATION, "type": "regular",
              "start": "2026-12-01T09:00:00-07:00", "end": "2026-12-01T10:00:00-07:00"}  # fmt: skip
    opened = {**closed, "start": "2026-12-02T09:00:00-07:00", "end": ""}
    body = connection.request("POST", "timesheets", json={"data": [closed, opened]})
    items = body["results"]["timesheets"]
    assert all(set(i) == TIMESHEET_WRITE_KEYS for i in items.values())
    assert (items["1"]["active"], items["2"]["active"]) == ("0", "1")
    ended = {"id": items["2"]["id"], "end": "2026-12-02T11:00:00-07:00"}
    changed = connection.request("PUT", "timesheets", json={"data": [ended]})
    item = changed["results"]["timesheets"]["1"]
    assert set(item) == TIMESHEET_WRITE_KEYS and item["active"] == "0"


@pytest.mark.parametrize(
    "key", ["create_timesheet", "update_timesheet", "create_timesheets", "clock_in", "clock_out"]
)
def test_timesheet_write_outputs_accept_active_or_on_the_clock(key: str) -> None:
    output = manifest.action(key).output
    item = dict(manifest.action(key).example["timesheets"][0])
    item.pop("on_the_clock", None)
    item.pop("active", None)
    on_clock = key == "clock_in"
    for state in ({"active": "1" if on_clock else "0"}, {"on_the_clock": on_clock}):
        result: dict[str, Any] = {"timesheets": [{**item, **state}]}
        if key == "create_timesheets":
            result.update(succeeded=1, failed=[])
        assert not list(Draft202012Validator(output).iter_errors(result)), (key, state)


def test_create_timesheets_takes_a_duration_given_as_text(connection: Connection) -> None:
    manual = {"user_id": MARY, "jobcode_id": str(INSTALLATION), "type": "manual",
              "date": "2026-12-07", "duration": "15552", "notes": "manual entry"}  # fmt: skip
    made = invoke("create_timesheets", {"records": [manual]}, connection)
    assert (made["succeeded"], made["timesheets"][0]["duration"]) == (1, 15552)
