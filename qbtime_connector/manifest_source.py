"""Resolves connector.yaml (the one declaration) into the plain-JSON manifest the package ships."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from .manifest import MANIFEST_PATH, SCHEMA_DIR, choice_schema

SOURCE_PATH = Path(__file__).resolve().parent.parent / "connector.yaml"
DEFINITIONS = "definitions.json#/$defs/"
# The shared definition an input's type stands for when the input names none itself.
TYPE_SCHEMAS = {
    "string": "text",
    "integer": "positive_id",
    "boolean": "flag",
    "date": "date",
    "datetime": "datetime_with_offset",
    "id_list": "id_list",
    "json": "json_body",
    "record_list": "record_list",
}
_ENTRIES = ("actions", "data_sources", "triggers")
_PARAM = re.compile(r"\$\{([a-z_]+)\}")


def _is_checkout(folder: Path) -> bool:
    return (folder / "connector.yaml").is_file() and (folder / "qbtime_connector").is_dir()


def checkout(start: Path | None = None) -> Path | None:
    """The project checkout the maintainer commands work on, or None outside one.

    The one this package runs from (an editable install), else the folder `start` (the
    current one) or the nearest above it that holds connector.yaml and qbtime_connector/:
    after a plain `pip install .` the package's own folder has no connector.yaml beside it.
    """
    if SOURCE_PATH.is_file():
        return SOURCE_PATH.parent
    here = (start or Path.cwd()).resolve()
    return next((folder for folder in (here, *here.parents) if _is_checkout(folder)), None)


def load_source(path: Path | None = None) -> dict[str, Any]:
    """connector.yaml as parsed YAML (only the build step and tests read YAML)."""
    import yaml

    if path is None:
        path = (checkout() or SOURCE_PATH.parent) / "connector.yaml"
    with path.open(encoding="utf-8") as f:
        data: dict[str, Any] = yaml.safe_load(f)
    return data


def _shared(name: str, shared: dict[str, Any], using: tuple[str, ...] = ()) -> Any:
    """The shared entry `name`; `using` is the chain of shared names being expanded around it:
    one met again is a cycle, refused by name rather than recursing until Python gives up."""
    if name not in shared:
        raise KeyError(f"connector.yaml uses {name!r}, which `shared` does not define")
    if name in using:
        cycle = " -> ".join([*using[using.index(name) :], name])
        raise ValueError(f"connector.yaml: the shared entries use each other in a cycle: {cycle}")
    return shared[name]


def _substitute(text: str, params: dict[str, Any]) -> Any:
    """A string with its ${NAME}s replaced; a string that is one ${NAME} becomes that value."""
    whole = _PARAM.fullmatch(text)
    if whole and whole.group(1) in params:
        return params[whole.group(1)]
    return _PARAM.sub(lambda m: str(params.get(m.group(1), m.group(0))), text)


def _splices(item: Any, shared: dict[str, Any]) -> bool:
    """Whether a list item is {use: NAME} of a shared list, spliced into the list it is in."""
    return (
        isinstance(item, dict)
        and "use" in item
        and set(item) <= {"use", "with"}
        and isinstance(item["use"], str)
        and isinstance(_shared(item["use"], shared), list)
    )


def _expand(
    node: Any,
    shared: dict[str, Any],
    params: dict[str, Any] | None = None,
    using: tuple[str, ...] = (),
) -> Any:
    """The node with every {use: NAME(S), with: {...}, ...} replaced by the shared entries
    (their ${PARAM}s filled from `with`) plus overrides; a shared list is spliced into a list."""
    params = params or {}
    if isinstance(node, str):
        return _substitute(node, params) if params else node
    if isinstance(node, list):
        return _expand_list(node, shared, params, using)
    if not isinstance(node, dict):
        return node
    merged: dict[str, Any] = {}
    if "use" in node:  # `with` fills the shared entries and the fields given beside them
        names = node["use"] if isinstance(node["use"], list) else [node["use"]]
        params = {**params, **_expand(node.get("with", {}), shared, params, using)}
        for name in names:
            entry = _shared(name, shared, using)
            merged.update(_expand(entry, shared, params, (*using, name)))
    for key, value in node.items():
        if key in {"use", "with"} and "use" in node:
            continue
        name = _substitute(key, params) if params else key
        if value is None and "use" in node:
            merged.pop(name, None)  # an override of null removes the shared field
        else:
            merged[name] = _expand(value, shared, params, using)
    return merged


def _expand_list(
    node: list[Any], shared: dict[str, Any], params: dict[str, Any], using: tuple[str, ...]
) -> list[Any]:
    expanded: list[Any] = []
    for item in node:
        if _splices(item, shared):
            inner = {**params, **_expand(item.get("with", {}), shared, params, using)}
            entry = _shared(item["use"], shared, using)
            expanded.extend(_expand(entry, shared, inner, (*using, item["use"])))
        else:
            expanded.append(_expand(item, shared, params, using))
    return expanded


def _input_schema(item: dict[str, Any]) -> dict[str, Any] | None:
    """The JSON Schema an input's values must meet, from its choices, schema or type."""
    if item["type"] == "connection":
        return None
    if "choices" in item:
        values = [c["value"] for c in item["choices"]]
        return choice_schema(values, many=item["type"] == "choice_list")
    named = item.get("schema") or TYPE_SCHEMAS.get(item["type"])
    if named is None:
        raise ValueError(f"input {item['key']!r} of type {item['type']} needs a `schema`")
    return {"$ref": DEFINITIONS + named} if isinstance(named, str) else named


