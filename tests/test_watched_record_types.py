"""The trigger watches every record type with a change stamp, each with the same guarantees.

Every test of a guarantee is parametrised over record_types.TYPES, so a type added there is
covered with no new test: each change reported once (created, updated, deleted), nothing missed
or repeated while records change between pages and between polls, a quiet poll costs one call,
and the state stays under 4 KB however many types are watched.

Here `sandbox` runs on `clock` (a ManualClock) and has no rate limit to speak of.
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qbtime_connector import Connection, InputError, changes, manifest, poll, sample
from qbtime_connector.changes import digest
from qbtime_connector.errors import ApiError, TransportError
from qbtime_connector.record_types import ENDPOINTS, EPOCH, RECORD_TYPES, TYPES, Reader
from qbtime_connector.sandbox import Sandbox, SandboxState, routes
from qbtime_connector.sandbox.company import Record
from qbtime_connector.sandbox.resources import Resource, table

from .conftest import ManualClock, no_sleep_policy

TRIGGER = "new_or_changed_records"
ALL = {"record_types": list(RECORD_TYPES), "include_deleted": True}
STAMPS = "GET /api/v1/last_modified_timestamps"
# The reference's record types that have a change stamp and are not watched, and why.
NOT_WATCHED = {
    "customfielditem_jobcode_filters": "one record per job code, summing up its item filters, "
    "which are watched as Custom Field Item Filters",
    "customfielditem_user_filters": "one record per user or group, summing up its item filters, "
    "which are watched as Custom Field Item Filters",
    "project_activity_replies": "read one project activity at a time, and activities one "
    "project at a time: a poll would cost a call per activity",
    "managed_clients": "no modified_since (the reference lists none), and its answers are not "
    "in ascending id order",
}
# Where a record of a type that is read per parent names its parent.
PARENT_FIELD = {
    "schedule_events": "schedule_calendar_id",
    "project_notes": "project_id",
    "project_activities": "project_id",
    "customfielditems": "customfield_id",
    "reminders": "user_id",
}
KINDS = [t.name for t in TYPES]


@pytest.fixture
def sandbox(clock: ManualClock) -> Iterator[Sandbox]:
    with Sandbox(clock=clock, rate_limit=1_000_000) as running:
        yield running


# -- changing any record type in the sandbox, as the API would ------------------------------


def rows(state: SandboxState, kind: str) -> dict[int, Record]:
    return table(state.company, kind)


def create(state: SandboxState, kind: str, like: int | None = None, **values: Any) -> int:
    """A new record of the type, made like an existing one (`like`, else the first)."""
    company, found = state.company, rows(state, kind)
    template = found[like if like is not None else min(found)]
    fields = {k: copy.deepcopy(v) for k, v in template.items() if k not in ("id", "last_modified")}
    if "created" in fields:
        fields["created"] = ""  # stamped when added
    fields.update(values)
    resource = routes.ENDPOINTS.get(kind)
    if isinstance(resource, Resource):
        return int(resource.add(company, **fields)["id"])
    company.next_id.setdefault(kind, max(found) + 1)
    return int(company.add(kind, found, {**fields, "id": None})["id"])


def edit(state: SandboxState, kind: str, record_id: int) -> None:
    """A change of the record: archived or restored where it can be, else its text."""
    record = rows(state, kind)[record_id]
    if "active" in record:
        record["active"] = not record["active"]
    else:
        text = next(
            k
            for k, v in sorted(record.items())
            if isinstance(v, str) and k not in ("created", "last_modified")
        )
        record[text] = f"{record[text]}!"
    resource = routes.ENDPOINTS.get(kind)
    if isinstance(resource, Resource):
        resource.touch(state.company, record)
    else:
        state.company.touch(kind, record)


def editable(kind: str) -> bool:
    """Whether records of the type can change (geolocations are recorded, never changed)."""
    return ENDPOINTS[kind].stamp == "last_modified"


def versions(state: SandboxState, kind: str, ids: set[int]) -> set[tuple[str, int, str]]:
    """The current version of each record (a deleted timesheet's deleted version)."""
    found = rows(state, kind)
    deleted = state.company.deleted if kind == "timesheets" else {}
    return {
        (kind if i in found else "deleted", i, digest(found[i] if i in found else deleted[i]))
        for i in ids
    }


class Watcher:
    """Polls the trigger as a host would: keeps the state, every reported version, sizes."""

    def __init__(self, connection: Connection, inputs: dict[str, Any]) -> None:
        self.connection, self.inputs = connection, inputs
        self.state: dict[str, Any] | None = None
        self.reported: list[tuple[str, str, int, str]] = []
        self.largest = 0

    def poll(self) -> list[dict[str, Any]]:
        page = poll(TRIGGER, self.inputs, self.connection, state=self.state)
        size = len(json.dumps(page["state"]))
        assert size < changes.STATE_BYTES
        self.largest = max(self.largest, size)
        self.state = json.loads(json.dumps(page["state"]))  # as a host would store it
        self.reported += [
            (c["record_type"], c["change"], c["id"], digest(c["record"])) for c in page["records"]
        ]
        return list(page["records"])

    def until_quiet(self, limit: int = 80) -> int:
        for polls in range(limit):
            found = self.poll()
            assert self.state is not None
            if not found and not any("resume" in m for m in self.state["marks"].values()):
                return polls
        raise AssertionError("polling never became quiet")

    def versions(self) -> list[tuple[str, int, str]]:
        return [(t if c != "deleted" else "deleted", i, d) for t, c, i, d in self.reported]


def kinds(found: list[dict[str, Any]]) -> list[tuple[str, str, int]]:
    return sorted((c["record_type"], c["change"], c["id"]) for c in found)


def reports_a_new_one(watcher: Watcher, state: SandboxState, clock: ManualClock, kind: str) -> None:
    """A record of the type made in a second of its own is reported by the next poll, alone."""
    clock.tick()
    made = create(state, kind)
    clock.tick()
    assert kinds(watcher.poll()) == [(kind, "created", made)]


# -- which types, declared where ------------------------------------------------------------


def test_every_record_type_of_the_reference_with_a_change_stamp_is_watched() -> None:
    """The reference's example objects (tests/fixtures): each type stamped with last_modified
    is watched or named, with why, in NOT_WATCHED."""
    reference = json.loads(
        (Path(__file__).parent / "fixtures" / "reference_examples.json").read_text("utf-8")
    )
    endpoint_of = {
        e["section"]: e["endpoint"] for e in reference["examples"] if e["method"] == "GET"
    }
    stamped = {
        endpoint_of[section]
        for section, example in reference["objects"].items()
        if "last_modified" in example
    }
    watched = set(ENDPOINTS)
    assert stamped - watched == set(NOT_WATCHED)
    assert watched - stamped == {"geolocations"}  # stamped by `created`: points never change


def test_the_triggers_choices_are_the_watched_types_and_its_default_is_unchanged() -> None:
    spec = manifest.trigger(TRIGGER)
    record_types = next(i for i in spec.value_inputs if i.key == "record_types")
    assert [c["value"] for c in record_types.choices] == list(RECORD_TYPES)
    assert record_types.default == ["timesheets", "users", "jobcodes"]
    change = spec.output["properties"]["records"]["items"]
    assert change["properties"]["record_type"]["enum"] == list(RECORD_TYPES)


def test_the_mcp_trigger_tool_offers_every_type() -> None:
    pytest.importorskip("mcp")
    from qbtime_connector.mcp_server.catalog import Catalog

    catalog = Catalog(json.loads(manifest.MANIFEST_PATH.read_text(encoding="utf-8")))
    schema = catalog.input_schema(TRIGGER)
    assert schema is not None
    listed = schema["properties"]["record_types"]["anyOf"][1]["items"]["enum"]
    assert listed == list(RECORD_TYPES)


@pytest.mark.parametrize("kind", KINDS)
def test_a_read_of_a_type_sees_every_one_of_its_records(
    sandbox: Sandbox, connection: Connection, kind: str
) -> None:
    """Archived ones, drafts, every job-code type, every parent's: under the type's filters."""
    state = sandbox.state
    if editable(kind):
        edit(state, kind, max(rows(state, kind)))  # archived, where records can be
    batch = Reader(connection).changes(kind, EPOCH, 1000)
    assert sorted(int(r["id"]) for r in batch.records) == sorted(rows(state, kind))
    assert not batch.more


# -- each change once -----------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_each_change_of_every_type_is_reported_once(
    sandbox: Sandbox, connection: Connection, clock: ManualClock, kind: str
) -> None:
    state = sandbox.state
    watcher = Watcher(connection, {"record_types": [kind], "include_deleted": True})
    watcher.poll()
    clock.tick()
    known = sorted(rows(state, kind))
    made = create(state, kind)
    expected = [(kind, "created", made)]
    if editable(kind):
        edit(state, kind, known[-1])
        expected.append((kind, "updated", known[-1]))
    if kind == "timesheets":
        state.company.delete_timesheet(known[-2])
        expected.append((kind, "deleted", known[-2]))
    clock.tick()
    assert kinds(watcher.poll()) == sorted(expected)
    clock.tick()
    before = state.count()
    assert watcher.poll() == []
    assert state.count() - before == 1


