"""A trigger's sample: its most recent records in the trigger's shape, no state taken or moved."""

from __future__ import annotations

import pytest

from qbtime_connector import Connection, InputError, invoke, poll, sample
from qbtime_connector.sandbox import Sandbox
from tests.conftest import ManualClock, new_worker

TRIGGER = "new_or_changed_records"


def _newest_first(records: list[dict[str, object]]) -> bool:
    stamps = [str(r["record"]["last_modified"]) for r in records]  # type: ignore[index]
    return stamps == sorted(stamps, reverse=True)


def test_a_sample_is_the_newest_records_in_the_triggers_shape(clock: ManualClock) -> None:
    with Sandbox(clock=clock) as sandbox, sandbox.connect() as connection:
        clock.tick()
        worker = new_worker(connection, "newcomer")
        clock.tick()
        email = {"additional_query_parameters": {"email": "j@x.com"}}
        invoke("update_user", {"id": 1000003, **email}, connection)
        before = sandbox.state.count()
        found = sample(TRIGGER, {"record_types": ["users"]}, connection)
        calls = sandbox.state.count() - before
    assert set(found) == {"records"}  # no state goes out
    assert [(r["record_type"], r["id"], r["change"]) for r in found["records"]][:2] == [
        ("users", 1000003, "updated"),
        ("users", worker, "created"),
    ]
    assert len(found["records"]) == 3
    for change in found["records"]:
        assert set(change) == {"record_type", "change", "id", "record"}
        assert change["record"]["id"] == change["id"]
    assert _newest_first(found["records"])
    # the newest stamps, then users since the newest (1), a minute, an hour and a day before
    # it (2 each: too few), and 30 days before it: the users seeded 4 days earlier too
    assert calls == 6


def test_the_limit_and_the_record_types_are_kept(connection: Connection) -> None:
    for limit in (1, 3, 5):
        assert len(sample(TRIGGER, {}, connection, limit=limit)["records"]) == limit
    jobcodes = sample(TRIGGER, {"record_types": "jobcodes"}, connection, limit=10)["records"]
    assert {r["record_type"] for r in jobcodes} == {"jobcodes"}
    assert len(jobcodes) == 7  # every job code: the company has fewer than the limit
    both = sample(TRIGGER, {"record_types": ["timesheets", "users"]}, connection, limit=50)
    assert {r["record_type"] for r in both["records"]} == {"timesheets", "users"}
    assert _newest_first(both["records"])
    for bad in (0, -1, 101, 2.5, True, "3"):
        with pytest.raises(InputError, match="Limit"):
            sample(TRIGGER, {}, connection, limit=bad)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="Record Types"):
        sample(TRIGGER, {"record_types": ["payroll"]}, connection)
    with pytest.raises(InputError, match="Unknown trigger"):
        sample("on_a_whim", {}, connection)


def test_a_deleted_timesheet_is_sampled_only_when_deletions_are_asked_for(
    connection: Connection,
) -> None:
    invoke("delete_timesheet", {"timesheet_ids": "4000003"}, connection)
    kept = sample(TRIGGER, {"record_types": ["timesheets"]}, connection, limit=1)["records"]
    assert kept[0]["change"] != "deleted"
    asked = {"record_types": ["timesheets"], "include_deleted": True}
    (deleted,) = sample(TRIGGER, asked, connection, limit=1)["records"]
    assert (deleted["id"], deleted["change"]) == (4000003, "deleted")


def test_sampling_leaves_the_triggers_state_where_it_was(
    sandbox: Sandbox, connection: Connection
) -> None:
    state = poll(TRIGGER, {}, connection)["state"]
    worker = new_worker(connection, "between")
    sample(TRIGGER, {}, connection)
    sample(TRIGGER, {}, connection)
    after = poll(TRIGGER, {}, connection, state)
    assert [(r["id"], r["change"]) for r in after["records"]] == [(worker, "created")]


def test_a_window_too_full_for_one_page_is_narrowed_to_the_newest(clock: ManualClock) -> None:
    with Sandbox(clock=clock) as sandbox, sandbox.connect() as connection:
        sandbox.state.add_timesheets(450)  # all modified in the same second
        made: list[int] = []
        for _ in range(2):
            clock.tick(5)
            created = invoke(
                "create_timesheet",
                {
                    "user_id": 1000002,
                    "jobcode_id": 2000002,
                    "start_date": f"2026-12-0{len(made) + 1}T09:00:00-07:00",
                    "end_date": f"2026-12-0{len(made) + 1}T10:00:00-07:00",
                },
                connection,
            )
            made.append(created["timesheets"][0]["id"])
        found = sample(TRIGGER, {"record_types": ["timesheets"]}, connection)["records"]
    assert [r["id"] for r in found[:2]] == made[::-1]
    assert found[2]["record"]["last_modified"] < found[1]["record"]["last_modified"]
    assert _newest_first(found)


def test_a_type_read_per_project_samples_only_the_newest_projects(
    sandbox: Sandbox, connection: Connection
) -> None:
    """Each project's notes are one read: a sample reads the newest SAMPLE_READS projects'."""
    from qbtime_connector.record_types import SAMPLE_READS

    names = [{"name": f"Project {n}"} for n in range(SAMPLE_READS + 5)]
    made = invoke("create_projects", {"records": names}, connection)
    newest = max(int(p["id"]) for p in made["projects"])
    invoke("create_project_note", {"project_id": newest, "note": "kick-off"}, connection)
    before = sandbox.state.count("GET /api/v1/project_notes")
    found = sample(TRIGGER, {"record_types": "project_notes"}, connection, limit=1)["records"]
    windows = sandbox.state.count("GET /api/v1/project_notes") - before
    assert [r["record"]["project_id"] for r in found] == [newest]
    assert 0 < windows <= SAMPLE_READS * 7  # seven windows at most, never every project
    assert windows % SAMPLE_READS == 0