def _definitions(schema_dir: Path) -> dict[str, Any]:
    with (schema_dir / "definitions.json").open(encoding="utf-8") as f:
        found: dict[str, Any] = json.load(f)["$defs"]
    return found


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    """A result schema with its references to definitions.json written out in place: fields
    beside a $ref replace the definition's own, but `properties` beside it add to its own."""
    if isinstance(node, list):
        return [_inline(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node and str(node["$ref"]).startswith(DEFINITIONS):
        target = _inline(defs[node["$ref"][len(DEFINITIONS) :]], defs)
        beside = {k: _inline(v, defs) for k, v in node.items() if k != "$ref"}
        merged = {**target, **beside}
        if "properties" in target and "properties" in beside:  # a record's fields, and more
            merged["properties"] = {**target["properties"], **beside["properties"]}
        return merged
    return {k: _inline(v, defs) for k, v in node.items()}


def _with_input_schemas(entry: dict[str, Any]) -> dict[str, Any]:
    inputs = []
    for item in entry["inputs"]:
        schema = _input_schema(item)
        inputs.append({**item, "schema": schema} if schema is not None else item)
    return {**entry, "inputs": inputs}


def resolve(source: dict[str, Any], schema_dir: Path = SCHEMA_DIR) -> dict[str, Any]:
    """The manifest as plain JSON: shared entries expanded, input and result schemas in place."""
    shared = source.get("shared", {})
    resolved: dict[str, Any] = _expand({k: v for k, v in source.items() if k != "shared"}, shared)
    defs = _definitions(schema_dir)
    for kind in _ENTRIES:
        resolved[kind] = [
            {**_with_input_schemas(e), "output": _inline(e["output"], defs)}
            for e in resolved.get(kind, [])
        ]
    resolved["connection"] = _with_input_schemas(resolved["connection"])
    left = sorted(set(_PARAM.findall(json.dumps(resolved))))
    if left:
        raise KeyError(f"connector.yaml leaves ${{{left[0]}}} unfilled: give it in a `with`")
    return resolved


def render(source: dict[str, Any] | None = None, root: Path | None = None) -> str:
    """The resolved manifest as the JSON text the package ships: of `source`, else of the
    checkout at `root` (by default the one found by `checkout()`)."""
    root = root or checkout()
    if source is None:
        source = load_source(root / "connector.yaml" if root else None)
    resolved = resolve(source, root / "schemas" if root else SCHEMA_DIR)
    return one_entry_per_line(resolved)


def one_entry_per_line(resolved: dict[str, Any]) -> str:
    """The manifest's JSON text with each entry of a section on a line of its own, its key
    first: a cold start parses only the line of the action it runs (manifest.py), not the file.
    """
    parts = []
    for name, value in resolved.items():
        if name in _ENTRIES and isinstance(value, list):
            lines = [_line({"key": entry["key"], **entry}) for entry in value]
            parts.append(f"{_line(name)}: [\n" + ",\n".join(lines) + "\n]")
        else:
            parts.append(f"{_line(name)}: {json.dumps(value, indent=1, ensure_ascii=False)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def _line(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def target_in(root: Path) -> Path:
    """Where a checkout keeps the manifest.json it ships."""
    return root / "qbtime_connector" / MANIFEST_PATH.name


def write(target: Path = MANIFEST_PATH, root: Path | None = None) -> Path:
    """Resolve connector.yaml (the checkout's at `root`) into manifest.json; returns its path."""
    target.write_text(render(root=root), encoding="utf-8")
    return target


def is_current(target: Path = MANIFEST_PATH, root: Path | None = None) -> bool:
    """Whether the shipped manifest.json is what connector.yaml (the checkout's) resolves to."""
    return target.is_file() and target.read_text(encoding="utf-8") == render(root=root)
