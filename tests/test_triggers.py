"""Triggers: poll() validates a trigger's inputs, then hands them and the state to its engine."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import responses
from jsonschema import Draft202012Validator

import qbtime_connector
from qbtime_connector import Connection, InputError, invoke, poll
from qbtime_connector import changes as changes_module
from qbtime_connector.sandbox import Sandbox

from .conftest import ManualClock


class Engine:
    """Stands in for changes.poll and records how it was called."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []

    def __call__(
        self, connection: Connection, types: list[str], deleted: bool, state: Any, key: Any = None
    ) -> dict[str, Any]:
        self.calls.append((connection, types, deleted, state))
        return {"records": [], "state": {"n": len(self.calls)}}


@pytest.fixture
def engine(monkeypatch: pytest.MonkeyPatch) -> Engine:
    fake = Engine()
    monkeypatch.setattr(changes_module, "poll", fake, raising=False)
    return fake


def test_poll_is_public_and_the_trigger_is_declared() -> None:
    assert qbtime_connector.poll is poll
    spec = qbtime_connector.manifest.trigger("new_or_changed_records")
    assert spec.label == "New or Changed Records"
    assert [i.key for i in spec.value_inputs] == ["record_types", "include_deleted", "state_key"]


def test_defaults_watch_everything_without_deletions(
    engine: Engine, mocked_connection: Connection
) -> None:
    page = poll("new_or_changed_records", {}, mocked_connection)
    assert page == {"records": [], "state": {"n": 1}}
    assert engine.calls == [(mocked_connection, ["timesheets", "users", "jobcodes"], False, None)]


def test_inputs_as_a_designer_sends_them(engine: Engine, mocked_connection: Connection) -> None:
    inputs = {"record_types": "timesheets, users,timesheets", "include_deleted": "true"}
    poll("new_or_changed_records", inputs, mocked_connection, state={"n": 1})
    poll("new_or_changed_records", {"record_types": ["jobcodes"]}, mocked_connection)
    assert [c[1:] for c in engine.calls] == [
        (["timesheets", "users"], True, {"n": 1}),
        (["jobcodes"], False, None),
    ]


@pytest.mark.parametrize(
    ("inputs", "label"),
    [
        ({"record_types": "timesheets,payroll"}, "Record Types"),
        ({"record_types": []}, "Record Types"),
        ({"record_types": ["Users!"]}, "Record Types"),
        ({"include_deleted": "perhaps"}, "Include Deleted"),
        ({"cursor": "abc"}, "cursor"),
    ],
)
def test_bad_inputs_are_refused_before_any_request(
    engine: Engine,
    mocked_api: responses.RequestsMock,
    mocked_connection: Connection,
    inputs: dict[str, Any],
    label: str,
) -> None:
    with pytest.raises(InputError) as caught:
        poll("new_or_changed_records", inputs, mocked_connection)
    assert [e["label"] for e in caught.value.errors] == [label]
    assert engine.calls == [] and len(mocked_api.calls) == 0


def test_an_unknown_trigger_or_a_state_that_is_no_object_is_refused(
    engine: Engine, mocked_connection: Connection
) -> None:
    with pytest.raises(InputError, match="new_or_changed_records"):
        poll("new_records", {}, mocked_connection)
    with pytest.raises(InputError, match="State"):
        poll("new_or_changed_records", {}, mocked_connection, state="eyJ2IjogMX0")  # type: ignore[arg-type]
    assert engine.calls == []


def test_a_trigger_is_not_an_action() -> None:
    with pytest.raises(InputError, match="Unknown action"):
        qbtime_connector.invoke("new_or_changed_records", {}, {"client_id": "c"})


# -- the real engine, over a sequence of edits in the sandbox ------------------------------------


class Watcher:
    """Polls the trigger as a host would: keeps the state, collects every record."""

    def __init__(self, connection: Connection, inputs: dict[str, Any]) -> None:
        self.connection, self.inputs = connection, inputs
        self.state: dict[str, Any] | None = None
        self.seen: list[tuple[str, str, int]] = []
        self.largest_state = 0

    def poll(self) -> list[dict[str, Any]]:
        page = poll(KEY, self.inputs, self.connection, state=self.state)
        output = qbtime_connector.manifest.trigger(KEY).output
        assert list(Draft202012Validator(output).iter_errors(page)) == []  # as declared
        self.state = page["state"]
        self.largest_state = max(self.largest_state, len(json.dumps(self.state)))
        self.seen += [(r["record_type"], r["change"], int(r["id"])) for r in page["records"]]
        return list(page["records"])


