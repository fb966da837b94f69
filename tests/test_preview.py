"""Preview: the requests an action would send, validated as invoke validates, nothing sent."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from qbtime_connector import Connection, ConnectorError, InputError, invoke, manifest, preview
from qbtime_connector.cli import main
from qbtime_connector.sandbox import Sandbox

# Inputs each action runs with against the seeded sandbox, where its inputs' manifest examples
# (the default) are missing or would need data the sandbox lacks.
SANDBOX_INPUTS: dict[str, dict[str, Any]] = {
    "create_timesheet": {
        "user_id": 1000002,
        "jobcode_id": 2000002,
        "start_date": "2026-11-25T09:00:00-07:00",
        "end_date": "2026-11-25T12:00:00-07:00",
        "additional_query_parameters": [{"key": "notes", "value": "fixed the sink"}],
    },
    "update_timesheet": {"timesheet_id": 4000001, "end_date": "2026-11-16T12:30:00-07:00"},
    "update_user": {"id": 1000003, "additional_query_parameters": {"email": "j@example.com"}},
    "delete_timesheet": {"timesheet_ids": "4000001, 4000002"},
    "get_users": {"per_page": "2", "page": "2", "active": "both"},
    "get_timesheets": {"start_date": "2026-11-16", "user_ids": [1000002, 1000003]},
    "clock_in": {
        "user_id": 1000004,
        "jobcode_id": 2000004,
        "start_time": "2026-11-24T08:00:00-07:00",
        "notes": "early",
    },
    "clock_out": {"user_id": 1000004},
    "submit_timesheets": {"user_ids": "1000002,1000003", "date": "2026-11-20"},
    "approve_timesheets": {"user_ids": "1000002", "date": "2026-11-20"},
    "get_payroll_report": {"start_date": "2026-11-16", "end_date": "2026-11-20"},
    "get_custom_fields": {"include_items": "true"},
    "find_users": {"name": "Mary"},
    "find_or_create_user": {"username": "newbie", "first_name": "New", "last_name": "Bie"},
    "get_changes": {"endpoints": "users,jobcodes"},
}


def valid_inputs(key: str) -> dict[str, Any]:
    """Inputs the action accepts: SANDBOX_INPUTS, else every input's manifest example."""
    if key in SANDBOX_INPUTS:
        return SANDBOX_INPUTS[key]
    spec = manifest.action(key)
    return {i.key: i.example for i in spec.value_inputs if i.example is not None}


@pytest.fixture
def sent(connection: Connection) -> Iterator[list[dict[str, Any]]]:
    """Every request `connection` puts on the wire: method, API path, query and body."""
    wire: list[dict[str, Any]] = []
    original = connection.session.request

    def record(method: str, url: str, **kwargs: Any) -> Any:
        path = urlsplit(url).path.removeprefix(urlsplit(connection.base_url).path)
        wire.append(
            {
                "method": method,
                "path": path,
                "query": dict(kwargs.get("params") or {}),
                "body": kwargs.get("json"),
            }
        )
        return original(method, url, **kwargs)

    connection.session.request = record  # type: ignore[method-assign]
    yield wire


def _shown(request: dict[str, Any]) -> dict[str, Any]:
    return {k: request[k] for k in ("method", "path", "query", "body")}


@pytest.mark.parametrize("key", list(manifest.actions()))
def test_preview_sends_nothing_and_shows_what_invoke_then_sends(
    key: str, sandbox: Sandbox, connection: Connection, sent: list[dict[str, Any]]
) -> None:
    inputs = valid_inputs(key)
    before = sandbox.state.count()
    shown = preview(key, inputs, connection)
    assert sandbox.state.count() == before  # exactly nothing reached the API
    assert sent == []
    assert shown["requests"], key
    json.dumps(shown)  # JSON-serialisable, like every result
    with contextlib.suppress(ConnectorError):  # what the sandbox answered does not matter
        invoke(key, inputs, connection)
    assert sent[: len(shown["requests"])] == [_shown(r) for r in shown["requests"]]
    for request in shown["requests"]:
        assert request["url"] == connection.base_url + request["path"]


