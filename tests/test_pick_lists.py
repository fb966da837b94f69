"""Pick lists: one page per call, searchable, bound to the inputs they fill."""

from __future__ import annotations

import pytest

from qbtime_connector import Connection, InputError, invoke, manifest
from qbtime_connector.sandbox import Sandbox
from qbtime_connector.sandbox.company import new_assignment

from .conftest import input_errors

SOURCES = list(manifest.data_sources().values())

YEAR = {"start_date": "2025-01-01", "end_date": "2025-12-31"}


def test_a_pick_list_reads_one_page_per_call(sandbox: Sandbox, connection: Connection) -> None:
    sandbox.state.add_timesheets(450)
    before = sandbox.state.count("GET /api/v1/timesheets")
    first = invoke("timesheet_options", YEAR, connection)
    assert (len(first["options"]), first["more"]) == (200, True)
    last = invoke("timesheet_options", {**YEAR, "page": 3}, connection)
    assert (len(last["options"]), last["more"]) == (50, False)
    assert sandbox.state.count("GET /api/v1/timesheets") - before == 2


BOUND = [
    (entry, item)
    for entry in [*manifest.actions().values(), *manifest.triggers().values()]
    for item in entry.value_inputs
    if item.options
] + [(source, item) for source in SOURCES for item in source.value_inputs if item.options]
# Values for the inputs a dependent pick list depends on: a user with assignments.
DEPENDS = {"user_id": "1000003"}


def test_the_bindings_cover_the_id_inputs_a_builder_picks() -> None:
    bound = {(entry.key, item.key) for entry, item in BOUND}
    assert {
        ("create_timesheet", "user_id"),
        ("create_timesheet", "jobcode_id"),
        ("update_timesheet", "jobcode_id"),
        ("update_user", "id"),
        ("get_timesheets", "user_ids"),
        ("get_timesheets", "job_code_ids"),
    } <= bound


@pytest.mark.parametrize(("entry", "item"), BOUND, ids=lambda x: x.key)
def test_every_binding_names_a_pick_list_whose_values_the_input_accepts(
    entry: manifest.ActionSpec, item: manifest.InputSpec, connection: Connection
) -> None:
    assert item.options is not None
    source = manifest.data_sources()[item.options["pick_list"]]
    depends = item.options.get("depends_on", [])
    assert set(depends) <= {i.key for i in source.value_inputs}, "the pick list takes them"
    found = invoke(source.key, {k: DEPENDS[k] for k in depends}, connection)["options"]
    assert found, "the pick list offers something to check"
    for option in found:
        assert input_errors(entry, item.key, option["key"]) == [], (entry.key, option)


def test_job_codes_depend_on_the_chosen_user(sandbox: Sandbox, connection: Connection) -> None:
    with sandbox.state.lock:
        company = sandbox.state.company
        company.add(
            "jobcode_assignments",
            company.assignments,
            new_assignment(user_id=0, jobcode_id=2000005),  # Training, for everyone
        )
    before = sandbox.state.count()
    found = invoke("job_code_options", {"user_id": "1000003"}, connection)
    assert [o["label"] for o in found["options"]] == [
        "Field Work › Repairs",
        "Office",
        "Training",
    ]
    assert sandbox.state.count() - before == 2  # one page of assignments, one of parents
    everyone = invoke("job_code_options", {}, connection)["options"]
    assert len(everyone) > len(found["options"])


def test_users_are_searched_by_first_name_or_full_name(
    sandbox: Sandbox, connection: Connection
) -> None:
    before = sandbox.state.count("GET /api/v1/users")
    assert invoke("user_options", {"search": "Mary"}, connection)["options"] == [
        {"key": "1000002", "label": "Mary Samsonite"}
    ]
    assert [
        o["label"] for o in invoke("user_options", {"search": "Mary Sam"}, connection)["options"]
    ] == ["Mary Samsonite"]
    assert invoke("user_options", {"search": "Nobody"}, connection) == {
        "options": [],
        "more": False,
    }
    assert sandbox.state.count("GET /api/v1/users") - before == 3


def test_users_are_found_by_last_name_username_and_e_mail_in_one_call_each(
    sandbox: Sandbox, connection: Connection
) -> None:
    before = sandbox.state.count("GET /api/v1/users")
    for search, label in [
        ("Samson", "Mary Samsonite"),
        ("samsonite", "Mary Samsonite"),
        ("jdoe", "John Doe"),
        ("lchen@example", "Li Chen"),
        ("NOVAK", "Petra Novak"),
        ("p*vak", "Petra Novak"),
    ]:
        found = invoke("user_options", {"search": search}, connection)
        assert [o["label"] for o in found["options"]] == [label], search
    assert sandbox.state.count("GET /api/v1/users") - before == 6


def test_job_codes_are_searched_by_name_and_keep_their_parents_in_the_label(
    connection: Connection,
) -> None:
    found = invoke("job_code_options", {"search": "Rep"}, connection)
    assert found == {
        "options": [{"key": "2000003", "label": "Field Work › Repairs"}],
        "more": False,
    }


def test_assignment_and_timesheet_pick_lists_search_their_labels(connection: Connection) -> None:
    john = invoke("job_code_assignment_options", {"search": "office"}, connection)["options"]
    assert john and all("Office" in o["label"] for o in john)
    sheets = invoke(
        "timesheet_options",
        {"start_date": "2026-11-16", "end_date": "2026-11-16", "search": "Installation"},
        connection,
    )["options"]
    assert sheets and all("Installation" in o["label"] for o in sheets)


def test_a_page_past_the_end_is_empty(connection: Connection) -> None:
    assert invoke("user_options", {"page": 9}, connection) == {"options": [], "more": False}


def test_every_pick_list_takes_search_and_page() -> None:
    for source in SOURCES:
        keys = [i.key for i in source.value_inputs]
        assert {"search", "page"} <= set(keys), source.key


def test_pick_lists_label_their_options(sandbox: Sandbox, connection: Connection) -> None:
    users = invoke("user_options", {}, connection)["options"]
    assert {"key": "1000002", "label": "Mary Samsonite"} in users and len(users) == 5
    codes = {
        o["label"] for o in invoke("job_code_options", {"active": "both"}, connection)["options"]
    }
    assert {"Field Work › Repairs", "Old Project", "Vacation"} <= codes
    sheets = invoke(
        "timesheet_options",
        {"start_date": "2026-11-16", "end_date": "2026-11-16", "user_ids": "1000002"},
        connection,
    )["options"]
    assert [o["label"] for o in sheets] == [
        "2026-11-16 09:00–12:00 · Mary Samsonite · Installation",
        "2026-11-16 13:00–17:00 · Mary Samsonite · Office",
    ]
    assigned = invoke("job_code_assignment_options", {"user_ids": 1000003}, connection)["options"]
    assert [o["label"] for o in assigned] == ["John Doe → Repairs", "John Doe → Office"]


def test_a_pick_list_needs_its_date_range(connection: Connection) -> None:
    with pytest.raises(InputError, match="End Date"):
        invoke("timesheet_options", {"start_date": "2026-11-16"}, connection)
