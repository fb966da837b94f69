"""Get Groups, Get Locations and Get Time Off Requests: the reference's filters and Fetch All."""

from __future__ import annotations

import pytest

from qbtime_connector import Connection, InputError, invoke
from qbtime_connector.sandbox import Sandbox

ADMIN, MARY, JOHN = 1000001, 1000002, 1000003


def test_get_groups_lists_the_seeded_groups_with_their_managers(
    sandbox: Sandbox, connection: Connection
) -> None:
    result = invoke("get_groups", {}, connection)
    assert [g["name"] for g in result["groups"]] == ["Field Crew", "Office Staff"]
    assert result["groups"][0]["manager_ids"] == [str(ADMIN)]
    assert list(result["supplemental_data"]["users"]) == [str(ADMIN)]
    assert sandbox.state.count("GET /api/v1/groups") == 1


@pytest.mark.parametrize(
    ("inputs", "names"),
    [
        ({"name": "office staff"}, ["Office Staff"]),
        ({"name": "Field Crew,Office Staff"}, ["Field Crew", "Office Staff"]),
        ({"ids": "5002"}, ["Office Staff"]),
        ({"manager_ids": str(MARY)}, []),
        ({"active": "no"}, []),
    ],
)
def test_get_groups_filters(
    connection: Connection, inputs: dict[str, str], names: list[str]
) -> None:
    assert [g["name"] for g in invoke("get_groups", inputs, connection)["groups"]] == names


def test_users_belong_to_the_seeded_groups(connection: Connection) -> None:
    users = invoke("get_users", {"additional_query_parameters": {"group_ids": 5001}}, connection)
    assert [u["username"] for u in users["users"]] == ["msamsonite", "lchen"]


def test_get_locations_with_linked_job_codes(connection: Connection) -> None:
    result = invoke("get_locations", {}, connection)
    depot = result["locations"][0]
    assert depot["linked_objects"] == {"jobcodes": [2000002]}
    assert set(result["supplemental_data"]["jobcodes"]) == {"2000001", "2000002"}
    jobcode = invoke("get_job_codes", {"additional_query_parameters": {"ids": 2000002}}, connection)
    assert jobcode["jobcodes"][0]["locations"] == [depot["id"]]


def test_get_locations_filters_by_geocoding_status(connection: Connection) -> None:
    done = invoke("get_locations", {"geocoding_status": "complete,error"}, connection)
    assert len(done["locations"]) == 2
    assert invoke("get_locations", {"geocoding_status": "none"}, connection)["locations"] == []


def test_get_time_off_requests_with_notes_and_entries(connection: Connection) -> None:
    result = invoke("get_time_off_requests", {"user_ids": MARY}, connection)
    (request,) = result["time_off_requests"]
    assert (request["user_id"], request["status"]) == (MARY, "pending")
    supplemental = result["supplemental_data"]
    assert list(supplemental["users"]) == [str(MARY)]
    entries = [
        supplemental["time_off_request_entries"][str(e)]
        for e in request["time_off_request_entries"]
    ]
    assert [e["date"] for e in entries] == ["2026-12-21", "2026-12-22"]
    note = supplemental["time_off_request_notes"][str(request["time_off_request_notes"][0])]
    assert note["note"] == "Family visit."


@pytest.mark.parametrize("action", ["get_groups", "get_locations", "get_time_off_requests"])
def test_fetch_all_reads_every_page_at_200(
    sandbox: Sandbox, connection: Connection, action: str
) -> None:
    key = action.removeprefix("get_")
    one_page = invoke(action, {"per_page": "1"}, connection)
    assert len(one_page[key]) == 1 and one_page["more"] is True
    every = invoke(action, {"fetch_all": "true", "page": "1"}, connection)
    assert len(every[key]) == 2 and every["more"] is False
    assert sandbox.state.count(f"GET /api/v1/{key}") == 2


@pytest.mark.parametrize("action", ["get_groups", "get_locations", "get_time_off_requests"])
def test_limit_is_set_by_per_page_only(action: str) -> None:
    with pytest.raises(InputError, match="Per Page"):
        invoke(action, {"additional_query_parameters": {"limit": 5}}, {"client_id": "x"})
