"""Every endpoint method of the official reference has an action that sends it.

tests/fixtures/reference_endpoints.json is the inventory, transcribed from the reference's method
sections (TSheetsTeam/api_docs, source/includes/APIReference/): 85 sections, one of which ('Update
Project Activity Read Time') documents POST and PUT for the same upsert.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from qbtime_connector import manifest

INVENTORY: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "fixtures" / "reference_endpoints.json").read_text(encoding="utf-8")
)["endpoints"]


def sent() -> dict[tuple[str, str], list[str]]:
    """The actions of the manifest by the (method, endpoint) each sends."""
    found: dict[tuple[str, str], list[str]] = {}
    for action in manifest.actions().values():
        found.setdefault((action.method, action.endpoint), []).append(action.key)
    return found


def test_the_inventory_holds_the_references_85_method_sections() -> None:
    assert len(INVENTORY) == 85
    assert sum(len(e["methods"]) for e in INVENTORY) == 86
    assert len({(e["path"], tuple(e["methods"])) for e in INVENTORY}) == 85


def test_every_endpoint_method_of_the_reference_has_an_action() -> None:
    actions = sent()
    missing = [
        f"{entry['title']} ({'/'.join(entry['methods'])} {entry['path']})"
        for entry in INVENTORY
        if not any((method, entry["path"]) in actions for method in entry["methods"])
    ]
    assert missing == [], f"{len(missing)} endpoint methods have no action"


def test_every_action_sends_a_method_of_the_reference() -> None:
    """No action calls an endpoint the reference does not document (Raw Request aside)."""
    documented = {(m, e["path"]) for e in INVENTORY for m in e["methods"]}
    strays = [
        key
        for (method, endpoint), keys in sent().items()
        for key in keys
        if method != "ANY" and (method, endpoint) not in documented
    ]
    assert strays == []
