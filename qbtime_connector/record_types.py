"""The record types the trigger watches: where each one's changes are read, and how a read sees
every record of the type.

A type is declared data (TYPES): its endpoint, the filters under which a read sees all of its
records (archived ones, every job-code type, drafts, ...), the endpoint of its deleted records
if the API lists them, whether its records carry `created`, the field its changes are stamped
in, and, for the few endpoints the API reads only for a given parent (the items of one custom
field, the notes of one project, the events of some calendars, the reminders of some users),
that parent: a read then names every parent's id, one or a batch at a time (`Scope`).

`Reader` reads for one poll: changes since an instant, from where a capped read stopped, one
page for a sample, and a type's highest id; the ids of a parent type are listed once a poll.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .connection import Connection
from .limits import MAX_LIMIT
from .paging import read_every
from .results import more_of, records_of

EPOCH = "1970-01-01T00:00:00+00:00"
IDS_PER_READ = 100  # parent ids one read names, when the API takes a list of them
# A sample (a designer's "test trigger") of a type read per parent reads at most this many
# parents per window: an account's thousands of projects would otherwise cost a call each, per
# window, out of its 300 calls per 5 minutes. The newest parents (highest ids) are read.
SAMPLE_READS = 10


@dataclass(frozen=True)
class Scope:
    """A parent filter the API insists on: the ids of another record type, `per_read` at a time."""

    param: str  # the query parameter that names them
    parent: str  # the record type whose ids it takes
    per_read: int = 1  # ids one read may name (1: the API takes a single id)
    always: tuple[int, ...] = ()  # ids named besides the parent's (0: company-wide reminders)


@dataclass(frozen=True)
class RecordType:
    """One record type the trigger watches: where its changes are read, how a new one is told."""

    name: str  # the trigger's record_type, and the endpoint its records are read from
    filters: Mapping[str, str] = field(default_factory=dict)  # under which a read sees them all
    deleted_endpoint: str | None = None  # where its deleted records are listed, if anywhere
    has_created: bool = True  # records carry `created`; if not, a new one is told by its id
    stamp: str = "last_modified"  # the field modified_since compares (records never changed:
    # `created`)
    scope: Scope | None = None  # the parent a read must name, if the API insists on one


@dataclass(frozen=True)
class Endpoint:
    """An endpoint changes are read from: a record type's own, or its deleted records'."""

    name: str
    record_type: RecordType
    deleted: bool = False

    @property
    def filters(self) -> Mapping[str, str]:
        return {} if self.deleted else self.record_type.filters

    @property
    def scope(self) -> Scope | None:
        return None if self.deleted else self.record_type.scope

    @property
    def stamp(self) -> str:
        return self.record_type.stamp

    @property
    def result_key(self) -> str:
        """Get Changes' result key for these records."""
        return f"deleted_{self.record_type.name}" if self.deleted else self.record_type.name

    @property
    def new_by_id(self) -> bool:
        """Whether new records are told by id (the state keeps the highest id seen)."""
        return not self.deleted and not self.record_type.has_created


