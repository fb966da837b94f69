"""The demo's tour of the whole API: one step per action its story leaves out, each declared as
the inputs it takes (from the seeded sandbox's records, or from what an earlier step made) and,
where the count of records says too little, how to sum up its result."""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping
from typing import Any

Result = dict[str, Any]
Inputs = Mapping[str, Any] | Callable[["Done"], Mapping[str, Any]]

# The seeded sandbox's records the tour starts from (sandbox/seed.py and its modules).
MARY, JOHN, LI = 1000002, 1000003, 1000004
FIELD_WORK, INSTALLATION, VACATION = 2000001, 2000002, 2000007
EQUIPMENT, TRACTOR = 7001, 8001
PROJECT, CALENDAR, REQUEST = 10001, 17001, 9001
PNG = b"\x89PNG"
WEEK = {"start_date": "2026-11-16", "end_date": "2026-11-22"}
PIXEL = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5E"
    "rkJggg=="
)


class Done:
    """The results of the steps run so far, by action key."""

    def __init__(self) -> None:
        self.results: dict[str, Result] = {}

    def items(self, key: str) -> list[dict[str, Any]]:
        """The records (or write items) of a step's result."""
        return next(v for v in self.results[key].values() if isinstance(v, list))

    def id(self, key: str, n: int = 0) -> int:
        """The id of the n-th record (or item) a step's result holds."""
        return int(self.items(key)[n]["id"])


class Step:
    """One action of the tour: its inputs, and optionally its own summary of the result."""

    def __init__(self, key: str, inputs: Inputs, say: Callable[[Result], str] | None = None):
        self.key = key
        self._inputs = inputs
        self.say = say

    def inputs(self, done: Done) -> Mapping[str, Any]:
        """The step's inputs, once the steps before it have run."""
        return self._inputs(done) if callable(self._inputs) else self._inputs


def summary(step: Step, result: Result) -> str:
    """What a step's result says, in a few words."""
    if step.say is not None:
        return step.say(result)
    if "succeeded" in result:
        failed = result["failed"]
        why = (
            f" ({failed[0].get('_status_extra') or failed[0]['_status_message']})" if failed else ""
        )
        return f"{result['succeeded']} written, {len(failed)} refused{why}"
    for name, value in result.items():
        if isinstance(value, list):
            status = value[0].get("_status_message") if value else None
            return f"{status} ({name})" if status else f"{len(value)} {name.replace('_', ' ')}"
    return ", ".join(result)


def _names(field: str) -> Callable[[Result], str]:
    def say(result: Result) -> str:
        records = next(v for v in result.values() if isinstance(v, list))
        return ", ".join(str(r[field]) for r in records[:4]) or "none"

    return say


def _tracked(result: Result) -> str:
    project = result["projects"][0]
    return f"{project['name']}: {project['total_tracked_seconds'] // 3600} h tracked"


def _labels(result: Result) -> str:
    return ", ".join(o["label"] for o in result["options"][:4])


def _downloaded(result: Result) -> str:
    found = result["file"]
    kind = "a PNG" if base64.b64decode(found["content_base64"]).startswith(PNG) else "bytes"
    return f"{found['file_name']}: {found['size']} bytes, {kind}"


def _event(start: str, end: str) -> dict[str, Any]:
    return {"schedule_calendar_id": CALENDAR, "start": f"2026-12-07T{start}:00-07:00",
            "end": f"2026-12-07T{end}:00-07:00", "assigned_user_ids": [MARY],
            "jobcode_id": INSTALLATION, "title": "Install day", "draft": True}  # fmt: skip


