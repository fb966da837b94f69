"""Turns a designer's raw inputs into API parameters, or an InputError naming every bad input."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator, ValidationError

from . import rules
from .errors import InputError
from .manifest import ActionSpec, InputSpec, load_schema

ADDITIONAL = "additional_query_parameters"

# What each input type accepts, in words a builder understands; used where the schema's own
# message would only quote a regular expression or say "not valid under any of the given schemas".
EXPECTED = {
    "integer": "must be a whole number",
    "boolean": "must be true or false",
    "string": "must be text of 1 to 255 characters, without control characters",
    "date": "must be a real calendar date written YYYY-MM-DD, like 2026-11-24",
    "datetime": (
        "must be an ISO 8601 date-time with its UTC offset, YYYY-MM-DDThh:mm:ss±hh:mm, "
        "like 2026-11-24T09:00:00-07:00"
    ),
    "id_list": (
        "must be a positive integer ID, a comma-separated list of them (like '1, 2,3') "
        "or a list of them"
    ),
    "json": "must be a JSON object or list (or that as JSON text)",
    "record_list": (
        "must be a list of records (JSON objects with the API's field names, lower-case), "
        "or that list as JSON text"
    ),
    "key_value_list": (
        "must be a key/value map or a list of {key, value} pairs, with keys that are API "
        "parameter names (lower-case letters, digits and _)"
    ),
}
_REWORDED = {"anyOf", "oneOf", "pattern", "type", "format", "propertyNames", "additionalProperties"}
_TRUE = {"true", "yes", "1", "on"}
_FALSE = {"false", "no", "0", "off"}
_DIGITS = re.compile(r"^\s*[0-9]{1,19}\s*$")


@dataclass
class Call:
    """An action's inputs made ready to send: API parameters, plus options for the action itself."""

    method: str
    endpoint: str
    params: dict[str, Any] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)


class _Errors:
    """Collects at most one message per input, in input-table order."""

    def __init__(self, spec: ActionSpec) -> None:
        self._spec = spec
        self._by_key: dict[str, str] = {}

    def add(self, key: str, message: str) -> None:
        if (
            key in self._by_key
            and message.startswith("record ")
            and self._by_key[key].count("record ") < 5
        ):
            self._by_key[key] += f"; {message}"  # a builder fixes a list's records together
        self._by_key.setdefault(key, message)

    def __bool__(self) -> bool:
        return bool(self._by_key)

    def raise_if_any(self) -> None:
        if not self._by_key:
            return
        labels = {i.key: i.label for i in self._spec.inputs}
        order = list(labels)
        keys = sorted(self._by_key, key=lambda k: order.index(k) if k in order else len(order))
        raise InputError(
            [{"input": k, "label": labels.get(k, k), "message": self._by_key[k]} for k in keys]
        )


def is_given(value: Any) -> bool:
    """The contract's rule: absent, None and "" (also blank text) mean "not given"."""
    return value is not None and not (isinstance(value, str) and not value.strip())


