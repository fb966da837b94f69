"""Reads every record of an offset-paged query exactly once, even while records change.

The API pages by offset (`page` x `limit`) and returns records in ascending id order. When a
record before the current offset leaves the result (deleted, deactivated, modified past a
`modified_before`) the rest shift down and a plain page-by-page read skips one; when one enters,
the rest shift up and a record comes twice. So each request after the first starts a little
before the end of the one before (an overlap found by choosing `limit` and `page`), keeps only
records with an id above the last id already read, and checks that the page starts at or below
that id: if it does not, records may have slipped into the gap, and it steps further back.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import progress
from .connection import Connection
from .limits import MAX_LIMIT, MAX_PAGES
from .results import merge_supplemental, more_of, records_of
from .values import Value

OVERLAP = 20  # the most positions each request re-reads of the one before


class Read(Value):
    """What one read found, and where a later read continues if `more` is true."""

    _fields = ("records", "supplemental_data", "more", "offset", "last_id", "calls")

    def __init__(
        self,
        records: list[dict[str, Any]] | None = None,
        supplemental_data: dict[str, Any] | None = None,
        more: bool = True,
        offset: int = 0,
        last_id: int | None = None,
        calls: int = 0,
    ) -> None:
        self.records = [] if records is None else records
        self.supplemental_data = {} if supplemental_data is None else supplemental_data
        self.more = more
        self.offset = offset
        self.last_id = last_id
        self.calls = calls


def placement(low: int, high: int) -> tuple[int, int]:
    """The (limit, page) of the largest page whose first offset lies in [low, high]."""
    if low <= 0:
        return MAX_LIMIT, 1
    for limit in range(MAX_LIMIT, 0, -1):
        start = -(-low // limit) * limit
        if start <= high:
            return limit, start // limit + 1
    return 1, low + 1  # unreachable: limit 1 fits any range


def _next_range(end: int, back: int) -> tuple[int, int]:
    """Where the next request may start: just before `end`, further back after each gap."""
    high = end - 1 - OVERLAP * (2**back - 1)
    return max(0, high - OVERLAP + 1), max(0, high)


def read_every(
    connection: Connection,
    endpoint: str,
    params: Mapping[str, Any],
    offset: int = 0,
    after: int | None = None,
    max_calls: int = MAX_PAGES,
) -> Read:
    """Every record of the query from `offset` (past id `after`), in at most `max_calls` calls."""
    read = Read(offset=offset, last_id=after)
    back = 0
    while read.calls < max_calls:
        if read.last_id is None and not read.calls:
            limit, page = placement(read.offset, read.offset)
        else:
            limit, page = placement(*_next_range(read.offset, back))
        start = (page - 1) * limit
        body = connection.request("GET", endpoint, params={**params, "limit": limit, "page": page})
        read.calls += 1
        found = records_of(body, endpoint)
        if read.last_id is not None and start > 0 and (not found or _id(found[0]) > read.last_id):
            back += 1  # the page may start past records that shifted down: step back
            continue
        back = 0
        fresh = [r for r in found if read.last_id is None or _id(r) > read.last_id]
        read.records.extend(fresh)
        progress.page_read(endpoint, len(read.records), read.calls)
        merge_supplemental({"supplemental_data": read.supplemental_data}, body)
        if fresh:
            read.last_id = _id(fresh[-1])
        read.offset = start + len(found)
        read.more = more_of(body)
        if not read.more:
            break
    return read


def _id(record: Mapping[str, Any]) -> int:
    return int(record["id"])
