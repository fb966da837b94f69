"""Fetch All: every page read once, each record returned once while others change."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
import responses

from qbtime_connector import Connection, invoke
from qbtime_connector.paging import OVERLAP, placement
from qbtime_connector.sandbox import Sandbox, SandboxState

from .conftest import API, listing

TIMESHEETS = "GET /api/v1/timesheets"


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(rate_limit=1_000_000) as running:
        yield running


def timesheet_calls(sandbox: Sandbox) -> int:
    return sandbox.state.count(TIMESHEETS) - sandbox.state.count("GET /api/v1/timesheets_deleted")


def test_reading_10000_timesheets_takes_56_calls(sandbox: Sandbox, connection: Connection) -> None:
    sandbox.state.add_timesheets(10000 - 40)
    result = invoke(
        "get_timesheets",
        {"start_date": "2025-01-01", "fetch_all": True, "max_pages": 100},
        connection,
    )
    # 200 per call, less the overlap that lets a read notice records shifting between pages
    assert timesheet_calls(sandbox) == 56
    ids = [s["id"] for s in result["timesheets"]]
    assert len(ids) == len(set(ids)) == 10000
    assert (result["more"], result["page"]) == (False, 50)


def test_fetch_all_stops_after_max_pages_calls_and_continuing_misses_nothing(
    sandbox: Sandbox, connection: Connection
) -> None:
    sandbox.state.add_timesheets(1000)
    inputs = {"start_date": "2025-01-01", "fetch_all": "true", "max_pages": "3"}
    first = invoke("get_timesheets", inputs, connection)
    assert (timesheet_calls(sandbox), first["more"]) == (3, True)
    rest = invoke(
        "get_timesheets", {**inputs, "page": first["page"] + 1, "max_pages": 50}, connection
    )
    ids = [s["id"] for s in first["timesheets"]] + [s["id"] for s in rest["timesheets"]]
    assert set(ids) == set(sandbox.state.company.timesheets) and rest["more"] is False


def test_fetch_all_merges_supplemental_data_across_pages(
    mocked_api: responses.RequestsMock, mocked_connection: Connection
) -> None:
    first = [{"id": n} for n in range(1, 201)]
    mocked_api.get(
        f"{API}/users",
        json=listing("users", first, more=True, supplemental={"jobcodes": {"7": {"id": 7}}}),
    )
    limit, page = placement(200 - OVERLAP, 199)
    start = (page - 1) * limit
    second = [{"id": n} for n in range(start + 1, 251)]
    mocked_api.get(
        f"{API}/users",
        json=listing("users", second, supplemental={"jobcodes": {"8": {"id": 8}}}),
    )
    result = invoke("get_users", {"fetch_all": True}, mocked_connection)
    assert [u["id"] for u in result["users"]] == list(range(1, 251))
    assert set(result["supplemental_data"]["jobcodes"]) == {"7", "8"}
    assert "limit=200&page=1" in mocked_api.calls[0].request.url
    assert f"limit={limit}&page={page}" in mocked_api.calls[1].request.url


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


@pytest.mark.parametrize("seed", range(15))
def test_records_that_exist_throughout_are_returned_once_while_others_change(
    sandbox: Sandbox, connection: Connection, seed: int
) -> None:
    sandbox.state.add_timesheets(random.Random(seed).randrange(500, 1500))
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
