"""`qbtime-connector mcp` lists every action of the manifest (and the trigger) as a tool: name,
title, description, self-contained schemas and annotations all derived from the manifest."""

from __future__ import annotations

import json
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import anyio
import pytest
from jsonschema import Draft202012Validator

from qbtime_connector import manifest
from qbtime_connector.validation import resolved_schema

from .mcp_client import dumped, stdio_session

# One worker runs this file: its module's two servers (one per protocol handshake) then start
# once, not in each worker (a server's start costs a second and a half of CPU, importing the SDK).
pytestmark = pytest.mark.xdist_group("mcp_tools")

ACTIONS = manifest.actions()
TRIGGERS = manifest.triggers()
ANNOTATIONS = ("title", "description", "default", "examples")  # what a tool's property adds


def list_tools(*args: str, env: dict[str, str] | None = None, mode: str = "auto") -> list[Any]:
    """The tools a fresh `qbtime-connector mcp ARGS` lists, as they travel."""

    async def scenario() -> list[Any]:
        async with stdio_session(*args, env=env, mode=mode) as client:
            return [dumped(tool) for tool in (await client.list_tools()).tools]

    return anyio.run(scenario)


@pytest.fixture(scope="module", params=["auto", "legacy"])
def tools(request: pytest.FixtureRequest) -> dict[str, dict[str, Any]]:
    """The tools of `qbtime-connector mcp --sandbox` by name, over the protocol's current
    version (auto) and over the handshake of the versions hosts speak today (legacy)."""
    return {tool["name"]: tool for tool in list_tools("--sandbox", mode=request.param)}


def refs(schema: Any) -> list[str]:
    """Every $ref anywhere in a schema."""
    if isinstance(schema, dict):
        found = [schema["$ref"]] if "$ref" in schema else []
        return found + [r for value in schema.values() for r in refs(value)]
    if isinstance(schema, list):
        return [r for value in schema for r in refs(value)]
    return []


def test_the_tools_are_the_actions_then_the_trigger(tools: dict[str, dict[str, Any]]) -> None:
    assert list(tools) == [*ACTIONS, *TRIGGERS]


def test_each_tool_is_titled_by_its_label_and_described_by_the_manifest(
    tools: dict[str, dict[str, Any]],
) -> None:
    for key, spec in {**ACTIONS, **TRIGGERS}.items():
        assert tools[key]["title"] == spec.label
        assert tools[key]["annotations"]["title"] == spec.label
        assert tools[key]["description"].startswith(spec.description.rstrip("."))


def test_rules_are_said_in_the_description() -> None:
    from qbtime_connector.mcp_server.catalog import Catalog

    described = {t.name: t.description for t in Catalog(manifest.load_raw()).tools}
    assert "One of ID, Username is required." in str(described["update_user"])
    assert "End Date must come after Start Date." in str(described["create_timesheet"])
    assert "'ids' in Additional Query Parameters" in str(described["get_timesheets"])


@cache
def _check_schema(text: str) -> None:
    """Draft 2020-12's meta-schema check, once per distinct schema (both handshakes list the
    same tools, and many share an output schema): each check costs about 10 ms."""
    Draft202012Validator.check_schema(json.loads(text))


def test_no_schema_refers_to_anything(tools: dict[str, dict[str, Any]]) -> None:
    for tool in tools.values():
        assert refs(tool["inputSchema"]) == [], tool["name"]
        assert refs(tool["outputSchema"]) == [], tool["name"]
        _check_schema(json.dumps(tool["inputSchema"], sort_keys=True))
        _check_schema(json.dumps(tool["outputSchema"], sort_keys=True))


def test_each_input_schema_is_the_actions_input_schema(tools: dict[str, dict[str, Any]]) -> None:
    for key, spec in ACTIONS.items():
        advertised = tools[key]["inputSchema"]
        truth = resolved_schema(spec.schema)  # what the connector validates inputs against
        assert advertised["type"] == "object"
        assert advertised["additionalProperties"] is False
        assert advertised.get("required", []) == truth.get("required", [])
        assert list(advertised["properties"]) == list(truth["properties"])
        for name, prop in advertised["properties"].items():
            assert prop["title"] == spec.input(name).label
            bare = {k: v for k, v in prop.items() if k not in ANNOTATIONS}
            assert bare == {
                k: v for k, v in truth["properties"][name].items() if k != "description"
            }


def test_each_inputs_example_and_default_fit_its_advertised_schema(
    tools: dict[str, dict[str, Any]],
) -> None:
    for key, spec in ACTIONS.items():
        properties = tools[key]["inputSchema"]["properties"]
        for item in spec.value_inputs:
            for value in (item.example, item.default):
                if value is not None:
                    assert Draft202012Validator(properties[item.key]).is_valid(value), item.key


def test_each_output_schema_is_the_manifests_and_fits_its_example(
    tools: dict[str, dict[str, Any]],
) -> None:
    for key, spec in {**ACTIONS, **TRIGGERS}.items():
        assert tools[key]["outputSchema"] == spec.output
        assert tools[key]["outputSchema"]["type"] == "object"  # what MCP before 2026 requires
        if spec.example:
            assert list(Draft202012Validator(spec.output).iter_errors(spec.example)) == [], key