def test_a_quiet_poll_of_every_type_costs_one_call(
    sandbox: Sandbox, connection: Connection, clock: ManualClock
) -> None:
    watcher = Watcher(connection, ALL)
    watcher.poll()
    clock.tick()
    before = sandbox.state.count()
    assert watcher.poll() == []
    assert sandbox.state.count() - before == 1
    assert sandbox.state.count(STAMPS) == 2
    assert watcher.state is not None and set(watcher.state["marks"]) == set(ENDPOINTS)


def test_a_type_read_per_parent_costs_its_parents_listing_and_a_read_each(
    sandbox: Sandbox, connection: Connection, clock: ManualClock
) -> None:
    state = sandbox.state
    watcher = Watcher(connection, {"record_types": ["project_notes"]})
    watcher.poll()
    clock.tick()
    projects = sorted(rows(state, "projects"))
    note = create(state, "project_notes", project_id=projects[-1])
    clock.tick()
    before = state.count()
    assert kinds(watcher.poll()) == [("project_notes", "created", note)]
    # the stamps, the projects (one page), then each project's notes since the last poll
    assert state.count() - before == 2 + len(projects)
    assert state.count("GET /api/v1/project_notes") == len(projects)


def mutate(
    state: SandboxState,
    kind: str,
    rng: random.Random,
    clock: ManualClock,
    touched: set[int],
) -> None:
    """One random change of the type's records (sometimes in the same second as the last):
    a new record, in a new parent now and then; an edit; a deleted timesheet."""
    if rng.random() < 0.4:
        clock.tick()
    found = sorted(rows(state, kind))
    action = rng.choice(["create", "edit", "edit", "delete", "parent"])
    if action == "parent" and kind in PARENT_FIELD:
        scope = ENDPOINTS[kind].scope
        assert scope is not None
        parent = create(state, scope.parent, like=max(rows(state, scope.parent)))
        touched.add(create(state, kind, like=rng.choice(found), **{PARENT_FIELD[kind]: parent}))
    elif action == "edit" and editable(kind):
        record_id = rng.choice(found[-300:])  # mostly records being read
        edit(state, kind, record_id)
        touched.add(record_id)
    elif action == "delete" and kind == "timesheets":
        record_id = rng.choice(found[-300:])
        state.company.delete_timesheet(record_id)
        touched.add(record_id)
    else:
        touched.add(create(state, kind, like=rng.choice(found)))


