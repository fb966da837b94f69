"""The sandbox's messages to users: notifications (one-off) and reminders (clock in / out)."""

from __future__ import annotations

import re
import secrets
from typing import TYPE_CHECKING

from .company import Record
from .resources import Resource, known, refuse

if TYPE_CHECKING:
    from .company import Company

DAYS = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
DISTRIBUTION = {"Push", "SMS", "Email"}
_DUE = re.compile(r"^([01][0-9]|2[0-3]):[0-5][05]:00$")  # hh:mm:ss, in 5-minute steps


def _check_notification(company: Company, item: Record, record: Record | None) -> None:
    if item.get("method", "push") not in {"push", "email", "dashboard"}:
        raise refuse("method must be push, email or dashboard")
    if item.get("precheck", "none") not in {"on_the_clock", "off_the_clock", "none"}:
        raise refuse("precheck must be on_the_clock, off_the_clock or none")
    if len(str(item.get("message", ""))) > 2000:
        raise refuse("message is longer than 2000 characters")
    known(company, "users", item.get("user_id"), "user_id")
    if record is None:
        item.setdefault("delivery_time", company.now())
        item["msg_tracking_id"] = secrets.token_hex(8)


def _words(value: object, allowed: set[str], name: str) -> None:
    parts = [p.strip() for p in str(value).split(",")]
    if not all(p in allowed for p in parts):
        raise refuse(f"{name} must be a comma-separated list of {', '.join(sorted(allowed))}")


def _check_reminder(company: Company, item: Record, record: Record | None) -> None:
    if "reminder_type" in item and item["reminder_type"] not in {"clock-in", "clock-out"}:
        raise refuse("reminder_type must be clock-in or clock-out")
    if "due_time" in item and not _DUE.match(str(item["due_time"])):
        raise refuse("due_time must be hh:mm:ss, in 5-minute steps")
    if "due_days_of_week" in item:
        _words(item["due_days_of_week"], DAYS, "due_days_of_week")
    if "distribution_methods" in item:
        _words(item["distribution_methods"], DISTRIBUTION, "distribution_methods")
    known(company, "users", item.get("user_id"), "user_id")


NOTIFICATIONS = Resource(
    "notifications",
    19001,
    {
        "id": None,
        "msg_tracking_id": "",
        "user_id": 0,
        "message": "",
        "method": "push",
        "delivery_time": "",
        "created": "",
        "precheck": "none",
    },
    methods=("GET", "POST", "DELETE"),
    required=("message",),
    filters=(
        ("ids", "id", "ids"),
        ("user_id", "user_id", "ids"),
        ("msg_tracking_id", "msg_tracking_id", "texts"),
        ("delivery_after", "delivery_time", "since"),
        ("delivery_before", "delivery_time", "until"),
    ),
    active=None,
    check=_check_notification,
)
REMINDERS = Resource(
    "reminders",
    20001,
    {
        "id": None,
        "reminder_type": "clock-in",
        "due_time": "",
        "due_days_of_week": "",
        "distribution_methods": "",
        "active": True,
        "enabled": True,
        "last_modified": "",
        "created": "",
        "user_id": 0,
    },
    required=(
        "user_id",
        "reminder_type",
        "due_time",
        "due_days_of_week",
        "distribution_methods",
        "active",
        "enabled",
    ),
    filters=(("user_ids", "user_id", "ids"), ("reminder_types", "reminder_type", "texts")),
    needs_one_of=("user_ids",),
    active=None,
    paged=False,
    check=_check_reminder,
)
RESOURCES = (NOTIFICATIONS, REMINDERS)


def seed_messaging(company: Company, crew: list[int]) -> None:
    """Company-wide clock-in and clock-out reminders on weekdays, and a notification."""
    weekdays = "Mon,Tue,Wed,Thu,Fri"
    for kind, due in (("clock-in", "08:05:00"), ("clock-out", "17:05:00")):
        REMINDERS.add(
            company,
            reminder_type=kind,
            due_time=due,
            due_days_of_week=weekdays,
            distribution_methods="Push,Email",
        )
    for message, hour, precheck, tracking in (
        ("Please clock in!", 15, "off_the_clock", "5ea3f1c2d4b6a789"),
        ("Please clock out!", 23, "on_the_clock", "3ce75c1b7de6598a"),
    ):
        NOTIFICATIONS.add(
            company,
            user_id=crew[0],
            message=message,
            delivery_time=f"2026-11-30T{hour}:00:00+00:00",
            msg_tracking_id=tracking,
            precheck=precheck,
        )
