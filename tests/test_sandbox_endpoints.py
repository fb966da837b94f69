"""The sandbox's endpoints beyond its first four (sandbox/routes.py): seeded, stamped, filtered
by modified time, and refusing what the API refuses, with the API's errors.

For speed the file shares one sandbox (`shared_sandbox`, module-scoped, reset before each
test); `connection` here is a Connection to it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from qbtime_connector import ApiError, Connection, invoke, manifest
from qbtime_connector.sandbox import Sandbox
from qbtime_connector.sandbox.resources import Resource
from qbtime_connector.sandbox.routes import ENDPOINTS

# What each endpoint needs to be read at all (the API answers 417 without it).
NEEDS: dict[str, dict[str, str]] = {
    "project_notes": {"project_id": "10001"},
    "project_activities": {"project_id": "10001"},
    "project_activity_replies": {"project_activity_id": "12003"},
    "schedule_events": {"schedule_calendar_ids": "17001"},
    "reminders": {"user_ids": "0"},
}
READ = [
    name
    for name, endpoint in ENDPOINTS.items()
    if "GET" in endpoint.methods and name not in {"files/raw", "effective_settings"}
]
RECORDS = [n for n in READ if isinstance(ENDPOINTS[n], Resource) and ENDPOINTS[n].first_id]
FUTURE, PAST = "2099-01-01T00:00:00+00:00", "2000-01-01T00:00:00+00:00"


@pytest.fixture
def connection(shared_sandbox: Sandbox) -> Iterator[Connection]:
    shared_sandbox.state.reset()
    with shared_sandbox.connect() as connected:
        yield connected


def listed(connection: Connection, endpoint: str, **query: str) -> dict[str, Any]:
    body: dict[str, Any] = connection.request(
        "GET", endpoint, params={**NEEDS.get(endpoint, {}), **query}
    )
    found: dict[str, Any] = next(iter(body["results"].values()))
    return found


@pytest.mark.parametrize("endpoint", READ)
def test_each_read_finds_seeded_records(connection: Connection, endpoint: str) -> None:
    assert listed(connection, endpoint)


@pytest.mark.parametrize("endpoint", [n for n in NEEDS])
def test_a_read_without_what_it_needs_is_refused_with_417(
    connection: Connection, endpoint: str
) -> None:
    with pytest.raises(ApiError) as refused:
        connection.request("GET", endpoint)
    assert refused.value.status == 417


@pytest.mark.parametrize("endpoint", RECORDS)
def test_every_record_type_is_stamped_and_read_by_modified_time(
    connection: Connection, endpoint: str
) -> None:
    body = connection.request("GET", "last_modified_timestamps", params={"endpoints": endpoint})
    assert list(body["results"]["last_modified_timestamps"]) == [endpoint]
    assert listed(connection, endpoint, modified_since=PAST)
    assert listed(connection, endpoint, modified_since=FUTURE) == {}


def test_a_write_moves_its_endpoints_stamp(shared_sandbox: Sandbox, connection: Connection) -> None:
    def stamp() -> str:
        body = connection.request(
            "GET", "last_modified_timestamps", params={"endpoints": "projects"}
        )
        value: str = body["results"]["last_modified_timestamps"]["projects"]
        return value

    before = stamp()
    invoke("update_projects", {"records": [{"id": 10001, "status": "complete"}]}, connection)
    assert stamp() > before
    changed = listed(connection, "projects", modified_since=stamp())
    assert list(changed) == ["10001"]


def test_writes_answer_each_item_with_the_apis_statuses(connection: Connection) -> None:
    body = connection.request("PUT", "projects", json={"data": [
        {"id": 10001, "status": "complete"}, {"id": 99, "name": "x"}, {"name": "no id"},
        {"id": 10002, "status": "sleeping"}]})  # fmt: skip
    items = body["results"]["projects"]
    assert [items[k]["_status_code"] for k in ("1", "2", "3", "4")] == [200, 404, 417, 417]
    assert items["4"]["_status_extra"] == "status must be not_started, in_progress or complete"


@pytest.mark.parametrize(
    ("body", "status"),
    [({"data": [{"name": "x"}] * 51}, 413), ({"nope": []}, 400), ({"data": []}, 417)],
)
def test_a_malformed_or_too_large_write_is_refused_whole(
    connection: Connection, body: dict[str, Any], status: int
) -> None:
    with pytest.raises(ApiError) as refused:
        connection.request("POST", "schedule_events", json=body)
    assert refused.value.status == status


def test_a_delete_without_ids_is_refused_and_unknown_ids_say_so(connection: Connection) -> None:
    with pytest.raises(ApiError) as refused:
        connection.request("DELETE", "notifications")
    assert refused.value.status == 417
    body = connection.request("DELETE", "notifications", params={"ids": "19001,5"})
    answers = body["results"]["notifications"]
    assert (answers["19001"]["_status_code"], answers["5"]["_status_code"]) == (200, 404)


def test_every_get_of_a_new_record_type_takes_modified_since() -> None:
    """So the trigger can watch them later by declaration alone (issue 24)."""
    reads = [
        a
        for a in manifest.actions().values()
        if a.function == "qbtime_connector.actions:read_page" and a.endpoint in RECORDS
    ]
    assert {a.endpoint for a in reads} == set(RECORDS)
    for action in reads:
        params = {i.param for i in action.value_inputs}
        assert {"modified_since", "modified_before"} <= params, action.key


def test_approving_time_off_records_it_as_time_off(connection: Connection) -> None:
    made = invoke("create_time_off_requests", {"records": [{"user_id": 1000003,
        "time_off_request_entries": [{"date": "2026-11-19", "duration": 28800,
                                      "entry_method": "manual", "jobcode_id": 2000007}]}]},
        connection)["time_off_requests"][0]  # fmt: skip
    approved = invoke("approve_time_off_request", {"id": made["id"]}, connection)
    assert approved["time_off_requests"][0]["status"] == "approved"
    entries = invoke("get_time_off_request_entries", {"time_off_request_ids": made["id"]},
                     connection)["time_off_request_entries"]  # fmt: skip
    assert [(e["status"], e["approver_user_id"] > 0) for e in entries] == [("approved", True)]
    sheet = entries[0]["approved_timesheet_id"]
    report = invoke("get_payroll_report", {"start_date": "2026-11-19", "end_date": "2026-11-19",
                                           "user_ids": "1000003"}, connection)  # fmt: skip
    row = report["payroll_report"][0]
    assert sheet and row["total_pto_seconds"] == 28800 and row["pto_seconds"] == {"2000007": 28800}


def test_a_project_is_a_job_code_with_a_feed(connection: Connection) -> None:
    made = invoke("create_project", {"name": "Barn", "parent_jobcode_id": 2000001}, connection)
    project = made["projects"][0]
    code = invoke("get_job_codes", {"additional_query_parameters": {"ids": project["jobcode_id"]}},
                  connection)["jobcodes"][0]  # fmt: skip
    assert (code["name"], code["parent_id"], code["project_id"]) == ("Barn", 2000001, project["id"])
    invoke("create_project_note", {"project_id": project["id"], "note": "Roof first."}, connection)
    feed = invoke("get_project_activities", {"project_id": project["id"]}, connection)
    assert [a["activity_type"] for a in feed["project_activities"]] == ["project_created", "note"]
    again = invoke("create_projects", {"records": [{"jobcode_id": project["jobcode_id"]}]},
                   connection)  # fmt: skip
    assert (
        again["failed"][0]["_status_extra"]
        == f"jobcode {project['jobcode_id']} is a project already"
    )
