"""Checks custom field values against their fields' type and items before a write sends them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .connection import Connection
from .errors import ApiError, InputError
from .results import records_of

MANAGED = "managed-list"
APPLIES_TO = {"users": "user", "timesheets": "timesheet"}
_NO_ADD_ON = {402, 403, 404}  # how an account without the Custom Fields add-on answers


def active_items(connection: Connection, field_id: int) -> list[dict[str, Any]]:
    """Every active item of one managed-list field, page after page."""
    items: list[dict[str, Any]] = []
    page = 1
    while True:
        params = {"customfield_id": field_id, "active": "yes", "limit": 200, "page": page}
        body = connection.request("GET", "customfielditems", params=params)
        items.extend(records_of(body, "customfielditems"))
        if not body.get("more"):
            return items
        page += 1


def _known_fields(connection: Connection, ids: list[str]) -> dict[str, dict[str, Any]]:
    """The fields with these ids that the connection can see; {} without the add-on."""
    params = {"ids": ",".join(ids), "active": "both", "applies_to": "all", "limit": 200}
    try:
        body = connection.request("GET", "customfields", params=params)
    except ApiError as error:
        if error.status in _NO_ADD_ON:
            return {}
        raise
    return {str(f["id"]): f for f in records_of(body, "customfields")}


def value_problem(connection: Connection, field: Mapping[str, Any], value: Any) -> str:
    """Why a value does not fit a field, or "" when it does."""
    name = f"custom field {field['id']} ({field.get('name', '')})"
    if not field.get("active", True):
        return f"{name} is archived"
    if not isinstance(value, str):
        return f"{name} takes text; got {value!r}"
    if field.get("type") == MANAGED:
        names = [str(i["name"]) for i in active_items(connection, int(field["id"]))]
        if value not in names:
            return f"{name} must be one of its items ({', '.join(names)}); got {value!r}"
        return ""
    pattern = str(field.get("regex_filter") or "")
    if pattern and not re.search(pattern, value):
        return f"{name} must match {pattern}; got {value!r}"
    return ""


def check_custom_values(
    connection: Connection, values: Any, endpoint: str, input_key: str, label: str
) -> None:
    """InputError, before the write, for custom field values their field would refuse.

    Keys must be field ids (checked before any request); fields the connection cannot see
    are left to the API to judge.
    """
    if not isinstance(values, Mapping) or not values:
        return
    problems = [f"'{k}' is not a custom field id" for k in values if not str(k).isdigit()]
    if problems:
        raise InputError([{"input": input_key, "label": label, "message": "; ".join(problems)}])
    applies_to = APPLIES_TO.get(endpoint, "")
    known = _known_fields(connection, [str(k) for k in values])
    for key, value in values.items():
        field = known.get(str(key))
        if field is None:
            continue
        if field.get("applies_to") != applies_to:
            problems.append(
                f"custom field {key} applies to {field.get('applies_to')}, not {applies_to}"
            )
            continue
        problem = value_problem(connection, field, value)
        if problem:
            problems.append(problem)
    if problems:
        raise InputError([{"input": input_key, "label": label, "message": "; ".join(problems)}])
