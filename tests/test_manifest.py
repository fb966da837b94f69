"""The manifest: one declaration in connector.yaml, shipped resolved as JSON, well formed."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
import responses
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from qbtime_connector import Connection, invoke, manifest, manifest_source
from qbtime_connector.cli import main
from qbtime_connector.invoke import implementation
from qbtime_connector.manifest import SCHEMA_DIR, load_raw, load_schema, problems

from .conftest import API, ROOT, SPEC_PAGE_LABELS, input_errors, listing, written

ACTIONS = list(manifest.actions().values())
SOURCES = list(manifest.data_sources().values())
TRIGGERS = list(manifest.triggers().values())
EVERY = ACTIONS + SOURCES + TRIGGERS
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


def walk(node: Any) -> Any:
    """Every mapping in a JSON document, depth first."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from walk(item)


def resolve_ref(schema: dict[str, Any]) -> dict[str, Any]:
    """An input schema with its $ref into definitions.json followed."""
    ref = schema.get("$ref")
    if not ref:
        return schema
    file, _, pointer = ref.partition("#")
    node: Any = load_schema(file)
    for part in pointer.strip("/").split("/"):
        node = node[part]
    return resolve_ref(node)


# -- one declaration, shipped as JSON -------------------------------------------------------------


def test_the_shipped_json_is_what_connector_yaml_resolves_to() -> None:
    assert manifest_source.is_current(), "run `qbtime-connector manifest --write`"


def test_connector_yaml_has_no_anchors_aliases_or_merge_keys() -> None:
    text = (ROOT / "connector.yaml").read_text(encoding="utf-8")
    events = list(yaml.parse(text, Loader=yaml.SafeLoader))
    assert not [e for e in events if isinstance(e, yaml.AliasEvent)]
    assert not [e for e in events if getattr(e, "anchor", None)]
    assert "<<" not in text


def test_the_resolved_manifest_has_no_reference_left_to_resolve() -> None:
    raw = load_raw()
    assert "shared" not in raw
    assert not [node for node in walk(raw) if "use" in node]
    outputs = [e["output"] for kind in ("actions", "data_sources", "triggers") for e in raw[kind]]
    assert not [node for node in walk(outputs) if "$ref" in node]


def test_a_shared_entry_is_expanded_with_its_overrides() -> None:
    source = {"shared": {"a": {"key": "a", "label": "A", "type": "string", "param": "a"}}}
    expanded = manifest_source._expand(
        {"inputs": [{"use": "a", "label": "B", "param": None}]}, source["shared"]
    )
    assert expanded == {"inputs": [{"key": "a", "label": "B", "type": "string"}]}


def test_an_unknown_shared_name_is_refused_by_name() -> None:
    with pytest.raises(KeyError, match="'nope'"):
        manifest_source._expand({"use": "nope"}, {})


@pytest.mark.parametrize(
    ("shared", "cycle"),
    [
        ({"a": {"use": "b"}, "b": {"label": "B", "use": ["c", "a"]}, "c": {}}, "a -> b -> a"),
        ({"a": {"key": "a", "inputs": [{"use": "a"}]}}, "a -> a"),
    ],
)
def test_a_use_cycle_is_refused_naming_the_cycle(shared: dict[str, Any], cycle: str) -> None:
    with pytest.raises(ValueError, match=f"in a cycle: {cycle}$"):
        manifest_source._expand({"actions": [{"use": "a"}]}, shared)


