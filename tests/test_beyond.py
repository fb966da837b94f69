"""Fetch all, batches, raw request, current user, pick lists, change polling, generated docs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import responses

from qbtime_connector import Connection, InputError, docs, invoke
from qbtime_connector.sandbox import Sandbox

from .conftest import API, make_token, new_worker

ROOT = Path(__file__).resolve().parent.parent


class Clock:
    """A sandbox clock that moves only when told, so same-second changes can be made."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 24, 12, tzinfo=dt.timezone.utc)

    def __call__(self) -> dt.datetime:
        return self.now

    def tick(self, seconds: int = 1) -> None:
        self.now += dt.timedelta(seconds=seconds)


@pytest.fixture(scope="module")
def clock() -> Clock:
    return Clock()


@pytest.fixture(scope="module")
def sb(clock: Clock) -> Iterator[Sandbox]:
    with Sandbox(clock=clock) as sandbox:
        yield sandbox


@pytest.fixture
def conn(sb: Sandbox) -> Iterator[Connection]:
    sb.state.reset()
    with sb.connect() as connection:
        yield connection


@pytest.fixture
def conn_mock() -> Iterator[Connection]:
    with Connection("c", "secret-x", make_token(), base_url=API) as connection:
        yield connection


# -- batches ---------------------------------------------------------------------------------


def slots(user: int, count: int) -> list[dict[str, Any]]:
    start = dt.datetime(2027, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=-7)))
    return [
        {
            "user_id": user,
            "jobcode_id": 2000004,
            "start": (start + dt.timedelta(hours=n)).isoformat(),
            "end": (start + dt.timedelta(hours=n, minutes=30)).isoformat(),
        }
        for n in range(count)
    ]


def test_creating_500_timesheets_takes_10_calls(sb: Sandbox, conn: Connection) -> None:
    user = new_worker(conn, "batch")
    before = sb.state.count("POST /api/v1/timesheets")
    result = invoke("create_timesheets", {"records": slots(user, 500)}, conn)
    assert sb.state.count("POST /api/v1/timesheets") - before == 10
    assert (result["succeeded"], result["failed"]) == (500, [])
    assert len({s["id"] for s in result["timesheets"]}) == 500


def test_a_batch_reports_failures_per_item_and_keeps_the_successes(conn: Connection) -> None:
    good, barred = new_worker(conn, "good"), new_worker(conn, "barred", tracking=False)
    records = slots(good, 3) + slots(barred, 1) + slots(good, 1)  # last overlaps the first
    records.append(
        {
            "user_id": good,
            "jobcode_id": 2000004,
            "duration": 3600,
            "date": "2027-02-01",
            "notes": "",
        }
    )
    result = invoke("create_timesheets", {"records": records}, conn)
    assert result["succeeded"] == 4
    assert [(f["index"], f["_status_code"]) for f in result["failed"]] == [(3, 403), (4, 406)]
    assert result["timesheets"][5]["type"] == "manual"
    assert [i["_status_code"] for i in result["timesheets"]] == [200, 200, 200, 403, 406, 200]


def test_batch_updates_of_users_and_timesheets(conn: Connection) -> None:
    user = new_worker(conn, "upd")
    made = invoke("create_timesheets", {"records": slots(user, 2)}, conn)["timesheets"]
    changed = invoke(
        "update_timesheets",
        {"records": [{"id": str(s["id"]), "notes": "batch note"} for s in made]},
        conn,
    )
    assert [t["notes"] for t in changed["timesheets"]] == ["batch note", "batch note"]
    users = invoke(
        "update_users",
        {"records": f'[{{"id": {user}, "email": "b@example.com"}}, {{"username": "nobody"}}]'},
        conn,
    )
    assert users["succeeded"] == 1 and users["failed"][0]["_status_code"] == 404


def test_batch_records_are_validated_one_by_one(conn: Connection) -> None:
    with pytest.raises(InputError) as caught:
        invoke(
            "create_timesheets",
            {
                "records": [
                    {"user_id": 1, "jobcode_id": 2},
                    {
                        "user_id": 1,
                        "jobcode_id": 2,
                        "start": "2027-01-01T09:00:00",
                        "end": "2027-01-01T10:00:00-07:00",
                    },
                ]
            },
            conn,
        )
    message = caught.value.errors[0]["message"]
    assert "record 1: needs start and end or duration and date" in message
    assert "record 2, field 'start'" in message
    with pytest.raises(InputError, match="Records"):
        invoke("create_users", {"records": []}, conn)
    with pytest.raises(InputError, match="record 2: None is not of type 'object'"):
        invoke("create_timesheets", {"records": [slots(1, 1)[0], None]}, conn)
    with pytest.raises(InputError, match="record 1: 'username' is a required property"):
        invoke("create_users", {"records": [{}]}, conn)


