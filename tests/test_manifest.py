"""connector.yaml is well formed, and agrees with schemas/ and the code on every fact."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from qbtime_connector import manifest
from qbtime_connector.invoke import implementation
from qbtime_connector.manifest import SCHEMA_DIR, load_raw, load_schema, problems

from .conftest import SPEC_PAGE_LABELS

ACTIONS = list(manifest.actions().values())
SOURCES = list(manifest.data_sources().values())
ADDED_INPUTS = {"fetch_all", "max_pages"}
CONTRACT_INPUTS = {
    "create_timesheet": [
        "user_id",
        "jobcode_id",
        "start_date",
        "end_date",
        "additional_query_parameters",
    ],
    "create_user": ["username", "first_name", "last_name", "additional_query_parameters"],
    "delete_timesheet": ["timesheet_ids"],
    "get_job_code_assignments": [
        "active",
        "per_page",
        "page",
        "user_ids",
        "additional_query_parameters",
    ],
    "get_job_codes": ["active", "per_page", "page", "additional_query_parameters"],
    "get_timesheets": [
        "on_the_clock",
        "per_page",
        "page",
        "user_ids",
        "job_code_ids",
        "start_date",
        "end_date",
        "additional_query_parameters",
    ],
    "get_users": ["active", "per_page", "page", "additional_query_parameters"],
    "update_timesheet": [
        "timesheet_id",
        "jobcode_id",
        "start_date",
        "end_date",
        "additional_query_parameters",
    ],
    "update_user": ["id", "username", "additional_query_parameters"],
}


def resolve(schema: dict[str, Any]) -> dict[str, Any]:
    """A property schema with its $ref to definitions.json followed."""
    ref = schema.get("$ref")
    if not ref:
        return schema
    file, _, pointer = ref.partition("#")
    node: Any = load_schema(file)
    for part in pointer.strip("/").split("/"):
        node = node[part]
    return resolve(node)


def test_the_manifest_matches_its_meta_schema() -> None:
    assert problems(load_raw()) == []


def test_a_broken_manifest_names_the_bad_entry() -> None:
    broken = copy.deepcopy(load_raw())
    broken["actions"][2]["inputs"][1]["type"] = "idlist"
    del broken["actions"][5]["label"]
    found = problems(broken)
    assert any(
        p.startswith("actions[delete_timesheet].inputs[timesheet_ids].type:") for p in found
    ), found
    assert any(p.startswith("actions[get_timesheets]:") and "'label'" in p for p in found)


def test_the_contracts_actions_and_inputs_are_all_there_in_order() -> None:
    """The contract may be added to, never broken: its keys stay, in its order."""
    for key, contract in CONTRACT_INPUTS.items():
        ours = [i.key for i in manifest.action(key).value_inputs]
        assert [k for k in ours if k in contract] == contract, key
        assert set(ours) - set(contract) <= ADDED_INPUTS, key


def test_every_action_key_is_the_snake_case_of_its_label() -> None:
    for action in ACTIONS:
        expected = action.label.lower().replace(" ", "_").replace("time_sheets", "timesheets")
        assert action.key == expected


def test_every_action_has_a_connection_input_and_only_the_secret_is_secret() -> None:
    for action in ACTIONS + SOURCES:
        assert action.inputs[0].type == "connection"
        assert not any(i.secret for i in action.inputs)
    secrets = [i.key for i in manifest.connection_inputs() if i.secret]
    assert secrets == ["client_secret"]


@pytest.mark.parametrize("action", ACTIONS + SOURCES, ids=lambda a: a.key)
def test_schema_and_manifest_name_the_same_inputs_and_requiredness(
    action: manifest.ActionSpec,
) -> None:
    schema = load_schema(action.schema)
    assert list(schema["properties"]) == [i.key for i in action.value_inputs]
    assert sorted(schema.get("required", [])) == sorted(
        i.key for i in action.value_inputs if i.required
    )
    any_of = schema.get("anyOf")
    groups = [tuple(r["required"][0] for r in any_of)] if any_of else []
    assert groups == list(action.required_one_of)
    assert schema["additionalProperties"] is False


@pytest.mark.parametrize("action", ACTIONS + SOURCES, ids=lambda a: a.key)
def test_defaults_and_allowed_values_fit_the_schema(action: manifest.ActionSpec) -> None:
    from qbtime_connector.validation import validator_for

    schema = load_schema(action.schema)
    for item in action.value_inputs:
        prop = resolve(schema["properties"][item.key])
        if item.allowed:
            assert prop["enum"] == list(item.allowed), item.key
        if item.default is not None:
            errors = list(validator_for(action.schema).iter_errors({item.key: item.default}))
            assert not [e for e in errors if e.path], (item.key, item.default)


def test_input_types_match_the_schema_types() -> None:
    expected = {"integer": "integer", "date": "string", "datetime": "string"}
    for action in ACTIONS + SOURCES:
        schema = load_schema(action.schema)
        for item in action.value_inputs:
            prop = resolve(schema["properties"][item.key])
            if item.type in expected:
                assert prop["type"] == expected[item.type], (action.key, item.key)


@pytest.mark.parametrize("action", ACTIONS + SOURCES, ids=lambda a: a.key)
def test_the_named_function_exists(action: manifest.ActionSpec) -> None:
    assert callable(implementation(action.function))


def test_every_schema_file_is_used_and_valid_json() -> None:
    used = {a.schema for a in ACTIONS + SOURCES} | {"definitions.json", "manifest.meta.json"}
    on_disk = {p.name for p in SCHEMA_DIR.glob("*.json")}
    assert on_disk == used
    for name in on_disk:
        json.loads((SCHEMA_DIR / name).read_text())


def test_the_spec_pages_labels_are_kept() -> None:
    assert [a.label for a in ACTIONS][:9] == SPEC_PAGE_LABELS
