"""The tools, derived from the manifest: one per action and one per trigger, none written by hand.

A tool's name is the entry's key, its title the label, its description the manifest's (with the
entry's cross-input rules in words), its schemas the entry's, self-contained. The trigger is a tool
that polls: the agent passes back the `state` the previous call returned.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mcp_types import Tool

from ..docs import rule_text
from .entries import section, value_inputs
from .hints import tool_annotations
from .schemas import input_schema, output_schema

STATE = "state"  # the trigger tool's extra input: what the previous poll returned
STATE_SCHEMA: dict[str, Any] = {
    "title": "State",
    "description": "The `state` of the previous call's result, unchanged (none on the first call).",
    "type": ["object", "null"],
}
POLLING = (
    "Call it first without a State; then pass back the `state` of the previous call's result, "
    "unchanged, to get only what changed since (each change once)."
)


class Catalog:
    """The tools of one manifest document, and which of them poll a trigger."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        sources = section(document, "data_sources")
        actions, triggers = section(document, "actions"), section(document, "triggers")
        self.sources = sources
        self.triggers = frozenset(triggers)
        self.tools = [
            *(_tool(entry, sources) for entry in actions.values()),
            *(_tool(entry, sources, trigger=True) for entry in triggers.values()),
        ]
        self._by_name = {tool.name: tool for tool in self.tools}

    def tool(self, name: str) -> Tool | None:
        """The tool with this name, or None."""
        return self._by_name.get(name)

    def input_schema(self, name: str) -> dict[str, Any] | None:
        """A tool's inputSchema by its name (None for an unknown name)."""
        found = self._by_name.get(name)
        return None if found is None else found.input_schema


def _tool(
    entry: Mapping[str, Any], sources: Mapping[str, Mapping[str, Any]], *, trigger: bool = False
) -> Tool:
    description = " ".join([entry["description"].rstrip(".") + ".", *_rules(entry)])
    extra = {STATE: STATE_SCHEMA} if trigger else None
    if trigger:
        description += " " + POLLING
    return Tool(
        name=entry["key"],
        title=entry["label"],
        description=description,
        input_schema=input_schema(entry, sources, extra),
        output_schema=output_schema(entry),
        annotations=tool_annotations(entry, trigger=trigger),
    )


def _rules(entry: Mapping[str, Any]) -> list[str]:
    """The entry's cross-input rules, in words that name the inputs by label."""
    labels = {i["key"]: i["label"] for i in value_inputs(entry)}
    return [rule_text(rule, labels, entry.get("record_action")) for rule in entry.get("rules", ())]
