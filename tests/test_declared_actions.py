"""The generic readers and writers that serve the actions declared in connector.yaml alone:
what they send (filters, records, fields beside the records) and what they make of answers."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import responses

from qbtime_connector import Connection, InputError, invoke

from .conftest import API, listing, written


def query_of(mocked_api: responses.RequestsMock, n: int = 0) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(str(mocked_api.calls[n].request.url)).query))


def body_of(mocked_api: responses.RequestsMock, n: int = 0) -> Any:
    return json.loads(mocked_api.calls[n].request.body or b"")


def test_get_custom_field_items_takes_the_references_filters(
    mocked_api: responses.RequestsMock, mocked_connection: Connection
) -> None:
    item = {"id": 8001, "customfield_id": 7001, "name": "Tractor", "active": True}
    mocked_api.get(f"{API}/customfielditems", json=listing("customfielditems", [item]))
    found = invoke(
        "get_custom_field_items",
        {"customfield_id": "7001", "ids": [8001, 8002], "name": "Tr*", "active": "both",
         "modified_since": "2026-11-01T00:00:00Z"},
        mocked_connection,
    )  # fmt: skip
    assert found["customfielditems"] == [item]
    assert query_of(mocked_api) == {
        "customfield_id": "7001", "ids": "8001,8002", "name": "Tr*", "active": "both",
        "modified_since": "2026-11-01T00:00:00+00:00", "limit": "50", "page": "1",
    }  # fmt: skip


def test_get_deleted_timesheets_needs_a_range_ids_or_a_modified_time() -> None:
    from qbtime_connector.manifest import action
    from qbtime_connector.validation import prepare

    with pytest.raises(InputError) as nothing:
        prepare(action("get_deleted_timesheets"), {})
    assert nothing.value.errors[0]["input"] == "start_date"
    with pytest.raises(InputError) as half:
        prepare(action("get_deleted_timesheets"), {"start_date": "2026-11-16"})
    assert [(e["input"], e["message"][:32]) for e in half.value.errors] == [
        ("end_date", "is required with Start Date: Qui"),
    ]
    ok = prepare(action("get_deleted_timesheets"), {"modified_since": "2026-11-16T00:00:00-0600"})
    assert ok.query["modified_since"] == "2026-11-16T00:00:00-06:00"  # as the reference writes


def test_a_batch_sends_its_own_inputs_beside_the_records(
    mocked_api: responses.RequestsMock, mocked_connection: Connection
) -> None:
    item = {"id": 18001, "_status_code": 200, "_status_message": "Updated"}
    mocked_api.put(f"{API}/schedule_events", json=written("schedule_events", [item]))
    done = invoke(
        "update_schedule_events",
        {"records": [{"id": 18001, "title": "moved"}], "team_events": "base"},
        mocked_connection,
    )
    assert body_of(mocked_api) == {"team_events": "base", "data": [{"id": 18001, "title": "moved"}]}
    assert (done["succeeded"], done["failed"]) == (1, [])


def test_an_answer_that_names_its_result_set_otherwise_comes_through(
    mocked_api: responses.RequestsMock, mocked_connection: Connection
) -> None:
    # POST /invitations answers its items as "invites" (the reference's example).
    answer = {
        "results": {
            "invites": {
                "1": {"_status_code": 201, "_status_message": "Created"},
                "2": {"_status_code": 417, "_status_message": "Nope"},
            }
        }
    }
    mocked_api.post(f"{API}/invitations", json=answer)  # fmt: skip
    records = [{"user_id": 1, "contact_method": "email", "contact_info": "a@example.com"}] * 2
    done = invoke("invite_users", {"records": records}, mocked_connection)
    assert [i["_status_code"] for i in done["invitations"]] == [201, 417]
    assert (done["succeeded"], done["failed"][0]["index"]) == (1, 1)


def test_more_and_supplemental_data_inside_results_are_read_too(
    mocked_api: responses.RequestsMock, mocked_connection: Connection
) -> None:
    # Some of the reference's answers (notifications, schedule events) show them in results.
    note = {"id": 1, "user_id": 2, "message": "hi"}
    answer = {
        "results": {
            "notifications": {"1": note},
            "more": True,
            "supplemental_data": {"users": {"2": {"id": 2}}},
        }
    }
    mocked_api.get(f"{API}/notifications", json=answer)  # fmt: skip
    page = invoke("get_notifications", {}, mocked_connection)
    assert (page["notifications"], page["more"]) == ([note], True)
    assert page["supplemental_data"] == {"users": {"2": {"id": 2}}}


def test_object_reads_come_as_the_api_keys_them(
    mocked_api: responses.RequestsMock, mocked_connection: Connection
) -> None:
    stamps = {"timesheets": "2026-11-20T18:00:00+00:00", "projects": "2026-11-21T18:00:00+00:00"}
    answer = {"results": {"last_modified_timestamps": stamps}}
    mocked_api.get(f"{API}/last_modified_timestamps", json=answer)
    got = invoke(
        "get_last_modified_timestamps", {"endpoints": ["timesheets", "projects"]}, mocked_connection
    )
    assert got == {"last_modified_timestamps": stamps, "supplemental_data": {}}
    assert query_of(mocked_api) == {"endpoints": "timesheets,projects"}
    with pytest.raises(InputError):
        invoke("get_last_modified_timestamps", {"endpoints": "timesheets,nope"}, mocked_connection)


def test_a_report_answer_is_lifted_out_of_results_and_its_records_listed(
    mocked_api: responses.RequestsMock, mocked_connection: Connection
) -> None:
    projects = {"279": {"id": 279, "name": "Tires"}, "22097": {"id": 22097, "name": "Paging"}}
    answer = {"filters": {"page": 1}, "more": True, "total_count": 8, "results": projects}
    mocked_api.post(f"{API}/reports/project_estimate", json=answer)
    got = invoke("get_project_estimate_report", {"project_ids": "279,22097"}, mocked_connection)
    assert got == {
        "filters": {"page": 1}, "more": True, "total_count": 8,
        "project_estimate_report": list(projects.values()), "supplemental_data": {},
    }  # fmt: skip
    sent = body_of(mocked_api)["data"]
    assert (sent["project_ids"], sent["active"], sent["limit"]) == ("279,22097", "yes", 50)


@pytest.mark.parametrize(
    ("key", "endpoint"),
    [("remove_job_code_assignments", "jobcode_assignments"),
     ("delete_notifications", "notifications"), ("delete_files", "files")],
)  # fmt: skip
def test_deletes_by_ids_go_fifty_at_a_time_each_id_once(
    key: str, endpoint: str, mocked_api: responses.RequestsMock, mocked_connection: Connection
) -> None:
    def answer(request: Any) -> tuple[int, dict[str, str], str]:
        ids = dict(parse_qsl(urlsplit(request.url).query))["ids"].split(",")
        done = {i: {"_status_code": 200, "_status_message": "OK, deleted", "id": i} for i in ids}
        return 200, {}, json.dumps({"results": {endpoint: done}})

    mocked_api.add_callback("DELETE", re.compile(f"{API}/{endpoint}.*"), callback=answer)
    ids = [*range(1, 61), 5]
    got = invoke(key, {"ids": ids}, mocked_connection)
    assert [i["id"] for i in got[endpoint]] == [str(n) for n in range(1, 61)]
    assert [len(query_of(mocked_api, n)["ids"].split(",")) for n in (0, 1)] == [50, 10]
