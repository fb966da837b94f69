"""The sandbox's plain record types: each one a Resource declaration, served by one engine.

A Resource says what the reference says of an endpoint: the fields of its records (a new
record starts as `fields`), which a create must give, which query parameters filter which
field, what a read supplements, and any rule of its own (`check`). The engine answers GET,
POST, PUT and DELETE for every Resource alike, in the API's shapes: id-keyed records with
`more` and `supplemental_data`; per-item `_status_code`s keyed by position; per-id deletes.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from ..limits import MAX_WRITE_ITEMS
from .company import (
    Query,
    Record,
    ids_of,
    matches_active,
    modified_filter,
    page_of,
    parse_moment,
    texts_of,
    tri_state,
)
from .errors import ApiFailure, ItemFailure
from .names import name_matches

if TYPE_CHECKING:
    from .company import Company

# How a query parameter filters (param, field, kind): ids (comma-separated integers), texts
# (comma-separated words), name (* wild card), flag (true/false), day (the date of a moment),
# at_most (an integer the field may not pass), since / until (a moment the field's may not
# precede / pass).
Filter = tuple[str, str, str]
Check = Callable[["Company", Record, Record | None], None]
Supplement = Callable[["Company", list[Record]], dict[str, Any]]
EXPECTATION = "Expectation Failed"


class Raw:
    """An answer that is not JSON: bytes with their headers (GET /files/raw)."""

    def __init__(self, data: bytes, headers: dict[str, str]) -> None:
        self.data = data
        self.headers = headers


class Handler:
    """An endpoint with an answer of its own (its `serve` given), routed like a Resource."""

    def __init__(
        self,
        name: str,
        methods: tuple[str, ...],
        serve: Callable[[Company, str, Query, Any, int], dict[str, Any] | Raw],
    ) -> None:
        self.name = name
        self.methods = methods
        self._serve = serve

    def serve(
        self, company: Company, method: str, query: Query, body: Any, actor: int
    ) -> dict[str, Any] | Raw:
        """The answer to one request: `actor` is the user the access token speaks for."""
        return self._serve(company, method, query, body, actor)


def table(company: Company, name: str) -> dict[int, Record]:
    """The records of one endpoint: a Company attribute for the first record types, else
    company.tables[name] (made on first use)."""
    attribute = ATTRIBUTES.get(name, name)
    found = getattr(company, attribute, None)
    if isinstance(found, dict):
        return found
    return company.tables.setdefault(name, {})


# Endpoints whose records Company keeps under another attribute name.
ATTRIBUTES = {"jobcode_assignments": "assignments"}


class Resource:
    """One endpoint of the API as the sandbox serves it (see the module's docstring)."""

    def __init__(
        self,
        name: str,
        first_id: int,
        fields: Record,
        *,
        methods: tuple[str, ...] = ("GET", "POST", "PUT"),
        required: tuple[str, ...] = (),
        filters: tuple[Filter, ...] = (),
        needs_one_of: tuple[str, ...] = (),
        active: str | None = "yes",
        paged: bool = True,
        read_only: tuple[str, ...] = ("id", "created", "last_modified"),
        check: Check | None = None,
        supplement: Supplement | None = None,
        messages: Mapping[str, str] | None = None,
        results_key: str | None = None,
        lister: Callable[[Company, Query], list[Record]] | None = None,
        owned: bool = False,
        stamp: str | None = None,
        tri_states: tuple[Filter, ...] = (),
        archive: bool = False,
        missing: int = 404,
        keyed_by_id: bool = False,
    ) -> None:
        self.name = name
        self.first_id = first_id
        self.fields = fields
        self.methods = methods
        self.required = required
        self.filters = filters
        self.needs_one_of = needs_one_of
        self.active = active
        self.paged = paged
        self.read_only = read_only
        self.check = check
        self.supplement = supplement
        self.messages = {"POST": "Created", "PUT": "Updated", **(messages or {})}
        self.results_key = results_key or name
        self.lister = lister
        self.owned = owned  # user_id is the requester's, whatever a write says
        # yes / no / both filters besides active: (param, field, default).
        self.tri_states = (*tri_states, *((("active", "active", active),) if active else ()))
        self.archive = archive  # DELETE sets active false (GET active=both still lists it)
        self.missing = missing  # the item status of an id that does not exist
        self.keyed_by_id = keyed_by_id  # write answers keyed by record id, not by position
        # The time modified_since / modified_before compare (records without last_modified).
        self.stamp = stamp or ("last_modified" if "last_modified" in fields else "created")

    # -- records ----------------------------------------------------------------------------

    def records(self, company: Company) -> dict[int, Record]:
        """This endpoint's records, by id."""
        return table(company, self.name)

    def add(self, company: Company, **values: Any) -> Record:
        """A new record made of `fields` and `values`, stamped and stored (for seeds, too)."""
        company.next_id.setdefault(self.name, self.first_id)
        record = {**copy.deepcopy(self.fields), **values}
        if not record.get("id"):
            record["id"] = company.new_id(self.name)
        return self._stamped(company.add(self.name, self.records(company), record))

    def touch(self, company: Company, record: Record) -> Record:
        """Mark a record changed now (and the endpoint, for last_modified_timestamps)."""
        company.touch(self.name, record)
        return self._stamped(record)

    def _stamped(self, record: Record) -> Record:
        """Only the time fields the reference shows: `stamp` in place of a last_modified."""
        if "last_modified" not in self.fields:
            stamp = record.pop("last_modified")
            if self.stamp != "created":  # created is set once, by Company.add
                record[self.stamp] = stamp
        return record

    # -- reading ----------------------------------------------------------------------------

    def select(self, company: Company, query: Query) -> list[Record]:
        """Every record the query matches, in id order; 417 when a needed filter is missing."""
        if self.needs_one_of and not any(query.get(k) for k in self.needs_one_of):
            raise ApiFailure(417, f"{' or '.join(self.needs_one_of)} is required")
        if self.lister is not None:
            return self.lister(company, query)
        tests = [_test(query, f) for f in self.filters if query.get(f[0]) not in (None, "")]
        tests += [_tri(query, *spec) for spec in self.tri_states]
        changed = modified_filter(query)
        tests.append(lambda r: not r.get(self.stamp) or changed({"last_modified": r[self.stamp]}))
        return [r for _, r in sorted(self.records(company).items()) if all(t(r) for t in tests)]

    def read(self, company: Company, query: Query) -> dict[str, Any]:
        """GET: one page of matching records, with `more` and their supplemental data."""
        found = self.select(company, query)
        page, more = page_of(found, query) if self.paged else (found, False)
        body: dict[str, Any] = {"results": {self.results_key: {str(r["id"]): r for r in page}}}
        body["more"] = more
        if query.get("supplemental_data", "yes") != "no":
            body["supplemental_data"] = self.supplement(company, page) if self.supplement else {}
        return body

    # -- writing ----------------------------------------------------------------------------

    def write(
        self, company: Company, method: str, items: list[Record], actor: int
    ) -> dict[str, Any]:
        """POST or PUT: each item created or changed, or refused with its status."""
        answers: dict[str, Any] = {}
        for n, item in enumerate(items, 1):
            try:
                if method == "POST":
                    record = self.create(
                        company, {**item, "user_id": actor} if self.owned else item
                    )
                else:
                    record = self.update(company, item)
                key = str(record["id"]) if self.keyed_by_id else str(n)
                answers[key] = {
                    "_status_code": 200,
                    "_status_message": self.messages[method],
                    **record,
                }
            except ItemFailure as failure:
                answers[str(n)] = {
                    "_status_code": failure.status,
                    "_status_message": failure.message,
                    "_status_extra": failure.extra,
                    **item,
                }
        written = [a for a in answers.values() if a["_status_code"] < 300]
        body: dict[str, Any] = {"results": {self.results_key: answers}}
        supplement = self.supplement(company, written) if self.supplement else {}
        if supplement:
            body["supplemental_data"] = supplement
        return body

    def create(self, company: Company, item: Record) -> Record:
        missing = [f for f in self.required if item.get(f) in (None, "")]
        if missing:
            raise ItemFailure(417, EXPECTATION, f"{', '.join(missing)} required")
        if self.check is not None:
            self.check(company, item, None)
        values = {k: v for k, v in item.items() if k in self.fields and k not in self.read_only}
        return self.add(company, **values)

    def update(self, company: Company, item: Record) -> Record:
        record = self._find(company, item.get("id"))
        if self.check is not None:
            self.check(company, item, record)
        for key, value in item.items():
            if (
                key in self.fields
                and key not in self.read_only
                and not (self.owned and key == "user_id")
            ):
                record[key] = value
        return self.touch(company, record)

    def _find(self, company: Company, raw: Any) -> Record:
        try:
            record = self.records(company).get(int(raw))
        except (TypeError, ValueError):
            raise ItemFailure(417, EXPECTATION, "id required") from None
        if record is None:
            raise refuse(f"no {self.name} with id {raw}", self.missing)
        return record

    def delete(self, company: Company, raw_ids: str) -> dict[str, Any]:
        """DELETE ?ids=…: each id's outcome, keyed by the id as given."""
        ids = raw_ids.split(",")
        if not any(i.strip() for i in ids):
            raise ApiFailure(417, "ids is required")
        if len(ids) > MAX_WRITE_ITEMS:
            raise ApiFailure(413, f"at most {MAX_WRITE_ITEMS} ids per request")
        answers: dict[str, Any] = {}
        for text in ids:
            try:
                record = self._find(company, text)
            except ItemFailure as failure:
                message = self.messages.get("missing", failure.message)
                answers[text] = {"_status_code": failure.status, "_status_message": message}
                answers[text]["_status_extra"] = failure.extra
                answers[text]["id"] = text
                continue
            if self.archive:
                record["active"] = False
                self.touch(company, record)
            else:
                del self.records(company)[record["id"]]
                self.touch(company, dict(record))
            answers[text] = {"_status_code": 200, "_status_message": "OK, deleted", "id": text}
        return {"results": {self.results_key: answers}}

    def serve(
        self, company: Company, method: str, query: Query, body: Any, actor: int
    ) -> dict[str, Any] | Raw:
        """The answer to one request of this endpoint (`actor`: whom the token speaks for)."""
        if method == "GET":
            return self.read(company, query)
        if method == "DELETE":
            return self.delete(company, query.get("ids", ""))
        return self.write(company, method, batch_items(body), actor)


def batch_items(body: Any) -> list[Record]:
    """The items of a {"data": [...]} body; 400, 417 or 413 when it is not one."""
    if not isinstance(body, dict) or not isinstance(body.get("data"), list):
        raise ApiFailure(400, 'the body must be JSON {"data": [...]}')
    items: list[Record] = body["data"]
    if not items or not all(isinstance(i, dict) for i in items):
        raise ApiFailure(417, "data must be a non-empty list of objects")
    if len(items) > MAX_WRITE_ITEMS:
        raise ApiFailure(413, f"at most {MAX_WRITE_ITEMS} items per request")
    return items


def _test(query: Query, spec: Filter) -> Callable[[Record], bool]:
    """The test one filter parameter of the query makes of a record."""
    param, field, kind = spec
    if kind == "ids":
        ids = ids_of(query, param) or set()
        return lambda r: _as_int(r.get(field)) in ids
    if kind == "texts":
        texts = texts_of(query, param) or set()
        return lambda r: str(r.get(field)) in texts
    if kind == "name":
        return lambda r: name_matches(query.get(param), str(r.get(field, "")))
    if kind == "flag":
        wanted = str(query.get(param)).lower() in {"true", "1", "yes"}
        return lambda r: bool(r.get(field)) == wanted
    if kind == "at_most":
        limit = _as_int(query.get(param))
        return lambda r: limit is None or int(r[field]) <= limit
    if kind in {"since", "until"}:
        moment = parse_moment(str(query.get(param)), param)
        after = kind == "since"
        return lambda r: (
            (parse_moment(str(r[field]), field) >= moment) == after
            or (parse_moment(str(r[field]), field) == moment)
        )
    if kind == "day":
        day = str(query.get(param))
        return lambda r: str(r.get(field, ""))[:10] == day
    raise ValueError(f"unknown filter kind {kind!r}")


def _tri(query: Query, param: str, field: str, default: str) -> Callable[[Record], bool]:
    """The test a yes / no / both parameter makes (its default when the query has none)."""
    wanted = tri_state(query, param, default)
    return lambda r: matches_active(r, wanted, field)


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def refuse(extra: str, status: int = 417) -> ItemFailure:
    """An item failure as the reference words it (417 Expectation Failed, with why)."""
    return ItemFailure(status, EXPECTATION if status == 417 else "Not Found", extra)


def known(company: Company, endpoint: str, value: Any, field: str) -> None:
    """417 unless `value` is the id of a record of `endpoint` (0 and absent pass)."""
    if value in (None, "", 0, "0"):
        return
    if _as_int(value) not in table(company, endpoint):
        raise refuse(f"{field} {value} does not exist")


def by_ids(company: Company, endpoint: str, ids: Any) -> dict[str, Record]:
    """Supplemental records of one endpoint, by id (ids that do not exist are left out)."""
    records = table(company, endpoint)
    wanted = sorted({i for i in (_as_int(v) for v in ids) if i is not None and i in records})
    return {str(i): records[i] for i in wanted}


def supplements(**fields: str) -> Supplement:
    """A supplement of the records each named field points at: supplements(users="user_id")."""

    def supplement(company: Company, records: list[Record]) -> dict[str, Any]:
        data = {
            endpoint: by_ids(company, endpoint, (r.get(field) for r in records))
            for endpoint, field in fields.items()
        }
        return {k: v for k, v in data.items() if v}

    return supplement
