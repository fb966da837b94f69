"""Clock In opens the user's active timesheet (an empty end, on purpose); Clock Out ends it."""

from __future__ import annotations

import json
from typing import Any

import pytest
import responses

from qbtime_connector import ApiError, Connection, InputError, ItemError, invoke
from qbtime_connector.sandbox import Sandbox

from .conftest import API, listing, written

MARY, JOHN = 1000002, 1000003
INSTALLATION = 2000002
START = "2026-11-27T08:00:00-07:00"


def clock_in(connection: Connection, **extra: Any) -> dict[str, Any]:
    inputs = {"user_id": str(MARY), "jobcode_id": str(INSTALLATION), "start_time": START, **extra}
    return invoke("clock_in", inputs, connection)


def test_clock_in_opens_an_on_the_clock_timesheet(sandbox: Sandbox, connection: Connection) -> None:
    made = clock_in(connection, notes="Morning shift")["timesheets"][0]
    assert (made["user_id"], made["jobcode_id"], made["start"]) == (MARY, INSTALLATION, START)
    # A write answers `active` ("1": on the clock), as the reference shows.
    assert (made["end"], made["active"], made["notes"]) == ("", "1", "Morning shift")
    assert made["_status_code"] == 200
    # One look for an open timesheet, one create.
    assert sandbox.state.count("GET /api/v1/timesheets") == 1
    assert sandbox.state.count("POST /api/v1/timesheets") == 1


def test_clock_in_sends_an_empty_end_and_looks_for_open_timesheets_first(
    mocked_api: responses.RequestsMock, mocked_connection: Connection
) -> None:
    mocked_api.get(f"{API}/timesheets", json=listing("timesheets", []))
    item = {"id": 9, "end": "", "on_the_clock": True, "_status_code": 200}
    mocked_api.post(f"{API}/timesheets", json=written("timesheets", [item]))
    invoke(
        "clock_in",
        {"user_id": "1242515", "jobcode_id": "17288279", "start_time": START},
        mocked_connection,
    )
    look, create = mocked_api.calls
    assert "on_the_clock=yes" in str(look.request.url) and "user_ids=1242515" in str(
        look.request.url
    )
    assert json.loads(create.request.body) == {
        "data": [
            {
                "user_id": 1242515,
                "jobcode_id": 17288279,
                "type": "regular",
                "start": START,
                "end": "",
            }
        ]
    }


def test_clock_in_without_a_start_time_starts_now(connection: Connection) -> None:
    made = invoke("clock_in", {"user_id": MARY, "jobcode_id": INSTALLATION}, connection)
    sheet = made["timesheets"][0]
    assert sheet["active"] == "1" and sheet["start"].endswith("+00:00")


def test_clock_in_refuses_a_user_already_on_the_clock(
    sandbox: Sandbox, connection: Connection
) -> None:
    first = clock_in(connection)["timesheets"][0]
    with pytest.raises(ApiError) as refused:
        clock_in(connection)
    assert refused.value.status == 409 and refused.value.code == "already_on_the_clock"
    assert f"timesheet {first['id']}" in str(refused.value) and "clock out first" in str(
        refused.value
    )
    assert sandbox.state.count("POST /api/v1/timesheets") == 1


def test_clock_in_reports_a_user_who_may_not_track_time(connection: Connection) -> None:
    from .conftest import new_worker

    user = new_worker(connection, "no-tracking", tracking=False)
    with pytest.raises(ItemError) as refused:
        invoke("clock_in", {"user_id": user, "jobcode_id": INSTALLATION}, connection)
    assert refused.value.status == 403


def test_clock_in_inputs_are_checked_before_any_request(
    sandbox: Sandbox, connection: Connection
) -> None:
    with pytest.raises(InputError) as refused:
        invoke("clock_in", {"user_id": "x", "start_time": "tomorrow"}, connection)
    assert {e["input"] for e in refused.value.errors} == {"user_id", "jobcode_id", "start_time"}
    assert sandbox.state.count("GET /api/v1/timesheets") == 0


def test_clock_out_ends_the_users_active_timesheet_at_the_time_given(
    sandbox: Sandbox, connection: Connection
) -> None:
    opened = clock_in(connection)["timesheets"][0]
    ended = invoke(
        "clock_out", {"user_id": str(MARY), "end_time": "2026-11-27T12:30:00-07:00"}, connection
    )["timesheets"][0]
    assert ended["id"] == opened["id"]
    assert (ended["end"], ended["active"], ended["duration"]) == (
        "2026-11-27T12:30:00-07:00",
        "0",
        4.5 * 3600,
    )
    assert sandbox.state.count("PUT /api/v1/timesheets") == 1


