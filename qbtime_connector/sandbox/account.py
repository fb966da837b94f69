"""The sandbox's account: groups (written), effective settings, managed clients, invitations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .company import Query, Record, modified_filter
from .directory import new_group, supplement_groups
from .errors import ApiFailure, ItemFailure
from .resources import Handler, Resource, batch_items, known, refuse, table

if TYPE_CHECKING:
    from .company import Company

# The general section of the effective settings (as the reference's example has it).
GENERAL = {
    "calculate_overtime": "1", "clockout_override": 1, "clockout_override_hours": 10,
    "clockout_override_notify_admin": 1, "clockout_override_notify_mgrs": 0,
    "daily_doubletime": "0", "daily_overtime": "0", "daily_regular_hours": 8,
    "date_locale": "us", "emp_panel": 1, "employee_pto_entry": 0,
    "enable_timesheet_notes": "1", "hide_working_time": "0", "jc_label": "Job",
    "lunch_deduct": 0, "lunch_length": 1, "lunch_threshold": 9, "max_customfielditems": "-1",
    "max_jobcodes": "-1", "payroll_end_date": "2026-11-27", "payroll_type": "weekly",
    "pto_entry": 1, "pto_overtime": 0, "simple_clockin": 0, "time_format": 12,
    "timeclock_label": "Time Clock", "timesheet_notes_required": 0, "tz": "America/Denver",
    "week_start": 1, "weekly_regular_hours": "40",
}  # fmt: skip
# The add-on sections, installed (1) or not (0), in the reference's order.
ADD_ONS = {
    "alerts": 0, "approvals": 1, "dcaa": 0, "dialin": 0, "files": 1, "invoicing": 0,
    "location_aware": 1, "reminders": 1, "projects": 1, "quickbooks": 0, "schedule": 1,
    "sms": 0, "customfields": 1, "time_entry": 1, "xero": 0,
}  # fmt: skip


def _check_group(company: Company, item: Record, record: Record | None) -> None:
    """manager_ids may come as "300, 316": kept as the API lists them, id strings."""
    if "manager_ids" in item:
        raw = item["manager_ids"]
        parts = raw.split(",") if isinstance(raw, str) else list(raw or [])
        managers = [str(p).strip() for p in parts if str(p).strip()]
        for manager in managers:
            known(company, "users", manager, "manager_ids")
        item["manager_ids"] = managers
    if record is None and not str(item.get("name", "")).strip():
        raise refuse("name required")
    names = {g["name"].lower() for g in company.groups.values() if g is not record}
    if str(item.get("name", "")).lower() in names:
        raise refuse(f"a group named {item['name']!r} exists already")


GROUPS = Resource(
    "groups",
    5001,
    new_group(),
    methods=("POST", "PUT"),  # GET /groups is served by directory.list_groups
    required=("name",),
    check=_check_group,
    supplement=supplement_groups,
)


def settings(company: Company, user: int) -> dict[str, Any]:
    """Every section of the effective settings of one user, each with its last change."""
    stamp = company.changed.get("effective_settings", company.now())
    sections: dict[str, Any] = {"general": {"settings": dict(GENERAL), "last_modified": stamp}}
    for name, installed in ADD_ONS.items():
        sections[name] = {"settings": {"installed": installed}, "last_modified": stamp}
    return sections


def effective_settings(company: Company, method: str, query: Query, body: Any, actor: int) -> Any:
    """GET /effective_settings: the settings in effect for a user (the requester by default)."""
    user = query.get("user_id") or str(actor)
    if not user.isdigit() or int(user) not in company.users:
        raise ApiFailure(417, "user_id is not a user of this company")
    changed = modified_filter(query)
    sections = {
        name: section
        for name, section in settings(company, int(user)).items()
        if changed({"last_modified": section["last_modified"]})
    }
    return {"results": {"effective_settings": sections}, "supplemental_data": {}}


MANAGED_CLIENTS = Resource(
    "managed_clients",
    25001,
    {
        "id": "",
        "company_url": "",
        "company_name": "",
        "active": True,
        "created": "",
        "last_modified": "",
    },
    methods=("GET",),
)


def invite(company: Company, method: str, query: Query, body: Any, actor: int) -> Any:
    """POST /invitations: each user invited by email or text message (answered 201)."""
    answers: dict[str, Any] = {}
    for n, item in enumerate(batch_items(body), 1):
        try:
            if item.get("contact_method") not in {"email", "sms"}:
                raise refuse("contact_method must be email or sms")
            if not str(item.get("contact_info") or "").strip():
                raise refuse("contact_info required")
            if not item.get("user_id"):
                raise refuse("user_id required")
            known(company, "users", item["user_id"], "user_id")
            table(company, "invitations")[len(table(company, "invitations")) + 1] = dict(item)
            answers[str(n)] = {"_status_code": 201, "_status_message": "Created"}
        except ItemFailure as failure:
            answers[str(n)] = {
                "_status_code": failure.status,
                "_status_message": failure.message,
                "_status_extra": failure.extra,
            }
    return {"results": {"invites": answers}}


RESOURCES = (
    GROUPS,
    Handler("effective_settings", ("GET",), effective_settings),
    MANAGED_CLIENTS,
    Handler("invitations", ("POST",), invite),
)


def seed_account(company: Company) -> None:
    """The clients this company manages (one of them archived)."""
    for client, url, name, active in (
        ("25001", "acmedev", "Acme Dev", True),
        ("25002", "acmetrucking", "Acme Trucking", True),
        ("25003", "oldfarm", "Old Farm Co", False),
    ):
        MANAGED_CLIENTS.add(company, id=client, company_url=url, company_name=name, active=active)
