"""The sandbox's job code writes: job codes created and changed, assignments made and removed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .company import Record, new_assignment, new_jobcode
from .resources import Resource, known, refuse

if TYPE_CHECKING:
    from .company import Company

TYPES = {"regular", "pto", "paid_break", "unpaid_break"}
_YES = {"yes", "true", "1"}


def _flag(value: Any) -> bool:
    """A boolean as the API takes it: true/false, or the text yes/no (as the reference sends)."""
    return value if isinstance(value, bool) else str(value).strip().lower() in _YES


def _check_jobcode(company: Company, item: Record, record: Record | None) -> None:
    """Known parent and type; a short code no other job code has; values in the API's types."""
    if item.get("type", "regular") not in TYPES:
        raise refuse("type must be regular, pto, paid_break or unpaid_break")
    if "parent_id" in item:
        known(company, "jobcodes", item["parent_id"], "parent_id")
        item["parent_id"] = int(item["parent_id"] or 0)
    short = str(item.get("short_code") or "")
    if short and any(
        c["short_code"] == short and c is not record for c in company.jobcodes.values()
    ):
        raise refuse("Oops! That Short Code is already in use")
    for key in ("billable", "assigned_to_all", "active"):
        if key in item:
            item[key] = _flag(item[key])
    if "billable_rate" in item:
        try:
            item["billable_rate"] = float(item["billable_rate"])
        except (TypeError, ValueError):
            raise refuse("billable_rate must be a number") from None


class JobcodeResource(Resource):
    """Job codes: a parent learns it has children."""

    def create(self, company: Company, item: Record) -> Record:
        code = super().create(company, item)
        if code["parent_id"]:
            company.jobcodes[code["parent_id"]]["has_children"] = True
        return code


def _check_assignment(company: Company, item: Record, record: Record | None) -> None:
    """A user of the company (0: everyone) and a job code; the API's own words on a stranger."""
    user = str(item.get("user_id"))
    if user != "0" and (not user.isdigit() or int(user) not in company.users):
        raise refuse("Oops! You don't have permission to manage that user")
    known(company, "jobcodes", item.get("jobcode_id"), "jobcode_id")
    item.update(user_id=int(user), jobcode_id=int(item["jobcode_id"]))


JOBCODES = JobcodeResource(
    "jobcodes",
    2000001,
    new_jobcode(),
    methods=("POST", "PUT"),  # GET /jobcodes is Company.list_jobcodes
    required=("name",),
    read_only=(
        "id",
        "created",
        "last_modified",
        "has_children",
        "project_id",
        "geofence_config_id",
    ),
    check=_check_jobcode,
    supplement=lambda company, codes: company.supplemental("jobcodes", codes),
)
ASSIGNMENTS = Resource(
    "jobcode_assignments",
    3000001,
    new_assignment(),
    methods=("POST", "DELETE"),  # GET /jobcode_assignments is Company.list_jobcode_assignments
    required=("user_id", "jobcode_id"),
    check=_check_assignment,
    supplement=lambda company, found: company.supplemental("jobcode_assignments", found),
    archive=True,  # a removed assignment is listed with active false (active=both)
    missing=417,
    messages={"missing": "Expectation Failed!"},
)
RESOURCES = (JOBCODES, ASSIGNMENTS)
