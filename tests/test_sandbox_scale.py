"""The sandbox reads a large table in one pass per query, with the answers a fresh pass gives."""

from __future__ import annotations

import math
from typing import Any

import requests

from qbtime_connector import Connection, invoke
from qbtime_connector.sandbox import Sandbox
from qbtime_connector.sandbox.company import LISTINGS_KEPT, Company, page_of

EVERYTHING = {"start_date": "2000-01-01"}


def get(sandbox: Sandbox, connection: Connection, query: dict[str, Any]) -> dict[str, Any]:
    """One raw GET /timesheets page, as the API answers it."""
    answer = requests.get(
        f"{sandbox.base_url}/timesheets",
        params=query,
        headers={"Authorization": f"Bearer {connection.token['access_token']}"},
        timeout=30,
    )
    answer.raise_for_status()
    body: dict[str, Any] = answer.json()
    return body


def test_fetch_all_looks_at_each_record_once_not_once_per_page(
    sandbox: Sandbox, connection: Connection
) -> None:
    sandbox.state.add_timesheets(3000)
    company = sandbox.state.company
    total = len(company.timesheets)
    before, calls = company.examined, sandbox.state.count("GET /api/v1/timesheets")
    found = invoke("get_timesheets", {**EVERYTHING, "fetch_all": True}, connection)
    assert len(found["timesheets"]) == total
    assert sandbox.state.count("GET /api/v1/timesheets") - calls >= math.ceil(total / 200)
    assert company.examined - before == total  # one pass, not one per page (16 or more here)


def test_every_page_is_what_a_fresh_pass_over_the_table_gives(
    sandbox: Sandbox, connection: Connection
) -> None:
    sandbox.state.add_timesheets(450)
    company = sandbox.state.company
    for page in (1, 2, 3, 4):
        query = {**EVERYTHING, "limit": "130", "page": str(page), "user_ids": "1000002,1000004"}
        body = get(sandbox, connection, query)
        expected, more = page_of(Company.list_timesheets(company, query), query)
        assert list(body["results"]["timesheets"]) == [str(r["id"]) for r in expected]
        assert body["more"] is more
        assert body["results"]["timesheets"] == {str(r["id"]): r for r in expected}


def page_ids(sandbox: Sandbox, connection: Connection, page: int) -> list[str]:
    body = get(sandbox, connection, {**EVERYTHING, "page": str(page), "limit": "100"})
    return list(body["results"]["timesheets"])


def test_a_write_between_pages_is_seen_by_the_next_page(
    sandbox: Sandbox, connection: Connection
) -> None:
    sandbox.state.add_timesheets(300)
    second, third = page_ids(sandbox, connection, 2), page_ids(sandbox, connection, 3)
    invoke("delete_timesheet", {"timesheet_ids": second[0]}, connection)
    assert page_ids(sandbox, connection, 2) == [*second[1:], third[0]]


def test_a_query_by_ids_looks_only_at_those_ids(sandbox: Sandbox, connection: Connection) -> None:
    sandbox.state.add_timesheets(2000)
    company = sandbox.state.company
    wanted = sorted(company.timesheets)[1500:1503]
    before = company.examined
    found = invoke("get_timesheets", {"additional_query_parameters": {"ids": wanted}}, connection)
    assert [r["id"] for r in found["timesheets"]] == wanted
    assert company.examined - before == 3


def test_only_the_latest_queries_are_kept(sandbox: Sandbox, connection: Connection) -> None:
    company = sandbox.state.company
    queries = [{"ids": str(i)} for i in sorted(company.timesheets)[: LISTINGS_KEPT + 1]]
    for query in queries:
        get(sandbox, connection, query)
    before = company.examined
    get(sandbox, connection, queries[-1])
    assert company.examined == before  # kept: no pass at all
    get(sandbox, connection, queries[0])
    assert company.examined == before + 1  # pushed out by newer queries: looked up again