KEY = "new_or_changed_records"


@pytest.fixture
def clocked_connection(clock: ManualClock) -> Iterator[Connection]:
    """A Connection to a fresh sandbox whose clock moves only when told."""
    with Sandbox(clock=clock) as running, running.connect() as connected:
        yield connected


def test_the_trigger_reports_each_change_once_over_a_sequence_of_edits(
    clock: ManualClock, clocked_connection: Connection
) -> None:
    connection = clocked_connection
    watcher = Watcher(connection, {"include_deleted": True})
    watcher.poll()
    watcher.seen.clear()  # what the first poll reports is the engine's choice; changes start now
    clock.tick()
    notes = {"additional_query_parameters": {"notes": "moved"}}
    invoke("update_timesheet", {"timesheet_id": 4000002, **notes}, connection)
    watcher.poll()
    clock.tick()
    made = invoke(
        "create_user", {"username": "new1", "first_name": "N", "last_name": "U"}, connection
    )
    invoke(
        "update_user", {"id": 1000002, "additional_query_parameters": {"email": "m@x"}}, connection
    )
    invoke("delete_timesheet", {"timesheet_ids": 4000003}, connection)
    watcher.poll()
    # the same second as the last poll: still reported, once
    invoke("update_timesheet", {"timesheet_id": 4000004, **notes}, connection)
    watcher.poll()
    assert watcher.poll() == []
    new_user = int(made["users"][0]["id"])
    assert sorted(watcher.seen) == sorted(
        [
            ("timesheets", "updated", 4000002),
            ("users", "created", new_user),
            ("users", "updated", 1000002),
            ("timesheets", "deleted", 4000003),
            ("timesheets", "updated", 4000004),
        ]
    )
    assert watcher.largest_state < 4096


def test_only_the_chosen_record_types_are_reported(
    clock: ManualClock, clocked_connection: Connection
) -> None:
    connection = clocked_connection
    watcher = Watcher(connection, {"record_types": "users"})
    watcher.poll()
    watcher.seen.clear()
    clock.tick()
    invoke("delete_timesheet", {"timesheet_ids": 4000003}, connection)
    invoke(
        "update_user", {"id": 1000002, "additional_query_parameters": {"email": "m@x"}}, connection
    )
    watcher.poll()
    assert watcher.seen == [("users", "updated", 1000002)]


def test_an_altered_state_is_refused(clocked_connection: Connection) -> None:
    connection = clocked_connection
    state = poll(KEY, {}, connection)["state"]
    altered = {**state, "tampered": True}
    with pytest.raises(InputError):
        poll(KEY, {}, connection, state=altered)


def test_a_keyed_state_edited_and_rehashed_is_refused(clocked_connection: Connection) -> None:
    connection, host_key = clocked_connection, "host-secret-k3y-value"
    keyed = {"state_key": host_key}
    state = poll(KEY, keyed, connection)["state"]
    assert host_key not in json.dumps(state)
    assert poll(KEY, keyed, connection, state=state)["records"] == []  # its own state passes
    marks = json.loads(json.dumps(state["marks"]))
    for mark in marks.values():
        mark["since"] = "2000-01-01T00:00:00+00:00"  # replay everything since 2000
    for forged in (changes_module.seal(marks), changes_module.seal(marks, "a guessed key")):
        with pytest.raises(InputError, match="State") as refused:
            poll(KEY, keyed, connection, state=forged)
        assert host_key not in str(refused.value) and host_key not in repr(refused.value.errors)
    with pytest.raises(InputError):
        poll(KEY, {}, connection, state=state)  # a keyed state is not an unkeyed one


def test_unkeyed_states_are_still_accepted_without_a_key(clocked_connection: Connection) -> None:
    connection = clocked_connection
    marks = {"users": {"since": "2026-11-24T12:00:00+00:00", "seen": []}}
    saved = {"kind": "qbtime-changes/1", "marks": marks, "check": "0" * 16}
    saved["check"] = changes_module._seal(marks)  # the check as every state before keys had it
    assert poll(KEY, {"record_types": "users"}, connection, state=saved)["records"] == []


def test_a_state_key_that_is_not_text_is_refused_without_echoing_it(
    mocked_connection: Connection,
) -> None:
    with pytest.raises(InputError, match="State Key") as refused:
        poll(KEY, {"state_key": ["s3cret-in-a-list"]}, mocked_connection)
    assert "s3cret" not in str(refused.value) and "s3cret" not in repr(refused.value.errors)
