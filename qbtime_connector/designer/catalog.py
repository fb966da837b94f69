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


# What the palette shows of an action or trigger before it is used: its name and group.
_INDEX_FIELDS = ("key", "label", "description", "category", "destructive")
KINDS = ("actions", "triggers")  # the catalog's lists of entries a flow uses


@cache
def index() -> dict[str, Any]:
    """The catalog as the page first loads it: every entry's name and group, and what each pick
    list accepts; an entry's inputs, rules and example come with `entry` when it is used, so
    what the page downloads grows with the flow, not with the manifest."""
    full = catalog()
    return {
        **{k: v for k, v in full.items() if k not in (*KINDS, "pick_lists")},
        "actions": [_index_entry(a) for a in full["actions"]],
        "triggers": [_index_entry(t) for t in full["triggers"]],
        "pick_lists": [
            {"key": p["key"], "accepts": [i["key"] for i in p["inputs"]]}
            for p in full["pick_lists"]
        ],
    }


def _index_entry(full: dict[str, Any]) -> dict[str, Any]:
    return {k: full[k] for k in _INDEX_FIELDS if k in full}


def entry(kind: str, key: str) -> dict[str, Any] | None:
    """One action's or trigger's whole entry (kind "actions" or "triggers"), or None."""
    found = catalog()[kind] if kind in KINDS else []
    return next((e for e in found if e["key"] == key), None)


def input_labels(entry_key: str) -> dict[str, str]:
    """Input key to label, for an action or trigger of the catalog."""
    entries = [*catalog()["actions"], *catalog()["triggers"]]
    found: dict[str, Any] = next((e for e in entries if e["key"] == entry_key), {"inputs": []})
    return {i["key"]: i["label"] for i in found["inputs"]}
