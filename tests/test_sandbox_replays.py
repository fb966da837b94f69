"""The sandbox answers every example request of the official reference as the reference shows.

Each of the 126 examples of tests/fixtures/reference_examples.json is sent to the sandbox as
the reference writes it, with the reference's ids put in the sandbox's seeded ones (by the
tables below, field by field; a few examples need a record of the reference's dates first).
Its answer must have the reference's shape: the same result sets, records with every field
the reference shows (and none it does not know of), and, for writes and deletes, the same
status for each item. The file shares one sandbox (`shared_sandbox`, reset before each test);
`connection` here is a Connection to it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from qbtime_connector import ApiError, Connection
from qbtime_connector.sandbox import Sandbox

FIXTURE = json.loads(
    (Path(__file__).parent / "fixtures" / "reference_examples.json").read_text(encoding="utf-8")
)
EXAMPLES: list[dict[str, Any]] = FIXTURE["examples"]
OBJECTS: dict[str, dict[str, Any]] = FIXTURE["objects"]
ADMIN, MARY, JOHN, LI, PETRA = 1000001, 1000002, 1000003, 1000004, 1000005
FIELD_WORK, INSTALLATION, REPAIRS, OFFICE, TRAINING, VACATION = (
    2000001, 2000002, 2000003, 2000004, 2000005, 2000007,
)  # fmt: skip
USERS = {
    1242515: MARY, 1234: JOHN, 217432: JOHN, 217435: LI, 37: LI, 11: MARY, 1365: JOHN,
    423: MARY, 467: JOHN, 15790: MARY, 76108: JOHN, 76124: LI, 933849: MARY, 1123: PETRA,
    300: ADMIN, 316: MARY, 21: MARY, 673: JOHN, 4893: LI,
}  # fmt: skip
JOBCODES = {
    17288283: INSTALLATION, 12788279: FIELD_WORK, 235494: FIELD_WORK, 11377903: REPAIRS,
    12: INSTALLATION, 367: REPAIRS, 3489: OFFICE, 10606354: REPAIRS, 10608414: OFFICE,
    10608424: TRAINING, 37: OFFICE, 3656485: OFFICE, 6386823: FIELD_WORK, 6386831: OFFICE,
    1345687: VACATION, 18081060: OFFICE, 120981: INSTALLATION, 128934: REPAIRS, 4647114: OFFICE,
    1: INSTALLATION,
}  # fmt: skip
# The reference's ids of each record type, and the sandbox's seeded record each stands for.
IDS: dict[str, dict[int, int]] = {
    "users": USERS,
    "jobcodes": JOBCODES,
    "customfields": {195923: 7001, 19142: 7001, 19144: 7002, 21889: 7002, 1: 7001, 1247597: 7001},
    "customfielditems": {
        3875655: 8001,
        3875657: 8002,
        3085064: 8001,
        3085066: 8002,
        1: 8001,
        8681617: 8001,
        1247597: 8002,
    },
    "customfielditem_filters": {101: 26001, 102: 26002},
    "jobcode_assignments": {56788052: 3000001, 58078296: 3000002},
    "groups": {6: 5001, 8: 5002},
    "estimates": {840923: 15001, 841513: 15001},
    "estimate_items": {596275: 16001},
    "files": {
        129526: 21001,
        129524: 21002,
        123828: 21001,
        123455: 21001,
        60001: 21001,
        60002: 21002,
        60011: 21001,
        60020: 21002,
        50692: 21001,
        44878: 21002,
    },
    "locations": {742413: 6001, 742415: 6002, 12: 6001, 367: 6002},
    "locations_map": {12: 24001},
    "notifications": {135694294: 19001, 135694494: 19002},
    "projects": {
        527093: 10001,
        1301299: 10001,
        1234: 10001,
        30001: 10001,
        30002: 10002,
        12345: 10001,
        54321: 10002,
        2557137: 10001,
    },
    "project_activities": {40001: 12003},
    "project_activity_read_times": {10001: 14001},
    "project_activity_replies": {10001: 13001, 20001: 13002, 10002: 13002},
    "project_notes": {10001: 11001, 20001: 11002, 12: 11001, 367: 11002},
    "schedule_calendars": {72595: 17001, 5: 17001},
    "schedule_events": {2816375: 18001},
    "time_off_requests": {1546922: 9001},
    "time_off_request_entries": {11374: 9801},
    "timesheets": {
        135694294: 4000001,
        135694494: 4000002,
        12: 4000001,
        367: 4000002,
        21718670: 4000001,
    },
}
# What a field of a query or record points at (id and ids: the example's own endpoint).
FIELDS = {
    "user_id": "users", "user_ids": "users", "manager_ids": "users",
    "assigned_user_ids": "users", "users_ids": "users",
    "jobcode_id": "jobcodes", "jobcode_ids": "jobcodes", "parent_id": "jobcodes",
    "parent_ids": "jobcodes", "parent_jobcode_id": "jobcodes", "jobcodes": "jobcodes",
    "applies_to_id": "jobcodes", "customfield_id": "customfields",
    "estimate_by__id": "customfields", "customfielditem_id": "customfielditems",
    "type_id": "customfielditems", "estimate_id": "estimates", "project_id": "projects",
    "project_ids": "projects", "project_activity_id": "project_activities",
    "schedule_calendar_id": "schedule_calendars", "schedule_calendar_ids": "schedule_calendars",
    "time_off_request_id": "time_off_requests", "time_off_request_ids": "time_off_requests",
    "files": "files", "attached_files": "files", "object_ids": "timesheets",
}  # fmt: skip
USERNAMES = {"nancysmith": "jdoe"}
# Values of the reference's custom fields, as the sandbox's fields take them.
VALUES = {"Item 1": "Tractor", "Item 2": "Shovel"}
# The reference's placeholder for a file ("iVBOR...< actual data here >...ANI="), and a real one.
PIXEL = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAC"
    "hwGA60e6kgAAAABJRU5ErkJggg=="
)
# Examples the sandbox answers otherwise than the reference shows, and why.
OTHERWISE = {
    ("PUT", "reminders"): (
        "its records have no id (the example repeats the create's): each is refused with 417",
        [417, 417],
    ),
}
# Fields a sandbox record may have beyond the reference's examples and objects (api-facts.md).
EXTRA = {"timesheets": {"created_by_user_id"}, "users": {"display_name"}}


@pytest.fixture
def connection(shared_sandbox: Sandbox) -> Iterator[Connection]:
    shared_sandbox.state.reset()
    with shared_sandbox.connect() as connected:
        yield connected


def _each(value: Any, table: dict[int, int]) -> Any:
    """An id, an id as text, a comma-separated list of ids or a list of them, translated."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return table.get(value, value)
    if isinstance(value, list):
        return [_each(v, table) for v in value]
    if isinstance(value, str) and re.fullmatch(r"[0-9]+(\s*,\s*[0-9]*)*", value):
        return re.sub(r"[0-9]+", lambda m: str(table.get(int(m.group()), int(m.group()))), value)
    return value


