"""Calling the tools of `qbtime-connector mcp` as an agent does: results as structured content,
every failure a tool error with the connector's message, nothing sent for bad input, no crash and
no secret anywhere. The first tests use the server's own `--sandbox`; the rest a sandbox of the
test's, reached through a connection file, so they can count requests and inject faults; the
property test at the end calls the handler directly, on a module-scoped `shared_sandbox`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Awaitable, Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import anyio
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from mcp import Client
from mcp.shared.exceptions import MCPError
from mcp_types import CallToolResult, ResourceTemplateReference

from qbtime_connector import Connection, manifest
from qbtime_connector.connection_file import write_private
from qbtime_connector.mcp_server.calls import call_tool
from qbtime_connector.mcp_server.entries import section, value_inputs
from qbtime_connector.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Sandbox

from .conftest import ROOT
from .mcp_client import stdio_session, texts

T = TypeVar("T")
DAY = "2026-11-24"


def with_client(*args: str, scenario: Callable[[Client], Awaitable[T]], **options: Any) -> T:
    """What `scenario` returns, run against a fresh `qbtime-connector mcp ARGS` over stdio."""

    async def run() -> T:
        async with stdio_session(*args, **options) as client:
            return await scenario(client)

    return anyio.run(run)


async def succeeded(client: Client, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
    """A tool's structured result, checked against its outputSchema and its JSON text."""
    result = await client.call_tool(name, arguments)
    assert not result.is_error, texts(result)
    schema = next(t for t in (await client.list_tools()).tools if t.name == name).output_schema
    assert list(Draft202012Validator(schema or {}).iter_errors(result.structured_content)) == []
    assert json.loads(texts(result)[0]) == result.structured_content
    found: dict[str, Any] = result.structured_content
    return found


def test_an_agent_reads_writes_and_deletes_against_the_sandbox() -> None:
    async def scenario(client: Client) -> dict[str, Any]:
        made = await succeeded(
            client,
            "create_user",
            {
                "username": "agent.made",
                "first_name": "Agent",
                "last_name": "Made",
                "additional_query_parameters": {"permissions": {"time_tracking": True}},
            },
        )
        user_id = made["users"][0]["id"]
        codes = await succeeded(client, "get_job_codes", {"per_page": 200})
        leaf = next(c["id"] for c in codes["jobcodes"] if c["id"] == 2000004)
        sheet = {
            "user_id": str(user_id),  # as text: the connector takes it, as a designer sends it
            "jobcode_id": leaf,
            "start_date": f"{DAY}T09:00:00-07:00",
            "end_date": f"{DAY}T10:30:00-07:00",
        }
        created = await succeeded(client, "create_timesheet", sheet)
        sheet_id = created["timesheets"][0]["id"]
        read = await succeeded(client, "get_timesheets", {"start_date": DAY, "user_ids": user_id})
        deleted = await succeeded(client, "delete_timesheet", {"timesheet_ids": sheet_id})
        after = await succeeded(client, "get_timesheets", {"start_date": DAY, "user_ids": user_id})
        return {"created": created, "read": read, "deleted": deleted, "after": after}

    seen = with_client("--sandbox", scenario=scenario)

    made = seen["created"]["timesheets"][0]
    assert (made["_status_code"], made["duration"]) == (200, 5400)
    assert [t["id"] for t in seen["read"]["timesheets"]] == [made["id"]]
    assert seen["deleted"]["timesheets"][0]["_status_code"] == 200
    assert seen["after"]["timesheets"] == []


def test_the_trigger_tool_reports_each_change_once_with_the_state_passed_back() -> None:
    async def scenario(client: Client) -> list[dict[str, Any]]:
        inputs = {"record_types": "users"}
        first = await succeeded(client, "new_or_changed_records", inputs)
        await succeeded(
            client, "create_user", {"username": "n1", "first_name": "N", "last_name": "O"}
        )
        second = await succeeded(
            client, "new_or_changed_records", {**inputs, "state": first["state"]}
        )
        third = await succeeded(
            client, "new_or_changed_records", {**inputs, "state": second["state"]}
        )
        return [first, second, third]

    _, second, third = with_client("--sandbox", scenario=scenario)

    assert [(r["change"], r["record"]["username"]) for r in second["records"]] == [
        ("created", "n1")
    ]
    assert third["records"] == []
    assert len(json.dumps(third["state"])) < 4096


