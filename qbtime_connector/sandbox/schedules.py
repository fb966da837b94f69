"""The sandbox's schedules: calendars and their events (shifts), with their seed."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from .company import Record, parse_moment_item
from .resources import Resource, by_ids, known, refuse

if TYPE_CHECKING:
    from .company import Company

COLORS = ("#888888", "#2A4FB5", "#BF1959", "#2D8A3B")


def _assigned(value: Any) -> list[str]:
    """assigned_user_ids as the API keeps them: a list of id strings ("" or [] is nobody)."""
    if value in (None, ""):
        return []
    parts = value.split(",") if isinstance(value, str) else list(value)
    return [str(p).strip() for p in parts if str(p).strip()]


def _check_event(company: Company, item: Record, record: Record | None) -> None:
    """Known calendar, job code and users; an end after the start; assignees set user_id."""
    current = record or {}
    known(company, "schedule_calendars", item.get("schedule_calendar_id"), "schedule_calendar_id")
    known(company, "jobcodes", item.get("jobcode_id"), "jobcode_id")
    start = parse_moment_item(item.get("start", current.get("start")), "start")
    end = parse_moment_item(item.get("end", current.get("end")), "end")
    if end <= start:
        raise refuse("end must be after start")
    if "assigned_user_ids" in item or record is None:
        users = _assigned(item.get("assigned_user_ids"))
        for user in users:
            known(company, "users", user, "assigned_user_ids")
        item["assigned_user_ids"] = users
        item["user_id"] = int(users[0]) if users else 0
        item["unassigned"] = not users


def _event_supplement(company: Company, events: list[Record]) -> dict[str, Any]:
    users = {int(u) for e in events for u in e["assigned_user_ids"]}
    fields = {k for e in events if isinstance(e["customfields"], dict) for k in e["customfields"]}
    data = {
        "jobcodes": company.jobcodes_with_parents(e["jobcode_id"] for e in events),
        "users": by_ids(company, "users", users),
        "customfields": by_ids(company, "customfields", fields),
    }
    return {k: v for k, v in data.items() if v}


CALENDARS = Resource(
    "schedule_calendars",
    17001,
    {"id": None, "name": "", "last_modified": "", "created": ""},
    methods=("GET",),
    filters=(("ids", "id", "ids"),),
    active=None,
)
EVENTS = Resource(
    "schedule_events",
    18001,
    {
        "id": None,
        "user_id": 0,
        "unassigned": True,
        "schedule_calendar_id": 0,
        "jobcode_id": 0,
        "start": "",
        "end": "",
        "timezone": "America/Denver",
        "notes": "",
        "all_day": False,
        "assigned_user_ids": [],
        "active": True,
        "draft": False,
        "title": "",
        "location": "",
        "color": COLORS[0],
        "last_modified": "",
        "created": "",
        "customfields": {},
    },
    required=("schedule_calendar_id", "start", "end"),
    filters=(
        ("schedule_calendar_ids", "schedule_calendar_id", "ids"),
        ("ids", "id", "ids"),
        ("user_ids", "user_id", "ids"),
        ("users_ids", "user_id", "ids"),  # the reference's own spelling of the filter
        ("jobcode_ids", "jobcode_id", "ids"),
        ("start", "start", "since"),
        ("end", "end", "until"),
    ),
    needs_one_of=("schedule_calendar_ids", "ids"),
    active="both",
    tri_states=(("draft", "draft", "no"),),
    check=_check_event,
    supplement=_event_supplement,
)
RESOURCES = (CALENDARS, EVENTS)


def seed_schedules(company: Company, crew: list[int]) -> None:
    """A crew calendar with a published shift per crew member on 2026-11-30, and a draft."""
    calendar = CALENDARS.add(company, name="Crew Schedule")
    install = next(c for c in company.jobcodes.values() if c["name"] == "Installation")
    day = dt.date(2026, 11, 30)
    for n, user in enumerate(crew):
        EVENTS.add(
            company,
            schedule_calendar_id=calendar["id"],
            user_id=user,
            unassigned=False,
            assigned_user_ids=[str(user)],
            jobcode_id=install["id"],
            start=f"{day}T08:00:00-07:00",
            end=f"{day}T16:00:00-07:00",
            title="Installation shift",
            color=COLORS[1 + n % 3],
        )
    EVENTS.add(
        company,
        schedule_calendar_id=calendar["id"],
        start=f"{day + dt.timedelta(days=1)}T08:00:00-07:00",
        end=f"{day + dt.timedelta(days=1)}T12:00:00-07:00",
        title="Open shift",
        draft=True,
    )
