"""The route table of the sandbox's endpoints beyond its first (issue 24): each endpoint served
by a Resource or Handler of the module of its concern, the extra reports, and their seeds."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import (
    account,
    custom_fields,
    files,
    item_filters,
    job_codes,
    messaging,
    places,
    project_reports,
    projects,
    reports,
    schedules,
    time_off,
)
from .resources import Handler, Resource

if TYPE_CHECKING:
    from .company import Company

MODULES = (
    job_codes, custom_fields, item_filters, account, time_off, projects, schedules, messaging,
    files, places,
)  # fmt: skip
ENDPOINTS: dict[str, Resource | Handler] = {r.name: r for m in MODULES for r in m.RESOURCES}
REPORTS: dict[str, Any] = {
    "payroll_by_jobcode": reports.payroll_by_jobcode,
    **project_reports.REPORTS,
}
# Endpoints with records, for last_modified_timestamps (the first ones are the seed's own).
STAMPED = tuple(
    name
    for name, r in ENDPOINTS.items()
    if isinstance(r, Resource) and r.first_id and name not in {"jobcodes", "groups"}
)


def seed_endpoints(company: Company, admin: int, at: str) -> None:
    """Records of every endpoint above, all stamped `at`, so that each read finds some."""
    crew = [u["id"] for u in company.users.values() if u["active"] and u["id"] != admin]
    projects.seed_projects(company, admin, crew)
    schedules.seed_schedules(company, crew)
    messaging.seed_messaging(company, crew)
    files.seed_files(company, crew)
    places.seed_places(company, crew, at)
    account.seed_account(company)
    item_filters.seed_item_filters(company)
    for endpoint in ENDPOINTS.values():
        if not isinstance(endpoint, Resource) or not endpoint.first_id:
            continue
        for record in endpoint.records(company).values():
            for field in ("created", "last_modified", endpoint.stamp):
                if record.get(field):
                    record[field] = at
