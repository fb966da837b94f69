"""The manifest an MCP server serves, read in its public JSON shape: entries, inputs, pick lists."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .. import manifest

# For tests only: serve the tools of another manifest file (a copy with one more action), to show
# that the tool list follows the manifest with no change of code.
MANIFEST_ENV = "QBTIME_MCP_MANIFEST"
PICK_LISTS = "qbtime://pick-lists/"  # where a pick list is read as a resource: PICK_LISTS + key


def document() -> dict[str, Any]:
    """The resolved manifest: the package's, or the file $QBTIME_MCP_MANIFEST names."""
    path = os.environ.get(MANIFEST_ENV)
    if not path:
        return manifest.load_raw()
    found: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    return found


def section(document: Mapping[str, Any], name: str) -> dict[str, dict[str, Any]]:
    """One list of the manifest ("actions", "triggers", "data_sources") by key, in order."""
    return {entry["key"]: entry for entry in document.get(name, [])}


def value_inputs(entry: Mapping[str, Any]) -> list[dict[str, Any]]:
    """An entry's inputs that a caller passes (all but the connection), in manifest order."""
    return [i for i in entry.get("inputs", []) if i.get("type") != "connection"]


def pick_list_uri(key: str) -> str:
    """The URI of a pick list's first page as a resource."""
    return PICK_LISTS + key
