"""Get Custom Fields returns fields with their items; values are checked before writes."""

from __future__ import annotations

from typing import Any

import pytest
import responses

from qbtime_connector import ApiError, Connection, InputError, ItemError, invoke
from qbtime_connector.sandbox import Sandbox

from .conftest import API, listing, written
from .test_actions import SHEET, USER, sent

EQUIPMENT, MOOD, PO_NUMBER, DEPARTMENT = "7001", "7002", "7003", "7004"
MARY = 1000002


def sheet(customfields: Any, day: str = "2026-11-25") -> dict[str, Any]:
    return {
        "user_id": MARY,
        "jobcode_id": 2000002,
        "start_date": f"{day}T09:00:00-07:00",
        "end_date": f"{day}T10:00:00-07:00",
        "additional_query_parameters": {"customfields": customfields},
    }


def test_get_custom_fields_lists_every_field_with_its_items(
    sandbox: Sandbox, connection: Connection
) -> None:
    result = invoke("get_custom_fields", {}, connection)
    fields = {f["name"]: f for f in result["customfields"]}
    assert list(fields) == ["Equipment", "Mood", "PO Number", "Department"]
    assert [i["name"] for i in fields["Equipment"]["items"]] == ["Tractor", "Shovel", "Bazooka"]
    assert fields["Mood"]["items"] == []
    assert (result["more"], result["page"]) == (False, 1)
    # One page of fields, and one request per managed-list field for its items.
    assert sandbox.state.count("GET /api/v1/customfields") == 1
    assert sandbox.state.count("GET /api/v1/customfielditems") == 2


def test_without_items_it_is_one_request(sandbox: Sandbox, connection: Connection) -> None:
    result = invoke("get_custom_fields", {"include_items": "false"}, connection)
    assert all(f["items"] == [] for f in result["customfields"])
    assert sandbox.state.count("GET /api/v1/customfields") == 1
    assert sandbox.state.count("GET /api/v1/customfielditems") == 0


def test_get_custom_fields_filters_by_what_they_apply_to(connection: Connection) -> None:
    users = invoke("get_custom_fields", {"applies_to": "user"}, connection)["customfields"]
    assert [f["name"] for f in users] == ["Department"]
    lists = invoke("get_custom_fields", {"value_type": "free-form"}, connection)["customfields"]
    assert [f["name"] for f in lists] == ["Mood", "PO Number"]


def test_applies_to_is_checked_against_its_choices() -> None:
    with pytest.raises(InputError) as refused:
        invoke("get_custom_fields", {"applies_to": "everything"}, {"client_id": "x"})
    assert refused.value.errors[0]["input"] == "applies_to"


def test_a_managed_list_value_must_be_one_of_its_active_items(
    sandbox: Sandbox, connection: Connection
) -> None:
    made = invoke("create_timesheet", sheet({EQUIPMENT: "Shovel"}), connection)
    assert made["timesheets"][0]["customfields"] == {EQUIPMENT: "Shovel"}
    with pytest.raises(InputError) as refused:
        invoke("create_timesheet", sheet({EQUIPMENT: "Spoon"}, "2026-11-26"), connection)
    error = refused.value.errors[0]
    assert error["input"] == "additional_query_parameters"
    assert "Tractor, Shovel, Bazooka" in error["message"] and "'Spoon'" in error["message"]
    assert sandbox.state.count("POST /api/v1/timesheets") == 1  # the refused one never sent


def test_a_free_form_value_must_match_the_fields_pattern(connection: Connection) -> None:
    invoke("create_timesheet", sheet({PO_NUMBER: "12345", MOOD: "fine"}), connection)
    with pytest.raises(InputError, match="must match"):
        invoke("create_timesheet", sheet({PO_NUMBER: "PO-1"}, "2026-11-26"), connection)


def test_a_value_must_be_text(connection: Connection) -> None:
    with pytest.raises(InputError, match="takes text"):
        invoke("create_timesheet", sheet({MOOD: 5}), connection)


def test_a_field_for_users_is_refused_on_a_timesheet(connection: Connection) -> None:
    with pytest.raises(InputError, match="applies to user"):
        invoke("create_timesheet", sheet({DEPARTMENT: "Field"}), connection)


def test_user_writes_check_user_fields(sandbox: Sandbox, connection: Connection) -> None:
    updated = invoke(
        "update_user",
        {"id": MARY, "additional_query_parameters": {"customfields": {DEPARTMENT: "Office"}}},
        connection,
    )
    assert updated["users"][0]["customfields"] == {DEPARTMENT: "Office"}
    with pytest.raises(InputError, match="Field, Office"):
        invoke(
            "update_user",
            {"id": MARY, "additional_query_parameters": {"customfields": {DEPARTMENT: "Moon"}}},
            connection,
        )
    assert sandbox.state.count("PUT /api/v1/users") == 1


def test_keys_that_are_not_field_ids_are_refused_before_any_request(
    sandbox: Sandbox, connection: Connection
) -> None:
    with pytest.raises(InputError, match="'Equipment' is not a custom field id"):
        invoke("create_timesheet", sheet({"Equipment": "Shovel"}), connection)
    assert sandbox.state.count("GET /api/v1/customfields") == 0
    assert sandbox.state.count("POST /api/v1/timesheets") == 0