def changes_while_polling(
    sandbox: Sandbox, connection: Connection, clock: ManualClock, kind: str, seed: int
) -> None:
    """Several pages of changes, more made between the poll's requests: none missed or
    reported twice."""
    state, rng = sandbox.state, random.Random(seed)
    watcher = Watcher(connection, {"record_types": [kind], "include_deleted": True})
    with state.lock:
        for _ in range(rng.randrange(250, 450)):  # pages to read, in a few seconds
            mutate(state, kind, rng, clock, set())
    clock.tick()
    watcher.poll()
    clock.tick()
    touched: set[int] = set()
    with state.lock:
        for _ in range(rng.randrange(200, 400)):  # several pages of changes
            mutate(state, kind, rng, clock, touched)
    calls = {"n": 0}

    def between(changing: SandboxState) -> None:
        calls["n"] += 1
        if calls["n"] < 40 and rng.random() < 0.7:
            mutate(changing, kind, rng, clock, touched)

    state.between(between)
    watcher.poll()
    calls["n"] = 40  # stop changing; one more second so the last ones are settled
    clock.tick()
    watcher.until_quiet()
    reported = watcher.versions()
    assert len(reported) == len(set(reported)), "a version was reported twice"
    missing = versions(state, kind, touched) - set(reported)
    assert not missing, f"missed {sorted(missing)[:5]}"


