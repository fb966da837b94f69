"""The resolved manifest (manifest.json, built from connector.yaml): actions, inputs, schemas."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

_PACKAGE_DIR = Path(__file__).resolve().parent

# The resolved manifest travels inside the package; the run time never reads YAML.
MANIFEST_PATH = _PACKAGE_DIR / "manifest.json"


def _schema_dir() -> Path:
    """Where schemas/ is: inside an installed wheel, else the checkout."""
    inside = _PACKAGE_DIR / "schemas"
    return inside if inside.is_dir() else _PACKAGE_DIR.parent / "schemas"


SCHEMA_DIR = _schema_dir()
JSON_SCHEMA = "https://json-schema.org/draft/2020-12/schema"


@dataclass(frozen=True)
class InputSpec:
    """One row of an action's input table."""

    key: str
    label: str
    type: str
    required: bool = False
    default: Any = None
    comments: str = ""
    param: str | None = None
    secret: bool = False
    choices: tuple[dict[str, Any], ...] = ()
    options: dict[str, Any] | None = None
    schema: dict[str, Any] | None = None
    placeholder: str | None = None
    example: Any = None
    group: str | None = None
    advanced: bool = False
    visible_when: dict[str, Any] | None = None

    @property
    def allowed(self) -> tuple[str, ...]:
        """The values the input's choices allow (none: any value its schema accepts)."""
        return tuple(str(c["value"]) for c in self.choices)


@dataclass(frozen=True)
class ActionSpec:
    """One action, pick list or trigger as the manifest declares it."""

    key: str
    label: str
    description: str
    method: str
    endpoint: str
    function: str
    inputs: tuple[InputSpec, ...]
    fixed: dict[str, Any] = field(default_factory=dict)
    rules: tuple[dict[str, Any], ...] = ()
    retired_inputs: dict[str, str] = field(default_factory=dict)
    example: dict[str, Any] = field(default_factory=dict)
    output: dict[str, Any] = field(default_factory=dict)
    destructive: bool = False

    @property
    def schema(self) -> str:
        """The name load_schema() knows this entry's input schema by."""
        return f"{self.key}.json"

    @property
    def sends_query(self) -> bool:
        """Whether extra parameters go in the query string (else in the record body)."""
        return self.method in {"GET", "DELETE"}

    @property
    def value_inputs(self) -> tuple[InputSpec, ...]:
        """The inputs a caller passes in `inputs` (all but the connection)."""
        return tuple(i for i in self.inputs if i.type != "connection")

    @property
    def required_one_of(self) -> tuple[tuple[str, ...], ...]:
        """The groups of inputs of which one must be given (from `one_of_required` rules)."""
        return tuple(tuple(r["one_of_required"]) for r in self.rules if "one_of_required" in r)

    def input(self, key: str) -> InputSpec:
        """The input with this key."""
        return next(i for i in self.inputs if i.key == key)


@cache
def load_raw() -> dict[str, Any]:
    """The resolved manifest, as plain JSON data."""
    with MANIFEST_PATH.open(encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


def choice_schema(values: list[Any], many: bool = False) -> dict[str, Any]:
    """The JSON Schema of an input limited to `values`; `many`: a list or comma-joined text."""
    if not many:
        return {"enum": values}
    one = "|".join(re.escape(str(v)) for v in values)
    return {
        "anyOf": [
            {"type": "string", "pattern": rf"^\s*({one})(\s*,\s*({one}))*\s*$"},
            {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"enum": values}},
        ]
    }


def input_schema(spec: ActionSpec) -> dict[str, Any]:
    """The JSON Schema of an entry's inputs, built from the manifest's inputs."""
    schema: dict[str, Any] = {
        "$schema": JSON_SCHEMA,
        "$id": spec.schema,
        "title": spec.label,
        "type": "object",
        "properties": {i.key: i.schema or {} for i in spec.value_inputs},
        "additionalProperties": False,
    }
    required = [i.key for i in spec.value_inputs if i.required]
    if required:
        schema["required"] = required
    return schema