def test_input_help_text_choices_and_pick_lists_reach_the_agent(
    tools: dict[str, dict[str, Any]],
) -> None:
    user_id = tools["create_timesheet"]["inputSchema"]["properties"]["user_id"]
    assert "The Id of the user the timesheet is for" in user_id["description"]
    assert "qbtime://pick-lists/user_options" in user_id["description"]
    assert user_id["examples"] == [1242515]
    active = tools["get_users"]["inputSchema"]["properties"]["active"]
    assert "yes (Active only)" in active["description"]
    assert active["default"] == "yes"


def test_reads_are_read_only_and_writes_say_whether_they_destroy(
    tools: dict[str, dict[str, Any]],
) -> None:
    hints = {name: tool["annotations"] for name, tool in tools.items()}
    for name, hint in hints.items():
        # Every hint is explicit: MCP reads a missing destructiveHint as true.
        assert {"readOnlyHint", "destructiveHint", "idempotentHint"} <= set(hint), name
    assert hints["delete_timesheet"] == {
        **hints["delete_timesheet"],
        "readOnlyHint": False,
        "destructiveHint": True,
        "idempotentHint": True,
    }
    destructive = [name for name, hint in hints.items() if hint["destructiveHint"]]
    assert destructive == [key for key, spec in ACTIONS.items() if spec.destructive]
    for name in ("get_users", "get_timesheets", "get_payroll_report", "get_current_totals"):
        assert hints[name]["readOnlyHint"] is True, name
    assert hints["new_or_changed_records"]["readOnlyHint"] is True
    for name in ("create_timesheet", "create_user", "clock_in"):
        assert hints[name]["readOnlyHint"] is False, name
        assert hints[name]["destructiveHint"] is False, name
        assert hints[name]["idempotentHint"] is False, name
    # Raw Request can send DELETE anywhere: an agent host must ask first.
    assert (hints["raw_request"]["readOnlyHint"], hints["raw_request"]["destructiveHint"]) == (
        False, True,
    )  # fmt: skip
    for name in ("update_user", "update_timesheet", "approve_timesheets"):
        assert (hints[name]["readOnlyHint"], hints[name]["idempotentHint"]) == (False, True), name


def test_the_trigger_is_a_tool_that_takes_back_its_state(tools: dict[str, dict[str, Any]]) -> None:
    trigger = tools["new_or_changed_records"]
    properties = trigger["inputSchema"]["properties"]
    assert list(properties) == [
        *(i.key for i in TRIGGERS["new_or_changed_records"].value_inputs),
        "state",
    ]
    assert "state_key" in properties  # a host may key the state's check
    assert properties["state"]["type"] == ["object", "null"]
    assert "pass back" in trigger["description"]
    assert set(trigger["outputSchema"]["required"]) == {"records", "state"}


def test_an_action_added_to_the_manifest_is_a_tool_with_no_code_change(tmp_path: Path) -> None:
    document = json.loads(manifest.MANIFEST_PATH.read_text(encoding="utf-8"))
    added = json.loads(json.dumps(next(a for a in document["actions"] if a["key"] == "get_users")))
    added.update(key="archive_users", label="Archive Users", description="Archives users")
    added.update(method="PUT", destructive=True)
    document["actions"].append(added)
    copy = tmp_path / "manifest.json"
    copy.write_text(json.dumps(document), encoding="utf-8")

    listed = {t["name"]: t for t in list_tools("--sandbox", env={"QBTIME_MCP_MANIFEST": str(copy)})}

    assert list(listed) == [*ACTIONS, "archive_users", *TRIGGERS]
    tool = listed["archive_users"]
    assert (tool["title"], tool["description"]) == ("Archive Users", "Archives users.")
    assert list(tool["inputSchema"]["properties"]) == [
        i.key for i in ACTIONS["get_users"].value_inputs
    ]
    assert tool["outputSchema"] == ACTIONS["get_users"].output
    assert tool["annotations"]["destructiveHint"] is True
    assert tool["annotations"]["readOnlyHint"] is False


IMPORTS = """
import json, sys
import qbtime_connector
from qbtime_connector.cli import main
code = main(["run", "get_users", "--sandbox"])
with open(sys.argv[1], "w") as out:
    json.dump({"code": code, "modules": sorted(sys.modules)}, out)
"""


def test_the_connector_and_a_run_never_import_the_mcp_sdk(tmp_path: Path) -> None:
    seen = tmp_path / "modules.json"
    subprocess.run(
        [sys.executable, "-c", IMPORTS, str(seen)], check=True, timeout=120, capture_output=True
    )
    found = json.loads(seen.read_text())
    assert found["code"] == 0
    modules = found["modules"]
    loaded = [m for m in modules if m.split(".")[0] in {"mcp", "mcp_types", "uvicorn", "starlette"}]
    loaded += [m for m in modules if m.startswith("qbtime_connector.mcp_server")]
    assert loaded == []
