"""The fast check agrees with the explaining validator; the happy path never loads jsonschema."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qbtime_connector import manifest
from qbtime_connector.check_generation import stale, write
from qbtime_connector.fast_validation import (
    compile_check,
    conforms,
    is_date,
    load_check,
    module_name,
)
from qbtime_connector.validation import resolved_schema, validator_for

from .conftest import EXAMPLES_PER_ACTION

SPECS = {**manifest.actions(), **manifest.data_sources(), **manifest.triggers()}

# Values near the edges of what the schemas accept: each input type's borderline texts.
EDGES: list[Any] = [
    "2026-11-24",
    "2026-02-29",
    "2028-02-29",
    "2026-11-24\n",
    "\uff12\uff10\uff12\uff16-11-24"  # full-width digits,
    "2026-13-01",
    "2026-11-24T09:00:00-07:00",
    "2026-11-24T09:00:00-07:00\n",
    "2026-11-24T09:00:00Z",
    "1, 2,3",
    "1,2\n",
    "0",
    "007",
    "12345678901234567890",
    "yes",
    "no",
    "both",
    "YES",
    "abc\n",
    "a\tb",
    "x" * 256,
    "supplemental_data",
    "Bad-Key",
    "",
    " ",
    "regular",
    "manual",
    "GET",
    "/users",
    "../x",
    Decimal("5"),
    Decimal("2.5"),
    Decimal("-1"),
]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-3, max_value=2**63 + 1),
    st.sampled_from([0.0, 1.0, 2.5, 200.0, 201.0, -1.0]),
    st.sampled_from(EDGES),
    st.text(max_size=12),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.one_of(
                st.sampled_from(["key", "value", "id", "start", "end", "username"]),
                st.text(max_size=6),
            ),
            inner,
            max_size=4,
        ),
    ),
    max_leaves=10,
)


# One value each input type accepts, to build a valid base an example then spoils in places.
GOOD = {
    "integer": 5,
    "boolean": True,
    "string": "abc",
    "date": "2026-11-24",
    "datetime": "2026-11-24T09:00:00-07:00",
    "id_list": "1, 2",
    "json": {"a": 1},
    "record_list": [
        {"id": 1, "username": "u", "first_name": "F", "last_name": "L", "user_id": 1}
        | {
            "jobcode_id": 2,
            "start": "2026-11-24T09:00:00-07:00",
            "end": "2026-11-24T10:00:00-07:00",
        }
    ],
    "key_value_list": {"supplemental_data": "no"},
}


def good(item: manifest.InputSpec) -> Any:
    """A good value of one input: a record list's records have the fields its records need."""
    if item.allowed:
        return item.allowed[0]
    if item.type == "string" and item.example is not None:  # a file name, base64, …
        return item.example
    if item.type == "record_list":
        items = (item.schema or {}).get("items", {})
        alternatives = items.get("anyOf", [{}])  # Create Locations: one address field at least
        needs = [*items.get("required", []), *alternatives[0].get("required", [])]
        return [{**GOOD["record_list"][0], **{f: 1 for f in needs if f not in ("start", "end")}}]
    return GOOD[item.type]


def valid_base(name: str) -> dict[str, Any]:
    """Every required input (and the first of each either/or group) with a good value."""
    spec = SPECS[name]
    wanted = {i.key for i in spec.value_inputs if i.required}
    wanted |= {group[0] for group in spec.required_one_of}
    return {i.key: good(i) for i in spec.value_inputs if i.key in wanted}


@cache  # each strategy once: built again for each example, Hypothesis validated it each time
def inputs_for(name: str) -> st.SearchStrategy[dict[str, Any]]:
    """A valid base with one or two inputs (or a stranger) set to values of any shape."""
    keys = [i.key for i in SPECS[name].value_inputs] + ["not_an_input"]
    changes = st.dictionaries(st.sampled_from(keys), VALUES, min_size=1, max_size=2)
    return changes.map(lambda changed: {**valid_base(name), **changed})


@cache
def record_inputs(name: str) -> st.SearchStrategy[dict[str, Any]]:
    """Record lists whose records use the API's field names, for the bulk write actions."""
    fields = ["id", "user_id", "jobcode_id", "start", "end", "username", "first_name", "type"]
    record = st.dictionaries(st.sampled_from(fields), SCALARS, max_size=5)
    return st.fixed_dictionaries({"records": st.lists(record, min_size=0, max_size=3)})


@cache
def compiled_now(schema_name: str) -> Callable[[Any], bool]:
    """The check compiled at run time (the fallback when a generated one is stale)."""
    return compile_check(resolved_schema(schema_name))


