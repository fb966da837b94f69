"""Reads every record of an offset-paged query exactly once, even while records change.

The API pages by offset (`page` x `limit`) and returns records in ascending id order. When a
record before the current offset leaves the result (deleted, deactivated, modified past a
`modified_before`) the rest shift down and a plain page-by-page read skips one; when one enters,
the rest shift up and a record comes twice.

Fetch All (`read_all_pages`) first reads plain pages of 200, the fewest calls there can be, and
then asks last_modified_timestamps once whether anything the read depends on changed since its
first page: if nothing did, the pages were one consistent read. If something did (or it cannot
tell), it reads again with `read_every`: each request after the first starts a little before the
end of the one before (an overlap found by choosing `limit` and `page`), keeps only records with
an id above the last id already read, and checks that the page starts at or below that id: if
it does not, records may have slipped into the gap, and it steps further back.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any

from . import progress
from .connection import Connection
from .errors import ApiError, RateLimitError
from .limits import MAX_LIMIT, MAX_PAGES
from .results import merge_supplemental, more_of, records_of
from .timestamps import instant, newest_changes, server_now
from .values import Declared, field

log = logging.getLogger(__name__)
OVERLAP = 20  # the most positions each request re-reads of the one before
# Records whose changes can move others in or out of a query: a user's group (group_ids), a job
# code's type and parents (jobcode_type, jobcode_ids with children) filter other endpoints.
LOOKED_THROUGH = ("users", "jobcodes")
# Where last_modified_timestamps stamps an endpoint's deletions (the only such name it has).
DELETIONS = {"timesheets": "timesheets_deleted"}


class Read(Declared):
    """What one read found, and where a later read continues if `more` is true."""

    records: list[dict[str, Any]] = field(default_factory=list)
    supplemental_data: dict[str, Any] = field(default_factory=dict)
    more: bool = True
    offset: int = 0
    last_id: int | None = None
    calls: int = 0


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
    pages_before: int = 0,
) -> Read:
    """Every record of the query from `offset` (past id `after`), in at most `max_calls` calls.

    `pages_before`: pages an earlier read of the same Fetch All made (progress counts on).
    """
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
        _keep(read, endpoint, body, start, found)
        progress.page_read(endpoint, len(read.records), pages_before + read.calls)
        if not read.more:
            break
    return read


def _keep(
    read: Read, endpoint: str, body: dict[str, Any], start: int, found: list[dict[str, Any]]
) -> None:
    """Add a page that began at offset `start` to the read: its records past the last id."""
    fresh = [r for r in found if read.last_id is None or _id(r) > read.last_id]
    read.records.extend(fresh)
    merge_supplemental({"supplemental_data": read.supplemental_data}, body)
    if fresh:
        read.last_id = _id(fresh[-1])
    read.offset = start + len(found)
    read.more = more_of(body)


def read_all_pages(
    connection: Connection,
    endpoint: str,
    params: Mapping[str, Any],
    offset: int = 0,
    max_pages: int = MAX_PAGES,
) -> Read:
    """Fetch All: every record of the query from `offset`, each once, in pages of 200 when
    nothing changed during the read (one more call to know it), else as read_every reads.

    `max_pages` caps each of the two reads (the pages of 200, and read_every's).
    """
    if offset % MAX_LIMIT:
        return read_every(connection, endpoint, params, offset, max_calls=max_pages)
    plain, first_page = _plain_pages(connection, endpoint, params, offset, max_pages)
    if first_page is not None and (
        plain.calls == 1 or _unchanged(connection, endpoint, first_page)
    ):
        return plain
    log.info("%s: records moved during the read; reading again, pages overlapping", endpoint)
    return read_every(
        connection, endpoint, params, offset, max_calls=max_pages, pages_before=plain.calls
    )


Moment = tuple[str | None, float]  # the API's clock at an answer, and the seconds its request took


def _plain_pages(
    connection: Connection, endpoint: str, params: Mapping[str, Any], offset: int, max_pages: int
) -> tuple[Read, Moment | None]:
    """Pages of 200 from `offset`, and when the first was answered; None for that as soon as a
    page shows records moved (an id not above the last, a short page that is not the last)."""
    read = Read(offset=offset)
    headers: dict[str, str] = {}
    started = time.monotonic()
    took = 0.0
    while read.calls < max_pages:
        query = {**params, "limit": MAX_LIMIT, "page": read.offset // MAX_LIMIT + 1}
        body = connection.request(
            "GET", endpoint, params=query, response_headers=None if read.calls else headers
        )
        if not read.calls:
            took = time.monotonic() - started
        read.calls += 1
        found = records_of(body, endpoint)
        shifted = found and read.last_id is not None and _id(found[0]) <= read.last_id
        if shifted or (more_of(body) and len(found) < MAX_LIMIT):
            return read, None
        _keep(read, endpoint, body, read.offset, found)
        progress.page_read(endpoint, len(read.records), read.calls)
        if not read.more:
            break
    return read, (server_now(headers), took)


def _unchanged(connection: Connection, endpoint: str, first_page: Moment) -> bool:
    """Whether nothing the read depends on changed since its first page was read (one call).

    Stamps and Date are whole seconds: a change stamped T happened before T + 1 s, and the first
    page's query ran at most the request's own time before its Date. So the read is quiet when
    the newest change is stamped at least 1 s plus that time before the first page's Date.
    """
    date, took = first_page
    if date is None:
        return False  # no clock to compare with: the overlapping read needs none
    deleted = [DELETIONS[endpoint]] if endpoint in DELETIONS else []
    watched = list(dict.fromkeys([endpoint, *deleted, *LOOKED_THROUGH]))
    try:
        stamps, _ = newest_changes(connection, watched)
    except RateLimitError:
        raise
    except ApiError:
        return False  # the API would not say: read the way that needs no telling
    if endpoint not in stamps:
        return False
    newest = max(instant(stamp) for stamp in stamps.values())
    return (instant(date) - newest).total_seconds() >= 1 + took


def _id(record: Mapping[str, Any]) -> int:
    return int(record["id"])