@pytest.mark.parametrize("kind", KINDS)
def test_changes_of_every_type_while_paging_are_neither_missed_nor_repeated(
    sandbox: Sandbox, connection: Connection, clock: ManualClock, kind: str
) -> None:
    changes_while_polling(sandbox, connection, clock, kind, seed=KINDS.index(kind))


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(kind=st.sampled_from(KINDS), seed=st.integers(min_value=0, max_value=2**32))
def test_any_type_and_any_changes_between_pages_and_polls(
    clock: ManualClock, kind: str, seed: int
) -> None:
    with Sandbox(clock=clock, rate_limit=1_000_000) as running, running.connect() as connected:
        changes_while_polling(running, connected, clock, kind, seed)


def fault(rng: random.Random, kind: str) -> dict[str, Any]:
    """A lost answer (a dropped connection, a 5xx, a 429) for a few of the next requests: of
    the type's reads or any request (the stamps, a parent's listing); five or more in a row
    outlast the retries, and the poll fails."""
    how = rng.choice([{"drop": True}, {"status": 503}, {"status": 429, "retry_after": "1"}])
    return {**how, "count": rng.choice([1, 2, 6]), "path": rng.choice(["", f"/{kind}"])}


@pytest.mark.parametrize("kind", KINDS)
def test_lost_answers_and_failed_polls_of_every_type_lose_and_repeat_nothing(
    sandbox: Sandbox, clock: ManualClock, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """Reads capped after 2 calls, answers lost at random (some polls fail: the host keeps the
    state it had), records changing between requests: each version comes once, none missed."""
    monkeypatch.setattr(changes, "MAX_PAGES", 2)
    state, rng = sandbox.state, random.Random(KINDS.index(kind))
    connection = sandbox.connect(retry=no_sleep_policy())  # retries wait no real time
    watcher = Watcher(connection, {"record_types": [kind], "include_deleted": True})
    watcher.poll()
    clock.tick()
    touched: set[int] = set()
    with state.lock:
        for _ in range(rng.randrange(150, 250)):
            mutate(state, kind, rng, clock, touched)
    changing = {"on": True}

    def between(now: SandboxState) -> None:
        if changing["on"] and rng.random() < 0.3:
            mutate(now, kind, rng, clock, touched)

    state.between(between)
    failed, polls = 0, 0
    # 30 polls (60 cost twice the CPU): the types read per parent still continue capped reads
    # 55 to 64 times each, and every type has failed polls.
    while polls < 30:
        state.inject(**fault(rng, kind))
        try:
            watcher.poll()
        except (ApiError, TransportError):
            failed += 1
            continue
        finally:
            polls += 1
    changing["on"] = False
    with state.lock:
        state.faults = []
    clock.tick()
    watcher.until_quiet(limit=200)
    connection.close()
    assert failed > 0
    reported = watcher.versions()
    assert len(reported) == len(set(reported)), "a version was reported twice"
    missing = versions(state, kind, touched) - set(reported)
    assert not missing, f"missed {sorted(missing)[:5]}"


# -- the state's budget ---------------------------------------------------------------------

BIGGEST_ID = 2**63 - 1


def largest_marks(resumes: int) -> dict[str, dict[str, Any]]:
    """A state at its largest: every endpoint, the shared budget of digests spread over all
    (each list costs its key), `top` and a `resume` at their longest (`resumes` of them)."""
    stamp = "2026-11-24T12:00:00+00:00"
    marks: dict[str, dict[str, Any]] = {e: {"since": stamp} for e in ENDPOINTS}
    for n in range(changes.MAX_REMEMBERED):
        marks[list(ENDPOINTS)[n % len(ENDPOINTS)]].setdefault("seen", []).append(f"{n:010x}")
    for endpoint, mark in marks.items():
        if ENDPOINTS[endpoint].new_by_id:
            mark["top"] = BIGGEST_ID
    for endpoint in list(ENDPOINTS)[:resumes]:
        marks[endpoint]["resume"] = {
            "since": stamp,
            "offset": 10**12,
            "after": BIGGEST_ID,
            "part": [BIGGEST_ID, BIGGEST_ID],
        }
    return marks


@pytest.mark.parametrize("resumes", [1, 4])  # ours hold one; states made before, up to four
def test_the_largest_state_stays_under_4_kb_and_its_cursor_under_the_limit(resumes: int) -> None:
    marks = largest_marks(resumes)
    for key in (None, "k" * 64):
        state = changes.seal(marks, key)
        assert len(json.dumps(state)) < changes.STATE_BYTES
        assert len(changes.encode_cursor(state)) < 8000
        assert changes.unseal(json.loads(json.dumps(state)), key=key) == marks


def burst(state: SandboxState, count: int) -> dict[str, set[int]]:
    """`count` new records of every type, all in one second."""
    with state.lock:
        return {kind: {create(state, kind) for _ in range(count)} for kind in KINDS}


@pytest.mark.slow
def test_bursts_on_every_type_keep_the_state_small_and_are_reported_once(
    sandbox: Sandbox,
    connection: Connection,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
    record_property: Any,
) -> None:
    """Every type chosen, a burst larger than the whole budget on each, reads capped after 2
    calls: the state stays small, holds one `resume` at most, and every record comes once."""
    monkeypatch.setattr(changes, "MAX_PAGES", 2)
    state = sandbox.state
    watcher = Watcher(connection, ALL)
    watcher.poll()
    clock.tick()
    made = burst(state, changes.MAX_REMEMBERED + 150)  # more than 2 pages of 200 each
    more = {kind: {create(state, kind)} for kind in KINDS}  # the same second, after a poll
    assert watcher.poll() == []  # capped in this very second: held back, the rest waits
    assert watcher.state is not None
    resumed = [m for m in watcher.state["marks"].values() if "resume" in m]
    assert len(resumed) <= 1
    for kind in KINDS:
        made[kind] |= more[kind]
    clock.tick()
    polls = watcher.until_quiet(limit=400)
    for kind in KINDS:
        reported = [i for t, c, i, _ in watcher.reported if t == kind and c == "created"]
        assert sorted(reported) == sorted(made[kind]), kind
    assert len(watcher.reported) == len(set(watcher.reported))
    record_property("largest_state_bytes", watcher.largest)
    record_property("polls", polls)
    print(f"largest state {watcher.largest} bytes over {polls} polls")


def test_versions_of_one_second_share_the_budget_and_the_rest_come_one_poll_later(
    sandbox: Sandbox, connection: Connection, clock: ManualClock
) -> None:
    state = sandbox.state
    watcher = Watcher(connection, {"record_types": ["users", "projects", "files"]})
    watcher.poll()
    clock.tick()
    watcher.poll()  # this second is now the state's `since`
    first = {create(state, "users") for _ in range(changes.MAX_REMEMBERED - 5)}
    second = {create(state, "projects") for _ in range(10)}  # does not fit beside them
    third = {create(state, "files") for _ in range(5)}  # does
    found = watcher.poll()
    assert {c["id"] for c in found} == first | third
    assert watcher.state is not None
    held = sum(len(m.get("seen", [])) for m in watcher.state["marks"].values())
    assert held == changes.MAX_REMEMBERED
    clock.tick()
    assert {c["id"] for c in watcher.poll()} == second  # the next poll, once
    assert watcher.poll() == []


def test_a_capped_read_is_finished_before_other_types_are_read(
    sandbox: Sandbox, connection: Connection, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(changes, "MAX_PAGES", 1)
    state = sandbox.state
    watcher = Watcher(connection, {"record_types": ["users", "groups"]})
    watcher.poll()
    clock.tick()
    users = {create(state, "users") for _ in range(450)}  # three pages
    group = create(state, "groups")
    clock.tick()
    first = watcher.poll()
    assert {c["record_type"] for c in first} == {"users"} and len(first) == 200
    assert watcher.state is not None and "resume" in watcher.state["marks"]["users"]
    assert "resume" not in watcher.state["marks"]["groups"]
    watcher.until_quiet()
    created = {(t, i) for t, c, i, _ in watcher.reported if c == "created"}
    assert created == {("users", u) for u in users} | {("groups", group)}


@pytest.mark.parametrize("kind", [k for k in KINDS if editable(k)])
def test_the_rest_of_a_capped_read_does_not_bring_back_what_was_reported(
    sandbox: Sandbox,
    connection: Connection,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
) -> None:
    """A version reported and remembered in its second, past where the next poll's read is
    capped: the rest of that read, on the poll after, must not report it again."""
    monkeypatch.setattr(changes, "MAX_PAGES", 2)
    state = sandbox.state
    with state.lock:
        older = [create(state, kind) for _ in range(450)]  # more than two calls can read
    clock.tick()
    watcher = Watcher(connection, {"record_types": [kind]})
    watcher.poll()
    clock.tick()
    last = create(state, kind)  # the highest id: read last
    assert kinds(watcher.poll()) == [(kind, "created", last)]  # remembered, in this second
    with state.lock:
        for record_id in older:
            edit(state, kind, record_id)  # the same second: the next read is capped before it
    clock.tick()
    watcher.until_quiet()
    assert [i for _, c, i, _ in watcher.reported].count(last) == 1
    assert sorted(i for _, c, i, _ in watcher.reported if c == "updated") == older


def test_a_capped_read_of_a_type_read_per_parent_resumes_in_its_parent(
    sandbox: Sandbox, connection: Connection, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(changes, "MAX_PAGES", 1)
    state = sandbox.state
    watcher = Watcher(connection, {"record_types": ["project_notes"]})
    watcher.poll()
    clock.tick()
    projects = sorted(rows(state, "projects"))
    notes = {create(state, "project_notes", project_id=p) for p in projects for _ in range(250)}
    clock.tick()
    assert len(watcher.poll()) == 200
    assert watcher.state is not None
    resume = watcher.state["marks"]["project_notes"]["resume"]
    assert resume["part"] == [projects[0], projects[0]]
    watcher.until_quiet()
    created = [i for _, c, i, _ in watcher.reported if c == "created"]
    assert sorted(created) == sorted(notes)


def test_a_type_read_per_parent_with_more_parents_than_the_cap_starves_no_other_type(
    sandbox: Sandbox, connection: Connection, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More projects than a read's calls: every read of the notes is capped. Each capped read
    is finished within as many polls as it needs calls over the cap, and then the other types
    are read: none waits for ever, and every note comes once."""
    monkeypatch.setattr(changes, "MAX_PAGES", 2)
    state = sandbox.state
    watcher = Watcher(connection, {"record_types": ["project_notes", "users"]})
    with state.lock:
        for _ in range(5):
            create(state, "projects")
    projects = sorted(rows(state, "projects"))
    most = len(projects) // 2 + 2  # polls a capped read of the notes can take, and one more
    watcher.poll()
    notes, users = set(), set()
    for round_ in range(4):
        clock.tick()
        notes.add(create(state, "project_notes", project_id=projects[round_]))
        user = create(state, "users")
        users.add(user)
        for _ in range(most):
            clock.tick()
            watcher.poll()
            if ("users", "created", user) in {(t, c, i) for t, c, i, _ in watcher.reported}:
                break
        else:
            raise AssertionError(f"round {round_}: users were not read in {most} polls")
    clock.tick()
    watcher.until_quiet()
    created = {(t, i) for t, c, i, _ in watcher.reported if c == "created"}
    assert created == {("project_notes", n) for n in notes} | {("users", u) for u in users}
    assert len(watcher.reported) == len(set(watcher.reported))


def test_a_type_no_longer_watched_leaves_the_state_and_starts_afresh(
    sandbox: Sandbox, connection: Connection, clock: ManualClock
) -> None:
    state = sandbox.state
    watcher = Watcher(connection, ALL)
    watcher.poll()
    watcher.inputs = {"record_types": ["users"]}
    watcher.poll()
    assert watcher.state is not None and list(watcher.state["marks"]) == ["users"]
    clock.tick()
    create(state, "projects")  # while projects are not watched
    clock.tick()
    watcher.inputs = {"record_types": ["users", "projects"]}
    assert watcher.poll() == []  # watched from now
    reports_a_new_one(watcher, state, clock, "projects")


def test_a_state_made_before_the_new_types_is_accepted_with_every_type_chosen(
    sandbox: Sandbox, connection: Connection, clock: ManualClock
) -> None:
    """As the trigger saved it before: `seen` on every mark, up to 40 digests each."""
    state = sandbox.state
    since = "2026-11-24T12:00:00+00:00"
    old = {
        "timesheets": {"since": since, "seen": [f"{n:010x}" for n in range(40)], "top": 4000040},
        "timesheets_deleted": {"since": since, "seen": [f"{n + 40:010x}" for n in range(40)]},
        "users": {"since": since, "seen": [f"{n + 80:010x}" for n in range(40)]},
        "jobcodes": {"since": since, "seen": []},
    }
    watcher = Watcher(connection, ALL)
    watcher.state = changes.seal(old)
    reports_a_new_one(watcher, state, clock, "users")
    assert watcher.state is not None and set(watcher.state["marks"]) == set(ENDPOINTS)
    reports_a_new_one(watcher, state, clock, "project_notes")


def test_an_endpoint_that_ignores_modified_since_still_reports_each_change_once(
    sandbox: Sandbox, connection: Connection, clock: ManualClock
) -> None:
    """The reference documents no modified_since for some types (projects, time off
    requests): were the API to ignore it, the poll costs more reads, never a change twice."""
    original = connection.request

    def request(method: str, path: str, **kwargs: Any) -> Any:
        if path == "projects" and "params" in kwargs:
            kwargs["params"] = {k: v for k, v in kwargs["params"].items() if k != "modified_since"}
        return original(method, path, **kwargs)

    connection.request = request  # type: ignore[method-assign]
    state = sandbox.state
    watcher = Watcher(connection, {"record_types": ["projects"]})
    watcher.poll()
    clock.tick()
    made = create(state, "projects")
    edit(state, "projects", min(rows(state, "projects")))
    clock.tick()
    assert kinds(watcher.poll()) == [
        ("projects", "created", made),
        ("projects", "updated", min(rows(state, "projects"))),
    ]
    clock.tick()
    edit(state, "projects", made)
    assert kinds(watcher.poll()) == [("projects", "updated", made)]


def test_a_state_with_a_digest_that_is_no_digest_is_refused(connection: Connection) -> None:
    marks = {"users": {"since": "2026-11-24T12:00:00+00:00", "seen": ["x" * 5000]}}
    with pytest.raises(InputError, match="State"):
        poll(TRIGGER, {"record_types": ["users"]}, connection, changes.seal(marks))


# -- samples ----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_a_sample_of_every_type_is_its_newest_records(
    sandbox: Sandbox, connection: Connection, clock: ManualClock, kind: str
) -> None:
    state = sandbox.state
    clock.tick()
    made = create(state, kind)
    clock.tick()
    newest = create(state, kind)
    if editable(kind):
        clock.tick()
        edit(state, kind, made)
        newest, made = made, newest
    found = sample(TRIGGER, {"record_types": [kind]}, connection, limit=2)["records"]
    told = "created" if ENDPOINTS[kind].record_type.has_created else "updated"
    assert [(c["record_type"], c["id"]) for c in found] == [(kind, newest), (kind, made)]
    if editable(kind):
        assert [c["change"] for c in found] == ["updated", told]
    else:
        assert [c["change"] for c in found] == [told, told]


def test_a_sample_of_every_type_reads_no_endpoint_that_cannot_hold_the_newest(
    sandbox: Sandbox, connection: Connection, clock: ManualClock
) -> None:
    state = sandbox.state
    clock.tick(3600)
    made = [create(state, "users") for _ in range(3)]
    before = state.count()
    found = sample(TRIGGER, {"record_types": list(RECORD_TYPES)}, connection, limit=3)
    assert [c["id"] for c in found["records"]] == made[::-1]
    # the stamps and the users' newest second: every other type's newest change (the seed's)
    # is older than the third newest user, so none of theirs can be in the sample
    assert state.count() - before == 2