def test_pick_lists_are_resources_with_argument_completion() -> None:
    async def scenario(client: Client) -> dict[str, Any]:
        templates = (await client.list_resource_templates()).resource_templates
        listed = (await client.list_resources()).resources
        page = await client.read_resource("qbtime://pick-lists/user_options?search=Ada")
        users = next(t.uri_template for t in templates if t.name == "user_options")
        codes = next(t.uri_template for t in templates if t.name == "job_code_options")
        with pytest.raises(MCPError, match=r"Start Date \(start_date\): is required"):
            await client.read_resource("qbtime://pick-lists/timesheet_options")
        with pytest.raises(MCPError, match="no such pick list"):
            await client.read_resource("qbtime://pick-lists/secrets")
        return {
            "templates": {t.name: t.uri_template for t in templates},
            "listed": [r.uri for r in listed],
            "page": json.loads(getattr(page.contents[0], "text", "")),
            "search": await client.complete(
                ResourceTemplateReference(uri=users), {"name": "search", "value": "Ad"}
            ),
            "choice": await client.complete(
                ResourceTemplateReference(uri=users), {"name": "active", "value": "b"}
            ),
            "user_id": await client.complete(
                ResourceTemplateReference(uri=codes), {"name": "user_id", "value": "Ada"}
            ),
        }

    seen = with_client("--sandbox", scenario=scenario)

    assert (
        seen["templates"]["user_options"] == "qbtime://pick-lists/user_options{?search,page,active}"
    )
    assert set(seen["templates"]) == set(manifest.data_sources())
    # The timesheets' pick list needs a date range: it is only a template.
    assert "qbtime://pick-lists/timesheet_options" not in seen["listed"]
    assert "qbtime://pick-lists/user_options" in seen["listed"]
    assert seen["page"]["options"] == [{"key": "1000001", "label": "Ada Admin"}]
    assert seen["search"].completion.values == ["Ada Admin"]
    assert seen["choice"].completion.values == ["both"]
    assert seen["user_id"].completion.values == ["1000001"]


