"""The sandbox's groups, locations and time off requests: records, filters and seed."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from .company import Query, Record, ids_of, matches_active, modified_filter, texts_of, tri_state

if TYPE_CHECKING:
    from .company import Company

ADMIN_ID = 1000001  # the seeded admin, who manages every seeded group


def new_group(**fields: Any) -> Record:
    """A group record with every field the API returns."""
    return {
        "id": None,
        "active": True,
        "name": "",
        "last_modified": "",
        "created": "",
        "manager_ids": [],
        **fields,
    }


def new_location(**fields: Any) -> Record:
    """A location record with every field the API returns."""
    return {
        "id": None,
        "addr1": "",
        "addr2": "",
        "city": "",
        "state": "",
        "zip": "",
        "country": "US",
        "formatted_address": "",
        "active": True,
        "latitude": 0.0,
        "longitude": 0.0,
        "place_id": "",
        "place_id_hash": "",
        "label": "",
        "notes": "",
        "geocoding_status": "complete",
        "created": "",
        "last_modified": "",
        "linked_objects": {},
        "geofence_config_id": None,
        **fields,
    }


def list_groups(company: Company, query: Query) -> list[Record]:
    """GET /groups: ids, active, manager_ids, name (a comma-separated list of names)."""
    ids, managers = ids_of(query, "ids"), ids_of(query, "manager_ids")
    names = {n.lower() for n in texts_of(query, "name") or ()}
    active = tri_state(query, "active", "yes")
    keep = modified_filter(query)
    return [
        g
        for _, g in sorted(company.groups.items())
        if (ids is None or g["id"] in ids)
        and (managers is None or managers & {int(m) for m in g["manager_ids"]})
        and (not names or g["name"].lower() in names)
        and matches_active(g, active)
        and keep(g)
    ]


def list_locations(company: Company, query: Query) -> list[Record]:
    """GET /locations: ids, active, geocoding_status."""
    ids = ids_of(query, "ids")
    statuses = texts_of(query, "geocoding_status")
    active = tri_state(query, "active", "yes")
    keep = modified_filter(query)
    return [
        loc
        for _, loc in sorted(company.locations.items())
        if (ids is None or loc["id"] in ids)
        and (statuses is None or loc["geocoding_status"] in statuses)
        and matches_active(loc, active)
        and keep(loc)
    ]


def list_time_off_requests(company: Company, query: Query) -> list[Record]:
    """GET /time_off_requests: ids, user_ids."""
    ids, users = ids_of(query, "ids"), ids_of(query, "user_ids")
    keep = modified_filter(query)
    return [
        r
        for _, r in sorted(company.time_off_requests.items())
        if (ids is None or r["id"] in ids) and (users is None or r["user_id"] in users) and keep(r)
    ]


def supplement_groups(company: Company, groups: list[Record]) -> dict[str, Any]:
    """The managers the listed groups name."""
    ids = sorted({int(m) for g in groups for m in g["manager_ids"]})
    users = {str(i): company.users[i] for i in ids if i in company.users}
    return {"users": users} if users else {}


def supplement_locations(company: Company, locations: list[Record]) -> dict[str, Any]:
    """The job codes the listed locations are linked to."""
    ids = {j for loc in locations for j in loc["linked_objects"].get("jobcodes", [])}
    jobcodes = company.jobcodes_with_parents(ids)
    return {"jobcodes": jobcodes} if jobcodes else {}


def supplement_time_off(company: Company, requests: list[Record]) -> dict[str, Any]:
    """The users, notes and entries of the listed time off requests."""
    users = sorted({r["user_id"] for r in requests})
    notes = sorted({n for r in requests for n in r["time_off_request_notes"]})
    entries = sorted({e for r in requests for e in r["time_off_request_entries"]})
    data = {
        "users": {str(i): company.users[i] for i in users if i in company.users},
        "time_off_request_notes": {str(i): company.time_off_request_notes[i] for i in notes},
        "time_off_request_entries": {str(i): company.time_off_request_entries[i] for i in entries},
    }
    return {k: v for k, v in data.items() if v}


def _stamped(record: Record, kind: str, table: dict[int, Record], company: Company, at: str) -> int:
    record["id"] = company.new_id(kind)
    record.update(created=at, last_modified=at)
    table[record["id"]] = record
    return int(record["id"])


def seed_directory(company: Company, at: str) -> None:
    """Two groups (every active employee in one), two locations and two time off requests."""
    crews = [
        _stamped(
            new_group(name=name, manager_ids=[str(ADMIN_ID)]), "groups", company.groups, company, at
        )
        for name in ("Field Crew", "Office Staff")
    ]
    company.users[ADMIN_ID]["manager_of_group_ids"] = crews
    employees = [u for u in company.users.values() if u["active"] and u["id"] != ADMIN_ID]
    for n, user in enumerate(employees):
        user["group_id"] = crews[n % 2]
    installation = next(j for j in company.jobcodes.values() if j["name"] == "Installation")
    vacation = next(j for j in company.jobcodes.values() if j["type"] == "pto")
    depot = new_location(
        addr1="235 E Colchester Dr",
        addr2="101",
        city="Eagle",
        state="ID",
        zip="83616",
        formatted_address="235 E Colchester Dr 101, Eagle, ID 83616",
        latitude=43.6700273,
        longitude=-116.3520972,
        label="Sandbox Depot, Eagle, ID, USA",
        linked_objects={"jobcodes": [installation["id"]]},
    )
    installation["locations"] = [_stamped(depot, "locations", company.locations, company, at)]
    office = new_location(
        addr1="Hollywood Blvd",
        city="Los Angeles",
        state="CA",
        formatted_address="Hollywood Blvd, Los Angeles, CA",
        latitude=34.1015885,
        longitude=-118.3336436,
        label="Hollywood Boulevard, Los Angeles, CA, USA",
    )
    _stamped(office, "locations", company.locations, company, at)
    for user, day, status, note in (
        (employees[0], dt.date(2026, 12, 21), "pending", "Family visit."),
        (employees[1], dt.date(2026, 12, 28), "approved", "Year-end break."),
    ):
        _seed_time_off(company, at, user, vacation["id"], day, status, note)


def _seed_time_off(
    company: Company, at: str, user: Record, pto: int, day: dt.date, status: str, text: str
) -> None:
    request = {
        "id": None,
        "user_id": user["id"],
        "time_off_request_notes": [],
        "time_off_request_entries": [],
        "status": status,
        "active": True,
    }
    request_id = _stamped(request, "time_off_requests", company.time_off_requests, company, at)
    note = {
        "id": None,
        "time_off_request_id": request_id,
        "user_id": user["id"],
        "active": True,
        "note": text,
    }
    request["time_off_request_notes"].append(
        _stamped(note, "time_off_request_notes", company.time_off_request_notes, company, at)
    )
    for offset in range(2):
        date = day + dt.timedelta(days=offset)
        entry = {
            "id": None,
            "time_off_request_id": request_id,
            "status": status,
            "approver_user_id": ADMIN_ID if status == "approved" else 0,
            "date": str(date),
            "entry_method": "manual",
            "duration": 28800,
            "start_time": f"{date}T00:00:00-07:00",
            "end_time": f"{date}T23:59:59-07:00",
            "tz_string": "America/Denver",
            "jobcode_id": pto,
            "user_id": user["id"],
            "approved_timesheet_id": 0,
            "active": True,
        }
        request["time_off_request_entries"].append(
            _stamped(
                entry, "time_off_request_entries", company.time_off_request_entries, company, at
            )
        )
