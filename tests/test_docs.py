"""The generated page shows what the manifest gives a designer: choices, drop-downs, outputs."""

from __future__ import annotations

from pathlib import Path

from qbtime_connector import docs, manifest

ROOT = Path(__file__).resolve().parent.parent
PAGE = docs.render()


def section(label: str) -> str:
    """The page's section of one entry, up to the next heading of its level."""
    start = PAGE.index(f"### {label}\n")
    end = PAGE.find("\n### ", start + 1)
    return PAGE[start : end if end != -1 else None]


def test_the_committed_page_is_what_the_manifest_renders() -> None:
    assert docs.is_current(ROOT), "run `qbtime-connector docs` and commit docs/"


def test_choices_are_shown_with_their_labels() -> None:
    assert "`no` (Archived only)" in section("Get Users")
    assert "`yes` (Only timesheets still on the clock)" in section("Get Time Sheets")
    for entry in [*manifest.actions().values(), *manifest.triggers().values()]:
        for item in entry.value_inputs:
            for choice in item.choices:
                assert f"`{choice['value']}` ({choice['label']})" in section(entry.label)


def test_drop_downs_name_the_pick_list_that_feeds_them_and_what_it_depends_on() -> None:
    create = section("Create Timesheet")
    assert "Drop-down fed by the Users pick list (`user_options`)." in create
    assert (
        "Drop-down fed by the Job Codes pick list (`job_code_options`), depending on User ID."
        in (create)
    )


def test_each_entry_lists_its_output_fields() -> None:
    for entry in [*manifest.actions().values(), *manifest.triggers().values()]:
        text = section(entry.label)
        assert "Output fields:" in text
        for field in entry.output["properties"]:
            assert f"| `{field}` " in text, (entry.key, field)
    assert "Fields: id, user_id, jobcode_id, start, end" in section("Get Time Sheets")


def test_rules_triggers_and_destructive_actions_are_shown() -> None:
    assert "One of ID, Username is required." in section("Update User")
    assert "End Date must come after Start Date." in section("Create Timesheet")
    assert "**Destructive**" in section("Delete Timesheet")
    assert "## Triggers" in PAGE and "Record Types" in section("New or Changed Records")