def agree(name: str, values: dict[str, Any]) -> None:
    schema = SPECS[name].schema
    explained = validator_for(schema).is_valid(values)
    assert conforms(schema, values, resolved_schema) is explained, values
    assert compiled_now(schema)(values) is explained, values


@pytest.mark.parametrize("name", sorted(SPECS))
@settings(max_examples=EXAMPLES_PER_ACTION, deadline=None)
@given(data=st.data())
def test_the_fast_check_agrees_with_jsonschema_on_every_action(name: str, data: Any) -> None:
    agree(name, data.draw(inputs_for(name)))


@pytest.mark.parametrize("name", sorted(SPECS))
def test_the_fast_check_agrees_on_every_edge_value_of_every_input(name: str) -> None:
    for item in SPECS[name].value_inputs:
        for value in [*EDGES, *GOOD.values()]:
            agree(name, {**valid_base(name), item.key: value})


@pytest.mark.parametrize(
    "name", sorted(n for n, s in SPECS.items() if any(i.type == "record_list" for i in s.inputs))
)
@settings(max_examples=EXAMPLES_PER_ACTION, deadline=None)
@given(data=st.data())
def test_the_fast_check_agrees_on_record_lists(name: str, data: Any) -> None:
    agree(name, data.draw(record_inputs(name)))


@pytest.mark.parametrize("name", sorted(SPECS))
def test_the_base_each_property_test_spoils_is_valid(name: str) -> None:
    assert validator_for(SPECS[name].schema).is_valid(valid_base(name))
    assert conforms(SPECS[name].schema, valid_base(name), resolved_schema)


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_example_and_default_passes_the_fast_check(name: str) -> None:
    spec = SPECS[name]
    defaults = {i.key: i.default for i in spec.value_inputs if i.default is not None}
    assert conforms(spec.schema, defaults, resolved_schema) is validator_for(spec.schema).is_valid(
        defaults
    )


def test_a_pattern_ending_in_dollar_accepts_a_final_newline_as_jsonschema_does() -> None:
    check = compile_check({"type": "string", "pattern": "^[a-z]+$"})
    assert check("abc\n")
    assert not check("abc\nd")


def test_the_date_format_needs_a_real_day_in_ascii_digits() -> None:
    assert is_date("2028-02-29")
    assert not is_date("2026-02-29")
    assert not is_date("\uff12\uff10\uff12\uff16-11-24")  # full-width digits
    assert not is_date("2026-11-24\n")


def test_the_fast_check_never_fills_in_defaults() -> None:
    check = compile_check({"type": "object", "properties": {"a": {"default": 1}}})
    values: dict[str, Any] = {}
    assert check(values)
    assert values == {}


def test_the_generated_checks_are_those_of_the_current_schemas() -> None:
    assert stale() == [], "run: python -m qbtime_connector.schema_checks"


def test_writing_the_generated_checks_makes_them_current(tmp_path: Path) -> None:
    assert stale(tmp_path) == sorted({s.schema for s in SPECS.values()})
    write(tmp_path)
    assert stale(tmp_path) == []
    assert (
        (tmp_path / f"{module_name('get_users.json')}.py")
        .read_text()
        .startswith('"""Generated from schemas/get_users.json')
    )


def test_a_generated_check_made_from_another_schema_is_not_used() -> None:
    changed = {**resolved_schema("get_users.json"), "required": ["active"]}
    assert conforms("get_users.json", {}, resolved_schema)
    assert not load_check("get_users.json", changed)({})


def test_a_schema_without_a_generated_check_is_compiled_at_run_time() -> None:
    check = load_check("no_such_action.json", {"type": "object", "required": ["a"]})
    assert check({"a": 1})
    assert not check({})


PROBE = """
import json, sys
import qbtime_connector
from qbtime_connector import InputError
config = json.loads(sys.argv[1])
result = qbtime_connector.invoke("get_users", {"active": "both", "per_page": "5"}, config)
happy = "jsonschema" in sys.modules or "fastjsonschema" in sys.modules
try:
    qbtime_connector.invoke("get_users", {"per_page": "many"}, config)
except InputError as error:
    message = error.errors[0]["message"]
print(json.dumps({"users": len(result["users"]), "happy": happy,
                  "after_failure": "jsonschema" in sys.modules, "message": message}))
"""


def test_one_valid_action_does_not_import_jsonschema(sandbox: Any, tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(sandbox.connection_config())],
        cwd=tmp_path,  # a host's folder: the installed package is imported, not a source tree
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    found = json.loads(out)
    assert found["users"] == 5
    assert found["happy"] is False
    assert found["after_failure"] is True  # loaded to explain the failure, in today's words
    assert found["message"] == "must be a whole number; got 'many'"
