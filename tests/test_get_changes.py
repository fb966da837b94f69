"""Change polling (Get Changes and changes.poll): every change once, at the fewest calls.

Here `sandbox` runs on `clock` (a ManualClock) and has no rate limit to speak of.
"""

from __future__ import annotations

import base64
import json
import random
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qbtime_connector import Connection, InputError, changes, invoke
from qbtime_connector.changes import digest, poll
from qbtime_connector.sandbox import Sandbox, SandboxState

from .conftest import ManualClock

ALL = ("timesheets", "users", "jobcodes")
STAMPS = "GET /api/v1/last_modified_timestamps"


@pytest.fixture
def sandbox(clock: ManualClock) -> Iterator[Sandbox]:
    with Sandbox(clock=clock, rate_limit=1_000_000) as running:
        yield running


def touch_notes(state: SandboxState, sheet_id: int, notes: str) -> None:
    sheet = state.company.timesheets[sheet_id]
    sheet["notes"] = notes
    state.company.touch("timesheets", sheet)


class Watcher:
    """Polls through changes.poll and keeps every reported version, to check for gaps/repeats."""

    def __init__(self, connection: Connection, include_deleted: bool = True) -> None:
        self.connection = connection
        self.include_deleted = include_deleted
        self.state: dict[str, Any] | None = None
        self.reported: list[tuple[str, str, int, str]] = []

    def poll(self) -> list[dict[str, Any]]:
        page = poll(self.connection, ALL, self.include_deleted, self.state)
        assert len(json.dumps(page["state"])) < 4096
        self.state = json.loads(json.dumps(page["state"]))  # as a host would store it
        for change in page["records"]:
            self.reported.append(
                (change["record_type"], change["change"], change["id"], digest(change["record"]))
            )
        return list(page["records"])

    def until_quiet(self, limit: int = 50) -> None:
        for _ in range(limit):
            if not self.poll():
                return
        raise AssertionError("polling never became quiet")


# -- call counts ----------------------------------------------------------------------------


def test_after_changes_a_poll_reads_only_the_changed_types(
    sandbox: Sandbox, connection: Connection, clock: ManualClock
) -> None:
    watcher = Watcher(connection)
    watcher.poll()
    clock.tick()
    with sandbox.state.lock:
        touch_notes(sandbox.state, 4000002, "changed")
    clock.tick()
    before = sandbox.state.count()
    found = watcher.poll()
    assert [(c["record_type"], c["change"], c["id"]) for c in found] == [
        ("timesheets", "updated", 4000002)
    ]
    assert sandbox.state.count() - before == 2
    deleted = sandbox.state.count("GET /api/v1/timesheets_deleted")
    # The first poll's look for the highest timesheet id (one page here), and this read.
    assert (sandbox.state.count("GET /api/v1/timesheets") - deleted, deleted) == (2, 0)
    assert sandbox.state.count("GET /api/v1/users") == 0
    clock.tick()
    before = sandbox.state.count()
    assert watcher.poll() == []
    assert sandbox.state.count() - before == 1


def test_get_changes_keeps_its_result_shape_over_poll(
    sandbox: Sandbox, connection: Connection, clock: ManualClock
) -> None:
    before = sandbox.state.count()
    first = invoke("get_changes", {}, connection)
    assert (first["count"], sandbox.state.count() - before) == (0, 1)
    clock.tick()
    invoke("delete_timesheet", {"timesheet_ids": 4000003}, connection)
    invoke(
        "update_user", {"id": 1000002, "additional_query_parameters": {"active": False}}, connection
    )
    clock.tick()
    result = invoke("get_changes", {"cursor": first["cursor"]}, connection)
    assert set(result) == {
        "timesheets",
        "deleted_timesheets",
        "users",
        "jobcodes",
        "count",
        "cursor",
    }
    assert [r["id"] for r in result["deleted_timesheets"]] == [4000003]
    assert [r["id"] for r in result["users"]] == [1000002]
    assert result["count"] == 2 and len(result["cursor"]) < 4096


def test_deleted_timesheets_only_when_asked(
    sandbox: Sandbox, connection: Connection, clock: ManualClock
) -> None:
    watcher = Watcher(connection, include_deleted=False)
    watcher.poll()
    clock.tick()
    invoke("delete_timesheet", {"timesheet_ids": 4000003}, connection)
    clock.tick()
    assert watcher.poll() == []
    assert sandbox.state.count("GET /api/v1/timesheets_deleted") == 0


