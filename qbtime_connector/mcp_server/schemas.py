"""The JSON Schemas a tool advertises: self-contained, each input titled and described for an agent.

An agent cannot follow a reference to a file such as `definitions.json`, so every `$ref` is
replaced by what it points to. Each input's property carries its label as `title` and its help
text, choices, default, example and pick list, so the schema alone says how to fill it in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..validation import inline_refs
from .entries import pick_list_uri, value_inputs

DEFINITIONS = "definitions.json"  # the file the manifest's schemas refer to


def self_contained(schema: Mapping[str, Any]) -> dict[str, Any]:
    """The schema with every `$ref` (to definitions.json, or inside it) replaced by its target."""
    resolved: dict[str, Any] = inline_refs(dict(schema), DEFINITIONS)
    return resolved


def input_schema(
    entry: Mapping[str, Any],
    sources: Mapping[str, Mapping[str, Any]],
    extra: Mapping[str, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The tool's inputSchema: one titled property per input (plus `extra`), required ones listed.

    `sources` are the manifest's pick lists by key, named in the inputs they fill.
    """
    inputs = value_inputs(entry)
    properties = {i["key"]: _property(i, sources) for i in inputs}
    properties.update(extra or {})
    schema: dict[str, Any] = {
        "type": "object",
        "title": entry["label"],
        "properties": properties,
        "additionalProperties": False,
    }
    required = [i["key"] for i in inputs if i.get("required")]
    if required:
        schema["required"] = required
    return schema


def output_schema(entry: Mapping[str, Any]) -> dict[str, Any] | None:
    """The tool's outputSchema: the entry's result schema, self-contained (None if it has none)."""
    output = entry.get("output")
    return self_contained(output) if output else None


def _property(item: Mapping[str, Any], sources: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    schema = self_contained(item.get("schema") or {})
    about = _sentences(
        [
            " ".join(str(item.get("comments", "")).split()),
            _choices(item.get("choices", ())),
            _pick_list(item, sources),
            str(schema.get("description", "")),
        ]
    )
    described: dict[str, Any] = {"title": item["label"]}
    described.update((k, v) for k, v in schema.items() if k != "description")
    if about:
        described["description"] = about
    if item.get("default") is not None:
        described["default"] = item["default"]
    if item.get("example") is not None:
        described["examples"] = [item["example"]]
    return described


def _choices(choices: Iterable[Mapping[str, Any]]) -> str:
    shown = [f"{c['value']} ({c['label']})" for c in choices]
    return f"Choices: {', '.join(shown)}." if shown else ""


def _pick_list(item: Mapping[str, Any], sources: Mapping[str, Mapping[str, Any]]) -> str:
    """Where an agent finds the values: the pick list that fills the input in a designer."""
    options = item.get("options") or {}
    source = sources.get(str(options.get("pick_list", "")))
    if source is None:
        return ""
    return (
        f"Its values are the keys of the {source['label']} pick list "
        f"(resource {pick_list_uri(source['key'])})."
    )


def _sentences(parts: Iterable[str]) -> str:
    """The non-empty parts, each ending with a full stop."""
    kept = [p.strip() for p in parts if p.strip()]
    return " ".join(p if p.endswith((".", "?", "!", ")")) else f"{p}." for p in kept)