def show(value: Any) -> str:
    """A short, safe rendering of a bad value for an error message."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def inline_refs(node: Any, document: str) -> Any:
    """The schema with every $ref replaced by what it points to.

    Resolving references once, here, rather than on every validation halves the time a
    validation takes; our schemas have no recursive references, so inlining terminates.
    """
    if isinstance(node, list):
        return [inline_refs(item, document) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        file, _, pointer = node["$ref"].partition("#")
        file = file or document
        target: Any = load_schema(file)
        for part in pointer.strip("/").split("/") if pointer.strip("/") else []:
            target = target[part]
        resolved = inline_refs(target, file)
        rest = {k: v for k, v in node.items() if k != "$ref"}
        # Keywords beside a $ref apply as well as it (2020-12), not instead of it.
        return {"allOf": [resolved, inline_refs(rest, document)]} if rest else resolved
    return {k: inline_refs(v, document) for k, v in node.items() if k != "$defs"}


@cache
def validator_for(schema_name: str) -> Draft202012Validator:
    """The compiled validator of one action's schema, built once per process."""
    return Draft202012Validator(
        inline_refs(load_schema(schema_name), schema_name),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def _coerce(spec: InputSpec, value: Any) -> Any:
    """Designers send strings: turn them into what the input means, where that is unambiguous."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if spec.type == "integer" and _DIGITS.match(text):
        return int(text)
    if spec.type == "boolean" and text.lower() in _TRUE | _FALSE:
        return text.lower() in _TRUE
    if spec.type in {"json", "record_list"} and text[:1] in "[{":
        try:
            return json.loads(text)
        except ValueError:
            return value
    if spec.allowed:
        return next((a for a in spec.allowed if a.lower() == text.lower()), text)
    return text if spec.type in {"date", "datetime", "id_list"} else value


def _record_message(error: ValidationError) -> str:
    """What is wrong with one record of a record list, naming the record and its field."""
    index, *field = list(error.path)[1:]
    where = f"record {int(index) + 1}" + (f", field '{field[0]}'" if field else "")
    if error.validator == "anyOf":
        alternatives: list[dict[str, Any]] = error.validator_value  # type: ignore[assignment]
        if all("required" in s for s in alternatives):
            needs = " or ".join(" and ".join(s["required"]) for s in alternatives)
            return f"{where}: needs {needs}"
    if error.validator == "pattern" and field in (["start"], ["end"]):
        return f"{where}: {EXPECTED['datetime']}; got {show(error.instance)}"
    return f"{where}: {error.message[:200]}"


def _message(spec: InputSpec | None, error: ValidationError) -> str:
    if spec is not None and spec.type == "record_list" and len(error.path) > 1:
        return _record_message(error)
    custom = error.schema.get("errorMessage") if isinstance(error.schema, dict) else None
    if custom:
        return f"{custom}; got {show(error.instance)}"
    if error.validator in _REWORDED and spec is not None:
        expected = EXPECTED.get(spec.type, "is not valid")
        return f"{expected}; got {show(error.instance)}"
    if error.validator == "enum" and spec is not None and spec.allowed:
        return f"must be one of {', '.join(spec.allowed)}; got {show(error.instance)}"
    if error.validator in {"minimum", "maximum"}:
        bound = "at least" if error.validator == "minimum" else "at most"
        return f"must be {bound} {error.validator_value}; got {show(error.instance)}"
    return error.message if len(error.message) <= 200 else error.message[:197] + "..."


def _schema_errors(spec: ActionSpec, values: Mapping[str, Any], errors: _Errors) -> None:
    known = {i.key: i for i in spec.value_inputs}
    for error in validator_for(spec.schema).iter_errors(values):
        if error.path:
            key = str(error.path[0])
            errors.add(key, _message(known.get(key), error))
        elif error.validator == "required":
            key = str(error.message.split("'")[1])
            errors.add(key, "is required")
        elif error.validator == "anyOf":
            for group in spec.required_one_of:
                labels = " or ".join(spec.input(k).label for k in group)
                errors.add(group[0], f"is required: give {labels}")
        elif error.validator == "additionalProperties":
            for key in sorted(set(values) - set(known)):
                hint = spec.retired_inputs.get(key, "")
                errors.add(
                    key,
                    f"is not an input of {spec.label}{'; ' + hint if hint else ''}; "
                    "its inputs are " + ", ".join(i.key for i in spec.value_inputs),
                )


def whole_number(value: Any) -> int:
    """An integer from what the schema accepted: int, integral float (JSON's 1.0), or digits."""
    return int(value) if isinstance(value, int | float) else int(str(value).strip())


def _id_list(value: Any) -> str:
    if isinstance(value, int | float):
        value = [value]
    items: Iterable[Any] = value if isinstance(value, list) else str(value).split(",")
    return ",".join(str(whole_number(item)) for item in items)


def _key_values(value: Any) -> dict[str, Any]:
    if isinstance(value, Mapping):
        return dict(value)
    return {pair["key"]: pair.get("value") for pair in value}


def _normalise(spec: InputSpec, value: Any, errors: _Errors) -> Any:
    """The value as the API wants it (schema-valid values only reach here)."""
    if spec.type == "integer":
        return whole_number(value)
    if spec.type == "id_list":
        return _id_list(value)
    if spec.type == "key_value_list":
        return _key_values(value)
    if spec.type == "datetime":
        try:
            dt.datetime.fromisoformat(value)
        except ValueError:
            errors.add(spec.key, f"{EXPECTED['datetime']}; got {show(value)} (no such time)")
    return value


def _reserved(spec: ActionSpec) -> dict[str, str]:
    """Parameters the action's own inputs (or fixed values) control, and what to use instead."""
    reserved = {i.param: f"use the {i.label} input instead" for i in spec.inputs if i.param}
    if "limit" in reserved:
        reserved["per_page"] = reserved["limit"]
    for key, value in spec.fixed.items():
        reserved[key] = f"{spec.label} always sends {key}={value}"
    return reserved


def query_value(value: Any) -> str:
    """A value as the query string carries it: lists comma-joined, booleans true/false."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(query_value(v) for v in value)
    return str(value)


def _merge_additional(
    spec: ActionSpec,
    extra: Mapping[str, Any],
    params: dict[str, Any],
    as_query: bool,
    errors: _Errors,
) -> None:
    reserved = _reserved(spec)
    clashes = [f"'{k}' ({reserved[k]})" for k in extra if k in reserved]
    if clashes:
        errors.add(ADDITIONAL, "may not set " + ", ".join(clashes))
        return
    for key, value in extra.items():
        if is_given(value) and value != []:
            params[key] = query_value(value) if as_query else value


def prepare(spec: ActionSpec, inputs: Mapping[str, Any] | None) -> Call:
    """Validate and convert an action's inputs, or raise InputError listing every bad one."""
    errors = _Errors(spec)
    if inputs is not None and not isinstance(inputs, Mapping):
        errors.add("inputs", f"must be a mapping of input key to value; got {show(inputs)}")
        errors.raise_if_any()
    known = {i.key: i for i in spec.value_inputs}
    given = {str(k): v for k, v in (inputs or {}).items() if is_given(v)}
    values = {k: _coerce(known[k], v) if k in known else v for k, v in given.items()}
    _schema_errors(spec, values, errors)
    errors.raise_if_any()

    values = {k: _normalise(known[k], v, errors) for k, v in values.items()}
    for key, message in rules.problems(spec, values):
        errors.add(key, message)
    prepared = Call(spec.method, spec.endpoint)
    for item in spec.value_inputs:
        value = values.get(item.key, item.default)
        if value is None or item.key == ADDITIONAL:
            continue
        target = prepared.params if item.param else prepared.options
        target[item.param or item.key] = value
    prepared.params.update(spec.fixed)
    _merge_additional(spec, values.get(ADDITIONAL, {}), prepared.params, spec.sends_query, errors)
    errors.raise_if_any()
    return prepared
