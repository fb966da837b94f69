"""Fetch All: every page read once, each record returned once while others change.

Here `sandbox` has no rate limit to speak of, so large reads are never paced, and runs on the
`clock` fixture: its Date headers and stamps move only when a test moves them, so a read is
quiet (nothing changed in the second before it, or during it) exactly when the test says.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest
import responses
from hypothesis import given, settings
from hypothesis import strategies as st

from qbtime_connector import Connection, invoke
from qbtime_connector.paging import OVERLAP, placement, read_every
from qbtime_connector.sandbox import Sandbox, SandboxState

from .conftest import API, ManualClock, listing

TIMESHEETS = "GET /api/v1/timesheets"
STAMPS = "GET /api/v1/last_modified_timestamps"
EVERY_SHEET = {"start_date": "2025-01-01", "fetch_all": True, "max_pages": 100}


@pytest.fixture
def sandbox(clock: ManualClock) -> Iterator[Sandbox]:
    with Sandbox(rate_limit=1_000_000, clock=clock) as running:
        yield running


def timesheet_calls(sandbox: Sandbox) -> int:
    return sandbox.state.count(TIMESHEETS) - sandbox.state.count("GET /api/v1/timesheets_deleted")


def read_counting(sandbox: Sandbox, connection: Connection) -> tuple[list[int], dict[str, int]]:
    """Fetch All of every timesheet: the ids read, and the calls by kind (and in all)."""
    before = sandbox.state.count(), timesheet_calls(sandbox), sandbox.state.count(STAMPS)
    result = invoke("get_timesheets", EVERY_SHEET, connection)
    assert (result["more"], result["page"]) == (False, max(1, len(result["timesheets"]) // 200))
    calls = {
        "all": sandbox.state.count() - before[0],
        "pages": timesheet_calls(sandbox) - before[1],
        "stamps": sandbox.state.count(STAMPS) - before[2],
    }
    return [s["id"] for s in result["timesheets"]], calls


def test_reading_10000_quiet_timesheets_takes_51_calls(
    sandbox: Sandbox, connection: Connection, clock: ManualClock
) -> None:
    sandbox.state.add_timesheets(10000 - 40)
    clock.tick(2)  # nothing changed in the 2 seconds before the read, nor during it
    ids, calls = read_counting(sandbox, connection)
    # 50 pages of 200 (the API's least), and one look at last_modified_timestamps to know that
    # nothing moved under them
    assert calls == {"all": 51, "pages": 50, "stamps": 1}
    assert len(ids) == len(set(ids)) == 10000


def test_one_page_needs_no_look_at_the_stamps(sandbox: Sandbox, connection: Connection) -> None:
    ids, calls = read_counting(sandbox, connection)  # the 40 seeded timesheets, changed just now
    assert calls == {"all": 1, "pages": 1, "stamps": 0}
    assert len(ids) == len(set(ids)) == 40


def test_a_change_in_the_second_before_the_read_makes_it_read_again_overlapping(
    sandbox: Sandbox, connection: Connection, clock: ManualClock
) -> None:
    """Stamps are whole seconds: a change stamped in the second before the first page's Date
    may have come after its query, so the read cannot count as quiet."""
    sandbox.state.add_timesheets(10000 - 40)
    clock.tick(1)
    ids, calls = read_counting(sandbox, connection)
    assert calls == {"all": 50 + 1 + 56, "pages": 50 + 56, "stamps": 1}
    assert len(ids) == len(set(ids)) == 10000


def test_a_record_edited_during_a_plain_read_makes_it_read_again_overlapping(
    sandbox: Sandbox, connection: Connection, clock: ManualClock
) -> None:
    sandbox.state.add_timesheets(10000 - 40)
    clock.tick(60)
    edited = sorted(sandbox.state.company.timesheets)[5000]

    def edit_once(state: SandboxState) -> None:
        if state.count(TIMESHEETS) == 10:
            state.company.timesheets[edited]["notes"] = "edited during the read"
            state.company.touch("timesheets", state.company.timesheets[edited])

    sandbox.state.between(edit_once)
    ids, calls = read_counting(sandbox, connection)
    assert calls == {"all": 50 + 1 + 56, "pages": 50 + 56, "stamps": 1}
    assert len(ids) == len(set(ids)) == 10000


@pytest.mark.parametrize("when", [3, 9])  # after the 3rd page, and before the last
def test_a_record_deleted_during_a_plain_read_is_noticed_and_nothing_is_missed(
    sandbox: Sandbox, connection: Connection, clock: ManualClock, when: int
) -> None:
    """A delete shifts every later record down one place: a plain read would skip one."""
    sandbox.state.add_timesheets(2000 - 40)
    clock.tick(60)
    gone = sorted(sandbox.state.company.timesheets)[100]

    def delete_once(state: SandboxState) -> None:
        if state.count(TIMESHEETS) == when:
            state.company.delete_timesheet(gone)

    sandbox.state.between(delete_once)
    ids, calls = read_counting(sandbox, connection)
    assert sorted(ids) == sorted(set(sandbox.state.company.timesheets))
    assert calls["stamps"] == 1 and calls["pages"] > 10


def test_a_refused_look_at_the_stamps_reads_again_overlapping_rather_than_failing(
    sandbox: Sandbox, connection: Connection, clock: ManualClock
) -> None:
    sandbox.state.add_timesheets(1000 - 40)
    clock.tick(60)
    sandbox.state.inject(status=417, path="last_modified_timestamps")
    ids, calls = read_counting(sandbox, connection)
    assert calls == {"all": 5 + 1 + 6, "pages": 5 + 6, "stamps": 1}
    assert len(ids) == len(set(ids)) == 1000


def test_fetch_all_stops_after_max_pages_pages_and_continuing_misses_nothing(
    sandbox: Sandbox, connection: Connection, clock: ManualClock
) -> None:
    sandbox.state.add_timesheets(1000)
    clock.tick(2)
    inputs = {"start_date": "2025-01-01", "fetch_all": "true", "max_pages": "3"}
    first = invoke("get_timesheets", inputs, connection)
    assert (timesheet_calls(sandbox), first["more"]) == (3, True)
    assert sandbox.state.count(STAMPS) == 1
    rest = invoke(
        "get_timesheets", {**inputs, "page": first["page"] + 1, "max_pages": 50}, connection
    )
    ids = [s["id"] for s in first["timesheets"]] + [s["id"] for s in rest["timesheets"]]
    assert set(ids) == set(sandbox.state.company.timesheets) and rest["more"] is False


def test_fetch_all_merges_supplemental_data_across_plain_pages_it_knows_are_quiet(
    mocked_api: responses.RequestsMock, mocked_connection: Connection
) -> None:
    first, second = [{"id": n} for n in range(1, 201)], [{"id": n} for n in range(201, 251)]
    mocked_api.get(
        f"{API}/users",
        json=listing("users", first, more=True, supplemental={"jobcodes": {"7": {"id": 7}}}),
        headers={"Date": "Tue, 24 Nov 2026 12:00:10 GMT"},
    )
    mocked_api.get(
        f"{API}/users", json=listing("users", second, supplemental={"jobcodes": {"8": {"id": 8}}})
    )
    stamps = {"users": "2026-11-24T12:00:08+00:00", "jobcodes": "2026-11-20T09:00:00+00:00"}
    mocked_api.get(
        f"{API}/last_modified_timestamps",
        json={"results": {"last_modified_timestamps": stamps}},
    )
    result = invoke("get_users", {"fetch_all": True}, mocked_connection)
    assert [u["id"] for u in result["users"]] == list(range(1, 251))
    assert set(result["supplemental_data"]["jobcodes"]) == {"7", "8"}
    urls = [call.request.url for call in mocked_api.calls]
    assert "limit=200&page=1" in urls[0] and "limit=200&page=2" in urls[1]
    assert "endpoints=users%2Cjobcodes" in urls[2]


def test_without_the_apis_clock_fetch_all_reads_again_with_overlapping_pages(
    mocked_api: responses.RequestsMock, mocked_connection: Connection
) -> None:
    first = [{"id": n} for n in range(1, 201)]
    limit, page = placement(200 - OVERLAP, 199)
    start = (page - 1) * limit
    answers = [
        listing("users", first, more=True, supplemental={"jobcodes": {"7": {"id": 7}}}),
        listing("users", [{"id": n} for n in range(201, 251)]),  # no Date: cannot tell
        listing("users", first, more=True, supplemental={"jobcodes": {"7": {"id": 7}}}),
        listing(
            "users",
            [{"id": n} for n in range(start + 1, 251)],
            supplemental={"jobcodes": {"8": {"id": 8}}},
        ),
    ]
    for answer in answers:
        mocked_api.get(f"{API}/users", json=answer)
    result = invoke("get_users", {"fetch_all": True}, mocked_connection)
    assert [u["id"] for u in result["users"]] == list(range(1, 251))
    assert set(result["supplemental_data"]["jobcodes"]) == {"7", "8"}
    urls = [call.request.url for call in mocked_api.calls]
    assert "limit=200&page=1" in urls[2]
    assert f"limit={limit}&page={page}" in urls[3]


def test_each_page_starts_inside_the_one_before() -> None:
    for end in range(1, 20001):
        limit, page = placement(max(0, end - OVERLAP), end - 1)
        start = (page - 1) * limit
        assert end - OVERLAP <= start < end < start + limit


class Churn:
    """Between page requests: deletes, moves out of range, creates and edits timesheets."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.touched: set[int] = set()

    def __call__(self, state: SandboxState) -> None:
        company = state.company
        for _ in range(self.rng.randrange(0, 30)):
            sheets = sorted(company.timesheets)
            sheet_id = self.rng.choice(sheets)
            action = self.rng.choice(["delete", "out", "create", "edit"])
            if action == "delete":
                company.delete_timesheet(sheet_id)
            elif action == "out":  # no longer matches the date filter
                company.timesheets[sheet_id]["date"] = "2024-06-01"
                company.touch("timesheets", company.timesheets[sheet_id])
            elif action == "create":
                state.add_timesheets(1)
                sheet_id = max(company.timesheets)
            else:  # still matches: must be returned once all the same
                company.timesheets[sheet_id]["notes"] = "edited during the read"
                company.touch("timesheets", company.timesheets[sheet_id])
                continue
            self.touched.add(sheet_id)


