"""The actions: each a small function over the shared request and result shapes."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from .connection import Connection
from .custom_values import check_custom_values
from .results import checked, merge_supplemental, page_result, write_items
from .validation import Call

MAX_WRITE_ITEMS = 50  # the API answers 413 above this many items per POST/PUT/DELETE
MAX_LIMIT = 200  # the most records the API returns per page


def chunks(items: Sequence[Any], size: int = MAX_WRITE_ITEMS) -> Iterator[Sequence[Any]]:
    """Consecutive slices of at most `size` items."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def read_page(connection: Connection, call: Call) -> dict[str, Any]:
    """GET one page of an endpoint, or every page from it on when Fetch All is set."""
    if call.options.get("fetch_all"):
        return read_all(connection, call.endpoint, call.params, int(call.options["max_pages"]))
    body = connection.request("GET", call.endpoint, params=call.params)
    return page_result(call.endpoint, body, int(call.params.get("page", 1)))


def read_all(
    connection: Connection, endpoint: str, params: dict[str, Any], max_pages: int = 50
) -> dict[str, Any]:
    """Every record from `page` on, 200 per call, until `more` is false or max_pages are read."""
    first = int(params.get("page", 1))
    result: dict[str, Any] = {endpoint: [], "more": True, "page": first, "supplemental_data": {}}
    for page in range(first, first + max_pages):
        body = connection.request(
            "GET", endpoint, params={**params, "limit": MAX_LIMIT, "page": page}
        )
        one = page_result(endpoint, body, page)
        result[endpoint].extend(one[endpoint])
        merge_supplemental(result, body)
        result.update(more=one["more"], page=page)
        if not one["more"]:
            break
    return result


def send_records(
    connection: Connection, method: str, endpoint: str, records: Sequence[dict[str, Any]]
) -> dict[str, Any]:
    """POST or PUT records in requests of at most 50; every item's result, in order."""
    result: dict[str, Any] = {endpoint: []}
    for batch in chunks(records):
        body = connection.request(method, endpoint, json={"data": list(batch)})
        result[endpoint].extend(write_items(endpoint, body))
        merge_supplemental(result, body)
    return result


def write_one(connection: Connection, call: Call) -> dict[str, Any]:
    """POST or PUT the single record the inputs describe; ItemError if it failed."""
    check_custom_values(
        connection,
        call.params.get("customfields"),
        call.endpoint,
        "additional_query_parameters",
        "Additional Query Parameters",
    )
    result = send_records(connection, call.method, call.endpoint, [call.params])
    return checked(call.endpoint, result)


def delete_timesheet(connection: Connection, call: Call) -> dict[str, Any]:
    """Delete Timesheet: permanent; sent in requests of at most 50 ids."""
    ids = str(call.params["ids"]).split(",")
    result: dict[str, Any] = {call.endpoint: []}
    for batch in chunks(ids):
        params = {**call.params, "ids": ",".join(batch)}
        body = connection.request("DELETE", call.endpoint, params=params)
        result[call.endpoint].extend(write_items(call.endpoint, body, positional=False))
    return checked(call.endpoint, result)
