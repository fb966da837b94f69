"""The resolved manifest (manifest.json, built from connector.yaml): actions, inputs, schemas."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from .specs import ActionSpec as ActionSpec  # the spec types live in specs.py; callers
from .specs import InputSpec as InputSpec  # have always found them here as well
from .version import package_version

_PACKAGE_DIR = Path(__file__).resolve().parent

# The resolved manifest travels inside the package; the run time never reads YAML.
MANIFEST_PATH = _PACKAGE_DIR / "manifest.json"


def _schema_dir() -> Path:
    """Where schemas/ is: inside an installed wheel, else the checkout."""
    inside = _PACKAGE_DIR / "schemas"
    return inside if inside.is_dir() else _PACKAGE_DIR.parent / "schemas"


SCHEMA_DIR = _schema_dir()
JSON_SCHEMA = "https://json-schema.org/draft/2020-12/schema"
_PLAIN_KEY = re.compile(r"[a-z][a-z0-9_]*")
_SECTIONS = ("actions", "data_sources", "triggers")  # the manifest's lists of entries


@cache
def _document() -> dict[str, Any]:
    """manifest.json as stored (without the version, which is read only when asked for)."""
    with MANIFEST_PATH.open(encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


@cache
def load_raw() -> dict[str, Any]:
    """The resolved manifest, as plain JSON data."""
    # The version is the package's (written once, in pyproject.toml), never a copy in the manifest.
    return {"version": package_version(), **_document()}


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
    found = next(filter(None, (_built(section, key) for section in _SECTIONS)), None)
    if found is None:
        raise FileNotFoundError(f"no schema named {name!r}")
    return input_schema(found)


def icon_path() -> Path:
    """The connector's icon file, as the manifest names it: inside the wheel, else the checkout."""
    name = str(_document()["icon"])
    inside = _PACKAGE_DIR / name
    return inside if inside.is_file() else _PACKAGE_DIR.parent / name


@cache
def _entries(section: str) -> dict[str, dict[str, Any]]:
    """One section of the manifest, its raw entries by key, in manifest order."""
    return {raw["key"]: raw for raw in _document().get(section, [])}


@cache
def _text() -> bytes:
    return MANIFEST_PATH.read_bytes()


def _entry_alone(section: str, key: str) -> dict[str, Any] | None:
    """One entry parsed from its own line (manifest_source writes each entry on one, its key
    first): a cold start reads one action of a 575 KB file. None where the line is not found.
    """
    if not _PLAIN_KEY.fullmatch(key):
        return None  # the byte pattern below takes only a key as the manifest writes one
    text = _text()
    start = text.find(b'\n"' + section.encode() + b'": [\n')
    end = text.find(b"\n]", start)
    at = text.find(b'\n{"key": "' + key.encode() + b'", ', start, end)
    if start < 0 or at < 0:
        return None
    found: dict[str, Any] = json.loads(text[at + 1 : text.index(b"\n", at + 1)].rstrip(b","))
    return found if found.get("key") == key else None


@cache
def _built(section: str, key: str) -> ActionSpec | None:
    """The spec of one entry, built on first use (a cold start builds only the one it runs)."""
    parsed = _document.cache_info().currsize  # once the whole file is read, look it up there
    raw = None if parsed else _entry_alone(section, key)
    raw = raw or _entries(section).get(key)
    return None if raw is None else ActionSpec.from_raw(raw)


def _section(section: str) -> dict[str, ActionSpec]:
    built = {key: _built(section, key) for key in _entries(section)}
    return {key: spec for key, spec in built.items() if spec is not None}


def actions() -> dict[str, ActionSpec]:
    """Every action of the manifest, by key, in manifest order."""
    return _section("actions")


def data_sources() -> dict[str, ActionSpec]:
    """Every pick list (data source) of the manifest, by key; invoked like actions."""
    return _section("data_sources")


def triggers() -> dict[str, ActionSpec]:
    """Every polling trigger of the manifest, by key; run through poll()."""
    return _section("triggers")


def connection_inputs() -> tuple[InputSpec, ...]:
    """The connection's inputs (Client ID, Client Secret)."""
    return tuple(InputSpec.from_raw(i) for i in _document()["connection"]["inputs"])


def action(key: str) -> ActionSpec:
    """The action with this key, or a KeyError that lists the valid keys."""
    found = _built("actions", key) or _built("data_sources", key)
    if found is None:
        known = ", ".join([*_entries("actions"), *_entries("data_sources")])
        raise KeyError(f"Unknown action {key!r}; known actions and pick lists: {known}")
    return found


def trigger(key: str) -> ActionSpec:
    """The trigger with this key, or a KeyError that lists the valid keys."""
    found = _built("triggers", key)
    if found is None:
        raise KeyError(
            f"Unknown trigger {key!r}; known triggers: {', '.join(_entries('triggers'))}"
        )
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