ARCHIVED_TOO = {"active": "both"}  # the API lists active records only unless told otherwise
TYPES = (
    RecordType(
        "timesheets",
        {"on_the_clock": "both", "jobcode_type": "all"},
        deleted_endpoint="timesheets_deleted",
        has_created=False,
    ),
    RecordType("users", ARCHIVED_TOO),
    RecordType("jobcodes", {**ARCHIVED_TOO, "type": "all"}),
    RecordType("jobcode_assignments", {**ARCHIVED_TOO, "type": "all"}),
    RecordType("groups", ARCHIVED_TOO),
    RecordType("time_off_requests"),
    RecordType("time_off_request_entries"),
    RecordType("schedule_calendars"),
    RecordType(
        "schedule_events",
        # every event: archived, drafts, those of inactive users; one record per event
        {**ARCHIVED_TOO, "draft": "both", "active_users": "-1", "team_events": "base"},
        scope=Scope("schedule_calendar_ids", "schedule_calendars", IDS_PER_READ),
    ),
    RecordType("projects", ARCHIVED_TOO),
    RecordType("project_notes", ARCHIVED_TOO, scope=Scope("project_id", "projects")),
    # active: archived activities too (the reference lists no such filter; its siblings' is
    # active=yes by default, and the API passes over filters it does not know)
    RecordType("project_activities", ARCHIVED_TOO, scope=Scope("project_id", "projects")),
    RecordType("estimates", ARCHIVED_TOO),
    RecordType("estimate_items", ARCHIVED_TOO),
    RecordType("customfields", {**ARCHIVED_TOO, "applies_to": "all"}),
    RecordType(
        "customfielditems",
        ARCHIVED_TOO,
        has_created=False,
        scope=Scope("customfield_id", "customfields"),
    ),
    RecordType("customfielditem_filters", ARCHIVED_TOO, has_created=False),
    RecordType("locations", ARCHIVED_TOO),
    RecordType("locations_map", ARCHIVED_TOO),
    RecordType("geofence_configs", ARCHIVED_TOO),
    RecordType("geolocations", stamp="created"),  # points are recorded, never changed
    RecordType(
        "reminders", scope=Scope("user_ids", "users", IDS_PER_READ, always=(0,))
    ),  # 0: the company-wide reminders
    RecordType("files", ARCHIVED_TOO),
)
RECORD_TYPES = tuple(t.name for t in TYPES)
ENDPOINTS: dict[str, Endpoint] = {}
for _type in TYPES:
    ENDPOINTS[_type.name] = Endpoint(_type.name, _type)
    if _type.deleted_endpoint:
        ENDPOINTS[_type.deleted_endpoint] = Endpoint(_type.deleted_endpoint, _type, deleted=True)


def endpoints_for(record_types: Sequence[str], include_deleted: bool) -> list[str]:
    """The API endpoints that hold the changes of these record types."""
    return [
        e.name
        for e in ENDPOINTS.values()
        if e.record_type.name in record_types and (include_deleted or not e.deleted)
    ]


# -- reading --------------------------------------------------------------------------------

Part = tuple[int, int, dict[str, str]]  # the first and last parent id one read names; its query


@dataclass
class Batch:
    """What a read of one endpoint's changes found, and where it stopped if `more` is true."""

    records: list[dict[str, Any]] = field(default_factory=list)
    more: bool = False
    part: tuple[int, int] | None = None  # the parent ids of the read it stopped in
    offset: int = 0
    after: int = 0  # the last id that read kept
    calls: int = 0


@dataclass(frozen=True)
class Resume:
    """Where a capped read stopped: in which part, at which offset, after which id."""

    part: tuple[int, int] | None
    offset: int
    after: int