def test_the_readme_session_prints_what_it_shows(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    after = readme[readme.index("A session as an agent has it") :]
    script, _, rest = after.partition("```python\n")[2].partition("```\n")
    shown = rest.partition("```\n")[2].partition("```")[0]
    (tmp_path / "session.py").write_text(script, encoding="utf-8")
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    ran = subprocess.run(
        [sys.executable, str(tmp_path / "session.py")],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PATH": path},
        check=True,
    )
    assert ran.stdout == shown


# -- against a sandbox of the test's own -------------------------------------------------------


@pytest.fixture
def connection_file(sandbox: Sandbox, tmp_path: Path) -> Path:
    """A connection file (as `login` writes it) to the test's sandbox."""
    path = tmp_path / "connection.json"
    write_private(
        path,
        {
            "client_id": DEMO_CLIENT_ID,
            "client_secret": DEMO_CLIENT_SECRET,
            "token": sandbox.token(),
            "base_url": sandbox.base_url,
        },
    )
    return path


def secrets_of(sandbox: Sandbox, connection_file: Path) -> set[str]:
    """The client secret and every token the sandbox issued that is still known."""
    token = json.loads(connection_file.read_text())["token"]
    found = {DEMO_CLIENT_SECRET, token["access_token"], token["refresh_token"]}
    return found | set(sandbox.state.access) | set(sandbox.state.refresh)


def test_a_long_read_reports_its_progress_to_a_client_that_asks(
    sandbox: Sandbox, connection_file: Path
) -> None:
    sandbox.state.add_timesheets(450)
    told: list[tuple[float, str | None]] = []

    async def tell(progress: float, total: float | None, message: str | None) -> None:
        told.append((progress, message))

    async def scenario(client: Client) -> dict[str, Any]:
        arguments = {"start_date": "2025-01-01", "fetch_all": True}
        result = await client.call_tool("get_timesheets", arguments, progress_callback=tell)
        assert not result.is_error, texts(result)
        found: dict[str, Any] = result.structured_content
        return found

    read = with_client("--connection", str(connection_file), scenario=scenario)

    pages = sandbox.state.count("GET /api/v1/timesheets")
    assert len(read["timesheets"]) >= 450 and pages >= 3
    assert [p for p, _ in told] == list(range(1, pages + 1))  # one per page, each higher
    assert told[-1][1] == f"timesheets: {len(read['timesheets']):,} records in {pages} pages"


BAD_CALLS: list[tuple[str, dict[str, Any], list[str]]] = [
    ("get_users", {"per_page": "abc", "active": "maybe"}, ["Active", "Per Page"]),
    ("create_timesheet", {"user_id": 0}, ["User ID", "Jobcode ID", "Start Date", "End Date"]),
    ("get_users", {"surprise": 1}, ["surprise"]),
    ("update_user", {}, ["ID"]),
    ("get_timesheets", {"start_date": "2026-02-30"}, ["Start Date"]),
    ("new_or_changed_records", {"state": {"not": "a state"}}, ["State"]),
    ("new_or_changed_records", {"state": "text"}, ["State"]),
]


def test_bad_input_is_a_tool_error_naming_each_input_by_label_and_sends_nothing(
    sandbox: Sandbox, connection_file: Path
) -> None:
    async def scenario(client: Client) -> list[CallToolResult]:
        await client.list_tools()
        before = sandbox.state.count()
        results = [await client.call_tool(name, arguments) for name, arguments, _ in BAD_CALLS]
        assert sandbox.state.count() == before  # not one request
        return results

    results = with_client("--connection", str(connection_file), scenario=scenario)

    for (name, _, labels), result in zip(BAD_CALLS, results, strict=True):
        assert result.is_error, name
        said, details = texts(result)
        assert said.startswith("Invalid input, so nothing was changed:"), said
        for label in labels:
            assert f"- {label} (" in said, (name, label, said)
        assert json.loads(details)["error"] == "InputError"


def test_api_failures_rate_limits_and_lost_authorisation_are_tool_errors(
    sandbox: Sandbox, connection_file: Path, tmp_path: Path
) -> None:
    async def scenario(client: Client) -> dict[str, CallToolResult]:
        seen = {}
        sandbox.state.inject(status=400, path="/api/v1/users")
        seen["api"] = await client.call_tool("get_users", {})
        sandbox.state.inject(status=429, path="/api/v1/users", retry_after="120")
        seen["rate"] = await client.call_tool("get_users", {})
        seen["fine"] = await client.call_tool("get_users", {})
        missing = {"timesheet_id": 999999999, "additional_query_parameters": {"notes": "n"}}
        seen["item"] = await client.call_tool("update_timesheet", missing)
        sandbox.state.expire_tokens()
        sandbox.state.refresh.clear()  # the customer revoked the app: no refresh can succeed
        seen["auth"] = await client.call_tool("get_users", {})
        return seen

    errlog = (tmp_path / "stderr.txt").open("w")
    with errlog:
        seen = with_client(
            "-vv", "--connection", str(connection_file), scenario=scenario, errlog=errlog
        )

    assert "QuickBooks Time answered 400" in texts(seen["api"])[0]
    assert json.loads(texts(seen["api"])[1])["status"] == 400
    rate = texts(seen["rate"])
    assert "Try again in 120 s." in rate[0]
    assert json.loads(rate[1])["retry_after"] == 120
    assert not seen["fine"].is_error
    assert "must reconnect" in texts(seen["auth"])[0]
    assert json.loads(texts(seen["auth"])[1])["error"] == "AuthError"
    item = json.loads(texts(seen["item"])[1])
    assert (item["error"], item["items"][0]["_status_code"]) == ("ItemError", 404)
    assert all(seen[k].is_error for k in ("api", "rate", "auth", "item"))
    shown = [t for r in seen.values() for t in texts(r)] + [(tmp_path / "stderr.txt").read_text()]
    assert "GET" in shown[-1]  # -vv logged every request
    assert [s for s in secrets_of(sandbox, connection_file) if any(s in t for t in shown)] == []


def nested(levels: int) -> Any:
    """A value nested `levels` lists deep."""
    value: Any = 1
    for _ in range(levels):
        value = [value]
    return value


HOSTILE: list[tuple[str, Any]] = [
    ("get_users", {"additional_query_parameters": {"deep": nested(40)}}),
    ("get_users", {"additional_query_parameters": {"x" * 70: "y" * 100_000}}),
    ("get_users", {"active": "yes\x00"}),
    ("get_users", {"per_page": 1e308}),
    ("get_users", {"per_page": -(2**70)}),
    ("get_users", {"per_page": True}),
    ("create_users", {"records": [None, 1, "x", []]}),
    ("raw_request", {"path": "../../secret", "method": "GET"}),
    ("raw_request", {"path": "https://evil.example/x"}),
    ("get_users", {"connection": {"client_secret": "x"}}),
]


def test_the_server_never_crashes_on_a_hostile_call(
    sandbox: Sandbox, connection_file: Path
) -> None:
    async def scenario(client: Client) -> list[CallToolResult]:
        results = [await client.call_tool(name, arguments) for name, arguments in HOSTILE]
        with pytest.raises(MCPError, match="Unknown tool"):
            await client.call_tool("no_such_tool", {})
        results.append(await client.call_tool("get_users", {"per_page": 1}))  # still serving
        return results

    *hostile, fine = with_client("--connection", str(connection_file), scenario=scenario)

    assert all(r.is_error and texts(r)[0].startswith("Invalid input") for r in hostile)
    assert not fine.is_error
    assert sandbox.state.count("GET /api/v1/users") == 1


# -- any arguments an agent may send, straight to the call handler ---------------------------

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
DOCUMENT = manifest.load_raw()
ENTRIES = {**section(DOCUMENT, "actions"), **section(DOCUMENT, "triggers")}


@pytest.fixture(scope="module")
def shared_sandbox() -> Iterator[Sandbox]:
    with Sandbox() as running:
        yield running


@pytest.fixture(scope="module")
def shared_connection(shared_sandbox: Sandbox) -> Iterator[Connection]:
    """A Connection to `shared_sandbox`."""
    with shared_sandbox.connect() as connected:
        yield connected


def writes(sandbox: Sandbox) -> int:
    """The requests the sandbox got that could change something (all but GETs)."""
    return sandbox.state.count() - sandbox.state.count("GET ")


async def ignore(progress: float, total: float | None, message: str | None) -> None:
    """A progress report nobody asked for."""


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_arguments_are_a_result_or_a_tool_error_never_an_exception(
    shared_sandbox: Sandbox, shared_connection: Connection, data: Any
) -> None:
    name = data.draw(st.sampled_from(list(ENTRIES)))
    known = [str(i["key"]) for i in value_inputs(ENTRIES[name])]
    keys = st.sampled_from([*known, "state"]) | st.text(max_size=12)
    arguments = data.draw(st.dictionaries(keys, JSON_VALUES, max_size=4))
    trigger = name in section(DOCUMENT, "triggers")
    before = writes(shared_sandbox)

    result = anyio.run(
        partial(call_tool, shared_connection, name, arguments, trigger=trigger, report=ignore)
    )

    if result.is_error:
        assert texts(result)[0]
        if texts(result)[0].startswith("Invalid input"):
            assert writes(shared_sandbox) == before  # (a read may have checked custom fields)
    else:
        assert json.loads(texts(result)[0]) == result.structured_content


def test_an_unexpected_failure_is_named_by_its_class_alone(
    shared_connection: Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> dict[str, Any]:
        raise RuntimeError("postgresql://user:hunter2@db/x")

    monkeypatch.setattr("qbtime_connector.mcp_server.calls.invoke", broken)
    result = anyio.run(
        partial(call_tool, shared_connection, "get_users", {}, trigger=False, report=ignore)
    )

    assert result.is_error
    assert texts(result) == [
        "The get_users call failed unexpectedly (RuntimeError); whether anything was changed "
        "is not known. The server's log at -vv has the details."
    ]