# -- raw request and current user -------------------------------------------------------------


def test_raw_request_reaches_any_endpoint_with_auth(sb: Sandbox, conn: Connection) -> None:
    body = invoke(
        "raw_request",
        {
            "method": "get",
            "path": "jobcodes",
            "query": [{"key": "ids", "value": [2000002, 2000003]}],
        },
        conn,
    )["body"]
    assert list(body["results"]["jobcodes"]) == ["2000002", "2000003"]
    made = invoke(
        "raw_request",
        {
            "method": "POST",
            "path": "users",
            "body": {"data": [{"username": "raw", "first_name": "R", "last_name": "W"}]},
        },
        conn,
    )["body"]
    assert made["results"]["users"]["1"]["_status_code"] == 200


def test_raw_request_sends_extra_headers_but_never_the_token_elsewhere(
    api: responses.RequestsMock, conn_mock: Connection
) -> None:
    api.get(f"{API}/groups", json={"results": {"groups": {}}})
    invoke("raw_request", {"path": "groups", "headers": {"X-Trace": "abc"}}, conn_mock)
    assert api.calls[0].request.headers["X-Trace"] == "abc"
    for path in (
        "//evil.example/x",
        "https://evil.example/api",
        "../grant",
        "users/../grant",
        "users?x=1",
    ):
        with pytest.raises(InputError, match="Path"):
            invoke("raw_request", {"path": path}, conn_mock)
    for header in ("Authorization", "host", "Cookie"):
        with pytest.raises(InputError, match="Headers"):
            invoke("raw_request", {"path": "groups", "headers": {header: "x"}}, conn_mock)
    assert len(api.calls) == 1


def test_get_current_user(conn: Connection) -> None:
    assert invoke("get_current_user", {}, conn)["user"]["username"] == "admin"


# -- pick lists ----------------------------------------------------------------------------------


def test_pick_lists_label_their_options(sb: Sandbox, conn: Connection) -> None:
    users = invoke("user_options", {}, conn)["options"]
    assert {"key": "1000002", "label": "Mary Samsonite"} in users and len(users) == 5
    codes = {o["label"] for o in invoke("job_code_options", {"active": "both"}, conn)["options"]}
    assert {"Field Work › Repairs", "Old Project", "Vacation"} <= codes
    sheets = invoke(
        "timesheet_options",
        {"start_date": "2026-11-16", "end_date": "2026-11-16", "user_ids": "1000002"},
        conn,
    )["options"]
    assert [o["label"] for o in sheets] == [
        "2026-11-16 09:00–12:00 · Mary Samsonite · Installation",
        "2026-11-16 13:00–17:00 · Mary Samsonite · Office",
    ]
    assigned = invoke("job_code_assignment_options", {"user_ids": 1000003}, conn)["options"]
    assert [o["label"] for o in assigned] == ["John Doe → Repairs", "John Doe → Office"]


def test_a_pick_list_needs_its_date_range(conn: Connection) -> None:
    with pytest.raises(InputError, match="End Date"):
        invoke("timesheet_options", {"start_date": "2026-11-16"}, conn)


# -- change polling ------------------------------------------------------------------------------