def test_a_created_record_is_reported_as_created(
    sandbox: Sandbox, connection: Connection, clock: ManualClock
) -> None:
    watcher = Watcher(connection)
    watcher.poll()
    clock.tick()
    invoke("create_user", {"username": "new", "first_name": "N", "last_name": "U"}, connection)
    clock.tick()
    assert [(c["record_type"], c["change"]) for c in watcher.poll()] == [("users", "created")]


# -- nothing missed, nothing doubled --------------------------------------------------------


def mutate(
    state: SandboxState, rng: random.Random, clock: ManualClock, log: list[tuple[str, int]]
) -> None:
    """One random change of the company, sometimes in the same second as the last."""
    company = state.company
    if rng.random() < 0.4:
        clock.tick()
    sheets = sorted(company.timesheets)
    action = rng.choice(["update", "update", "delete", "create", "user"])
    if action == "update" and sheets:
        touch_notes(state, rng.choice(sheets), f"n{rng.random()}")
    elif action == "delete" and sheets:
        company.delete_timesheet(rng.choice(sheets[-400:]))  # mostly records being read
    elif action == "create":
        state.add_timesheets(1)
    else:
        user = company.users[rng.choice(sorted(company.users))]
        user["email"] = f"{rng.random()}@example.com"
        company.touch("users", user)
        log.append(("users", user["id"]))
        return
    log.append((action, 0))


def final_versions(
    state: SandboxState, since_ids: set[tuple[str, int]]
) -> set[tuple[str, int, str]]:
    company = state.company
    found = set()
    for kind, key in since_ids:
        if kind == "timesheets" and key in company.timesheets:
            found.add(("timesheets", key, digest(company.timesheets[key])))
        elif kind == "timesheets" and key in company.deleted:
            found.add(("deleted", key, digest(company.deleted[key])))
        elif kind == "users":
            found.add(("users", key, digest(company.users[key])))
    return found


@pytest.mark.parametrize("seed", range(12))
def test_changes_while_paging_are_neither_missed_nor_repeated(
    sandbox: Sandbox, connection: Connection, clock: ManualClock, seed: int
) -> None:
    rng = random.Random(seed)
    sandbox.state.add_timesheets(rng.randrange(300, 700))
    clock.tick()
    watcher = Watcher(connection)
    watcher.poll()
    clock.tick()
    before = {k: dict(v) for k, v in sandbox.state.company.timesheets.items()}
    sandbox.state.add_timesheets(rng.randrange(200, 500))  # several pages of changes
    for sheet_id in rng.sample(sorted(before), 50):
        touch_notes(sandbox.state, sheet_id, "before the poll")
    log: list[tuple[str, int]] = []
    calls = {"n": 0}

    def between(state: SandboxState) -> None:
        calls["n"] += 1
        if calls["n"] < 40 and rng.random() < 0.7:
            mutate(state, rng, clock, log)

    sandbox.state.between(between)
    watcher.poll()
    calls["n"] = 40  # stop changing; one more second so the last ones are settled
    clock.tick()
    watcher.until_quiet()
    versions = [(t if c != "deleted" else "deleted", i, d) for t, c, i, d in watcher.reported]
    assert len(versions) == len(set(versions)), "a version was reported twice"
    company = sandbox.state.company
    changed = {("timesheets", i) for i, s in company.timesheets.items() if before.get(i) != s}
    changed |= {("timesheets", i) for i in company.deleted}
    changed |= {entry for entry in log if entry[0] == "users"}
    missing = final_versions(sandbox.state, changed) - set(versions)
    assert not missing, f"missed {sorted(missing)[:5]} after {log}"


@pytest.mark.slow
def test_a_burst_of_10000_changes_in_one_second_is_reported_once_with_a_small_state(
    sandbox: Sandbox, connection: Connection, clock: ManualClock
) -> None:
    watcher = Watcher(connection)
    watcher.poll()
    clock.tick()
    sandbox.state.add_timesheets(10_000)  # all in one second
    watcher.poll()  # same second: too many to remember, so held back
    clock.tick()
    polls = 0
    while watcher.poll():
        polls += 1
        assert len(json.dumps(watcher.state)) < 4096
    ids = [i for t, _, i, _ in watcher.reported if t == "timesheets"]
    assert len(ids) == len(set(ids)) == 10_000
    assert polls >= 2  # the page cap resumed on the next poll instead of dropping records


