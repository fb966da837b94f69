"""The sandbox's projects: projects, their notes, activity feed, replies, read times and
estimates, each a Resource in the reference's shapes, with their seed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .company import Record, new_jobcode
from .resources import Resource, by_ids, known, refuse, supplements, table

if TYPE_CHECKING:
    from .company import Company

PROJECT_STATUSES = {"not_started", "in_progress", "complete"}
ACTIVITY_TYPES = {
    "clock_in", "clock_out", "note", "attachment", "project_update", "project_created",
    "location_update", "estimate_item_added", "estimate_item_removed", "estimate_item_updated",
    "assignment", "unassignment",
}  # fmt: skip


def _check_project(company: Company, item: Record, record: Record | None) -> None:
    """A new project is a new job code (or an existing one, by jobcode_id); status is known."""
    if item.get("status") not in (None, "") and item["status"] not in PROJECT_STATUSES:
        raise refuse("status must be not_started, in_progress or complete")
    if record is not None:
        return
    codes = company.jobcodes
    if item.get("jobcode_id"):
        code = codes.get(int(item["jobcode_id"]))
        if code is None:
            raise refuse(f"jobcode_id {item['jobcode_id']} does not exist")
        if any(p["jobcode_id"] == code["id"] for p in table(company, "projects").values()):
            raise refuse(f"jobcode {code['id']} is a project already")
        item.update(name=code["name"], parent_jobcode_id=code["parent_id"])
        return
    if not item.get("name"):
        raise refuse("name required")
    parent = int(item.get("parent_jobcode_id") or 0)
    known(company, "jobcodes", parent, "parent_jobcode_id")
    code = new_jobcode(name=str(item["name"])[:64], parent_id=parent)
    company.add("jobcodes", codes, code)
    if parent:
        codes[parent]["has_children"] = True
    item.update(jobcode_id=code["id"], parent_jobcode_id=parent)


def _activity(company: Company, project_id: int, user_id: int, kind: str, **links: Any) -> Record:
    return ACTIVITIES.add(
        company, project_id=project_id, user_id=user_id, activity_type=kind, linked_objects=links
    )


def _check_note(company: Company, item: Record, record: Record | None) -> None:
    if record is None:
        known(company, "projects", item.get("project_id"), "project_id")


def _noted(company: Company, note: Record) -> None:
    """Each new note shows in the project's activity feed, linked both ways."""
    activity = _activity(
        company, note["project_id"], note["user_id"], "note", project_notes=[note["id"]]
    )
    note["linked_objects"] = {"project_activities": [activity["id"]]}


def _check_reply(company: Company, item: Record, record: Record | None) -> None:
    if record is None:
        known(company, "project_activities", item.get("project_activity_id"), "project_activity_id")
        item["linked_objects"] = {"project_activities": [int(item["project_activity_id"])]}


def _check_estimate(company: Company, item: Record, record: Record | None) -> None:
    if item.get("estimate_by") not in (None, "none", "customfields"):
        raise refuse("estimate_by must be none or customfields")
    if record is None:
        known(company, "projects", item.get("project_id"), "project_id")


def _check_estimate_item(company: Company, item: Record, record: Record | None) -> None:
    if item.get("type") not in (None, "none", "tag_clouds"):
        raise refuse("type must be none or tag_clouds")
    if record is None:
        known(company, "estimates", item.get("estimate_id"), "estimate_id")


def _project_jobcodes(company: Company, projects: list[Record]) -> dict[str, Any]:
    codes = company.jobcodes_with_parents(int(p["jobcode_id"]) for p in projects)
    return {"jobcodes": codes} if codes else {}


def _linked(company: Company, records: list[Record], endpoint: str) -> dict[str, Record]:
    return by_ids(
        company, endpoint, (i for r in records for i in r["linked_objects"].get(endpoint, []))
    )


def _activity_supplement(company: Company, records: list[Record]) -> dict[str, Any]:
    data = {
        **supplements(users="user_id", projects="project_id")(company, records),
        "project_notes": _linked(company, records, "project_notes"),
    }
    return {k: v for k, v in data.items() if v}