@cache
def load_schema(name: str) -> dict[str, Any]:
    """A JSON Schema: a file of schemas/, or an entry's input schema by its name (KEY.json)."""
    path = SCHEMA_DIR / name
    if path.is_file():
        with path.open(encoding="utf-8") as f:
            data: dict[str, Any] = json.load(f)
        return data
    key = name.removesuffix(".json")
    every = {**actions(), **data_sources(), **triggers()}
    if key not in every:
        raise FileNotFoundError(f"no schema named {name!r}")
    return input_schema(every[key])


def _input(raw: dict[str, Any]) -> InputSpec:
    return InputSpec(
        key=raw["key"],
        label=raw["label"],
        type=raw["type"],
        required=bool(raw.get("required", False)),
        default=raw.get("default"),
        comments=str(raw.get("comments", "")),
        param=raw.get("param"),
        secret=bool(raw.get("secret", False)),
        choices=tuple(raw.get("choices", ())),
        options=raw.get("options"),
        schema=raw.get("schema"),
        placeholder=raw.get("placeholder"),
        example=raw.get("example"),
        group=raw.get("group"),
        advanced=bool(raw.get("advanced", False)),
        visible_when=raw.get("visible_when"),
    )


def _action(raw: dict[str, Any]) -> ActionSpec:
    return ActionSpec(
        key=raw["key"],
        label=raw["label"],
        description=raw["description"],
        method=raw["method"],
        endpoint=raw["endpoint"],
        function=raw["function"],
        inputs=tuple(_input(i) for i in raw["inputs"]),
        fixed=dict(raw.get("fixed", {})),
        rules=tuple(raw.get("rules", ())),
        retired_inputs=dict(raw.get("retired_inputs", {})),
        example=dict(raw.get("example", {})),
        output=dict(raw.get("output", {})),
        destructive=bool(raw.get("destructive", False)),
    )


@cache
def actions() -> dict[str, ActionSpec]:
    """Every action of the manifest, by key, in manifest order."""
    return {raw["key"]: _action(raw) for raw in load_raw()["actions"]}


@cache
def data_sources() -> dict[str, ActionSpec]:
    """Every pick list (data source) of the manifest, by key; invoked like actions."""
    return {raw["key"]: _action(raw) for raw in load_raw().get("data_sources", [])}


@cache
def triggers() -> dict[str, ActionSpec]:
    """Every polling trigger of the manifest, by key; run through poll()."""
    return {raw["key"]: _action(raw) for raw in load_raw().get("triggers", [])}


def connection_inputs() -> tuple[InputSpec, ...]:
    """The connection's inputs (Client ID, Client Secret)."""
    return tuple(_input(i) for i in load_raw()["connection"]["inputs"])


def action(key: str) -> ActionSpec:
    """The action with this key, or a KeyError that lists the valid keys."""
    found = actions().get(key) or data_sources().get(key)
    if found is None:
        known = ", ".join([*actions(), *data_sources()])
        raise KeyError(f"Unknown action {key!r}; known actions and pick lists: {known}")
    return found


def trigger(key: str) -> ActionSpec:
    """The trigger with this key, or a KeyError that lists the valid keys."""
    found = triggers().get(key)
    if found is None:
        raise KeyError(f"Unknown trigger {key!r}; known triggers: {', '.join(triggers())}")
    return found


def _where(raw: dict[str, Any], path: list[str | int]) -> str:
    """A JSON path into the manifest spelled with the keys of the entries it passes through."""
    parts: list[str] = []
    node: Any = raw
    for step in path:
        node = node[step]
        if isinstance(step, int) and isinstance(node, dict) and "key" in node:
            parts[-1] = f"{parts[-1]}[{node['key']}]"
        else:
            parts.append(str(step))
    return ".".join(parts) or "(top)"


def problems(raw: dict[str, Any]) -> list[str]:
    """What is wrong with a resolved manifest, each message naming the bad entry; [] if nothing."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(load_schema("manifest.meta.json"))
    return [
        f"{_where(raw, list(e.absolute_path))}: {e.message}"
        for e in sorted(validator.iter_errors(raw), key=lambda e: list(map(str, e.path)))
    ]