def test_clock_out_by_timesheet_id_with_notes(connection: Connection) -> None:
    opened = clock_in(connection)["timesheets"][0]
    ended = invoke(
        "clock_out",
        {"timesheet_id": opened["id"], "end_time": "2026-11-27T09:00:00-07:00", "notes": "done"},
        connection,
    )["timesheets"][0]
    assert (ended["id"], ended["notes"], ended["active"]) == (opened["id"], "done", "0")


def test_clock_out_now_uses_the_offset_of_the_start(
    mocked_api: responses.RequestsMock, mocked_connection: Connection
) -> None:
    sheet = {"id": 7, "start": START, "end": "", "on_the_clock": True}
    mocked_api.get(f"{API}/timesheets", json=listing("timesheets", [sheet]))
    mocked_api.put(f"{API}/timesheets", json=written("timesheets", [{"id": 7}]))
    invoke("clock_out", {"user_id": 1242515}, mocked_connection)
    sent = json.loads(mocked_api.calls[1].request.body)["data"][0]
    assert sent["id"] == 7 and sent["end"].endswith("-07:00")


def test_clock_out_refuses_a_user_not_on_the_clock(
    sandbox: Sandbox, connection: Connection
) -> None:
    with pytest.raises(ApiError) as refused:
        invoke("clock_out", {"user_id": JOHN}, connection)
    assert refused.value.code == "not_on_the_clock" and f"User {JOHN}" in str(refused.value)
    with pytest.raises(ApiError, match="Timesheet 4000001 is not on the clock"):
        invoke("clock_out", {"timesheet_id": 4000001}, connection)
    assert sandbox.state.count("PUT /api/v1/timesheets") == 0


def test_clock_out_needs_a_user_or_a_timesheet() -> None:
    with pytest.raises(InputError) as refused:
        invoke("clock_out", {"end_time": START}, {"client_id": "x"})
    assert refused.value.errors[0]["input"] == "user_id"


def test_clock_in_works_from_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    from qbtime_connector.cli import main

    args = ["run", "clock_in", "--sandbox", "-i", f"user_id={MARY}"]
    code = main([*args, "-i", f"jobcode_id={INSTALLATION}", "-i", f"start_time={START}"])
    assert code == 0 and '"active": "1"' in capsys.readouterr().out


def test_two_concurrent_clock_ins_leave_one_open_timesheet(sandbox: Sandbox) -> None:
    import threading

    outcomes: list[str] = []
    start = threading.Barrier(2)

    def run() -> None:
        with sandbox.connect() as own:
            start.wait()
            try:
                clock_in(own)
                outcomes.append("clocked in")
            except ApiError as already:  # whether it looked before or after the other wrote
                outcomes.append(str(already.code))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 2 and outcomes.count("clocked in") == 1
    assert set(outcomes) - {"clocked in"} == {"already_on_the_clock"}
    with sandbox.connect() as check:
        totals = invoke("get_current_totals", {"on_the_clock": "yes"}, check)["current_totals"]
    assert [t["user_id"] for t in totals] == [MARY]


def test_the_loser_of_two_clock_ins_at_once_is_told_already_on_the_clock(
    sandbox: Sandbox,
) -> None:
    """Both callers look before either writes (the between-request hook holds each after its
    look until the other has looked too); the one whose write is refused must hear the
    documented 409 already_on_the_clock, not the API's raw 406 overlap."""
    import threading

    looked = threading.Barrier(2, timeout=20)
    held: set[int] = set()

    def after_each_request(state: Any) -> None:
        me = threading.get_ident()  # one server thread per client connection
        if me not in held and state.count("POST /api/v1/timesheets") == 0:
            held.add(me)  # its first request is the look for an open timesheet
            looked.wait()

    connections = [sandbox.connect(), sandbox.connect()]
    sandbox.state.between(after_each_request)
    outcomes: list[Any] = []

    def run(own: Connection) -> None:
        try:
            outcomes.append(clock_in(own)["timesheets"][0]["_status_code"])
        except ApiError as refused:
            outcomes.append(refused)

    threads = [threading.Thread(target=run, args=(c,)) for c in connections]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for own in connections:
        own.close()
    assert sandbox.state.count("POST /api/v1/timesheets") == 2  # both wrote: a real race
    assert 200 in outcomes and len(outcomes) == 2
    loser = next(o for o in outcomes if o != 200)
    assert not isinstance(loser, ItemError), loser
    assert (loser.status, loser.code) == (409, "already_on_the_clock")
    assert "already on the clock" in str(loser)
