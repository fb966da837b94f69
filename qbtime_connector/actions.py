"""The actions: each a small function over the shared request and result shapes."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from .connection import Connection
from .custom_values import check_custom_values
from .errors import BatchError, ConnectorError
from .limits import MAX_LIMIT, MAX_PAGES, MAX_WRITE_ITEMS
from .paging import read_all_pages
from .results import checked, merge_supplemental, object_result, page_result, write_items
from .specs import Call


def chunks(items: Sequence[Any], size: int = MAX_WRITE_ITEMS) -> Iterator[Sequence[Any]]:
    """Consecutive slices of at most `size` items."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def read_object(connection: Connection, call: Call) -> dict[str, Any]:
    """GET an endpoint whose answer is one object by name (Get Effective Settings, Get Last
    Modified Timestamps), not a page of records."""
    body = connection.request("GET", call.endpoint, params=call.query)
    return object_result(call.endpoint, body)


def read_page(connection: Connection, call: Call) -> dict[str, Any]:
    """GET one page of an endpoint, or every page from it on when Fetch All is set."""
    if call.options.get("fetch_all"):
        return read_all(connection, call.endpoint, call.query, int(call.options["max_pages"]))
    body = connection.request(call.method, call.endpoint, params=call.query)
    return page_result(call.endpoint, body, int(call.query.get("page", 1)))


def read_all(
    connection: Connection, endpoint: str, params: dict[str, Any], max_pages: int = MAX_PAGES
) -> dict[str, Any]:
    """Every record from `page` on, each once, in at most max_pages pages (see paging.py).

    `page` in the result is the last page of 200 read in full, so a caller who continues from
    the page after it (when `more` is true) misses nothing.
    """
    first = int(params.get("page", 1))
    query = {k: v for k, v in params.items() if k not in {"page", "limit"}}
    read = read_all_pages(connection, endpoint, query, (first - 1) * MAX_LIMIT, max_pages)
    return {
        endpoint: read.records,
        "more": read.more,
        "page": max(first, read.offset // MAX_LIMIT),
        "supplemental_data": read.supplemental_data,
    }


def send_records(
    connection: Connection,
    method: str,
    endpoint: str,
    records: Sequence[dict[str, Any]],
    beside: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """POST or PUT at most 50 records in one request; every item's result, in request order.

    `beside`: request-level fields sent next to "data" (such as team_events on schedule
    events). More records than that go through batches.send_batch, which reports how far it got.
    """
    if len(records) > MAX_WRITE_ITEMS:
        raise ValueError(f"send_records takes at most {MAX_WRITE_ITEMS} records")
    body = connection.request(method, endpoint, json={**(beside or {}), "data": list(records)})
    result: dict[str, Any] = {endpoint: write_items(endpoint, body)}
    merge_supplemental(result, body)
    return result


def write_one(connection: Connection, call: Call) -> dict[str, Any]:
    """POST or PUT the single record the inputs describe; ItemError if it failed."""
    check_custom_values(
        connection,
        call.body.get("customfields"),
        call.endpoint,
        "additional_query_parameters",
        "Additional Query Parameters",
    )
    return checked(call.endpoint, send_records(connection, call.method, call.endpoint, [call.body]))


def delete_records(connection: Connection, call: Call) -> dict[str, Any]:
    """Delete Timesheet, Delete Files, Remove Job Code Assignments, …: the records of the
    `ids` given, each id once, in requests of at most 50 ids; ItemError if any failed."""
    ids = list(dict.fromkeys(str(call.query["ids"]).split(",")))
    result: dict[str, Any] = {call.endpoint: []}
    for batch in chunks(ids):
        params = {**call.query, "ids": ",".join(batch)}
        try:
            body = connection.request(call.method, call.endpoint, params=params)
        except ConnectorError as error:
            done = result[call.endpoint]
            sent = len(done) + len(batch)
            failure = BatchError.stopped(call.endpoint, done, sent, len(ids), error)
            if failure is error:
                raise
            raise failure from error
        result[call.endpoint].extend(write_items(call.endpoint, body, positional=False))
    return checked(call.endpoint, result)
