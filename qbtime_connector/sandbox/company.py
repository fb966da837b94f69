"""The sandbox's company: its records and the API's rules for reading and writing them."""

from __future__ import annotations

import collections
import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ..limits import MAX_LIMIT
from .errors import ApiFailure, ItemFailure
from .names import name_matches

Record = dict[str, Any]
Query = Mapping[str, str]
TRI_STATE = {"yes", "no", "both"}
UNSET_DATE = "0000-00-00"
PAGING = frozenset({"page", "limit", "per_page", "supplemental_data"})
LISTINGS_KEPT = 16  # distinct list queries whose matches are kept between their pages


def iso(moment: dt.datetime) -> str:
    """The API's timestamp form: seconds, with offset."""
    return moment.replace(microsecond=0).isoformat()


def ids_of(query: Query, name: str) -> set[int] | None:
    """A comma-separated id filter as a set, or None when absent; 417 when malformed."""
    raw = query.get(name)
    if raw is None or raw == "":
        return None
    try:
        return {int(part) for part in raw.split(",") if part.strip()}
    except ValueError:
        raise ApiFailure(417, f"{name} must be a comma-separated list of integers") from None


def texts_of(query: Query, name: str) -> set[str] | None:
    """A comma-separated text filter as a set, or None when absent."""
    raw = query.get(name)
    return {part.strip() for part in raw.split(",") if part.strip()} if raw else None


def tri_state(query: Query, name: str, default: str) -> str:
    value = query.get(name, default) or default
    if value not in TRI_STATE:
        raise ApiFailure(417, f"{name} must be one of yes, no, both")
    return value


def matches_active(record: Record, wanted: str, field: str = "active") -> bool:
    return wanted == "both" or bool(record[field]) == (wanted == "yes")