class Reader:
    """Reads the watched endpoints for one poll (or one sample) over one connection."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self._ids: dict[str, list[int]] = {}  # every id of a parent type, listed once

    def ids_of(self, record_type: str) -> list[int]:
        """Every id of a record type, whatever its records' state, in ascending order."""
        if record_type not in self._ids:
            where = ENDPOINTS[record_type]
            found: set[int] = set()
            for _, _, query in self.parts(where):
                params = {**where.filters, **query, "supplemental_data": "no"}
                read = read_every(self.connection, where.name, params, max_calls=sys.maxsize)
                found.update(int(r["id"]) for r in read.records)
            self._ids[record_type] = sorted(found)
        return self._ids[record_type]

    def parts(self, where: Endpoint, start: tuple[int, int] | None = None) -> list[Part]:
        """The reads that cover the endpoint: one, or one per batch of its parents' ids.

        From `start` (the first and last id of a part a capped read stopped in): that part's
        parents as they are now, then those after it.
        """
        scope = where.scope
        if scope is None:
            return [(0, 0, {})]
        ids = sorted({*scope.always, *self.ids_of(scope.parent)})
        head: list[list[int]] = []
        if start is not None:
            head = [[i for i in ids if start[0] <= i <= start[1]]]
            ids = [i for i in ids if i > start[1]]
        chunks = head + [ids[n : n + scope.per_read] for n in range(0, len(ids), scope.per_read)]
        return [(c[0], c[-1], {scope.param: ",".join(map(str, c))}) for c in chunks if c]

    def changes(
        self, endpoint: str, since: str, budget: int, resume: Resume | None = None
    ) -> Batch:
        """The endpoint's records modified at or after `since`, in at most `budget` calls (the
        parents' listing aside), from where `resume` says an earlier read stopped."""
        where = ENDPOINTS[endpoint]
        base = {**where.filters, "modified_since": since, "supplemental_data": "no"}
        batch = Batch()
        for first, last, query in self.parts(where, resume.part if resume else None):
            if batch.calls >= budget:  # the next part is read by the next poll, from its start
                return Batch(batch.records, True, (first, last), 0, 0, batch.calls)
            resumed = resume is not None and (
                resume.part is None or resume.part[0] <= first <= last <= resume.part[1]
            )
            offset, after = (resume.offset, resume.after) if resume and resumed else (0, None)
            read = read_every(
                self.connection, endpoint, {**base, **query}, offset, after, budget - batch.calls
            )
            batch.calls += read.calls
            batch.records += read.records
            if read.more:
                last_id = read.last_id if read.last_id is not None else (after or 0)
                part = (first, last) if where.scope else None
                return Batch(batch.records, True, part, read.offset, last_id, batch.calls)
        return batch

    def first_pages(
        self, endpoint: str, since: str, max_reads: int = SAMPLE_READS
    ) -> tuple[list[dict[str, Any]], bool]:
        """The first page of 200 of each read modified at or after `since` (of the last
        `max_reads` reads, for a type read per parent: its newest parents), and whether any
        read has more."""
        where = ENDPOINTS[endpoint]
        params = {**where.filters, "modified_since": since, "supplemental_data": "no"}
        records: list[dict[str, Any]] = []
        more = False
        for _, _, query in self.parts(where)[-max_reads:]:
            page = {**params, **query, "limit": MAX_LIMIT, "page": 1}
            body = self.connection.request("GET", endpoint, params=page)
            records += records_of(body, endpoint)
            more = more or more_of(body)
        return records, more

    def highest_id(self, endpoint: str) -> int:
        """The highest id of the endpoint's records now (0 when none)."""
        where = ENDPOINTS[endpoint]
        params = {**where.filters, "modified_since": EPOCH, "supplemental_data": "no"}
        return max(
            (self._last_id(endpoint, {**params, **query}) for _, _, query in self.parts(where)),
            default=0,
        )

    def _last_id(self, endpoint: str, params: Mapping[str, Any]) -> int:
        """The id of the last record of the query: the last of its last page.

        Records come in ascending id order; the last page is found by doubling the page number,
        then halving the gap, so it costs 1 call up to 200 records and about 2 log2(pages) above.
        """

        def page(number: int) -> tuple[list[dict[str, Any]], bool]:
            query = {**params, "limit": MAX_LIMIT, "page": number}
            body = self.connection.request("GET", endpoint, params=query)
            return records_of(body, endpoint), more_of(body)

        full, empty, number = 0, 0, 1  # a page known to have more after it; one known empty
        while not empty or empty - full > 1:
            records, more = page(number)
            if records and not more:
                return int(records[-1]["id"])
            if records:
                full = number
            else:
                empty = number
            number = number * 2 if not empty else (full + empty) // 2
        if not full:
            return 0
        records, _ = page(full)  # records left between the reads: the last of those still there
        return int(records[-1]["id"]) if records else 0
