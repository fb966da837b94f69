"""The sandbox's time off: requests made, approved, denied or canceled, and their entries.

Approving a request approves its entries and records each as a manual time off timesheet
(approved_timesheet_id), so approved time off shows in the payroll report, as in the API.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .company import Record, new_timesheet, parse_day_item, parse_moment_item
from .directory import ADMIN_ID, supplement_time_off
from .errors import ItemFailure
from .resources import Resource, known, refuse, supplements

if TYPE_CHECKING:
    from .company import Company

STATUSES = {"pending", "approved", "denied", "canceled"}


def _check_entry(company: Company, item: Record, record: Record | None) -> None:
    """A known request and time off code; a date (manual) or start and end (regular)."""
    current = record or {}
    if record is None:
        known(company, "time_off_requests", item.get("time_off_request_id"), "time_off_request_id")
    if "jobcode_id" in item:
        code = company.jobcodes.get(int(item["jobcode_id"] or 0))
        if code is None or code["type"] != "pto":
            raise refuse("jobcode_id must be a time off (pto) job code")
    method = item.get("entry_method", current.get("entry_method"))
    if method not in {"manual", "regular"}:
        raise refuse("entry_method must be manual or regular")
    if method == "manual" and "date" in item:
        parse_day_item(item["date"])
    if method == "regular" and record is None:
        start = parse_moment_item(item.get("start_time"), "start_time")
        end = parse_moment_item(item.get("end_time"), "end_time")
        if end <= start:
            raise refuse("end_time must be after start_time")
        item.setdefault("date", start.date().isoformat())
    if "status" in item and item["status"] not in STATUSES:
        raise refuse("status must be pending, approved, denied or canceled")


class EntryResource(Resource):
    """Entries belong to a request: they take its user and status, and join its list."""

    def create(self, company: Company, item: Record) -> Record:
        request = company.time_off_requests.get(int(item.get("time_off_request_id") or 0))
        entry = super().create(company, item)
        if request is not None:
            entry.update(user_id=request["user_id"], status=request["status"])
            request["time_off_request_entries"].append(entry["id"])
            company.touch("time_off_requests", request)
        return entry


ENTRIES = EntryResource(
    "time_off_request_entries",
    9801,
    {
        "id": None,
        "time_off_request_id": 0,
        "status": "pending",
        "approver_user_id": 0,
        "date": "",
        "entry_method": "manual",
        "duration": 0,
        "start_time": "",
        "end_time": "",
        "tz_string": "America/Denver",
        "jobcode_id": 0,
        "user_id": 0,
        "approved_timesheet_id": 0,
        "active": True,
        "created": "",
        "last_modified": "",
    },
    required=("time_off_request_id", "entry_method", "duration", "jobcode_id"),
    filters=(
        ("ids", "id", "ids"),
        ("time_off_request_ids", "time_off_request_id", "ids"),
        ("approver_user_ids", "approver_user_id", "ids"),
        ("status", "status", "texts"),
        ("date", "date", "day"),
        ("start_time", "start_time", "since"),
        ("end_time", "start_time", "until"),
        ("jobcode_ids", "jobcode_id", "ids"),
        ("user_ids", "user_id", "ids"),
    ),
    active=None,
    read_only=("id", "created", "last_modified", "user_id", "approver_user_id"),
    check=_check_entry,
    supplement=supplements(
        time_off_requests="time_off_request_id", jobcodes="jobcode_id", users="user_id"
    ),
    keyed_by_id=True,
)


def _record_time_off(company: Company, entry: Record) -> int:
    """A manual timesheet of the entry's time off (its id), as approving one makes."""
    sheet = new_timesheet(
        user_id=entry["user_id"],
        jobcode_id=entry["jobcode_id"],
        type="manual",
        date=entry["date"],
        duration=int(entry["duration"]),
        created_by_user_id=entry["approver_user_id"],
        notes="Time off",
    )
    return int(company.add("timesheets", company.timesheets, sheet)["id"])


class RequestResource(Resource):
    """Requests: made with their entries and notes; a status given to a request is its
    entries' too; approving records the time off."""

    def create(self, company: Company, item: Record) -> Record:
        entries = item.get("time_off_request_entries")
        if not isinstance(entries, list) or not entries:
            raise refuse("time_off_request_entries required")
        user = int(item.get("user_id") or 0)
        known(company, "users", user, "user_id")
        for entry in entries:  # every entry is checked before anything is made
            if not isinstance(entry, dict):
                raise refuse("each time off request entry must be an object")
            _check_entry(company, {**entry, "time_off_request_id": 0}, None)
        request = self.add(
            company, user_id=user, time_off_request_notes=[], time_off_request_entries=[]
        )
        for entry in entries:
            ENTRIES.create(company, {**entry, "time_off_request_id": request["id"]})
        self._notes(company, request, item.get("time_off_request_notes"))
        return request

    def write(
        self, company: Company, method: str, items: list[Record], actor: int
    ) -> dict[str, Any]:
        """A new request is the requester's unless it names its user."""
        if method == "POST":
            items = [i if i.get("user_id") else {**i, "user_id": actor} for i in items]
        return super().write(company, method, items, actor)

    def update(self, company: Company, item: Record) -> Record:
        request = self._find(company, item.get("id"))
        status = item.get("status")
        if status is not None and status not in STATUSES:
            raise refuse("status must be pending, approved, denied or canceled")
        self._notes(company, request, item.get("time_off_request_notes"))
        for entry_id in request["time_off_request_entries"]:
            entry = company.time_off_request_entries[entry_id]
            if status is not None:
                entry["status"] = status
                entry["approver_user_id"] = ADMIN_ID if status == "approved" else 0
                if status == "approved" and not entry["approved_timesheet_id"]:
                    entry["approved_timesheet_id"] = _record_time_off(company, entry)
            if "active" in item:
                entry["active"] = bool(item["active"])
            ENTRIES.touch(company, entry)
        if status is not None:
            request["status"] = status
        if "active" in item:
            request["active"] = bool(item["active"])
        return self.touch(company, request)

    def _notes(self, company: Company, request: Record, notes: Any) -> None:
        for note in notes or []:
            if not isinstance(note, dict) or not str(note.get("note", "")).strip():
                raise ItemFailure(417, "Expectation Failed", "each note needs its note text")
            record = {
                "id": company.new_id("time_off_request_notes"),
                "time_off_request_id": request["id"],
                "user_id": request["user_id"],
                "active": True,
                "note": str(note["note"]),
                "created": "",
                "last_modified": "",
            }
            company.add("time_off_request_notes", company.time_off_request_notes, record)
            request["time_off_request_notes"].append(record["id"])


REQUESTS = RequestResource(
    "time_off_requests",
    9001,
    {
        "id": None,
        "user_id": 0,
        "time_off_request_notes": [],
        "time_off_request_entries": [],
        "status": "pending",
        "active": True,
        "created": "",
        "last_modified": "",
    },
    methods=("POST", "PUT"),  # GET /time_off_requests is directory.list_time_off_requests
    supplement=supplement_time_off,
    keyed_by_id=True,
)
RESOURCES = (REQUESTS, ENTRIES)