def test_a_read_that_decides_the_write_is_said_in_the_notes(sandbox: Sandbox) -> None:
    made = preview("find_or_create_user", SANDBOX_INPUTS["find_or_create_user"])
    assert [(r["method"], r["path"]) for r in made["requests"]] == [
        ("GET", "/users"),
        ("POST", "/users"),
    ]
    assert "reads before it writes" in " ".join(made["notes"])
    stopped = preview("clock_out", {"user_id": 1000004})
    assert [(r["method"], r["path"]) for r in stopped["requests"]] == [("GET", "/timesheets")]
    assert "stops after the last request shown" in " ".join(stopped["notes"])
    assert preview("get_users", {})["notes"] == []
    assert "Fetch All" in " ".join(preview("get_users", {"fetch_all": "true"})["notes"])
    assert sandbox.state.count() == 0


def test_custom_field_checks_are_left_to_the_real_call_and_named_in_the_notes(
    sandbox: Sandbox, connection: Connection, sent: list[dict[str, Any]]
) -> None:
    inputs = {
        **SANDBOX_INPUTS["create_timesheet"],
        "additional_query_parameters": {"customfields": {"3000001": "Item 1"}},
    }
    before = sandbox.state.count()
    shown = preview("create_timesheet", inputs, connection)
    assert sandbox.state.count() == before
    (write,) = shown["requests"]
    assert (write["method"], write["path"]) == ("POST", "/timesheets")
    assert write["body"]["data"][0]["customfields"] == {"3000001": "Item 1"}
    assert "custom fields" in shown["notes"][0]
    with contextlib.suppress(ConnectorError):
        invoke("create_timesheet", inputs, connection)
    # invoke reads the fields first (the check a preview leaves out), then sends the same write
    assert sent[0]["path"] == "/customfields"
    assert _shown(write) in sent


def test_preview_validates_exactly_as_invoke_does(mocked_connection: Connection) -> None:
    bad = {"per_page": "0", "user_id": "abc", "start_date": "2026-02-30", "bogus": 1}
    for key, spec in manifest.actions().items():
        keys = {i.key for i in spec.value_inputs} | {"bogus"}
        inputs = {k: v for k, v in bad.items() if k in keys}
        with pytest.raises(InputError) as by_invoke:
            invoke(key, inputs, mocked_connection)  # mocked: any request would fail the test
        with pytest.raises(InputError) as by_preview:
            preview(key, inputs)
        assert by_preview.value.errors == by_invoke.value.errors, key
    # a custom field key that is not an id is refused before any request, by both
    inputs = {**SANDBOX_INPUTS["create_timesheet"], "additional_query_parameters": {}}
    inputs["additional_query_parameters"] = {"customfields": {"colour": "red"}}
    with pytest.raises(InputError, match="not a custom field id"):
        preview("create_timesheet", inputs)


def test_an_unknown_action_or_a_bad_base_url_is_refused() -> None:
    with pytest.raises(InputError, match="Unknown action 'nope'"):
        preview("nope", {})
    with pytest.raises(ConnectorError, match="refused"):
        preview("get_users", {}, {"base_url": "http://example.com/api/v1"})
    shown = preview("get_users", {}, {"base_url": "http://127.0.0.1:9/api/v1", "token": {}})
    assert shown["requests"][0]["url"] == "http://127.0.0.1:9/api/v1/users"


def test_a_large_batch_is_shown_as_every_request_of_fifty(sandbox: Sandbox) -> None:
    records = [{"id": 1000000 + n, "last_name": f"N{n}"} for n in range(1, 121)]
    shown = preview("update_users", {"records": records})
    assert [len(r["body"]["data"]) for r in shown["requests"]] == [50, 50, 20]
    ids = ",".join(str(4000000 + n) for n in range(1, 61))
    deletes = preview("delete_timesheet", {"timesheet_ids": ids})["requests"]
    assert [len(r["query"]["ids"].split(",")) for r in deletes] == [50, 10]
    assert sandbox.state.count() == 0


def test_the_preview_command_prints_the_requests(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["-i", "username=newbie", "-i", "first_name=New", "-i", "last_name=Bie"]
    assert main(["preview", "create_user", *args]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["requests"][0]["body"] == {
        "data": [{"username": "newbie", "first_name": "New", "last_name": "Bie"}]
    }
    assert main(["preview", "create_user", "-i", "username=x"]) == 2
    assert "First Name" in capsys.readouterr().err
