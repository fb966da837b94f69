"""Reads connector.yaml and schemas/: what each action is, its inputs and its schema."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .version import VERSION

_PACKAGE_DIR = Path(__file__).resolve().parent


def _data_dir() -> Path:
    """Where connector.yaml and schemas/ are: inside an installed wheel, else the checkout."""
    if (_PACKAGE_DIR / "connector.yaml").is_file():
        return _PACKAGE_DIR
    return _PACKAGE_DIR.parent


MANIFEST_PATH = _data_dir() / "connector.yaml"
SCHEMA_DIR = _data_dir() / "schemas"


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
    allowed: tuple[str, ...] = ()
    secret: bool = False


@dataclass(frozen=True)
class ActionSpec:
    """One action as the manifest declares it."""

    key: str
    label: str
    description: str
    method: str
    endpoint: str
    function: str
    schema: str
    inputs: tuple[InputSpec, ...]
    fixed: dict[str, Any] = field(default_factory=dict)
    required_one_of: tuple[tuple[str, ...], ...] = ()
    requires_any: tuple[str, ...] = ()
    retired_inputs: dict[str, str] = field(default_factory=dict)
    example: dict[str, Any] = field(default_factory=dict)

    @property
    def sends_query(self) -> bool:
        """Whether extra parameters go in the query string (else in the record body)."""
        return self.method in {"GET", "DELETE"}

    @property
    def value_inputs(self) -> tuple[InputSpec, ...]:
        """The inputs a caller passes in `inputs` (all but the connection)."""
        return tuple(i for i in self.inputs if i.type != "connection")

    def input(self, key: str) -> InputSpec:
        """The input with this key."""
        return next(i for i in self.inputs if i.key == key)


@cache
def load_raw() -> dict[str, Any]:
    """The manifest as parsed YAML."""
    # libyaml's loader, where PyYAML was built with it, parses the manifest several times faster.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with MANIFEST_PATH.open(encoding="utf-8") as f:
        data: dict[str, Any] = yaml.load(f, Loader=loader)
    # The version is the package's (written once, in pyproject.toml), never a copy in the YAML.
    data.setdefault("version", VERSION)
    return data


@cache
def load_schema(name: str) -> dict[str, Any]:
    """One JSON Schema from schemas/."""
    with (SCHEMA_DIR / name).open(encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


def icon_path() -> Path:
    """The connector's icon file, as the manifest names it: inside the wheel, else the checkout."""
    name = str(load_raw()["icon"])
    inside = _PACKAGE_DIR / name
    return inside if inside.is_file() else _PACKAGE_DIR.parent / name


def _input(raw: dict[str, Any]) -> InputSpec:
    return InputSpec(
        key=raw["key"],
        label=raw["label"],
        type=raw["type"],
        required=bool(raw.get("required", False)),
        default=raw.get("default"),
        comments=str(raw.get("comments", "")),
        param=raw.get("param"),
        allowed=tuple(raw.get("allowed", ())),
        secret=bool(raw.get("secret", False)),
    )


def _action(raw: dict[str, Any]) -> ActionSpec:
    return ActionSpec(
        key=raw["key"],
        label=raw["label"],
        description=raw["description"],
        method=raw["method"],
        endpoint=raw["endpoint"],
        function=raw["function"],
        schema=raw["schema"],
        inputs=tuple(_input(i) for i in raw["inputs"]),
        fixed=dict(raw.get("fixed", {})),
        required_one_of=tuple(tuple(group) for group in raw.get("required_one_of", ())),
        requires_any=tuple(raw.get("requires_any", ())),
        retired_inputs=dict(raw.get("retired_inputs", {})),
        example=dict(raw.get("example", {})),
    )


@cache
def actions() -> dict[str, ActionSpec]:
    """Every action of the manifest, by key, in manifest order."""
    return {raw["key"]: _action(raw) for raw in load_raw()["actions"]}


@cache
def data_sources() -> dict[str, ActionSpec]:
    """Every pick list (data source) of the manifest, by key; invoked like actions."""
    return {raw["key"]: _action(raw) for raw in load_raw().get("data_sources", [])}


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
    """What is wrong with a parsed manifest, each message naming the bad entry; [] if nothing."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(load_schema("manifest.meta.json"))
    return [
        f"{_where(raw, list(e.absolute_path))}: {e.message}"
        for e in sorted(validator.iter_errors(raw), key=lambda e: list(map(str, e.path)))
    ]
