"""Change polling (Get Changes and changes.poll): every change once, at the fewest calls."""

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
def clock() -> ManualClock:
    return ManualClock()


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


def test_a_quiet_poll_costs_one_call(
    sandbox: Sandbox, connection: Connection, clock: ManualClock
) -> None:
    watcher = Watcher(connection)
    watcher.poll()
    clock.tick()
    before = sandbox.state.count()
    assert watcher.poll() == []
    assert sandbox.state.count() - before == 1
    assert sandbox.state.count(STAMPS) == 2


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
    assert (sandbox.state.count("GET /api/v1/timesheets") - deleted, deleted) == (1, 0)
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