def parse_moment(value: str, name: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise ApiFailure(417, f"{name} must be an ISO 8601 date-time") from None
    if moment.tzinfo is None:
        raise ApiFailure(417, f"{name} must include a UTC offset")
    return moment


def parse_day(value: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ApiFailure(417, f"{name} must be a YYYY-MM-DD date") from None


def modified_filter(query: Query) -> Callable[[Record], bool]:
    """modified_since / modified_before, both inclusive of the instant given."""
    since = query.get("modified_since")
    before = query.get("modified_before")
    low = parse_moment(since, "modified_since") if since else None
    high = parse_moment(before, "modified_before") if before else None

    def keep(record: Record) -> bool:
        changed = dt.datetime.fromisoformat(record["last_modified"])
        return (low is None or changed >= low) and (high is None or changed <= high)

    return keep


def page_of(records: list[Record], query: Query) -> tuple[list[Record], bool]:
    """One page by `page` and `limit` (or the deprecated, capped `per_page`); and `more`."""
    try:
        if "limit" in query:
            limit = int(query["limit"])
            if not 1 <= limit <= MAX_LIMIT:
                raise ApiFailure(417, f"limit must be between 1 and {MAX_LIMIT}")
        elif "per_page" in query:
            limit = max(1, min(50, int(query["per_page"])))
        else:
            limit = MAX_LIMIT
        page = int(query.get("page", "1"))
    except ValueError:
        raise ApiFailure(417, "limit and page must be integers") from None
    if page < 1:
        raise ApiFailure(417, "page must be 1 or more")
    start = (page - 1) * limit
    return records[start : start + limit], len(records) > start + limit


class Company:
    """Users, job codes, assignments and timesheets of one company, with the API's rules."""

    def __init__(
        self,
        clock: Callable[[], dt.datetime],
        company_id: str = "5001",
        client_url: str = "sandbox",
    ) -> None:
        self.clock = clock
        self.company_id = company_id
        self.client_url = client_url
        self.users: dict[int, Record] = {}
        self.jobcodes: dict[int, Record] = {}
        self.assignments: dict[int, Record] = {}
        self.timesheets: dict[int, Record] = {}
        self.deleted: dict[int, Record] = {}
        self.changed: dict[str, str] = {}
        # Record types beyond the first four (sandbox/custom_fields.py, sandbox/directory.py).
        self.groups: dict[int, Record] = {}
        self.locations: dict[int, Record] = {}
        self.customfields: dict[int, Record] = {}
        self.customfielditems: dict[int, Record] = {}
        self.time_off_requests: dict[int, Record] = {}
        self.time_off_request_notes: dict[int, Record] = {}
        self.time_off_request_entries: dict[int, Record] = {}
        # The record types of sandbox/resources.py, by endpoint (projects, files, ...).
        self.tables: dict[str, dict[int, Record]] = {}
        self.next_id = {
            "users": 1000001,
            "jobcodes": 2000001,
            "jobcode_assignments": 3000001,
            "timesheets": 4000001,
            "groups": 5001,
            "locations": 6001,
            "customfields": 7001,
            "customfielditems": 8001,
            "time_off_requests": 9001,
            "time_off_request_notes": 9501,
            "time_off_request_entries": 9801,
        }
        # Every write goes through touch(), which moves the generation on; a listing is reused
        # only within the generation it was made in, so it always answers as a fresh one would.
        self.generation = 0
        self.examined = 0  # records the list filters have looked at, for tests of scale
        self._listings: collections.OrderedDict[
            tuple[str, tuple[tuple[str, str], ...]], tuple[int, list[Record]]
        ] = collections.OrderedDict()

    # -- bookkeeping ------------------------------------------------------------------------

    def now(self) -> str:
        return iso(self.clock())

    def new_id(self, kind: str) -> int:
        value = self.next_id[kind]
        self.next_id[kind] += 1
        return value

    def touch(self, kind: str, record: Record, created: bool = False) -> None:
        stamp = self.now()
        record["last_modified"] = stamp
        if created and "created" in record and not record["created"]:
            record["created"] = stamp
        self.changed[kind] = stamp
        self.generation += 1

    def add(self, kind: str, table: dict[int, Record], record: Record) -> Record:
        if not record.get("id"):
            record["id"] = self.new_id(kind)
        table[record["id"]] = record
        self.touch(kind, record, created=True)
        return record

    # -- reading ----------------------------------------------------------------------------

    def listing(
        self, kind: str, query: Query, select: Callable[[Company, Query], list[Record]]
    ) -> list[Record]:
        """Every record a list query matches, in id order: one pass per query, not per page.

        The pages of one query are slices of the same list until a write changes the company,
        so reading all N records of a table costs O(N), where filtering and sorting the whole
        table for every page cost O(N²/page size).
        """
        key = (kind, tuple(sorted((k, v) for k, v in query.items() if k not in PAGING)))
        held = self._listings.get(key)
        if held is None or held[0] != self.generation:
            held = (self.generation, select(self, query))
            self._listings[key] = held
        self._listings.move_to_end(key)
        while len(self._listings) > LISTINGS_KEPT:
            self._listings.popitem(last=False)
        return held[1]

    def _pick(
        self,
        table: dict[int, Record],
        keep: Iterable[Callable[[Record], bool]],
        ids: set[int] | None = None,
    ) -> list[Record]:
        """The records that pass every test, in id order; only the `ids` given, when given."""
        tests = list(keep)
        if ids is not None:  # the table is the index of its ids: look them up, don't scan
            candidates = [table[i] for i in sorted(ids) if i in table]
        else:
            candidates = [r for _, r in sorted(table.items())]
        self.examined += len(candidates)
        return [r for r in candidates if all(t(r) for t in tests)]

    def list_users(self, query: Query) -> list[Record]:
        ids, not_ids = ids_of(query, "ids"), ids_of(query, "not_ids")
        group_ids = ids_of(query, "group_ids")
        active = tri_state(query, "active", "yes")
        names = {n for n in query.get("usernames", "").split(",") if n}
        numbers, payroll = ids_of(query, "employee_numbers"), texts_of(query, "payroll_ids")
        not_groups = ids_of(query, "not_group_ids")
        return self._pick(
            self.users,
            [
                lambda r: ids is None or r["id"] in ids,
                lambda r: not not_ids or r["id"] not in not_ids,
                lambda r: group_ids is None or r["group_id"] in group_ids,
                lambda r: not names or r["username"] in names,
                lambda r: numbers is None or r["employee_number"] in numbers,
                lambda r: payroll is None or str(r["payroll_id"]) in payroll,
                lambda r: not not_groups or r["group_id"] not in not_groups,
                lambda r: matches_active(r, active),
                lambda r: name_matches(query.get("first_name"), r["first_name"]),
                lambda r: name_matches(query.get("last_name"), r["last_name"]),
                modified_filter(query),
            ],
            ids=ids,
        )

    def _jobcode_and_descendants(self, roots: set[int]) -> set[int]:
        found = set(roots)
        while True:
            more = {j["id"] for j in self.jobcodes.values() if j["parent_id"] in found} - found
            if not more:
                return found
            found |= more

    def list_jobcodes(self, query: Query) -> list[Record]:
        ids = ids_of(query, "ids")
        parents = ids_of(query, "parent_ids")
        kind = query.get("type", "regular") or "regular"
        active = tri_state(query, "active", "yes")
        if str(query.get("customfields", "")).lower() == "true":  # their custom field values
            plain = self.list_jobcodes({**query, "customfields": ""})
            return [{**r, "customfields": {}} for r in plain]
        return self._pick(
            self.jobcodes,
            [
                lambda r: ids is None or r["id"] in ids,
                lambda r: parents is None or -1 in parents or r["parent_id"] in parents,
                lambda r: kind == "all" or r["type"] == kind,
                lambda r: matches_active(r, active),
                lambda r: name_matches(query.get("name"), r["name"]),
                modified_filter(query),
            ],
            ids=ids,
        )

    def list_jobcode_assignments(self, query: Query) -> list[Record]:
        user_ids = ids_of(query, "user_ids")
        jobcode_id = ids_of(query, "jobcode_id")
        active = tri_state(query, "active", "both")  # the API's default really is both
        return self._pick(
            self.assignments,
            [
                lambda r: user_ids is None or r["user_id"] in user_ids or r["user_id"] == 0,
                lambda r: jobcode_id is None or r["jobcode_id"] in jobcode_id,
                lambda r: matches_active(r, active),
                modified_filter(query),
            ],
        )

    def list_timesheets(self, query: Query) -> list[Record]:
        if not any(
            query.get(k) for k in ("ids", "start_date", "modified_before", "modified_since")
        ):
            raise ApiFailure(
                417, "one of ids, start_date, modified_before or modified_since is required"
            )
        ids, users = ids_of(query, "ids"), ids_of(query, "user_ids")
        jobcodes = ids_of(query, "jobcode_ids")
        if jobcodes is not None:
            jobcodes = self._jobcode_and_descendants(jobcodes)
        start = parse_day(query["start_date"], "start_date") if query.get("start_date") else None
        end = parse_day(query["end_date"], "end_date") if query.get("end_date") else None
        clock = tri_state(query, "on_the_clock", "no")
        return self._pick(
            self.timesheets,
            [
                lambda r: ids is None or r["id"] in ids,
                lambda r: users is None or r["user_id"] in users,
                lambda r: jobcodes is None or r["jobcode_id"] in jobcodes,
                lambda r: start is None or dt.date.fromisoformat(r["date"]) >= start,
                lambda r: end is None or dt.date.fromisoformat(r["date"]) <= end,
                lambda r: matches_active(r, clock, "on_the_clock"),
                modified_filter(query),
            ],
            ids=ids,
        )

    def list_timesheets_deleted(self, query: Query) -> list[Record]:
        dated = query.get("start_date") and query.get("end_date")
        if not (dated or any(query.get(k) for k in ("ids", "modified_before", "modified_since"))):
            raise ApiFailure(
                417, "start_date and end_date, ids, modified_before or modified_since is required"
            )
        ids = ids_of(query, "ids")
        start = parse_day(query["start_date"], "start_date") if dated else None
        end = parse_day(query["end_date"], "end_date") if dated else None
        return self._pick(
            self.deleted,
            [
                lambda r: ids is None or r["id"] in ids,
                lambda r: (
                    start is None or start <= dt.date.fromisoformat(r["date"]) <= (end or start)
                ),
                modified_filter(query),
            ],
            ids=ids,
        )

    def supplemental(self, endpoint: str, records: list[Record]) -> dict[str, Any]:
        """The records the listed ones refer to, as the API adds them."""
        users = {r["user_id"] for r in records if r.get("user_id")}
        jobcodes = {r["jobcode_id"] for r in records if r.get("jobcode_id")}
        data: dict[str, Any] = {}
        if endpoint in {"timesheets", "jobcode_assignments", "timesheets_deleted"}:
            data["users"] = {str(i): self.users[i] for i in sorted(users) if i in self.users}
            data["jobcodes"] = self.jobcodes_with_parents(jobcodes)
        if endpoint == "jobcodes":  # the parents of the codes listed, and their locations
            listed = {r["id"] for r in records}
            parents = {r["parent_id"] for r in records if r.get("parent_id")} - listed
            data["jobcodes"] = self.jobcodes_with_parents(parents)
            data["locations"] = self.locations_of(data["jobcodes"].values())
        if endpoint == "users":  # their groups, and the time off codes of their balances
            groups = sorted({r["group_id"] for r in records if r.get("group_id")})
            data["groups"] = {str(i): self.groups[i] for i in groups if i in self.groups}
            pto = {int(k) for r in records for k in r.get("pto_balances") or {}}
            data["jobcodes"] = self.jobcodes_with_parents(pto)
        return {k: v for k, v in data.items() if v}

    def locations_of(self, jobcodes: Iterable[Record]) -> dict[str, Record]:
        """The locations linked to these job codes, by id."""
        ids = sorted({i for code in jobcodes for i in code.get("locations", [])})
        return {str(i): self.locations[i] for i in ids if i in self.locations}

    def jobcodes_with_parents(self, ids: Iterable[int]) -> dict[str, Record]:
        """Job codes by id, with every parent up the tree (the API supplements them too)."""
        found: dict[int, Record] = {}
        pending = [i for i in ids if i in self.jobcodes]
        while pending:
            code = self.jobcodes[pending.pop()]
            found[code["id"]] = code
            parent = code["parent_id"]
            if parent and parent in self.jobcodes and parent not in found:
                pending.append(parent)
        return {str(i): found[i] for i in sorted(found)}

    # -- writing users ----------------------------------------------------------------------

    def create_user(self, item: Record) -> Record:
        missing = [f for f in ("username", "first_name", "last_name") if not item.get(f)]
        if missing:
            raise ItemFailure(417, "Expectation Failed", f"{', '.join(missing)} required")
        if any(u["username"] == item["username"] for u in self.users.values()):
            raise ItemFailure(417, "Expectation Failed", "username must be unique")
        permissions = {**default_permissions(), **(item.get("permissions") or {})}
        record = new_user(**{k: v for k, v in item.items() if k in USER_FIELDS})
        record["permissions"] = permissions
        record["created"] = ""
        return self.add("users", self.users, record)

    def update_user(self, item: Record) -> Record:
        if item.get("id"):
            record = self.users.get(int(item["id"]))
        elif item.get("username"):
            record = next(
                (u for u in self.users.values() if u["username"] == item["username"]), None
            )
        else:
            raise ItemFailure(417, "Expectation Failed", "id or username required")
        if record is None:  # the reference documents 200 and 417 here, not 404
            raise ItemFailure(417, "Expectation Failed", "no such user")
        for key in APPROVAL_FIELDS & set(item):
            parse_day_item(item[key])
        for key, value in item.items():
            if key == "permissions" and isinstance(value, dict):
                record["permissions"].update(value)
            elif key in USER_FIELDS and key != "id":
                record[key] = value
        if "approved_to" in item and record["approved_to"] > record["submitted_to"]:
            record["submitted_to"] = record["approved_to"]  # approving also submits, as documented
        self.touch("users", record)
        return record

    # -- writing timesheets -----------------------------------------------------------------

    def _check_sheet(self, sheet: Record) -> None:
        user = self.users.get(sheet["user_id"])
        if user is None or not user["active"]:
            raise ItemFailure(417, "Expectation Failed", "user_id is not an active user")
        if not user["permissions"].get("time_tracking"):
            raise ItemFailure(403, "Forbidden", "TS-1006: User is not allowed to track time")
        if sheet["jobcode_id"] and sheet["jobcode_id"] not in self.jobcodes:
            raise ItemFailure(417, "Expectation Failed", "jobcode_id is not a job code")
        for other in self.timesheets.values():
            if (
                other["id"] != sheet.get("id")
                and other["user_id"] == sheet["user_id"]
                and overlaps(other, sheet)
            ):
                raise ItemFailure(406, "Not Acceptable", f"overlaps timesheet {other['id']}")

    def create_timesheet(self, item: Record) -> Record:
        missing = [f for f in ("user_id", "jobcode_id", "type") if item.get(f) in (None, "")]
        kind = item.get("type")
        if kind == "regular" and not item.get("start"):
            missing.append("start")
        if kind == "manual":
            missing += [f for f in ("duration", "date") if item.get(f) in (None, "")]
        if missing:
            raise ItemFailure(417, "Expectation Failed", f"{', '.join(missing)} required")
        if kind not in {"regular", "manual"}:
            raise ItemFailure(417, "Expectation Failed", "type must be regular or manual")
        sheet = new_timesheet(
            user_id=int(item["user_id"]),
            jobcode_id=int(item["jobcode_id"]),
            created_by_user_id=int(item["user_id"]),
        )
        apply_times(sheet, item)
        sheet["notes"] = str(item.get("notes", ""))
        sheet["customfields"] = item.get("customfields") or {}
        sheet["attached_files"] = list(item.get("attached_files") or [])
        self._check_sheet(sheet)
        return self.add("timesheets", self.timesheets, sheet)

    def update_timesheet(self, item: Record) -> Record:
        if not item.get("id"):
            raise ItemFailure(417, "Expectation Failed", "id required")
        current = self.timesheets.get(int(item["id"]))
        if current is None:
            raise ItemFailure(404, "Not Found", "no such timesheet")
        sheet = dict(current)
        if item.get("jobcode_id"):
            sheet["jobcode_id"] = int(item["jobcode_id"])
        for key in ("notes", "customfields", "attached_files"):
            if key in item:
                sheet[key] = item[key]
        apply_times(sheet, item)
        try:
            self._check_sheet(sheet)
        except ItemFailure as failure:
            if failure.status != 406:
                raise
            # An update that would overlap is a 409 carrying the unmodified timesheet.
            raise ItemFailure(409, "Conflict", failure.extra, dict(current)) from None
        current.update(sheet)
        self.touch("timesheets", current)
        return current

    def delete_timesheet(self, sheet_id: int) -> Record:
        sheet = self.timesheets.pop(sheet_id, None)
        if sheet is None:
            raise ItemFailure(404, "Not Found", "no such timesheet")
        self.touch("timesheets", sheet)
        self.deleted[sheet_id] = {k: sheet[k] for k in DELETED_FIELDS} | {"active": "0"}
        self.changed["timesheets_deleted"] = sheet["last_modified"]
        return {"_status_code": 200, "_status_message": "OK, deleted", "id": str(sheet_id)}


APPROVAL_FIELDS = {"submitted_to", "approved_to"}
# The reference's 20 permission keys, in its order, with their documented defaults.
PERMISSIONS = (
    ("admin", False),
    ("mobile", True),
    ("status_box", False),
    ("reports", False),
    ("manage_timesheets", False),
    ("manage_authorization", False),
    ("manage_users", False),
    ("manage_my_timesheets", False),
    ("manage_jobcodes", False),
    ("pin_login", False),
    ("approve_timesheets", False),
    ("manage_schedules", False),
    ("external_access", False),
    ("manage_my_schedule", False),
    ("manage_company_schedules", False),
    ("view_company_schedules", False),
    ("view_group_schedules", False),
    ("manage_no_schedules", False),
    ("view_my_schedules", False),
    ("time_tracking", False),
)
# What a deleted timesheet keeps (GET /timesheets_deleted), besides "active": "0".
DELETED_FIELDS = (
    "id",
    "user_id",
    "jobcode_id",
    "start",
    "end",
    "duration",
    "date",
    "tz",
    "tz_str",
    "type",
    "location",
    "locked",
    "notes",
    "last_modified",
)


def default_permissions() -> dict[str, bool]:
    """A new user's permissions as the reference documents them."""
    return dict(PERMISSIONS)


USER_FIELDS = {
    "submitted_to",
    "approved_to",
    "require_password_change",
    "id",
    "first_name",
    "last_name",
    "display_name",
    "group_id",
    "active",
    "employee_number",
    "salaried",
    "exempt",
    "username",
    "email",
    "payroll_id",
    "mobile_number",
    "hire_date",
    "term_date",
    "customfields",
}


def new_user(**fields: Any) -> Record:
    """A user record with every field the API returns."""
    return {
        "id": fields.pop("id", None),
        "first_name": "",
        "last_name": "",
        "display_name": "",
        "group_id": 0,
        "active": True,
        "employee_number": 0,
        "salaried": False,
        "exempt": False,
        "username": "",
        "email": "",
        "payroll_id": "",
        "mobile_number": "",
        "hire_date": UNSET_DATE,
        "term_date": UNSET_DATE,
        "last_modified": "",
        "last_active": "",
        "created": "",
        "submitted_to": "2000-01-01",
        "approved_to": "2000-01-01",
        "permissions": default_permissions() | {"time_tracking": True},
        "customfields": "",
        "email_verified": False,
        "client_url": "sandbox",
        "company_name": "Sandbox Company",
        "profile_image_url": "",
        "pto_balances": {},
        "manager_of_group_ids": [],
        "require_password_change": False,
        "pay_rate": 0,
        "pay_interval": "hour",
        **fields,
    }


def new_jobcode(**fields: Any) -> Record:
    """A job code record with every field the API returns."""
    return {
        "id": fields.pop("id", None),
        "parent_id": 0,
        "name": "",
        "short_code": "",
        "type": "regular",
        "billable": False,
        "billable_rate": 0,
        "has_children": False,
        "assigned_to_all": False,
        "active": True,
        "required_customfields": [],
        "filtered_customfielditems": "",
        "locations": [],
        "last_modified": "",
        "created": "",
        "project_id": 0,  # the project the job code tracks, if any
        "geofence_config_id": 0,
        "connect_with_quickbooks": False,
        **fields,
    }


def new_assignment(**fields: Any) -> Record:
    """A job code assignment record."""
    return {
        "id": fields.pop("id", None),
        "user_id": 0,
        "jobcode_id": 0,
        "active": True,
        "last_modified": "",
        "created": "",
        **fields,
    }


def new_timesheet(**fields: Any) -> Record:
    """A timesheet record with every field the API returns."""
    return {
        "id": fields.pop("id", None),
        "user_id": 0,
        "jobcode_id": 0,
        "start": "",
        "end": "",
        "duration": 0,
        "date": UNSET_DATE,
        "tz": 0,
        "tz_str": "",
        "type": "regular",
        "location": "",
        "on_the_clock": False,
        "locked": 0,
        "notes": "",
        "customfields": {},
        "attached_files": [],
        "created_by_user_id": 0,
        "last_modified": "",
        **fields,
    }


def timesheet_answer(sheet: Record) -> Record:
    """A timesheet as a write answers it (the reference's form): `active` ("1" while on the
    clock, else "0") in place of on_the_clock, and no created_by_user_id."""
    return {
        ("active" if k == "on_the_clock" else k): (
            ("1" if v else "0") if k == "on_the_clock" else v
        )
        for k, v in sheet.items()
        if k != "created_by_user_id"
    }


def apply_times(sheet: Record, item: Record) -> None:
    """Set start/end (regular) or duration/date (manual) and what follows from them."""
    if item.get("type", sheet["type"]) == "manual":
        sheet.update(
            type="manual",
            start="",
            end="",
            on_the_clock=False,
            duration=whole_seconds(item.get("duration", sheet["duration"])),
            date=str(parse_day_item(item.get("date", sheet["date"]))),
        )
        return
    start_text = item.get("start", sheet["start"])
    end_text = item.get("end", sheet["end"])
    start = parse_moment_item(start_text, "start")
    end = parse_moment_item(end_text, "end") if end_text else None
    if end is not None and end <= start:
        raise ItemFailure(417, "Expectation Failed", "end must be after start")
    offset = start.utcoffset() or dt.timedelta()
    sheet.update(
        type="regular",
        start=iso(start),
        end=iso(end) if end else "",
        on_the_clock=end is None,
        date=start.date().isoformat(),
        duration=int((end - start).total_seconds()) if end else 0,
        tz=int(offset.total_seconds() // 3600),
    )


def whole_seconds(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ItemFailure(417, "Expectation Failed", "duration must be whole seconds") from None


def parse_moment_item(value: Any, name: str) -> dt.datetime:
    try:
        return parse_moment(str(value), name)
    except ApiFailure as failure:
        raise ItemFailure(417, "Expectation Failed", failure.message) from None


def parse_day_item(value: Any) -> dt.date:
    try:
        return parse_day(str(value), "date")
    except ApiFailure as failure:
        raise ItemFailure(417, "Expectation Failed", failure.message) from None


def overlaps(a: Record, b: Record) -> bool:
    """Whether two regular timesheets share any instant (open ones run to the end of time)."""
    if a["type"] != "regular" or b["type"] != "regular" or not a["start"] or not b["start"]:
        return False
    far = dt.datetime.max.replace(tzinfo=dt.timezone.utc)
    a0, b0 = dt.datetime.fromisoformat(a["start"]), dt.datetime.fromisoformat(b["start"])
    a1 = dt.datetime.fromisoformat(a["end"]) if a["end"] else far
    b1 = dt.datetime.fromisoformat(b["end"]) if b["end"] else far
    return a0 < b1 and b0 < a1