class Poller:
    """Polls until quiet, keeping every reported version, to check nothing is missed or doubled."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.cursor = invoke("get_changes", {}, conn)["cursor"]
        self.reported: list[tuple[str, int, str]] = []

    def poll(self) -> dict[str, Any]:
        result = invoke("get_changes", {"cursor": self.cursor}, self.conn)
        self.cursor = result["cursor"]
        for kind in ("timesheets", "deleted_timesheets", "users", "jobcodes"):
            self.reported += [
                (kind, r["id"], r["last_modified"] + str(sorted(r.items()))) for r in result[kind]
            ]
        return result

    def ids(self, kind: str) -> list[int]:
        return [i for k, i, _ in self.reported if k == kind]


def test_the_first_poll_reports_nothing_and_the_next_reports_each_change(
    sb: Sandbox, clock: Clock, conn: Connection
) -> None:
    poller = Poller(conn)
    clock.tick()
    invoke(
        "update_timesheet",
        {"timesheet_id": 4000002, "additional_query_parameters": {"notes": "n"}},
        conn,
    )
    invoke("delete_timesheet", {"timesheet_ids": 4000003}, conn)
    invoke("update_user", {"id": 1000002, "additional_query_parameters": {"active": False}}, conn)
    result = poller.poll()
    assert (poller.ids("timesheets"), poller.ids("deleted_timesheets"), poller.ids("users")) == (
        [4000002],
        [4000003],
        [1000002],
    )  # an archived user is a change too
    assert result["count"] == 3 and poller.poll()["count"] == 0


def test_changes_in_the_same_second_as_a_poll_are_reported_once(
    sb: Sandbox, clock: Clock, conn: Connection
) -> None:
    poller = Poller(conn)
    clock.tick()
    invoke(
        "update_timesheet",
        {"timesheet_id": 4000002, "additional_query_parameters": {"notes": "one"}},
        conn,
    )
    poller.poll()
    # same second again: same last_modified as the version already reported
    invoke(
        "update_timesheet",
        {"timesheet_id": 4000002, "additional_query_parameters": {"notes": "two"}},
        conn,
    )
    invoke(
        "update_timesheet",
        {"timesheet_id": 4000004, "additional_query_parameters": {"notes": "x"}},
        conn,
    )
    poller.poll()
    assert poller.poll()["count"] == 0
    assert sorted(poller.ids("timesheets")) == [4000002, 4000002, 4000004]
    assert len(set(poller.reported)) == len(poller.reported)


def test_changes_landing_during_a_poll_are_neither_missed_nor_doubled(
    sb: Sandbox, clock: Clock, conn: Connection
) -> None:
    poller = Poller(conn)
    for _ in range(2):  # three pages of changes, made in two different seconds
        clock.tick()
        sb.state.add_timesheets(250)
    clock.tick()
    created = sorted(i for i in sb.state.company.timesheets if i > 4000040)
    original = conn.request
    landed: list[str] = []

    def request(method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        body = original(method, path, **kwargs)
        if path == "timesheets" and kwargs.get("params", {}).get("page") == 1 and not landed:
            landed.append("now")  # after page 1 is read: shift the pages and change a record
            with sb.state.lock:
                sb.state.company.delete_timesheet(created[0])
                sheet = sb.state.company.timesheets[created[-1]]
                sheet["notes"] = "changed during the poll"
                sb.state.company.touch("timesheets", sheet)
        return body

    conn.request = request  # type: ignore[method-assign]
    while poller.poll()["count"]:
        pass
    surviving = set(created) - {created[0]}
    reported = poller.ids("timesheets")
    assert surviving <= set(reported)  # nothing missed, the page shift notwithstanding
    assert poller.ids("deleted_timesheets") == [created[0]]
    assert len(set(poller.reported)) == len(poller.reported)  # no version twice
    latest = sb.state.company.timesheets[created[-1]]
    assert any(
        v.endswith(str(sorted(latest.items()))) for _, i, v in poller.reported if i == created[-1]
    )


def test_a_first_poll_with_since_reports_changes_from_then(conn: Connection) -> None:
    result = invoke(
        "get_changes", {"since": "2026-11-01T00:00:00+00:00", "endpoints": "users,jobcodes"}, conn
    )
    assert (len(result["users"]), len(result["jobcodes"]), result["timesheets"]) == (6, 7, [])


def test_a_bad_cursor_is_an_input_error(conn: Connection) -> None:
    with pytest.raises(InputError, match="Cursor"):
        invoke("get_changes", {"cursor": "bm90LWEtY3Vyc29y"}, conn)


# -- generated documentation -------------------------------------------------------------------


def test_the_committed_docs_page_is_up_to_date() -> None:
    assert docs.is_current(ROOT), "run `qbtime-connector docs` and commit docs/"


def test_the_docs_page_has_every_action_and_input() -> None:
    from qbtime_connector import manifest

    page = docs.render()
    for spec in [*manifest.actions().values(), *manifest.data_sources().values()]:
        assert f"### {spec.label}\n" in page
        for item in spec.inputs:
            assert f"| {item.label} " in page