TOUR: list[Step] = [
    # The first actions that the story before the tour does not show.
    Step(
        "create_users",
        {
            "records": [
                {"username": "tour.one", "first_name": "Tour", "last_name": "One"},
                {"username": "tour.two", "first_name": "Tour", "last_name": "Two"},
            ]
        },
    ),
    Step(
        "update_users", lambda d: {"records": [{"id": d.id("create_users"), "employee_number": 7}]}
    ),
    Step(
        "find_or_create_user",
        {"username": "tour.one", "first_name": "T", "last_name": "O"},
        lambda r: f"{r['outcome']}: user {r['user']['id']}, no duplicate made",
    ),
    Step("update_timesheets", {"records": [{"id": 4000001, "notes": "Checked by the tour"}]}),
    Step(
        "raw_request",
        {"path": "current_user"},
        lambda r: "GET current_user through the connection's auth",
    ),
    # Job codes and their assignments.
    Step(
        "create_job_code",
        {
            "name": "Demo Site",
            "parent_id": FIELD_WORK,
            "short_code": "demo",
            "billable": "true",
            "billable_rate": "45.00",
        },
        lambda r: f"job code {r['jobcodes'][0]['id']} under Field Work",
    ),
    Step(
        "create_job_codes",
        {
            "records": [
                {"name": "Demo Site B", "parent_id": FIELD_WORK},
                {"name": "Demo Site C", "parent_id": FIELD_WORK, "short_code": "demo"},
            ]
        },
    ),
    Step(
        "update_job_codes",
        lambda d: {"records": [{"id": d.id("create_job_code"), "billable_rate": "50.00"}]},
    ),
    Step(
        "assign_job_codes",
        lambda d: {
            "records": [
                {"user_id": MARY, "jobcode_id": d.id("create_job_code")},
                {"user_id": JOHN, "jobcode_id": d.id("create_job_code")},
            ]
        },
    ),
    Step("remove_job_code_assignments", lambda d: {"ids": d.id("assign_job_codes", 1)}),
    # Custom fields, their items and item filters.
    Step("get_custom_fields", {"applies_to": "all"}, _names("name")),
    Step("get_custom_field_items", {"customfield_id": EQUIPMENT}, _names("name")),
    Step(
        "create_custom_fields",
        {
            "records": [
                {
                    "name": "Vehicle",
                    "type": "managed-list",
                    "applies_to": "timesheet",
                    "short_code": "veh",
                }
            ]
        },
    ),
    Step(
        "update_custom_fields",
        lambda d: {"records": [{"id": d.id("create_custom_fields"), "required": False}]},
    ),
    Step(
        "create_custom_field_items",
        lambda d: {
            "records": [
                {"customfield_id": d.id("create_custom_fields"), "name": "Van"},
                {"customfield_id": d.id("create_custom_fields"), "name": "Truck"},
            ]
        },
    ),
    Step(
        "update_custom_field_items",
        lambda d: {"records": [{"id": d.id("create_custom_field_items"), "short_code": "v"}]},
    ),
    Step("get_custom_field_item_filters", {}),
    Step(
        "create_custom_field_item_filters",
        lambda d: {
            "records": [
                {
                    "customfield_id": EQUIPMENT,
                    "customfielditem_id": TRACTOR,
                    "applies_to": "jobcodes",
                    "applies_to_id": d.id("create_job_code"),
                }
            ]
        },
    ),
    Step(
        "update_custom_field_item_filters",
        lambda d: {"records": [{"id": d.id("create_custom_field_item_filters"), "active": False}]},
    ),
    Step("get_job_code_item_filters", {}),
    Step("get_user_item_filters", {}),
    # The account.
    Step("get_effective_settings", {}, lambda r: f"{len(r['effective_settings'])} sections"),
    Step("get_managed_clients", {"active": "both"}, _names("company_name")),
    Step("get_groups", {}, _names("name")),
    Step("create_groups", {"records": [{"name": "Night Crew", "manager_ids": [1000001]}]}),
    Step(
        "update_groups",
        lambda d: {"records": [{"id": d.id("create_groups"), "name": "Night Shift"}]},
    ),
    Step(
        "invite_users",
        {
            "records": [
                {"user_id": JOHN, "contact_method": "email", "contact_info": "jdoe@example.com"}
            ]
        },
    ),
    Step(
        "get_last_modified_timestamps",
        {"endpoints": "timesheets,projects"},
        lambda r: ", ".join(r["last_modified_timestamps"]),
    ),
    Step("get_deleted_timesheets", {"modified_since": "2026-01-01T00:00:00+00:00"}),
    # Locations, geofences and geolocations.
    Step("get_locations", {}, _names("label")),
    Step(
        "create_locations",
        lambda d: {
            "records": [
                {
                    "addr1": "1 Yard Rd",
                    "city": "Eagle",
                    "state": "ID",
                    "zip": "83616",
                    "label": "Demo Yard",
                    "linked_objects": {"jobcodes": [d.id("create_job_code")]},
                }
            ]
        },
    ),
    Step(
        "update_locations",
        lambda d: {"records": [{"id": d.id("create_locations"), "notes": "Gate code 1234"}]},
    ),
    Step("get_locations_maps", {}),
    Step("get_geofence_configs", {}),
    Step("get_geolocations", {"user_ids": MARY}),
    Step(
        "create_geolocations",
        {
            "records": [
                {
                    "user_id": MARY,
                    "created": "2026-11-30T08:10:00-07:00",
                    "latitude": 43.67,
                    "longitude": -116.35,
                    "accuracy": 20.5,
                    "altitude": 0,
                }
            ]
        },
    ),
    # Time off.
    Step("get_time_off_requests", {}),
    Step(
        "create_time_off_requests",
        {
            "records": [
                {
                    "user_id": JOHN,
                    "time_off_request_entries": [
                        {
                            "date": "2026-12-24",
                            "duration": 28800,
                            "entry_method": "manual",
                            "jobcode_id": VACATION,
                        }
                    ],
                    "time_off_request_notes": [{"note": "Christmas Eve"}],
                }
            ]
        },
    ),
    Step(
        "update_time_off_requests",
        lambda d: {
            "records": [
                {
                    "id": d.id("create_time_off_requests"),
                    "time_off_request_notes": [{"note": "Covered by Li"}],
                }
            ]
        },
    ),
    Step(
        "approve_time_off_request",
        lambda d: {"id": d.id("create_time_off_requests")},
        lambda r: (
            f"request {r['time_off_requests'][0]['id']} {r['time_off_requests'][0]['status']}"
        ),
    ),
    Step(
        "deny_time_off_request",
        {"id": REQUEST},
        lambda r: (
            f"request {r['time_off_requests'][0]['id']} {r['time_off_requests'][0]['status']}"
        ),
    ),
    Step(
        "get_time_off_request_entries",
        lambda d: {"time_off_request_ids": d.id("create_time_off_requests")},
        lambda r: ", ".join(f"{e['date']} {e['status']}" for e in r["time_off_request_entries"]),
    ),
    Step(
        "create_time_off_request_entries",
        {
            "records": [
                {
                    "time_off_request_id": REQUEST,
                    "entry_method": "manual",
                    "date": "2026-12-23",
                    "duration": 28800,
                    "jobcode_id": VACATION,
                }
            ]
        },
    ),
    Step(
        "update_time_off_request_entries",
        lambda d: {"records": [{"id": d.id("create_time_off_request_entries"), "duration": 14400}]},
    ),
    # Projects.
    Step("get_projects", {}, _names("name")),
    Step(
        "create_project",
        {
            "name": "Demo Remodel",
            "parent_jobcode_id": FIELD_WORK,
            "due_date": "2026-12-18",
            "status": "not_started",
        },
        lambda r: f"project {r['projects'][0]['id']} on job code {r['projects'][0]['jobcode_id']}",
    ),
    Step("create_projects", lambda d: {"records": [{"jobcode_id": d.id("create_job_code")}]}),
    Step(
        "update_projects",
        lambda d: {"records": [{"id": d.id("create_project"), "status": "in_progress"}]},
    ),
    Step(
        "create_project_note",
        lambda d: {"project_id": d.id("create_project"), "note": "Kick-off done."},
    ),
    Step(
        "create_project_notes",
        lambda d: {"records": [{"project_id": d.id("create_project"), "note": "Materials in."}]},
    ),
    Step("get_project_notes", lambda d: {"project_id": d.id("create_project")}, _names("note")),
    Step(
        "update_project_notes",
        lambda d: {
            "records": [
                {"id": d.id("create_project_note"), "note": "Kick-off done; permits filed."}
            ]
        },
    ),
    Step(
        "get_project_activities",
        lambda d: {"project_id": d.id("create_project"), "activity_types": "note"},
        _names("activity_type"),
    ),
    Step(
        "create_project_activity_replies",
        lambda d: {
            "records": [
                {
                    "project_activity_id": d.items("create_project_note")[0]["linked_objects"][
                        "project_activities"
                    ][0],
                    "note": "Great start",
                }
            ]
        },
    ),
    Step(
        "get_project_activity_replies",
        lambda d: {
            "project_activity_id": d.items("create_project_activity_replies")[0][
                "project_activity_id"
            ]
        },
        _names("note"),
    ),
    Step(
        "update_project_activity_replies",
        lambda d: {
            "records": [{"id": d.id("create_project_activity_replies"), "note": "Great start!"}]
        },
    ),
    Step(
        "update_project_activity_read_times",
        lambda d: {"records": [{"project_id": d.id("create_project")}]},
    ),
    Step("get_project_activity_read_times", {}),
    Step(
        "create_estimates",
        lambda d: {"records": [{"project_id": d.id("create_project"), "estimate_by": "none"}]},
    ),
    Step("get_estimates", {}),
    Step(
        "update_estimates",
        lambda d: {"records": [{"id": d.id("create_estimates"), "active": True}]},
    ),
    Step(
        "create_estimate_items",
        lambda d: {
            "records": [
                {
                    "estimate_id": d.id("create_estimates"),
                    "type": "none",
                    "estimated_seconds": 36000,
                }
            ]
        },
    ),
    Step("get_estimate_items", lambda d: {"estimate_ids": d.id("create_estimates")}),
    Step(
        "update_estimate_items",
        lambda d: {"records": [{"id": d.id("create_estimate_items"), "estimated_seconds": 43200}]},
    ),
    # Schedules.
    Step("get_schedule_calendars", {}, _names("name")),
    Step(
        "create_schedule_events", {"records": [_event("08:00", "12:00"), _event("13:00", "17:00")]}
    ),
    Step(
        "update_schedule_events",
        lambda d: {"records": [{"id": d.id("create_schedule_events"), "draft": False}]},
    ),
    Step(
        "get_schedule_events",
        {"schedule_calendar_ids": CALENDAR, "draft": "both"},
        lambda r: f"{len(r['schedule_events'])} events, drafts included",
    ),
    # Notifications and reminders.
    Step(
        "send_notification",
        {"user_id": MARY, "message": "Your shift starts at 8", "precheck": "off_the_clock"},
    ),
    Step(
        "send_notifications",
        {
            "records": [
                {"user_id": JOHN, "message": "Payroll closes Friday", "method": "email"},
                {"user_id": LI, "message": "Payroll closes Friday", "method": "email"},
            ]
        },
    ),
    Step("get_notifications", {"user_id": MARY}, _names("message")),
    Step("delete_notifications", lambda d: {"ids": d.id("send_notification")}),
    Step("get_reminders", {"user_ids": "0"}, _names("reminder_type")),
    Step(
        "create_reminders",
        {
            "records": [
                {
                    "user_id": LI,
                    "reminder_type": "clock-out",
                    "due_time": "17:30:00",
                    "due_days_of_week": "Mon,Tue,Wed,Thu,Fri",
                    "distribution_methods": "Push",
                    "active": True,
                    "enabled": True,
                }
            ]
        },
    ),
    Step(
        "update_reminders",
        lambda d: {"records": [{"id": d.id("create_reminders"), "enabled": False}]},
    ),
    # Files.
    Step(
        "upload_file",
        {
            "file_name": "tour.png",
            "file_content": PIXEL,
            "file_description": "The finished job",
            "image_rotation": "0",
            "timesheet_id": 4000001,
        },
        lambda r: f"file {r['files'][0]['id']} attached to timesheet {r['timesheets'][0]['id']}",
    ),
    Step("get_files", {}, _names("file_name")),
    Step(
        "update_files",
        lambda d: {
            "records": [
                {
                    "id": d.id("upload_file"),
                    "meta_data": {"file_description": "After", "image_rotation": 90},
                }
            ]
        },
    ),
    Step(
        "download_file",
        lambda d: {"id": d.id("upload_file")},
        _downloaded,
    ),
    Step("delete_files", lambda d: {"ids": d.id("upload_file")}),
    # The pick lists of the records above, as a designer's drop-downs load them.
    Step("custom_field_options", {}, _labels),
    Step("project_options", {}, _labels),
    Step("schedule_calendar_options", {}, _labels),
    Step("group_options", {}, _labels),
    # Reports.
    Step(
        "get_payroll_by_job_code",
        WEEK,
        lambda r: f"{len(r['payroll_by_jobcode_report']['by_user'])} users by job code",
    ),
    Step(
        "get_project_report",
        WEEK,
        lambda r: f"{len(r['project_report']['totals']['jobcodes'])} job codes' hours",
    ),
    Step(
        "get_project_estimate_report",
        {},
        lambda r: f"{r['total_count']} projects against their estimates",
    ),
    Step(
        "get_project_estimate_detail_report",
        {"project_id": PROJECT},
        _tracked,
    ),
]