def test_a_field_the_connection_cannot_see_is_left_to_the_api(connection: Connection) -> None:
    with pytest.raises(ItemError) as refused:
        invoke("create_timesheet", sheet({"99999": "x"}), connection)
    assert refused.value.status == 417


def test_an_account_without_the_add_on_skips_the_check(
    mocked_api: responses.RequestsMock, mocked_connection: Connection
) -> None:
    mocked_api.get(
        f"{API}/customfields", status=404, json={"error": {"code": 404, "message": "Not Found"}}
    )
    item = {**SHEET, "_status_code": 200, "_status_message": "Created"}
    mocked_api.post(f"{API}/timesheets", json=written("timesheets", [item]))
    inputs = sheet({"19142": "Item 1"}, "2018-07-16")
    assert invoke("create_timesheet", inputs, mocked_connection)["timesheets"] == [item]


def test_other_api_errors_while_checking_are_raised(
    mocked_api: responses.RequestsMock, mocked_connection: Connection
) -> None:
    mocked_api.get(
        f"{API}/customfields", status=417, json={"error": {"code": 417, "message": "Nope"}}
    )
    with pytest.raises(ApiError) as failed:
        invoke("create_timesheet", sheet({"19142": "Item 1"}), mocked_connection)
    assert failed.value.status == 417


def test_the_custom_fields_input_takes_json_text(sandbox: Sandbox, connection: Connection) -> None:
    inputs = {"user_id": str(MARY), "jobcode_id": "2000002", "customfields": '{"7001": "Tractor"}'}
    made = invoke("clock_in", inputs, connection)
    assert made["timesheets"][0]["customfields"] == {EQUIPMENT: "Tractor"}
    with pytest.raises(InputError) as refused:
        invoke("clock_in", {**inputs, "customfields": '{"x": 1}'}, connection)
    assert refused.value.errors[0]["input"] == "customfields"


# Moved from test_actions.py: a write that carries custom field values now reads the fields
# first (here the connection sees none, so the values are left to the API).
def test_create_timesheet_posts_one_regular_record(
    mocked_api: responses.RequestsMock, mocked_connection: Connection
) -> None:
    mocked_api.get(f"{API}/customfields", json=listing("customfields", []))
    item = {**SHEET, "_status_code": 200, "_status_message": "Created"}
    mocked_api.post(
        f"{API}/timesheets",
        json={**written("timesheets", [item]), "supplemental_data": {"users": {"1242515": USER}}},
    )
    result = invoke(
        "create_timesheet",
        {
            "user_id": "1242515",
            "jobcode_id": 17288283,
            "start_date": "2018-07-16T09:04:00-06:00",
            "end_date": "2018-07-16T15:57:00-06:00",
            "additional_query_parameters": {
                "notes": "hello",
                "customfields": {"19142": "Item 1"},
                "location": "",
            },
        },
        mocked_connection,
    )
    assert sent(mocked_api, 1) == (
        "POST",
        "/api/v1/timesheets",
        {},
        {
            "data": [
                {
                    "user_id": 1242515,
                    "jobcode_id": 17288283,
                    "start": "2018-07-16T09:04:00-06:00",
                    "end": "2018-07-16T15:57:00-06:00",
                    "type": "regular",
                    "notes": "hello",
                    "customfields": {"19142": "Item 1"},
                }
            ]
        },
    )
    assert result == {"timesheets": [item], "supplemental_data": {"users": {"1242515": USER}}}

    assert sent(mocked_api, 0)[:3] == (
        "GET",
        "/api/v1/customfields",
        {"ids": "19142", "active": "both", "applies_to": "all", "limit": "200"},
    )


def batch_sheet(n: int, customfields: dict[str, str]) -> dict[str, Any]:
    return {
        "user_id": MARY,
        "jobcode_id": 2000002,
        "start": f"2026-12-0{n}T09:00:00-07:00",
        "end": f"2026-12-0{n}T10:00:00-07:00",
        "customfields": customfields,
    }


def test_batch_writes_check_every_records_values_reading_each_field_once(
    sandbox: Sandbox, connection: Connection
) -> None:
    records = [batch_sheet(n, {EQUIPMENT: "Tractor", MOOD: "ok"}) for n in range(1, 4)]
    result = invoke("create_timesheets", {"records": records}, connection)
    assert result["succeeded"] == 3
    assert sandbox.state.count("GET /api/v1/customfields") == 1
    assert sandbox.state.count("GET /api/v1/customfielditems") == 1


def test_a_bad_value_in_a_batch_names_its_record_and_sends_nothing(
    sandbox: Sandbox, connection: Connection
) -> None:
    records = [batch_sheet(1, {EQUIPMENT: "Tractor"}), batch_sheet(2, {EQUIPMENT: "Spoon"})]
    with pytest.raises(InputError) as refused:
        invoke("create_timesheets", {"records": records}, connection)
    error = refused.value.errors[0]
    assert error["input"] == "records" and error["message"].startswith("record 2: custom field")
    assert sandbox.state.count("POST /api/v1/timesheets") == 0
