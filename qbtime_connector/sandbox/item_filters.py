"""The sandbox's custom field item filters: which items of a managed list a job code, user or
group may choose, and the per-job-code and per-user views the API derives from them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .company import Query, Record, ids_of, modified_filter
from .resources import Resource, by_ids, refuse, table

if TYPE_CHECKING:
    from .company import Company

APPLIES_TO = {"jobcodes": "jobcodes", "users": "users", "groups": "groups"}


def _check_filter(company: Company, item: Record, record: Record | None) -> None:
    if "applies_to" in item and item["applies_to"] not in APPLIES_TO:
        raise refuse("The applies_to value must be one of the following: jobcodes, users, groups.")
    current = {**(record or {}), **item}
    items = company.customfielditems
    chosen = items.get(int(current.get("customfielditem_id") or 0))
    if chosen is None or chosen["customfield_id"] != int(current.get("customfield_id") or 0):
        raise refuse("customfielditem_id must be an item of customfield_id")
    target = table(company, APPLIES_TO[current.get("applies_to", "jobcodes")])
    if int(current.get("applies_to_id") or 0) not in target:
        raise refuse(f"applies_to_id {current.get('applies_to_id')} does not exist")
    for key in ("customfield_id", "customfielditem_id", "applies_to_id"):
        if key in item:
            item[key] = int(item[key])
    if "active" in item and not isinstance(item["active"], bool):
        item["active"] = str(item["active"]).lower() in {"yes", "true", "1"}


def _filters_for(company: Company, applies_to: str, target: int) -> list[Record]:
    return [
        f
        for f in FILTERS.records(company).values()
        if f["active"] and f["applies_to"] == applies_to and f["applies_to_id"] == target
    ]


def _view(company: Company, kind: str, target: int, extra: Record) -> Record:
    """One derived record: the items each field shows there, by field id."""
    filters = _filters_for(company, kind, target)
    shown: dict[str, list[str]] = {}
    for f in filters:
        shown.setdefault(str(f["customfield_id"]), []).append(str(f["customfielditem_id"]))
    stamp = max((f["last_modified"] for f in filters), default=company.now())
    return {"id": target, **extra, "last_modified": stamp, "filtered_customfielditems": shown}


def jobcode_views(company: Company, query: Query) -> list[Record]:
    """GET /customfielditem_jobcode_filters: per job code that has filters."""
    wanted = ids_of(query, "jobcode_ids")
    codes = sorted({f["applies_to_id"] for f in FILTERS.records(company).values()
                    if f["applies_to"] == "jobcodes" and f["active"]})  # fmt: skip
    views = [_view(company, "jobcodes", c, {}) for c in codes if wanted is None or c in wanted]
    changed = modified_filter(query)
    return [v for v in views if changed(v)]


def user_views(company: Company, query: Query) -> list[Record]:
    """GET /customfielditem_user_filters: per user (and group) that has filters."""
    user, group = ids_of(query, "user_id"), ids_of(query, "group_id")
    with_group = str(query.get("include_user_group", "")).lower() in {"true", "1", "yes"}
    views = []
    for kind, label in (("users", "user"), ("groups", "group")):
        targets = sorted({f["applies_to_id"] for f in FILTERS.records(company).values()
                          if f["applies_to"] == kind and f["active"]})  # fmt: skip
        for target in targets:
            if kind == "users" and user is not None and target not in user:
                continue
            if kind == "groups" and (group is not None or user is not None):
                mine = {company.users[u]["group_id"] for u in user or set() if u in company.users}
                if target not in (group or set()) and not (with_group and target in mine):
                    continue
            views.append(_view(company, kind, target, {"type": label}))
    changed = modified_filter(query)
    return [v for v in views if changed(v)]


def _filter_supplement(company: Company, filters: list[Record]) -> dict[str, Any]:
    data: dict[str, Any] = {
        kind: by_ids(
            company, kind, (f["applies_to_id"] for f in filters if f["applies_to"] == kind)
        )
        for kind in APPLIES_TO
    }
    data["customfields"] = by_ids(company, "customfields", (f["customfield_id"] for f in filters))
    data["customfielditems"] = by_ids(
        company, "customfielditems", (f["customfielditem_id"] for f in filters)
    )
    return {k: v for k, v in data.items() if v}


class FilterResource(Resource):
    """Item filters: a user's filters may come with their group's and job codes' (as asked)."""

    def select(self, company: Company, query: Query) -> list[Record]:
        found = super().select(company, {k: v for k, v in query.items() if k not in TARGETS})
        wanted: set[tuple[str, int]] = set()
        for param, kind in TARGETS.items():
            for target in ids_of(query, param) or ():
                wanted.add((kind, target))
        user = ids_of(query, "user_id")
        for u in user or ():
            if str(query.get("include_user_group", "")).lower() in {"true", "1"}:
                wanted.add(("groups", company.users.get(u, {}).get("group_id", 0)))
            if str(query.get("include_jobcode_filters", "")).lower() in {"true", "1"}:
                wanted |= {("jobcodes", f["applies_to_id"]) for f in found}
        if not wanted:
            return found
        return [f for f in found if (f["applies_to"], f["applies_to_id"]) in wanted]


TARGETS = {"jobcode_id": "jobcodes", "user_id": "users", "group_id": "groups"}
FILTERS = FilterResource(
    "customfielditem_filters",
    26001,
    {
        "id": None,
        "active": True,
        "applies_to": "jobcodes",
        "applies_to_id": 0,
        "customfielditem_id": 0,
        "customfield_id": 0,
        "last_modified": "",
    },
    required=("customfield_id", "customfielditem_id"),
    filters=(("ids", "id", "ids"),),
    check=_check_filter,
    supplement=_filter_supplement,
)
JOBCODE_VIEWS = Resource(
    "customfielditem_jobcode_filters",
    0,
    {"id": None, "last_modified": "", "filtered_customfielditems": {}},
    methods=("GET",),
    active=None,
    lister=jobcode_views,
)
USER_VIEWS = Resource(
    "customfielditem_user_filters",
    0,
    {"id": None, "type": "user", "last_modified": "", "filtered_customfielditems": {}},
    methods=("GET",),
    active=None,
    lister=user_views,
)
RESOURCES = (FILTERS, JOBCODE_VIEWS, USER_VIEWS)


def seed_item_filters(company: Company) -> None:
    """Repairs shows only the Shovel of Equipment; the Field Crew group only the Field
    department (the job code's filtered_customfielditems says the same)."""
    items = {i["name"]: i for i in company.customfielditems.values()}
    repairs = next(c for c in company.jobcodes.values() if c["name"] == "Repairs")
    crew = next(g for g in company.groups.values() if g["name"] == "Field Crew")
    for kind, target, item in (
        ("jobcodes", repairs["id"], "Shovel"),
        ("groups", crew["id"], "Field"),
    ):
        chosen = items[item]
        FILTERS.add(
            company,
            applies_to=kind,
            applies_to_id=target,
            customfield_id=chosen["customfield_id"],
            customfielditem_id=chosen["id"],
        )