@pytest.mark.parametrize("settled", [False, True], ids=["changed-just-before", "settled"])
# Eight seeds of 500 to 1,500 records each (a full read through the sandbox costs about 0.3
# CPU-seconds); the property test below shifts rows between pages at random, without a server.
@pytest.mark.parametrize("seed", range(8))
def test_records_that_exist_throughout_are_returned_once_while_others_change(
    sandbox: Sandbox, connection: Connection, clock: ManualClock, seed: int, settled: bool
) -> None:
    sandbox.state.add_timesheets(random.Random(seed).randrange(500, 1500))
    clock.tick(60 if settled else 0)  # settled: the read starts plain, and sees the churn after
    throughout = set(sandbox.state.company.timesheets)
    churn = Churn(seed)
    sandbox.state.between(churn)
    result = invoke("get_timesheets", {"start_date": "2025-01-01", "fetch_all": True}, connection)
    ids = [s["id"] for s in result["timesheets"]]
    assert len(ids) == len(set(ids)), "a record was returned twice"
    expected = {
        i
        for i in throughout - churn.touched
        if sandbox.state.company.timesheets[i]["date"] >= "2025-01-01"
    }
    assert expected <= set(ids), f"missed {sorted(expected - set(ids))[:5]}"
    assert result["more"] is False


