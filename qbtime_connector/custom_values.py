"""Checks custom field values against their fields' type and items before a write sends them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .connection import Connection
from .errors import ApiError, InputError
from .patterns import matches
from .results import more_of, records_of

MANAGED = "managed-list"
# The writes whose records carry custom field values, and the fields they take them from;
# the others' records are left to the API.
APPLIES_TO = {"users": "user", "timesheets": "timesheet", "schedule_events": "timesheet"}
_NO_ADD_ON = {402, 403, 404}  # how an account without the Custom Fields add-on answers


def active_items(connection: Connection, field_id: int) -> list[dict[str, Any]]:
    """Every active item of one managed-list field, page after page."""
    items: list[dict[str, Any]] = []
    page = 1
    while True:
        params = {"customfield_id": field_id, "active": "yes", "limit": 200, "page": page}
        body = connection.request("GET", "customfielditems", params=params)
        items.extend(records_of(body, "customfielditems"))
        if not more_of(body):
            return items
        page += 1


class FieldCheck:
    """The fields some values name, read once, and the items of their managed lists."""

    def __init__(self, connection: Connection, ids: Iterable[str], endpoint: str) -> None:
        self.connection = connection
        self.applies_to = APPLIES_TO.get(endpoint, "")
        self.fields = self._known(sorted(set(ids), key=int))
        self._items: dict[int, list[str]] = {}

    def _known(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        """The fields with these ids that the connection can see; {} without the add-on."""
        if not ids:
            return {}
        params = {"ids": ",".join(ids), "active": "both", "applies_to": "all", "limit": 200}
        try:
            body = self.connection.request("GET", "customfields", params=params)
        except ApiError as error:
            if error.status in _NO_ADD_ON:
                return {}
            raise
        return {str(f["id"]): f for f in records_of(body, "customfields")}

    def item_names(self, field_id: int) -> list[str]:
        """A managed list's active item names (read once per check)."""
        if field_id not in self._items:
            items = active_items(self.connection, field_id)
            self._items[field_id] = [str(i["name"]) for i in items]
        return self._items[field_id]

    def problems(self, values: Mapping[str, Any]) -> list[str]:
        """What is wrong with one record's values; fields not known are left to the API."""
        found = []
        for key, value in values.items():
            field = self.fields.get(str(key))
            if field is None:
                continue
            problem = self.problem(field, value)
            if problem:
                found.append(problem)
        return found

    def problem(self, field: Mapping[str, Any], value: Any) -> str:
        """Why a value does not fit a field, or "" when it does."""
        name = f"custom field {field['id']} ({field.get('name', '')})"
        if field.get("applies_to") != self.applies_to:
            return f"{name} applies to {field.get('applies_to')}, not {self.applies_to}"
        if not field.get("active", True):
            return f"{name} is archived"
        if not isinstance(value, str):
            return f"{name} takes text; got {value!r}"
        if field.get("type") == MANAGED:
            names = self.item_names(int(field["id"]))
            if value not in names:
                return f"{name} must be one of its items ({', '.join(names)}); got {value!r}"
            return ""
        pattern = str(field.get("regex_filter") or "")
        if pattern and matches(pattern, value) is False:  # None: unreadable, the API judges
            return f"{name} must match {pattern}; got {value!r}"
        return ""


def _values(record: Mapping[str, Any]) -> Mapping[str, Any]:
    found = record.get("customfields")
    return found if isinstance(found, Mapping) else {}


def _refuse(input_key: str, label: str, problems: list[str]) -> None:
    if problems:
        raise InputError([{"input": input_key, "label": label, "message": "; ".join(problems)}])


def check_records(
    connection: Connection,
    records: list[dict[str, Any]],
    endpoint: str,
    input_key: str,
    label: str,
) -> None:
    """InputError, before the write, for custom field values their field would refuse.

    Keys must be field ids (checked before any request). The fields named are read in one
    request (plus one per managed list); fields the connection cannot see, or an account
    without the Custom Fields add-on, are left to the API to judge.
    """
    if endpoint not in APPLIES_TO:
        return
    many = len(records) > 1
    where = [f"record {n}: " if many else "" for n in range(1, len(records) + 1)]
    valued = [(at, _values(r)) for at, r in zip(where, records, strict=True) if _values(r)]
    if not valued:
        return
    _refuse(
        input_key,
        label,
        [
            f"{at}'{k}' is not a custom field id"
            for at, v in valued
            for k in v
            if not str(k).isdigit()
        ],
    )
    check = FieldCheck(connection, (str(k) for _, v in valued for k in v), endpoint)
    _refuse(input_key, label, [f"{at}{p}" for at, v in valued for p in check.problems(v)])


def check_custom_values(
    connection: Connection, values: Any, endpoint: str, input_key: str, label: str
) -> None:
    """check_records for the values of one record."""
    check_records(connection, [{"customfields": values}], endpoint, input_key, label)