def _note_supplement(company: Company, records: list[Record]) -> dict[str, Any]:
    data = {
        **supplements(users="user_id", projects="project_id")(company, records),
        "project_activities": _linked(company, records, "project_activities"),
        "files": by_ids(company, "files", (f for r in records for f in r["files"])),
    }
    return {k: v for k, v in data.items() if v}


def _estimate_supplement(company: Company, records: list[Record]) -> dict[str, Any]:
    fields = (r["estimate_by__id"] for r in records if r["estimate_by"] == "customfields")
    data = {
        "projects": by_ids(company, "projects", (r["project_id"] for r in records)),
        "customfields": by_ids(company, "customfields", fields),
    }
    return {k: v for k, v in data.items() if v}


class ProjectResource(Resource):
    """Projects: a project's job code knows it; a new project's feed starts with its creation."""

    def add(self, company: Company, **values: Any) -> Record:
        project = super().add(company, **values)
        company.jobcodes[project["jobcode_id"]]["project_id"] = project["id"]
        return project

    def create(self, company: Company, item: Record) -> Record:
        project = super().create(company, item)
        _activity(company, project["id"], int(item.get("user_id") or 0), "project_created")
        return project


class NoteResource(Resource):
    """Project notes: each new note is also an activity of its project."""

    def create(self, company: Company, item: Record) -> Record:
        note = super().create(company, item)
        _noted(company, note)
        return note


class ReadTimeResource(Resource):
    """Read times: POST and PUT alike set the requester's latest read time of a project."""

    def create(self, company: Company, item: Record) -> Record:
        if not item.get("project_id"):
            raise refuse("project_id required")
        known(company, "projects", item.get("project_id"), "project_id")
        mine = [
            r
            for r in self.records(company).values()
            if r["user_id"] == item["user_id"] and r["project_id"] == int(item["project_id"])
        ]
        if mine:
            return self.touch(company, mine[0])
        return self.add(company, project_id=int(item["project_id"]), user_id=item["user_id"])

    def update(self, company: Company, item: Record) -> Record:
        return self.create(company, item)

    def write(
        self, company: Company, method: str, items: list[Record], actor: int
    ) -> dict[str, Any]:
        return super().write(company, "POST", items, actor)


