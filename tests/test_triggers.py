"""Triggers: poll() validates a trigger's inputs, then hands them and the state to its engine."""

from __future__ import annotations

from typing import Any

import pytest
import responses

import qbtime_connector
from qbtime_connector import Connection, InputError, poll
from qbtime_connector import changes as changes_module


class Engine:
    """Stands in for changes.poll and records how it was called."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []

    def __call__(
        self, connection: Connection, types: list[str], deleted: bool, state: Any
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
    assert [i.key for i in spec.value_inputs] == ["record_types", "include_deleted"]


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
        ({"record_types": "timesheets,groups"}, "Record Types"),
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