def test_the_manifest_command_prints_the_resolved_manifest(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["manifest"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == load_raw()
    assert json.loads(json.dumps(printed)) == printed  # round-trips
    assert problems(printed) == []
    assert main(["manifest", "--check"]) == 0


def test_the_manifest_check_fails_when_the_json_is_stale(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    stale = tmp_path / "manifest.json"
    stale.write_text("{}", encoding="utf-8")
    assert not manifest_source.is_current(stale)
    assert manifest_source.write(stale) == stale
    assert manifest_source.is_current(stale)


# -- the meta-schema ----------------------------------------------------------------------------


def test_the_manifest_matches_its_meta_schema() -> None:
    assert problems(load_raw()) == []


def test_a_broken_manifest_names_the_bad_entry() -> None:
    broken = copy.deepcopy(load_raw())
    broken["actions"][2]["inputs"][1]["type"] = "idlist"
    del broken["actions"][5]["label"]
    broken["actions"][0]["inputs"][2]["options"] = {"depends_on": ["user_id"]}
    found = problems(broken)
    assert any(
        p.startswith("actions[delete_timesheet].inputs[timesheet_ids].type:") for p in found
    ), found
    assert any(p.startswith("actions[get_timesheets]:") and "'label'" in p for p in found)
    assert any(p.startswith("actions[create_timesheet].inputs[jobcode_id].options") for p in found)


@pytest.mark.parametrize(
    ("spec", "where"), [(manifest.InputSpec, "input"), (manifest.ActionSpec, "entry")]
)
def test_the_spec_types_have_exactly_the_fields_the_meta_schema_documents(
    spec: type[manifest.InputSpec | manifest.ActionSpec], where: str
) -> None:
    """Each field is written once in specs.py; the meta-schema documents the same ones."""
    documented = load_schema("manifest.meta.json")["$defs"][where]
    assert set(spec._fields) == set(documented["properties"])
    needed = {name for name in spec._fields if name not in spec._defaults}
    assert needed <= set(documented["required"])


def test_the_meta_schema_documents_every_field() -> None:
    meta = load_schema("manifest.meta.json")
    objects = [meta, meta["properties"]["connection"], *meta["$defs"].values()]
    for node in objects:
        for name, field in node["properties"].items():
            assert field.get("description"), name


# -- the contract's actions and inputs ------------------------------------------------------------


def test_the_contracts_actions_and_inputs_are_all_there_in_order() -> None:
    """The contract may be added to, never broken: its keys stay, in its order."""
    for key, contract in CONTRACT_INPUTS.items():
        ours = [i.key for i in manifest.action(key).value_inputs]
        assert [k for k in ours if k in contract] == contract, key
        assert set(ours) - set(contract) <= ADDED_INPUTS, key


def test_every_action_key_is_the_snake_case_of_its_label() -> None:
    for action in ACTIONS + TRIGGERS:
        expected = action.label.lower().replace(" ", "_").replace("time_sheets", "timesheets")
        assert action.key == expected


def test_every_entry_has_a_connection_input_and_only_the_secret_is_secret() -> None:
    for action in EVERY:
        assert action.inputs[0].type == "connection"
        # The one secret beside the connection's: the host's key for the trigger's state.
        assert [i.key for i in action.inputs if i.secret] in ([], ["state_key"])
    secrets = [i.key for i in manifest.connection_inputs() if i.secret]
    assert secrets == ["client_secret"]


def test_the_spec_pages_labels_are_kept() -> None:
    assert [a.label for a in ACTIONS][:9] == SPEC_PAGE_LABELS


def test_the_connection_test_action_is_the_current_user() -> None:
    assert load_raw()["connection"]["test_action"] == "get_current_user"
    assert manifest.action("get_current_user").endpoint == "current_user"


def test_the_deletes_and_only_they_are_destructive() -> None:
    """Raw Request too: its method may be DELETE."""
    destructive = [a.key for a in EVERY if a.destructive]
    assert destructive == [a.key for a in EVERY if a.method in {"DELETE", "ANY"}]
    assert destructive == [
        "delete_timesheet", "raw_request", "remove_job_code_assignments", "delete_notifications",
        "delete_files",
    ]  # fmt: skip


# -- inputs, schemas and rules agree --------------------------------------------------------------


@pytest.mark.parametrize("action", EVERY, ids=lambda a: a.key)
def test_the_input_schema_is_built_from_the_inputs(action: manifest.ActionSpec) -> None:
    schema = load_schema(action.schema)
    assert list(schema["properties"]) == [i.key for i in action.value_inputs]
    assert schema.get("required", []) == [i.key for i in action.value_inputs if i.required]
    assert schema["additionalProperties"] is False
    for item in action.value_inputs:
        assert item.schema, (action.key, item.key)
        resolve_ref(item.schema)  # every reference names an existing definition


@pytest.mark.parametrize("action", EVERY, ids=lambda a: a.key)
def test_defaults_and_examples_fit_the_schema(action: manifest.ActionSpec) -> None:
    from qbtime_connector.validation import validator_for

    for item in action.value_inputs:
        for value in (item.default, item.example):
            if value is not None:
                errors = list(validator_for(action.schema).iter_errors({item.key: value}))
                assert not [e for e in errors if e.path], (item.key, value)


def test_input_types_match_the_schema_types() -> None:
    expected = {"integer": "integer", "date": "string", "datetime": "string"}
    for action in EVERY:
        for item in action.value_inputs:
            if item.type in expected:
                prop = resolve_ref(item.schema or {})
                assert prop["type"] == expected[item.type], (action.key, item.key)


@pytest.mark.parametrize("action", EVERY, ids=lambda a: a.key)
def test_rules_and_visibility_name_inputs_of_the_entry(action: manifest.ActionSpec) -> None:
    keys = {i.key for i in action.value_inputs}
    for rule in action.rules:
        if "records_apart" in rule:  # names fields of the records, not inputs
            assert action.record_action and "records" in keys, action.key
            continue
        for names in rule.values():
            named = names.values() if isinstance(names, dict) else names
            assert {n.split(".")[0] for n in named} <= keys, rule
    for item in action.value_inputs:
        assert set(item.visible_when or {}) <= keys - {item.key}, item.key
        assert set((item.options or {}).get("depends_on", [])) <= keys - {item.key}, item.key


@pytest.mark.parametrize("action", [a for a in EVERY if a.record_action], ids=lambda a: a.key)
def test_a_record_action_writes_the_same_endpoint_the_same_way(action: manifest.ActionSpec) -> None:
    single = manifest.action(str(action.record_action))
    assert (single.method, single.endpoint) == (action.method, action.endpoint)
    assert "records" in {i.key for i in action.value_inputs}


def _takes_every_record(single: manifest.ActionSpec, batch: manifest.ActionSpec) -> bool:
    """Whether a single write can check each record of the batch: it fixes no field, or only
    fields whose other values a `records_apart` rule of the batch takes out of its hands
    (Create Timesheet's type regular; not Approve Time Off Request's status approved)."""
    apart = {
        name
        for rule in batch.rules
        if "records_apart" in rule
        for when in rule["records_apart"]["when"]
        for name in when
    }
    return set(single.fixed) <= apart


def _needs(schema: dict[str, Any]) -> list[list[str]]:
    """The sets of fields a records schema's `items` requires (one per `anyOf` alternative)."""
    items = resolve_ref(schema.get("items", {}))
    found = [items.get("required", []), *(a.get("required", []) for a in items.get("anyOf", []))]
    return [needs for needs in found if needs]


BATCHES = [a for a in ACTIONS if a.function.endswith(":write_records")]


@pytest.mark.parametrize("batch", BATCHES, ids=lambda a: a.key)
def test_a_batch_names_the_single_write_of_its_endpoint_else_its_records_schema_checks_them(
    batch: manifest.ActionSpec,
) -> None:
    """Where a single write of the same method and endpoint can take each record, the batch
    checks its records as that action (record_action); where none can, its records schema says
    what each record needs."""
    fits = [
        a.key
        for a in ACTIONS
        if a.function.endswith(":write_one")
        and (a.method, a.endpoint) == (batch.method, batch.endpoint)
        and _takes_every_record(a, batch)
    ]
    if fits:
        assert batch.record_action in fits
    else:
        assert batch.record_action is None
        assert _needs(batch.by_key["records"].schema or {}), batch.key


def test_the_record_action_rule_holds_for_the_batches_it_was_made_for() -> None:
    named = {a.key: a.record_action for a in BATCHES if a.record_action}
    assert named == {
        "create_users": "create_user", "update_users": "update_user",
        "create_timesheets": "create_timesheet", "update_timesheets": "update_timesheet",
        "create_job_codes": "create_job_code", "create_projects": "create_project",
        "create_project_notes": "create_project_note", "send_notifications": "send_notification",
    }  # fmt: skip
    # Approve and Deny each fix one status: neither can take any change of a time off request.
    assert manifest.action("update_time_off_requests").record_action is None


@pytest.mark.parametrize("action", EVERY, ids=lambda a: a.key)
def test_the_named_function_exists(action: manifest.ActionSpec) -> None:
    assert callable(implementation(action.function))


def test_only_the_shared_schemas_are_files() -> None:
    """Per-entry input schemas are built from the manifest: schemas/ holds no second copy."""
    assert {p.name for p in SCHEMA_DIR.glob("*.json")} == {"definitions.json", "manifest.meta.json"}


# -- choices: every value passes, nothing else does ---------------------------------------------

CHOSEN = [(e, i) for e in EVERY for i in e.value_inputs if i.choices]


def test_the_choice_inputs_are_the_ones_with_fixed_values() -> None:
    assert {(e.key, i.key) for e, i in CHOSEN} >= {
        ("get_users", "active"),
        ("get_timesheets", "on_the_clock"),
        ("raw_request", "method"),
        ("new_or_changed_records", "record_types"),
    }


@pytest.mark.parametrize(("entry", "item"), CHOSEN, ids=lambda x: x.key)
def test_every_choice_value_passes_validation(
    entry: manifest.ActionSpec, item: manifest.InputSpec
) -> None:
    assert (
        all(c["label"] and c["label"] != c["value"] for c in item.choices) or item.key == "method"
    )
    for choice in item.choices:
        assert input_errors(entry, item.key, choice["value"]) == [], choice


# 20 texts for each of the 53 inputs with choices (60 cost three times the CPU, 7 s): a random
# text is almost never a choice; each choice's value and label are checked one by one beside.
@pytest.mark.parametrize(("entry", "item"), CHOSEN, ids=lambda x: x.key)
@settings(max_examples=20, deadline=None)
@given(other=st.text(min_size=1, max_size=12).filter(lambda t: t.strip()))
def test_nothing_but_a_choice_passes_validation(
    entry: manifest.ActionSpec, item: manifest.InputSpec, other: str
) -> None:
    values = {c["value"].lower() for c in item.choices}
    parts = {p.strip().lower() for p in other.split(",")}
    many = item.type == "choice_list"
    if (parts <= values) if many else (other.strip().lower() in values):
        return  # a choice after all (the designer's case and spacing are forgiven)
    assert input_errors(entry, item.key, other), other


@pytest.mark.parametrize(("entry", "item"), CHOSEN, ids=lambda x: x.key)
def test_a_choices_label_is_not_a_value(
    entry: manifest.ActionSpec, item: manifest.InputSpec
) -> None:
    values = {c["value"].lower() for c in item.choices}
    for choice in item.choices:
        if choice["label"].lower() not in values:
            assert input_errors(entry, item.key, choice["label"]), choice["label"]


# -- rules come from the manifest ---------------------------------------------------------------


def test_the_contracts_cross_field_rules_are_declared() -> None:
    assert manifest.action("update_user").rules == ({"one_of_required": ["id", "username"]},)
    assert manifest.action("get_timesheets").rules[0]["at_least_one_of"][0] == "start_date"
    for key in ("create_timesheet", "update_timesheet", "get_timesheets", "timesheet_options"):
        ends = [r for r in manifest.action(key).rules if "end_after_start" in r]
        assert ends == [{"end_after_start": {"start": "start_date", "end": "end_date"}}], key


# -- the run time reads JSON only -----------------------------------------------------------------

ONE_ACTION = """
import json, sys
import qbtime_connector
result = qbtime_connector.invoke("get_users", {}, json.loads(sys.argv[1]))
print(json.dumps({"users": len(result["users"]), "yaml": "yaml" in sys.modules}))
"""


def test_import_and_one_action_never_import_yaml(sandbox: Any, tmp_path: Any) -> None:
    import subprocess
    import sys

    config = json.dumps(sandbox.connection_config())
    done = subprocess.run(
        [sys.executable, "-c", ONE_ACTION, config],
        cwd=tmp_path,  # a host's folder: the installed package is imported, not a source tree
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(done.stdout) == {"users": 5, "yaml": False}


def test_rebuilding_the_manifest_needs_connector_yaml(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(manifest_source, "SOURCE_PATH", tmp_path / "connector.yaml")
    monkeypatch.chdir(tmp_path)  # and not run inside a checkout either
    assert main(["manifest", "--check"]) == 2
    assert "connector.yaml" in capsys.readouterr().err


def test_the_manifest_states_the_api_limits_that_limits_py_holds() -> None:
    from qbtime_connector.limits import MAX_LIMIT, MAX_PAGES

    definitions = load_schema("definitions.json")["$defs"]
    assert definitions["per_page"]["maximum"] == MAX_LIMIT
    max_pages = [
        i.default for a in manifest.actions().values() for i in a.inputs if i.key == "max_pages"
    ]
    assert max_pages and set(max_pages) == {MAX_PAGES}


def test_every_action_names_a_palette_category_the_manifest_declares() -> None:
    raw = load_raw()
    categories = raw["categories"]
    assert len(categories) == len(set(categories))
    assert [a["key"] for a in raw["actions"] if a.get("category") not in categories] == []
    used = {a["category"] for a in raw["actions"]}
    assert [c for c in categories if c not in used] == []  # no empty group in a palette


def test_every_trigger_names_its_sample_function() -> None:
    for trigger in load_raw()["triggers"]:
        assert callable(implementation(trigger["sample"])), trigger["key"]
    broken = copy.deepcopy(load_raw())
    del broken["actions"][0]["category"]
    assert any("'category' is a required property" in p for p in problems(broken))


# -- the manifest's method and endpoint are what every action sends ------------------------------

OPEN_SHEET = {"id": 9, "user_id": 5, "on_the_clock": True, "start": "2026-11-24T09:00:00+00:00"}
MARY = {"id": 5, "username": "mary", "email": "mary@example.com"}
# action, its inputs, its endpoint in the edited manifest, and the requests it then makes
CUSTOM = [
    ("find_users", {"name": "Mary Major"}, "staff", [("GET", listing("staff", [MARY]))]),
    (
        "find_or_create_user",
        {"username": "mary", "first_name": "Mary", "last_name": "Major"},
        "staff",
        [("GET", listing("staff", [MARY]))],
    ),
    (
        "clock_in",
        {"user_id": 5, "jobcode_id": 7},
        "shifts",
        [("GET", listing("shifts", [])), ("POST", written("shifts", [{"_status_code": 200}]))],
    ),
    (
        "clock_out",
        {"user_id": 5},
        "shifts",
        [("GET", listing("shifts", [OPEN_SHEET])), ("PUT", written("shifts", [{"id": 9}]))],
    ),
    ("submit_timesheets", {"user_ids": "5", "date": "2026-11-22"}, "staff", [("PUT", {})]),
    ("approve_timesheets", {"user_ids": "5", "date": "2026-11-22"}, "staff", [("PUT", {})]),
    ("get_current_user", {}, "me", [("GET", listing("users", [MARY]))]),
    ("user_options", {}, "staff", [("GET", listing("staff", [MARY]))]),
]


@pytest.mark.parametrize(("key", "inputs", "endpoint", "answers"), CUSTOM, ids=lambda c: c)
def test_an_action_sends_to_the_endpoint_its_manifest_entry_names(
    manifest_copy: Any,
    mocked_api: responses.RequestsMock,
    mocked_connection: Connection,
    key: str,
    inputs: dict[str, Any],
    endpoint: str,
    answers: list[tuple[str, dict[str, Any]]],
) -> None:
    """Custom actions too: a copy of the manifest with another endpoint changes the request."""
    document = copy.deepcopy(load_raw())
    entries = [e for kind in ("actions", "data_sources") for e in document[kind]]
    next(e for e in entries if e["key"] == key)["endpoint"] = endpoint
    manifest_copy(document)
    for method, body in answers:
        if method == "PUT" and not body:
            body = written(endpoint, [{"id": 5, "_status_code": 200}])
        mocked_api.add(method, f"{API}/{endpoint}", json=body)
    invoke(key, inputs, mocked_connection)
    assert [(c.request.method, c.request.url.split("?")[0]) for c in mocked_api.calls] == [
        (method, f"{API}/{endpoint}") for method, _ in answers
    ]


def test_an_action_sends_the_method_its_manifest_entry_names(
    manifest_copy: Any, mocked_api: responses.RequestsMock, mocked_connection: Connection
) -> None:
    document = copy.deepcopy(load_raw())
    entry = next(e for e in document["actions"] if e["key"] == "submit_timesheets")
    entry["method"] = "POST"
    manifest_copy(document)
    mocked_api.post(f"{API}/users", json=written("users", [{"id": 5, "_status_code": 200}]))
    invoke("submit_timesheets", {"user_ids": "5", "date": "2026-11-22"}, mocked_connection)


def test_a_shared_entry_takes_parameters_in_its_keys_and_values() -> None:
    shared = {
        "page": {"required": ["${records}"], "properties": {"${records}": {"items": "${item}"}}},
        "named": {"label": "Get ${noun}"},
    }
    node = {
        "use": ["page", "named"],
        "with": {"records": "groups", "item": {"type": "object"}, "noun": "Groups"},
    }
    assert manifest_source._expand(node, shared) == {
        "required": ["groups"],
        "properties": {"groups": {"items": {"type": "object"}}},
        "label": "Get Groups",
    }


def test_a_shared_list_is_spliced_into_the_list_that_uses_it() -> None:
    shared = {"paging": [{"key": "page"}, {"key": "${size}"}]}
    inputs = [{"key": "a"}, {"use": "paging", "with": {"size": "limit"}}, {"key": "b"}]
    keys = [i["key"] for i in manifest_source._expand(inputs, shared)]
    assert keys == ["a", "page", "limit", "b"]


def test_a_parameter_left_unfilled_is_refused_by_name() -> None:
    source = {
        "shared": {"x": {"label": "Get ${noun}"}},
        "connection": {"inputs": []},
        "actions": [{"use": "x", "inputs": [], "output": {}}],
    }
    with pytest.raises(KeyError, match=r"\$\{noun\}"):
        manifest_source.resolve(source)
