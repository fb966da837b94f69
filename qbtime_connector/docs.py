"""Renders the connector's documentation page from the manifest, in the spec page's format."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from . import manifest
from .specs import InputSpec

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


def _sentences(*parts: str) -> str:
    """Parts joined as sentences: each ends with a full stop before the next begins."""
    kept = [p.strip() for p in parts if p.strip()]
    return " ".join(
        p if p.endswith((".", ")", "?", "!")) or p is kept[-1] else f"{p}." for p in kept
    )


def _feeder(spec: manifest.ActionSpec, item: InputSpec) -> str:
    """Which pick list fills the input's drop-down, and on which inputs it depends."""
    if not item.options:
        return ""
    source = manifest.data_sources()[item.options["pick_list"]]
    depends = [spec.input(k).label for k in item.options.get("depends_on", [])]
    after = f", depending on {', '.join(depends)}" if depends else ""
    return f"Drop-down fed by the {source.label} pick list (`{source.key}`){after}."


def _comments(item: InputSpec, spec: manifest.ActionSpec | None = None) -> str:
    choices = ", ".join(f"`{c['value']}` ({c['label']})" for c in item.choices)
    text = _sentences(
        "Required" if item.required and item.type != "connection" else "",
        " ".join(item.comments.split()),
        f"Choices: {choices}." if choices else "",
        _feeder(spec, item) if spec else "",
    )
    return text.replace("|", "\\|")


def _kind(schema: dict[str, Any]) -> str:
    kind = schema.get("type", "any")
    return "/".join(kind) if isinstance(kind, list) else str(kind)


def _output_rows(output: dict[str, Any]) -> list[list[str]]:
    """One row per field of the result: name, JSON type, and the fields of its records."""
    rows = []
    for name, field in output.get("properties", {}).items():
        inner = field.get("items", field) if field.get("type") == "array" else field
        kind = _kind(field) + (f" of {_kind(inner)}" if field.get("type") == "array" else "")
        fields = ", ".join(inner.get("properties", {}))
        about = " ".join(str(field.get("description", inner.get("description", ""))).split())
        text = _sentences(about, f"Fields: {fields}" if fields else "")
        rows.append([f"`{name}`", kind, text.replace("|", "\\|")])
    return rows


def rule_text(
    rule: Mapping[str, Any], labels: Mapping[str, str], record_action: str | None = None
) -> str:
    """A cross-input rule in words, naming inputs by their `labels` (input key -> label).

    `record_action` is the entry's own (a batch's): a `records_apart` rule names it.
    """

    def label(name: str) -> str:
        key, _, inner = name.partition(".")
        return f"'{inner}' in {labels.get(key, key)}" if inner else labels.get(key, key)

    if "one_of_required" in rule:
        return "One of " + ", ".join(map(label, rule["one_of_required"])) + " is required."
    if "at_least_one_of" in rule:
        return "At least one of " + ", ".join(map(label, rule["at_least_one_of"])) + " is needed."
    if "records_apart" in rule:
        return _apart(rule["records_apart"], str(record_action))
    if "together" in rule:
        return " and ".join(map(label, rule["together"])) + " are given together or not at all."
    pair = rule["end_after_start"]
    return f"{label(pair['end'])} must come after {label(pair['start'])}."


def _apart(apart: Mapping[str, Any], record_action: str) -> str:
    def matching(when: dict[str, Any]) -> str:
        return " and ".join(f"no {k}" if v is None else f"{k} '{v}'" for k, v in when.items())

    kinds = " or ".join(map(matching, apart["when"]))
    filled = ", ".join(f"{k} '{v}'" for k, v in apart.get("set", {}).items())
    action = manifest.action(record_action).label
    sent = f" and sent with {filled}" if filled else ""
    alone = f"they are checked by their schema alone{sent}"
    return f"Records with {kinds} are not ones {action} takes: {alone}."


def _section(spec: manifest.ActionSpec) -> list[str]:
    rows = [[i.label, _comments(i, spec), _default(i)] for i in spec.inputs]
    notes = [
        rule_text(r, {i.key: i.label for i in spec.inputs}, spec.record_action) for r in spec.rules
    ]
    if spec.record_action:
        action = manifest.action(spec.record_action).label
        notes.insert(0, f"Each record is checked and converted as {action} checks its inputs.")
    if spec.destructive:
        notes.insert(0, "**Destructive**: what it removes cannot be restored.")
    return [
        f"### {spec.label}",
        "",
        spec.description,
        "",
        *[f"{n}\n" for n in notes],
        *_table(["Input", "Comments", "Default"], rows),
        "",
        "Output fields:",
        "",
        *_table(["Field", "Type", "Description"], _output_rows(spec.output)),
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
    lines += ["## Triggers", ""]
    for spec in sorted(manifest.triggers().values(), key=lambda a: a.label):
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