def translated(node: Any, endpoint: str, field: str = "") -> Any:
    """The example's query or body with the reference's ids put in the sandbox's."""
    if isinstance(node, dict) and field != "customfields":
        return {k: translated(v, endpoint, k) for k, v in node.items()}
    if isinstance(node, list) and field not in FIELDS:
        return [translated(v, endpoint, field) for v in node]
    if field == "username":
        return USERNAMES.get(node, node)
    if field == "customfields" and isinstance(node, dict):
        table = IDS["customfields"]
        return {str(_each(int(k), table)): VALUES.get(v, v) for k, v in node.items()}
    if field == "file_data":
        return PIXEL
    own = endpoint.split("/")[0]  # files/raw: files
    kind = FIELDS.get(field, own if field in {"id", "ids"} else "")
    return _each(node, IDS.get(kind, {})) if kind else node


def _dated_timesheets(connection: Connection) -> None:
    """The update example's two timesheets of 2018-08-08 (regular 9-15, manual)."""
    made = connection.request("POST", "timesheets", json={"data": [
        {"user_id": MARY, "jobcode_id": INSTALLATION, "type": "regular",
         "start": "2018-08-08T09:00:00-07:00", "end": "2018-08-08T15:00:00-07:00"},
        {"user_id": MARY, "jobcode_id": INSTALLATION, "type": "manual", "date": "2018-08-08",
         "duration": 3600}]})["results"]["timesheets"]  # fmt: skip
    IDS["timesheets"].update({136022168: made["1"]["id"], 136022240: made["2"]["id"]})


def _deleted_timesheet(connection: Connection) -> None:
    connection.request("DELETE", "timesheets", params={"ids": "4000003"})
    IDS.setdefault("timesheets_deleted", {})[136022048] = 4000003