class ShiftingTable:
    """A fake connection over ids in ascending order that changes between page requests."""

    def __init__(self, ids: list[int], changes: list[tuple[str, int]]) -> None:
        self.ids = sorted(set(ids))
        self.changes = list(changes)
        self.next_id = max(self.ids, default=0) + 1
        self.touched: set[int] = set()
        self.calls = 0

    def request(self, method: str, path: str, params: dict[str, Any]) -> dict[str, Any]:
        self.calls += 1
        limit, page = int(params["limit"]), int(params["page"])
        start = (page - 1) * limit
        found = self.ids[start : start + limit]
        body = {
            "results": {path: {str(i): {"id": i} for i in found}},
            "more": len(self.ids) > start + limit,
        }
        if self.changes:
            self.apply(*self.changes.pop(0))
        return body

    def apply(self, kind: str, where: int) -> None:
        if kind == "delete" and self.ids:
            self.touched.add(self.ids.pop(where % len(self.ids)))
        elif kind == "reenter":  # an old id matches again (shifts the rest up)
            gaps = sorted(set(range(1, self.next_id)) - set(self.ids))
            if gaps:
                back = gaps[where % len(gaps)]
                self.ids = sorted([*self.ids, back])
                self.touched.add(back)
        elif kind == "create":
            self.ids.append(self.next_id)
            self.touched.add(self.next_id)
            self.next_id += 1


@settings(max_examples=100, deadline=None)
@given(
    count=st.integers(0, 1200),
    gaps=st.sets(st.integers(1, 1500), max_size=200),
    changes=st.lists(
        st.tuples(st.sampled_from(["delete", "reenter", "create"]), st.integers(0, 10**6)),
        max_size=60,
    ),
)
def test_overlapping_pages_return_each_record_present_throughout_exactly_once(
    count: int, gaps: set[int], changes: list[tuple[str, int]]
) -> None:
    table = ShiftingTable([i for i in range(1, count + 1) if i not in gaps], changes)
    before = set(table.ids)
    read = read_every(table, "users", {}, max_calls=1000)  # type: ignore[arg-type]
    ids = [r["id"] for r in read.records]
    assert len(ids) == len(set(ids))
    assert before - table.touched <= set(ids)
    assert read.more is False
