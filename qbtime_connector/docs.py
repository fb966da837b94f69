"""Renders the connector's documentation page from connector.yaml, in the spec page's format."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import manifest
from .manifest import InputSpec

DOCS_PATH = Path("docs") / "quickbooks-time.md"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A Markdown table whose columns line up, like the spec page's."""
    cells = [header, *rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]

    def line(row: list[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"

    return [
        line(header),
        "| " + " | ".join("-" * w for w in widths) + " |",
        *(line(r) for r in rows),
    ]


def _default(item: InputSpec) -> str:
    if item.default is None:
        return ""
    if isinstance(item.default, bool):
        return "true" if item.default else "false"
    return str(item.default)


def _comments(item: InputSpec) -> str:
    text = " ".join(item.comments.split())
    if item.required and item.type != "connection":
        text = f"Required. {text}".strip()
    return text.replace("|", "\\|")


def _section(spec: manifest.ActionSpec) -> list[str]:
    rows = [[i.label, _comments(i), _default(i)] for i in spec.inputs]
    return [
        f"### {spec.label}",
        "",
        spec.description,
        "",
        *_table(["Input", "Comments", "Default"], rows),
        "",
    ]


def render() -> str:
    """The whole page, as Markdown."""
    raw: dict[str, Any] = manifest.load_raw()
    connection = raw["connection"]
    lines = [
        "---",
        f"title: {raw['label']} Connector",
        f"sidebar_label: {raw['label']}",
        f"description: {raw['description']}",
        "---",
        "",
        "<!-- Generated from connector.yaml by `qbtime-connector docs`: edit that, not this. -->",
        "",
        f"![{raw['label']}](../{raw['icon']}#connector-icon)",
        raw["description"],
        "",
        "## Connections",
        "",
        f"### {connection['label']}",
        "",
        connection["description"],
        "",
        " ".join(connection.get("comments", "").split()),
        "",
        *_table(
            ["Input", "Comments", "Default"],
            [
                [i.label, _comments(i) + (" (secret)" if i.secret else ""), _default(i)]
                for i in manifest.connection_inputs()
            ],
        ),
        "",
        "## Actions",
        "",
    ]
    for spec in sorted(manifest.actions().values(), key=lambda a: a.label):
        lines += _section(spec)
    lines += ["## Data Sources", ""]
    for spec in sorted(manifest.data_sources().values(), key=lambda a: a.label):
        lines += _section(spec)
    return "\n".join(lines).rstrip() + "\n"


def write(root: Path) -> Path:
    """Write the page under `root`; returns its path."""
    target = root / DOCS_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render(), encoding="utf-8")
    return target


def is_current(root: Path) -> bool:
    """Whether the committed page matches what the manifest renders."""
    target = root / DOCS_PATH
    return target.is_file() and target.read_text(encoding="utf-8") == render()
