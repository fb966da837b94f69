"""The demo company every sandbox starts with: the same ids and records every time."""

from __future__ import annotations

import datetime as dt

from .company import (
    Company,
    apply_times,
    default_permissions,
    new_assignment,
    new_jobcode,
    new_timesheet,
    new_user,
)
from .custom_fields import seed_custom_fields
from .directory import seed_directory
from .routes import STAMPED, seed_endpoints

SEEDED_AT = "2026-11-20T18:00:00+00:00"
ADMIN_ID = 1000001
# (username, first, last, time tracking, active)
PEOPLE = [
    ("admin", "Ada", "Admin", True, True),
    ("msamsonite", "Mary", "Samsonite", True, True),
    ("jdoe", "John", "Doe", True, True),
    ("lchen", "Li", "Chen", True, True),
    ("pnovak", "Petra", "Novak", True, True),
    ("rformer", "Rita", "Former", True, False),
]
# (name, short code, parent index or None, type, active)
JOBCODES = [
    ("Field Work", "fld", None, "regular", True),
    ("Installation", "ins", 0, "regular", True),
    ("Repairs", "rep", 0, "regular", True),
    ("Office", "off", None, "regular", True),
    ("Training", "trn", None, "regular", True),
    ("Old Project", "old", None, "regular", False),
    ("Vacation", "vac", None, "pto", True),
]
# Every endpoint GET /last_modified_timestamps knows; the first 13 are its default answer.
DEFAULT_STAMPED = (
    "current_user",
    "customfields",
    "customfielditems",
    "effective_settings",
    "geolocations",
    "jobcodes",
    "jobcode_assignments",
    "timesheets",
    "timesheets_deleted",
    "users",
    "reminders",
    "locations",
    "geofence_configs",
)
ENDPOINTS = (
    *DEFAULT_STAMPED,
    "groups",
    "time_off_requests",
    "time_off_request_entries",
    "schedule_calendars",
    "schedule_events",
    "notifications",
    "managed_clients",
)
WEEK = [dt.date(2026, 11, 16) + dt.timedelta(days=n) for n in range(5)]
OFFSET = "-07:00"


def seed(company: Company) -> None:
    """Fill an empty company with the demo data, all stamped SEEDED_AT."""
    for username, first, last, tracking, active in PEOPLE:
        user = new_user(
            username=username,
            first_name=first,
            last_name=last,
            active=active,
            email=f"{username}@example.com",
            created=SEEDED_AT,
        )
        user["permissions"] = default_permissions() | {
            "admin": username == "admin",
            "time_tracking": tracking,
        }
        company.add("users", company.users, user)
    ids: list[int] = []
    for name, short, parent, kind, active in JOBCODES:
        parent_id = ids[parent] if parent is not None else 0
        code = new_jobcode(
            name=name,
            short_code=short,
            parent_id=parent_id,
            type=kind,
            active=active,
            assigned_to_all=kind == "pto",
            created=SEEDED_AT,
        )
        ids.append(company.add("jobcodes", company.jobcodes, code)["id"])
        if parent_id:
            company.jobcodes[parent_id]["has_children"] = True
    employees = [u for u in company.users.values() if u["active"] and u["id"] != ADMIN_ID]
    for n, user in enumerate(employees):
        for code_id in (ids[1 + n % 2], ids[3]):
            company.add(
                "jobcode_assignments",
                company.assignments,
                new_assignment(user_id=user["id"], jobcode_id=code_id, created=SEEDED_AT),
            )
    company.add(
        "jobcode_assignments",
        company.assignments,
        new_assignment(
            user_id=employees[0]["id"], jobcode_id=ids[5], active=False, created=SEEDED_AT
        ),
    )
    for day in WEEK:
        for n, user in enumerate(employees):
            for start, end, code_id in (
                ("09:00", "12:00", ids[1 + n % 2]),
                ("13:00", "17:00", ids[3]),
            ):
                sheet = new_timesheet(
                    user_id=user["id"],
                    jobcode_id=code_id,
                    tz_str="tsMT",
                    created_by_user_id=user["id"],
                )
                apply_times(
                    sheet, {"start": f"{day}T{start}:00{OFFSET}", "end": f"{day}T{end}:00{OFFSET}"}
                )
                company.add("timesheets", company.timesheets, sheet)
    for table in (company.users, company.jobcodes, company.assignments, company.timesheets):
        for record in table.values():
            record["last_modified"] = SEEDED_AT
            if "created" in record:
                record["created"] = SEEDED_AT
    for user in company.users.values():  # every balance in the time off code, from zero
        user["pto_balances"] = {str(ids[6]): 0}
    seed_directory(company, SEEDED_AT)
    seed_custom_fields(company, SEEDED_AT)
    seed_endpoints(company, ADMIN_ID, SEEDED_AT)
    company.changed = dict.fromkeys((*ENDPOINTS, *STAMPED), SEEDED_AT)


def add_timesheets(company: Company, count: int) -> None:
    """Add `count` one-hour timesheets, from 2025-01-01, spread over the active employees."""
    employees = [u for u in company.users.values() if u["active"] and u["id"] != ADMIN_ID]
    start = dt.datetime(2025, 1, 1, 8, tzinfo=dt.timezone(dt.timedelta(hours=-7)))
    for n in range(count):
        user = employees[n % len(employees)]
        begins = start + dt.timedelta(hours=n // len(employees))
        sheet = new_timesheet(
            user_id=user["id"], jobcode_id=2000004, tz_str="tsMT", created_by_user_id=user["id"]
        )
        apply_times(
            sheet,
            {"start": begins.isoformat(), "end": (begins + dt.timedelta(hours=1)).isoformat()},
        )
        company.add("timesheets", company.timesheets, sheet)
