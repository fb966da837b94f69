"""The sandbox's custom fields and their items: records, filters, seed and value checks."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..patterns import matches
from .company import Query, Record, ids_of, matches_active, modified_filter, tri_state
from .errors import ApiFailure, ItemFailure
from .names import name_matches
from .resources import Resource

if TYPE_CHECKING:
    from .company import Company

APPLIES_TO = {"timesheet", "user", "jobcode"}
VALUE_TYPES = {"managed-list", "free-form"}
# (name, short code, applies to, type, required, regex filter, items)
FIELDS = (
    ("Equipment", "e", "timesheet", "managed-list", False, "", ("Tractor", "Shovel", "Bazooka")),
    ("Mood", "m", "timesheet", "free-form", False, "", ()),
    ("PO Number", "po", "timesheet", "free-form", False, "^[0-9]{4,8}$", ()),
    ("Department", "dep", "user", "managed-list", False, "", ("Field", "Office")),
)


def new_customfield(**fields: Any) -> Record:
    """A custom field record with every field the API returns."""
    return {
        "id": None,
        "active": True,
        "required": False,
        "applies_to": "timesheet",
        "type": "managed-list",
        "short_code": "",
        "regex_filter": "",
        "name": "",
        "last_modified": "",
        "created": "",
        "ui_preference": "drop_down",
        "required_customfields": [],
        "show_to_all": True,
        **fields,
    }


def new_customfielditem(**fields: Any) -> Record:
    """A custom field item record with every field the API returns."""
    return {
        "id": None,
        "customfield_id": 0,
        "active": True,
        "short_code": "",
        "name": "",
        "last_modified": "",
        "required_customfields": [],
        **fields,
    }


def list_customfields(company: Company, query: Query) -> list[Record]:
    """GET /customfields: ids, active, applies_to (default timesheet), value_type."""
    ids = ids_of(query, "ids")
    active = tri_state(query, "active", "yes")
    applies = query.get("applies_to") or "timesheet"
    value_type = query.get("value_type") or "both"
    if applies not in APPLIES_TO | {"all"}:
        raise ApiFailure(417, "applies_to must be timesheet, user, jobcode or all")
    if value_type not in VALUE_TYPES | {"both"}:
        raise ApiFailure(417, "value_type must be managed-list, free-form or both")
    keep = modified_filter(query)
    return [
        f
        for _, f in sorted(company.customfields.items())
        if (ids is None or f["id"] in ids)
        and (applies == "all" or f["applies_to"] == applies)
        and (value_type == "both" or f["type"] == value_type)
        and matches_active(f, active)
        and keep(f)
    ]


def list_customfielditems(company: Company, query: Query) -> list[Record]:
    """GET /customfielditems: customfield_id (required), ids, active, name (* wild card)."""
    fields = ids_of(query, "customfield_id")
    if not fields:
        raise ApiFailure(417, "customfield_id is required")
    ids = ids_of(query, "ids")
    active = tri_state(query, "active", "yes")
    keep = modified_filter(query)
    return [
        i
        for _, i in sorted(company.customfielditems.items())
        if i["customfield_id"] in fields
        and (ids is None or i["id"] in ids)
        and name_matches(query.get("name"), i["name"])
        and matches_active(i, active)
        and keep(i)
    ]


def supplement_items(company: Company, items: list[Record]) -> dict[str, Any]:
    """The custom fields the listed items belong to."""
    ids = sorted({i["customfield_id"] for i in items})
    fields = {str(i): company.customfields[i] for i in ids if i in company.customfields}
    return {"customfields": fields} if fields else {}


def check_values(company: Company, applies_to: str, values: Any) -> None:
    """417 for a custom field value the field would refuse (unknown field ids are refused too)."""
    if values in (None, "", {}):
        return
    if not isinstance(values, dict):
        raise ItemFailure(417, "Expectation Failed", "customfields must be an object")
    for key, value in values.items():
        field = company.customfields.get(int(key)) if str(key).isdigit() else None
        if field is None or field["applies_to"] != applies_to:
            raise ItemFailure(417, "Expectation Failed", f"customfield {key} does not exist")
        problem = value_problem(company, field, value)
        if problem:
            raise ItemFailure(417, "Expectation Failed", f"customfield {key}: {problem}")


def value_problem(company: Company, field: Record, value: Any) -> str:
    """Why a value does not fit a field, or "" when it does."""
    if not isinstance(value, str):
        return "the value must be text"
    if field["type"] == "managed-list":
        names = {
            i["name"]
            for i in company.customfielditems.values()
            if i["customfield_id"] == field["id"] and i["active"]
        }
        return "" if value in names else f"'{value}' is not one of its items"
    pattern = field["regex_filter"]
    # Linear time, as the connector checks it: a server thread must not hang on a pattern.
    # What RE2 cannot read (lookaround, backreferences) the sandbox does not enforce.
    if pattern and matches(pattern, value) is False:
        return f"'{value}' does not match {pattern}"
    return ""


def seed_custom_fields(company: Company, at: str) -> None:
    """The seeded fields and items; Repairs shows only some Equipment items."""
    for name, short, applies, kind, required, regex, items in FIELDS:
        field = new_customfield(
            id=company.new_id("customfields"),
            name=name,
            short_code=short,
            applies_to=applies,
            type=kind,
            required=required,
            regex_filter=regex,
            ui_preference="drop_down" if kind == "managed-list" else "text_box_with_suggest",
            created=at,
            last_modified=at,
        )
        company.customfields[field["id"]] = field
        for item_name in items:
            item = new_customfielditem(
                id=company.new_id("customfielditems"),
                customfield_id=field["id"],
                name=item_name,
                last_modified=at,
            )
            company.customfielditems[item["id"]] = item
    equipment = next(f for f in company.customfields.values() if f["name"] == "Equipment")
    shovel = next(i for i in company.customfielditems.values() if i["name"] == "Shovel")
    repairs = next(j for j in company.jobcodes.values() if j["name"] == "Repairs")
    repairs["filtered_customfielditems"] = {str(equipment["id"]): [shovel["id"]]}


# -- writes (issue 24): fields and items created and changed ----------------------------------


def _check_field(company: Company, item: Record, record: Record | None) -> None:
    if "type" in item and item["type"] not in VALUE_TYPES:
        raise ItemFailure(417, "Expectation Failed", "type must be managed-list or free-form")
    if "applies_to" in item and item["applies_to"] not in APPLIES_TO:
        raise ItemFailure(
            417, "Expectation Failed", "applies_to must be timesheet, user or jobcode"
        )
    if item.get("regex_filter"):
        try:
            re.compile(str(item["regex_filter"]))
        except re.error:
            raise ItemFailure(417, "Expectation Failed", "regex_filter is not valid") from None


def _check_item(company: Company, item: Record, record: Record | None) -> None:
    """An item of a managed list, whose name and short code no other item of it has."""
    field_id = int(item.get("customfield_id") or (record or {}).get("customfield_id") or 0)
    field = company.customfields.get(field_id)
    if field is None or field["type"] != "managed-list":
        raise ItemFailure(417, "Expectation Failed", "customfield_id must be a managed-list field")
    for other in company.customfielditems.values():
        if other is record or other["customfield_id"] != field_id:
            continue
        names = {str(other["name"]).lower(), str(other["short_code"]).lower()} - {""}
        given = {str(item.get("name", "")).lower(), str(item.get("short_code", "")).lower()}
        if names & (given - {""}):
            raise ItemFailure(
                417,
                "Expectation Failed",
                f'Oops! The name or alias conflicts with another item named "{other["name"]}". '
                "Try choosing another name/alias or deleting the other conflicting item first",
            )
    item["customfield_id"] = field_id


FIELD_WRITES = Resource(
    "customfields",
    7001,
    new_customfield(),
    methods=("POST", "PUT"),  # GET /customfields is list_customfields
    required=("name", "type"),
    check=_check_field,
)
ITEM_WRITES = Resource(
    "customfielditems",
    8001,
    new_customfielditem(),
    methods=("POST", "PUT"),  # GET /customfielditems is list_customfielditems
    required=("name", "customfield_id"),
    check=_check_item,
    supplement=supplement_items,
)
RESOURCES = (FIELD_WRITES, ITEM_WRITES)