# Records some examples need before they are sent, by (method, endpoint).
SETUP: dict[tuple[str, str], Callable[[Connection], None]] = {
    ("PUT", "timesheets"): _dated_timesheets,
    ("GET", "timesheets_deleted"): _deleted_timesheet,
}


def example_id(example: dict[str, Any]) -> str:
    return f"{EXAMPLES.index(example):03d}-{example['method']}-{example['endpoint']}"


def result_sets(body: dict[str, Any]) -> dict[str, Any]:
    """An answer's result sets (more and supplemental_data aside, wherever they are)."""
    results = body.get("results", {})
    return {k: v for k, v in results.items() if k not in {"more", "supplemental_data"}}


def record_maps(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The id- or position-keyed records of an answer's result sets."""
    return [
        r
        for found in result_sets(body).values()
        if isinstance(found, dict)
        for r in found.values()
        if isinstance(r, dict)
    ]


def send(connection: Connection, example: dict[str, Any]) -> Any:
    endpoint, method = example["endpoint"], example["method"]
    setup = SETUP.get((method, endpoint))
    if setup is not None:
        setup(connection)
    query = translated(example.get("query", {}), endpoint)
    body = translated(example.get("request"), endpoint)
    if endpoint == "files/raw":
        data, headers = connection.download(endpoint, params=query)
        return {"bytes": len(data), "headers": headers}
    return connection.request(method, endpoint, params=query or None, json=body)


@pytest.mark.parametrize("example", EXAMPLES, ids=example_id)
def test_the_sandbox_answers_the_example_request_as_the_reference_shows(
    example: dict[str, Any], connection: Connection
) -> None:
    shown = example.get("response")
    try:
        got = send(connection, example)
    except ApiError as refused:
        pytest.fail(f"the sandbox refused the example: {refused}")
    if example["endpoint"] == "files/raw":
        assert got["headers"]["Content-Type"] == "application/octet-stream"
        assert got["bytes"] > 0 and "attachment" in got["headers"]["Content-Disposition"]
        return
    if shown is None:
        return  # the reference shows the request only: answered without error
    if example["endpoint"].startswith("reports/"):
        assert_report_shape(got, shown)
        return
    assert set(result_sets(got)) <= set(result_sets(shown)) | {example["endpoint"]}
    mine, theirs = record_maps(got), record_maps(shown)
    otherwise = OTHERWISE.get((example["method"], example["endpoint"]))
    if otherwise is not None:
        assert [r.get("_status_code") for r in mine] == otherwise[1], otherwise[0]
        return
    if example["method"] in {"POST", "PUT", "DELETE"}:
        statuses = [[r.get("_status_code", 200) for r in side] for side in (mine, theirs)]
        assert statuses[0] == statuses[1]
    known = fields_shown(example) | EXTRA.get(example["endpoint"], set())
    shared = set.intersection(*map(set, theirs)) if theirs else set()
    for record in mine:
        if record.get("_status_code", 200) >= 300:
            continue
        fields = {k for k in record if not k.startswith("_status")}
        assert shared - fields - {"_status_code", "_status_message"} == set(), "missing fields"
        assert fields - known == set(), "fields the reference does not know of"


def fields_shown(example: dict[str, Any]) -> set[str]:
    """Every field the reference shows of this endpoint's records (examples and object)."""
    shown: set[str] = set(OBJECTS.get(example["section"], {}))
    for other in EXAMPLES:
        if other["endpoint"] == example["endpoint"] and other.get("response"):
            shown |= {k for r in record_maps(other["response"]) for k in r}
    return shown


def assert_report_shape(got: dict[str, Any], shown: dict[str, Any]) -> None:
    """A report's answer: the reference's parts, and its records' (or rows') fields."""
    assert set(got) - {"more"} == set(shown) - {"more"}  # `more`: of the paged reports
    mine, theirs = result_sets(got), result_sets(shown)
    if theirs and all(str(k).isdigit() for k in theirs):  # records by id (estimate report)
        assert mine and all(set(r) >= set(next(iter(theirs.values()))) for r in mine.values())
    else:
        assert set(mine) == set(theirs)
    for part in set(got) - {"results", "more", "total_count", "supplemental_data"}:
        if isinstance(shown[part], dict) and part != "filters":
            assert set(next(iter(got[part].values()))) >= set(next(iter(shown[part].values())))
