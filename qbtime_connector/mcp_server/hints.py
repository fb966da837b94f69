"""Tool annotations from the manifest: what an agent host may assume before it calls a tool.

MCP reads a missing `destructiveHint` as true and a missing `readOnlyHint` as false, so every hint
is given explicitly: destructive exactly where the manifest says `destructive`, false elsewhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mcp_types import ToolAnnotations

# A repeat of one of these sets the same values again, or finds nothing left to delete.
IDEMPOTENT_METHODS = frozenset({"PUT", "DELETE"})


def only_reads(entry: Mapping[str, Any]) -> bool:
    """Whether an action changes nothing: a GET, or one of the API's reports (asked for by POST)."""
    method, endpoint = entry.get("method"), str(entry.get("endpoint", ""))
    return method == "GET" or (method == "POST" and endpoint.startswith("reports/"))


def tool_annotations(entry: Mapping[str, Any], *, trigger: bool = False) -> ToolAnnotations:
    """The hints of an action's tool (or the trigger's, which only reads)."""
    reads = trigger or only_reads(entry)
    return ToolAnnotations(
        title=entry["label"],
        read_only_hint=reads,
        destructive_hint=bool(entry.get("destructive", False)),
        idempotent_hint=reads or entry.get("method") in IDEMPOTENT_METHODS,
        # One customer's QuickBooks Time account: a closed world, not the open web.
        open_world_hint=False,
    )