PROJECTS = ProjectResource(
    "projects",
    10001,
    {
        "id": None,
        "jobcode_id": 0,
        "parent_jobcode_id": 0,
        "name": "",
        "status": "not_started",
        "description": "",
        "start_date": "",
        "due_date": "",
        "completed_date": "",
        "active": True,
        "last_modified": "",
        "created": "",
        "linked_objects": {"notes_read_times": []},
    },
    filters=(
        ("ids", "id", "ids"),
        ("jobcode_ids", "jobcode_id", "ids"),
        ("parent_jobcode_id", "parent_jobcode_id", "ids"),
        ("name", "name", "name"),
    ),
    read_only=("id", "created", "last_modified", "linked_objects"),
    owned=True,
    check=_check_project,
    supplement=_project_jobcodes,
)
NOTES = NoteResource(
    "project_notes",
    11001,
    {
        "id": None,
        "project_id": 0,
        "user_id": 0,
        "note": "",
        "active": True,
        "created": "",
        "last_modified": "",
        "mentions": [],
        "files": [],
        "linked_objects": {"project_activities": []},
    },
    required=("note", "project_id"),
    filters=(
        ("project_id", "project_id", "ids"),
        ("ids", "id", "ids"),
        ("user_ids", "user_id", "ids"),
    ),
    needs_one_of=("project_id",),
    read_only=("id", "created", "last_modified", "linked_objects"),
    owned=True,
    check=_check_note,
    supplement=_note_supplement,
)
ACTIVITIES = Resource(
    "project_activities",
    12001,
    {
        "id": None,
        "active": True,
        "user_id": 0,
        "project_id": 0,
        "activity_type": "",
        "last_modified": "",
        "unread_replies_count": 0,
        "following": True,
        "created": "",
        "project_activity_metadata": [],
        "linked_objects": {},
    },
    methods=("GET",),
    filters=(
        ("project_id", "project_id", "ids"),
        ("ids", "id", "ids"),
        ("activity_types", "activity_type", "texts"),
        ("max_id", "id", "at_most"),
    ),
    needs_one_of=("project_id", "ids"),
    supplement=_activity_supplement,
)
REPLIES = Resource(
    "project_activity_replies",
    13001,
    {
        "id": None,
        "project_activity_id": 0,
        "user_id": 0,
        "note": "",
        "active": True,
        "created": "",
        "last_modified": "",
        "mentions": [],
        "linked_objects": {"project_activities": []},
    },
    required=("note", "project_activity_id"),
    filters=(
        ("project_activity_id", "project_activity_id", "ids"),
        ("ids", "id", "ids"),
        ("user_ids", "user_id", "ids"),
    ),
    needs_one_of=("project_activity_id",),
    read_only=("id", "created", "last_modified"),
    owned=True,
    check=_check_reply,
    supplement=supplements(users="user_id", project_activities="project_activity_id"),
)
READ_TIMES = ReadTimeResource(
    "project_activity_read_times",
    14001,
    {"id": None, "user_id": 0, "project_id": 0, "latest_read_time": ""},
    methods=("GET", "POST", "PUT"),
    filters=(("ids", "id", "ids"),),
    active=None,
    owned=True,
    stamp="latest_read_time",
    supplement=supplements(users="user_id", projects="project_id"),
)
ESTIMATES = Resource(
    "estimates",
    15001,
    {
        "id": None,
        "project_id": 0,
        "active": True,
        "created": "",
        "last_modified": "",
        "estimate_by": "none",
        "estimate_by__id": 0,
    },
    required=("project_id", "estimate_by"),
    filters=(("ids", "id", "ids"),),
    check=_check_estimate,
    supplement=_estimate_supplement,
)
ESTIMATE_ITEMS = Resource(
    "estimate_items",
    16001,
    {
        "id": None,
        "estimated_seconds": 0,
        "estimate_id": 0,
        "active": True,
        "created": "",
        "last_modified": "",
        "type": "none",
        "type_id": 0,
    },
    required=("estimate_id", "type"),
    filters=(("ids", "id", "ids"), ("estimate_ids", "estimate_id", "ids")),
    check=_check_estimate_item,
    supplement=supplements(estimates="estimate_id"),
)
RESOURCES = (PROJECTS, NOTES, ACTIVITIES, REPLIES, READ_TIMES, ESTIMATES, ESTIMATE_ITEMS)


def seed_projects(company: Company, admin: int, crew: list[int]) -> None:
    """Two projects (the Installation and Repairs job codes); the first with two notes (and
    their activities), two replies, a read time, and an estimate of ten hours."""
    codes = {c["name"]: c for c in company.jobcodes.values()}
    projects = [
        PROJECTS.add(
            company,
            jobcode_id=codes[name]["id"],
            parent_jobcode_id=codes[name]["parent_id"],
            name=name,
            status=status,
            description=about,
            start_date="2026-11-16T00:00:00+00:00",
            due_date="2026-12-18T00:00:00+00:00",
        )
        for name, status, about in (
            ("Installation", "in_progress", "Install the new line at the depot"),
            ("Repairs", "not_started", "Repair the old line"),
        )
    ]
    for project in projects:
        _activity(company, project["id"], admin, "project_created")
    first = projects[0]["id"]
    for text in ("Site visited.", "Materials ordered."):
        _noted(company, NOTES.add(company, project_id=first, user_id=crew[0], note=text))
    activity = min(
        a["id"] for a in ACTIVITIES.records(company).values() if a["activity_type"] == "note"
    )
    for text in ("Thanks, noted.", "Who signs for the delivery?"):
        REPLIES.add(
            company,
            project_activity_id=activity,
            user_id=admin,
            note=text,
            linked_objects={"project_activities": [activity]},
        )
    READ_TIMES.add(company, project_id=first, user_id=admin)
    estimate = ESTIMATES.add(company, project_id=first)
    ESTIMATE_ITEMS.add(company, estimate_id=estimate["id"], estimated_seconds=36000)