def test_the_page_cap_resumes_on_the_next_poll(
    sandbox: Sandbox, connection: Connection, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(changes, "MAX_PAGES", 2)
    watcher = Watcher(connection)
    watcher.poll()
    clock.tick()
    sandbox.state.add_timesheets(1000)
    clock.tick()
    sizes = []
    while found := watcher.poll():
        sizes.append(len(found))
    ids = [i for t, _, i, _ in watcher.reported if t == "timesheets"]
    assert len(ids) == len(set(ids)) == 1000 and len(sizes) > 2


# -- the state is checked ---------------------------------------------------------------------


def a_state(connection: Connection) -> dict[str, Any]:
    state: dict[str, Any] = poll(connection, ALL, True, None)["state"]
    return state


def test_an_edited_state_is_an_input_error(connection: Connection) -> None:
    state = a_state(connection)
    state["marks"]["users"]["since"] = "2020-01-01T00:00:00+00:00"
    with pytest.raises(InputError, match="State"):
        poll(connection, ALL, True, state)


@pytest.mark.parametrize(
    "state",
    [{}, {"kind": "other"}, [], "text", 7, {"kind": "qbtime-changes/1", "marks": {}, "check": 1}],
)
def test_a_foreign_state_is_an_input_error(connection: Connection, state: Any) -> None:
    before = connection.refresh_count
    with pytest.raises(InputError):
        poll(connection, ALL, True, state)
    assert connection.refresh_count == before


@settings(max_examples=100, deadline=None)
@given(cut=st.integers(min_value=1, max_value=400), junk=st.text(max_size=5))
def test_a_truncated_or_edited_cursor_is_an_input_error_never_a_crash(cut: int, junk: str) -> None:
    state = changes.seal({"users": {"since": "2026-11-24T12:00:00+00:00", "seen": []}})
    cursor = changes.encode_cursor(state)
    for bad in (cursor[:-cut], cursor[: len(cursor) // 2] + junk, cursor + junk + "x"):
        if bad == cursor:
            continue
        with pytest.raises(InputError, match="Cursor"):
            changes.decode_cursor(bad)


def test_a_cursor_of_another_connector_is_an_input_error(connection: Connection) -> None:
    foreign = base64.urlsafe_b64encode(json.dumps({"v": 1, "marks": {}}).encode()).decode()
    with pytest.raises(InputError, match="Cursor"):
        invoke("get_changes", {"cursor": foreign.rstrip("=")}, connection)


@pytest.mark.parametrize("cursor", ["x" * 8001, "not a cursor!", "abc\ud800"])
def test_a_cursor_that_cannot_be_one_is_refused_before_any_call(
    sandbox: Sandbox, connection: Connection, cursor: str
) -> None:
    before = sandbox.state.count()
    with pytest.raises(InputError, match="Cursor"):
        invoke("get_changes", {"cursor": cursor}, connection)
    assert sandbox.state.count() == before


def test_changes_before_the_first_poll_in_its_second_are_not_reported(
    sandbox: Sandbox, connection: Connection, clock: ManualClock
) -> None:
    clock.tick()
    invoke("delete_timesheet", {"timesheet_ids": 4000003}, connection)
    before = sandbox.state.count()
    watcher = Watcher(connection)
    watcher.poll()  # same second as the deletion: it reads that second once to know it
    # stamps, the highest timesheet id (one page), timesheets, timesheets_deleted
    assert sandbox.state.count() - before == 4
    invoke("delete_timesheet", {"timesheet_ids": 4000004}, connection)
    clock.tick()
    assert [(c["change"], c["id"]) for c in watcher.poll()] == [("deleted", 4000004)]


@pytest.mark.parametrize("record_types", [[], ["timesheet"], ["users", 7]])
def test_unknown_record_types_are_an_input_error_before_any_call(
    sandbox: Sandbox, connection: Connection, record_types: list[Any]
) -> None:
    before = sandbox.state.count()
    with pytest.raises(InputError, match="Record Types"):
        poll(connection, record_types, False, None)
    assert sandbox.state.count() == before


def leaves(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in leaves(v, (*path, k))]
    if isinstance(node, list):
        return [p for i, v in enumerate(node) for p in leaves(v, (*path, i))] or [path]
    return [path]


SAMPLE_STATE = changes.seal(
    {
        "timesheets": {
            "since": "2026-11-24T12:00:00+00:00",
            "seen": ["0123456789", "abcdefabcd"],
            "resume": {"since": "2026-11-24T11:00:00+00:00", "offset": 400, "after": 4000100},
        },
        "users": {"since": "2026-11-24T12:00:00+00:00", "seen": []},
    }
)


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_any_edit_of_a_state_is_an_input_error(data: Any) -> None:
    state = json.loads(json.dumps(SAMPLE_STATE))
    path = data.draw(st.sampled_from(leaves(state)))
    node = state
    for step in path[:-1]:
        node = node[step]
    old = node[path[-1]]
    new = data.draw(
        st.one_of(
            st.text(max_size=12), st.integers(), st.none(), st.lists(st.integers(), max_size=2)
        )
    )
    if new == old:
        return
    node[path[-1]] = new
    with pytest.raises(InputError, match="State"):
        changes.unseal(state)


def test_the_sandbox_runs_between_hooks_once_per_api_request_and_dates_by_its_clock(
    sandbox: Sandbox, connection: Connection, clock: ManualClock
) -> None:
    seen: list[int] = []
    sandbox.state.between(lambda state: seen.append(state.count()))
    headers: dict[str, str] = {}
    connection.request("GET", "current_user", response_headers=headers)
    invoke("get_users", {}, connection)
    assert len(seen) == 2 and seen[1] == seen[0] + 1
    assert headers["Date"] == "Tue, 24 Nov 2026 12:00:00 GMT"
    sandbox.state.reset()
    assert sandbox.state.hooks == []


def set_notes(connection: Connection, sheet_id: int, notes: str) -> None:
    """Change a timesheet's notes through Update Timesheet."""
    invoke(
        "update_timesheet",
        {"timesheet_id": sheet_id, "additional_query_parameters": {"notes": notes}},
        connection,
    )


class Poller:
    """Polls until quiet, keeping every reported version, to check nothing is missed or doubled."""

    def __init__(self, connection: Connection) -> None:
        self.conn = connection
        self.cursor = invoke("get_changes", {}, connection)["cursor"]
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
    sandbox: Sandbox, clock: ManualClock, connection: Connection
) -> None:
    poller = Poller(connection)
    clock.tick()
    set_notes(connection, 4000002, "n")
    invoke("delete_timesheet", {"timesheet_ids": 4000003}, connection)
    invoke(
        "update_user", {"id": 1000002, "additional_query_parameters": {"active": False}}, connection
    )
    result = poller.poll()
    assert (poller.ids("timesheets"), poller.ids("deleted_timesheets"), poller.ids("users")) == (
        [4000002],
        [4000003],
        [1000002],
    )  # an archived user is a change too
    assert result["count"] == 3 and poller.poll()["count"] == 0


def test_changes_in_the_same_second_as_a_poll_are_reported_once(
    sandbox: Sandbox, clock: ManualClock, connection: Connection
) -> None:
    poller = Poller(connection)
    clock.tick()
    set_notes(connection, 4000002, "one")
    poller.poll()
    # same second again: same last_modified as the version already reported
    set_notes(connection, 4000002, "two")
    set_notes(connection, 4000004, "x")
    poller.poll()
    assert poller.poll()["count"] == 0
    assert sorted(poller.ids("timesheets")) == [4000002, 4000002, 4000004]
    assert len(set(poller.reported)) == len(poller.reported)


def test_changes_landing_during_a_poll_are_neither_missed_nor_doubled(
    sandbox: Sandbox, clock: ManualClock, connection: Connection
) -> None:
    poller = Poller(connection)
    for _ in range(2):  # three pages of changes, made in two different seconds
        clock.tick()
        sandbox.state.add_timesheets(250)
    clock.tick()
    created = sorted(i for i in sandbox.state.company.timesheets if i > 4000040)
    original = connection.request
    landed: list[str] = []

    def request(method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        body = original(method, path, **kwargs)
        if path == "timesheets" and kwargs.get("params", {}).get("page") == 1 and not landed:
            landed.append("now")  # after page 1 is read: shift the pages and change a record
            with sandbox.state.lock:
                sandbox.state.company.delete_timesheet(created[0])
                sheet = sandbox.state.company.timesheets[created[-1]]
                sheet["notes"] = "changed during the poll"
                sandbox.state.company.touch("timesheets", sheet)
        return body

    connection.request = request  # type: ignore[method-assign]
    while poller.poll()["count"]:
        pass
    surviving = set(created) - {created[0]}
    reported = poller.ids("timesheets")
    assert surviving <= set(reported)  # nothing missed, the page shift notwithstanding
    assert poller.ids("deleted_timesheets") == [created[0]]
    assert len(set(poller.reported)) == len(poller.reported)  # no version twice
    latest = sandbox.state.company.timesheets[created[-1]]
    assert any(
        v.endswith(str(sorted(latest.items()))) for _, i, v in poller.reported if i == created[-1]
    )


def test_a_first_poll_with_since_reports_changes_from_then(connection: Connection) -> None:
    result = invoke(
        "get_changes",
        {"since": "2026-11-01T00:00:00+00:00", "endpoints": "users,jobcodes"},
        connection,
    )
    assert (len(result["users"]), len(result["jobcodes"]), result["timesheets"]) == (6, 7, [])


def test_a_bad_cursor_is_an_input_error(connection: Connection) -> None:
    with pytest.raises(InputError, match="Cursor"):
        invoke("get_changes", {"cursor": "bm90LWEtY3Vyc29y"}, connection)


# -- created timesheets, bursts in a first poll's second, held-back bursts ----------------------


def kinds(changes_found: list[dict[str, Any]]) -> list[tuple[str, str, int]]:
    return [(c["record_type"], c["change"], c["id"]) for c in changes_found]


def new_timesheet(connection: Connection, day: str) -> int:
    made = invoke(
        "create_timesheet",
        {
            "user_id": 1000002,
            "jobcode_id": 2000004,
            "start_date": f"{day}T08:00:00-07:00",
            "end_date": f"{day}T09:00:00-07:00",
        },
        connection,
    )
    sheet_id: int = made["timesheets"][0]["id"]
    return sheet_id


def test_a_new_timesheet_is_created_and_an_edited_one_updated(
    connection: Connection, clock: ManualClock
) -> None:
    watcher = Watcher(connection)
    watcher.poll()
    clock.tick()
    made = new_timesheet(connection, "2026-12-01")
    set_notes(connection, 4000002, "edited")
    clock.tick()
    assert sorted(kinds(watcher.poll())) == [
        ("timesheets", "created", made),
        ("timesheets", "updated", 4000002),
    ]
    set_notes(connection, made, "now an edit of a known one")
    clock.tick()
    assert kinds(watcher.poll()) == [("timesheets", "updated", made)]
    assert len(json.dumps(watcher.state)) < 4096


def test_the_highest_id_of_a_large_table_costs_a_few_calls(
    sandbox: Sandbox, connection: Connection
) -> None:
    sandbox.state.add_timesheets(5000)  # 26 pages of 200
    before = sandbox.state.count("GET /api/v1/timesheets")
    assert changes.highest_id(connection, "timesheets") == max(sandbox.state.company.timesheets)
    assert sandbox.state.count("GET /api/v1/timesheets") - before <= 10
    assert changes.highest_id(connection, "timesheets_deleted") == 0


def test_a_state_made_before_created_timesheets_is_accepted_and_learns_the_highest_id(
    connection: Connection, clock: ManualClock
) -> None:
    watcher = Watcher(connection)
    watcher.poll()
    assert watcher.state is not None
    marks = watcher.state["marks"]
    for mark in marks.values():
        mark.pop("top", None)  # what a state made before this change held
    watcher.state = changes.seal(marks)
    clock.tick()
    first = new_timesheet(connection, "2026-12-01")
    clock.tick()
    assert kinds(watcher.poll()) == [("timesheets", "updated", first)]  # as such states said
    second = new_timesheet(connection, "2026-12-02")
    clock.tick()
    assert kinds(watcher.poll()) == [("timesheets", "created", second)]


def test_a_burst_in_the_first_polls_second_is_not_reported_but_what_follows_it_is(
    sandbox: Sandbox, connection: Connection, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock.tick()
    sandbox.state.add_timesheets(changes.MAX_REMEMBERED + 5)  # before the trigger starts
    monkeypatch.setattr(changes, "sleep", lambda seconds: clock.tick())
    after_start: list[int] = []

    def change_once(state: SandboxState) -> None:
        if not after_start and state.count("GET /api/v1/timesheets") == 2:  # the burst was read
            touch_notes(state, 4000002, "after the trigger started, in the same second")
            after_start.append(4000002)

    sandbox.state.between(change_once)
    watcher = Watcher(connection, include_deleted=False)
    watcher.poll()
    clock.tick()
    watcher.until_quiet()
    assert [(kind, key) for _, kind, key, _ in watcher.reported] == [("updated", 4000002)]


def test_a_held_back_burst_does_not_bring_back_what_was_reported(
    sandbox: Sandbox, connection: Connection, clock: ManualClock
) -> None:
    watcher = Watcher(connection, include_deleted=False)
    watcher.poll()
    clock.tick()
    for sheet in range(4000002, 4000012):
        touch_notes(sandbox.state, sheet, "first")
    assert len(watcher.poll()) == 10  # remembered: 10 versions of this second
    sandbox.state.add_timesheets(changes.MAX_REMEMBERED)  # the same second: too many now
    assert watcher.poll() == []  # held back until the second is over
    clock.tick()
    assert len(watcher.poll()) == changes.MAX_REMEMBERED
    assert len(set(watcher.reported)) == len(watcher.reported) == 10 + changes.MAX_REMEMBERED
