"""The manifest as the designer's page sees it: actions, triggers and pick lists, no secrets."""

from __future__ import annotations

from functools import cache
from typing import Any

from .. import manifest

# What the page needs of an entry; the rest (functions, schemas, request details) stays here.
# The example result, not the output schema, offers a result's fields before a first run:
# it carries a sample value beside each field.
_ENTRY_FIELDS = (
    "key",
    "label",
    "description",
    "category",
    "method",
    "example",
    "destructive",
    "rules",
)


# Input fields that only the connector needs (how it validates and sends the value).
_INTERNAL_INPUT_FIELDS = {"schema", "param"}


def _inputs(raw: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {k: v for k, v in i.items() if k not in _INTERNAL_INPUT_FIELDS}
        for i in raw
        if i.get("type") != "connection" and not i.get("secret")
    ]


def _entry(raw: dict[str, Any]) -> dict[str, Any]:
    entry = {k: raw[k] for k in _ENTRY_FIELDS if k in raw}
    entry["inputs"] = _inputs(raw.get("inputs", []))
    return entry


@cache
def catalog() -> dict[str, Any]:
    """Label, icon, palette categories, actions, triggers and pick lists, ready for the page."""
    raw = manifest.load_raw()
    return {
        "label": raw["label"],
        "categories": raw.get("categories", []),
        "description": raw.get("description", ""),
        "icon": "/icon.png",
        "connection": {
            k: raw["connection"][k]
            for k in ("label", "description", "test_action")
            if k in raw["connection"]
        },
        "actions": [_entry(a) for a in raw["actions"]],
        "triggers": [_entry(t) for t in raw.get("triggers", [])],
        "pick_lists": [_entry(d) for d in raw.get("data_sources", [])],
    }


def input_labels(entry_key: str) -> dict[str, str]:
    """Input key to label, for an action or trigger of the catalog."""
    entries = [*catalog()["actions"], *catalog()["triggers"]]
    found: dict[str, Any] = next((e for e in entries if e["key"] == entry_key), {"inputs": []})
    return {i["key"]: i["label"] for i in found["inputs"]}
