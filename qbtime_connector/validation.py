"""Turns a designer's raw inputs into API parameters, or an InputError naming every bad input."""

from __future__ import annotations

import datetime as dt
import json
import re
import reprlib
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any, cast

from . import rules
from .errors import InputError
from .fast_validation import conforms
from .manifest import action as action_spec
from .manifest import load_schema
from .screening import problem, too_many_ids
from .specs import ActionSpec, InputSpec, is_sent

# Call, is_given and query_value moved to specs.py; still importable from here for code written
# against the older home (branches in flight), which the lead may drop after merging.
from .specs import Call as Call
from .specs import is_given as is_given
from .specs import query_value as query_value

if TYPE_CHECKING:  # jsonschema is imported only to explain a failed fast check
    from jsonschema import Draft202012Validator, ValidationError

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
_MIDNIGHT_UTC = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T00:00:00(\+00:00|Z)$")
_BASIC_OFFSET = re.compile(r"T[0-9:.]+[+-][0-9]{4}$")


class _Errors:
    """Collects at most one message per input, in input-table order."""

    def __init__(self, spec: ActionSpec) -> None:
        self._spec = spec
        self._by_key: dict[str, str] = {}
        self._secret = {i.key for i in spec.inputs if i.secret}

    def add(self, key: str, message: str) -> None:
        if key in self._secret:
            message = message.split("; got ")[0]  # a secret's value is never echoed
        if (
            key in self._by_key
            and message.startswith("record ")
            and self._by_key[key].count("record ") < 5
            and message not in self._by_key[key].split("; ")
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
            [
                {"input": k, "label": labels.get(k) or safe_key(k), "message": self._by_key[k]}
                for k in keys
            ]
        )


_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxstring, _SHORT.maxother, _SHORT.maxlong = 3, 60, 60, 60


def show(value: Any) -> str:
    """A short, safe rendering of a bad value for an error message (never walks all of it)."""
    text = _SHORT.repr(value)
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
def resolved_schema(schema_name: str) -> dict[str, Any]:
    """One action's schema with its $refs inlined, built once per process."""
    schema: dict[str, Any] = inline_refs(load_schema(schema_name), schema_name)
    return schema


@cache
def validator_for(schema_name: str) -> Draft202012Validator:
    """The explaining validator of one action's schema, built once per process."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(
        resolved_schema(schema_name), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def _moment(spec: InputSpec, value: Any) -> Any:
    """A date or date-time given as a Python object or with a `Z`, in the API's written form."""
    if spec.type == "date" and isinstance(value, dt.datetime):
        return value.date().isoformat()
    if spec.type == "date" and isinstance(value, dt.date):
        return value.isoformat()
    if spec.type == "date" and isinstance(value, str) and _MIDNIGHT_UTC.match(value.strip()):
        return value.strip()[:10]  # how the API writes a date in its answers (a project's)
    if spec.type == "datetime" and isinstance(value, dt.datetime) and value.utcoffset() is not None:
        return value.replace(microsecond=0).isoformat()
    if spec.type == "datetime" and isinstance(value, str) and value.strip()[-1:] in {"Z", "z"}:
        return value.strip()[:-1] + "+00:00"
    if spec.type == "datetime" and isinstance(value, str) and _BASIC_OFFSET.search(value.strip()):
        text = value.strip()  # -0600, as some of the reference's examples write it: -06:00
        return f"{text[:-2]}:{text[-2:]}"
    return value


def _written_moments(records: list[Any]) -> list[Any]:
    """Records with date and date-time objects written as text (naive ones without offset)."""

    def written(key: Any, value: Any) -> Any:
        if isinstance(value, dt.datetime):
            return value.replace(microsecond=0).isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        if key in _MOMENT_FIELDS and isinstance(value, str) and value.strip()[-1:] in {"Z", "z"}:
            return value.strip()[:-1] + "+00:00"
        return value

    return [
        {k: written(k, v) for k, v in r.items()} if isinstance(r, Mapping) else r for r in records
    ]


def _coerce(spec: InputSpec, value: Any) -> Any:
    """Designers send strings: turn them into what the input means, where that is unambiguous."""
    value = _moment(spec, value)
    if isinstance(value, str):
        return _from_text(spec, value)
    if spec.type == "record_list" and isinstance(value, list):
        return _written_moments(value)
    return value


def _from_text(spec: InputSpec, value: str) -> Any:
    """Text as the value it stands for in this input, else the text as given (trimmed where
    blanks cannot matter): the schema then judges it."""
    text = value.strip()
    read = _TEXT_READERS.get(spec.type)
    found = read(text) if read is not None else None
    if found is not None:
        return found
    if spec.allowed:
        return next((a for a in spec.allowed if a.lower() == text.lower()), text)
    return text if spec.type in {"date", "datetime", "id_list"} else value


def _whole_number_text(text: str) -> int | None:
    return int(text) if _DIGITS.match(text) else None


def _truth_text(text: str) -> bool | None:
    word = text.lower()
    return word in _TRUE if word in _TRUE | _FALSE else None


def _json_text(text: str) -> Any:
    if text[:1] not in ("[", "{"):
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


# Readers of a designer's text, by input type: each returns None when the text is not clear.
_TEXT_READERS: dict[str, Callable[[str], Any]] = {
    "integer": _whole_number_text,
    "boolean": _truth_text,
    "json": _json_text,
    "record_list": _json_text,
}


_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "object": "an object",
    "array": "a list",
    "null": "empty",
}
_BOUNDS = {
    "minimum": "must be at least {}",
    "maximum": "must be at most {}",
    "minLength": "must have at least {} characters",
    "maxLength": "must have at most {} characters",
    "minItems": "must have at least {} items",
    "maxItems": "must have at most {} items",
    "minProperties": "must have at least {} fields",
    "maxProperties": "must have at most {} fields",
}


def _described(error: ValidationError) -> str:
    """A failed check in a builder's words, from the error's structured facts (never its text)."""
    rule, limit = str(error.validator), error.validator_value
    if rule == "type":
        kinds = limit if isinstance(limit, list) else [limit]
        words = " or ".join(_TYPE_WORDS.get(str(k), str(k)) for k in kinds)
        return f"must be {words}; got {show(error.instance)}"
    if rule in _BOUNDS:
        return f"{_BOUNDS[rule].format(limit)}; got {show(error.instance)}"
    if rule == "enum":
        allowed = ", ".join(str(a) for a in cast(list[Any], limit))
        return f"must be one of {allowed}; got {show(error.instance)}"
    if rule == "propertyNames":
        return (
            "has a field name that is not an API field name "
            f"(lower-case letters, digits and _); got {show(error.instance)}"
        )
    if rule == "additionalProperties":
        return f"has fields this action does not take; got {show(error.instance)}"
    return f"is not valid ({rule}); got {show(error.instance)}"


def _record_message(error: ValidationError) -> str:
    """What is wrong with one record of a record list, naming the record and its field."""
    index, *field = list(error.path)[1:]
    where = f"record {int(index) + 1}" + (f", field '{field[0]}'" if field else "")
    if error.validator == "required" and isinstance(error.instance, dict):
        wanted = cast(list[str], error.validator_value)
        missing = next((k for k in wanted if k not in error.instance), "?")
        return f"{where}, field '{missing}': is required"
    if error.validator == "anyOf":
        alternatives = cast(list[dict[str, Any]], error.validator_value)
        if all("required" in s for s in alternatives):
            needs = " or ".join(" and ".join(s["required"]) for s in alternatives)
            return f"{where}: needs {needs}"
    if error.validator == "pattern" and field in (["start"], ["end"]):
        return f"{where}: {EXPECTED['datetime']}; got {show(error.instance)}"
    return f"{where}: {_described(error)}"


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
    return _described(error)


def _schema_errors(spec: ActionSpec, values: Mapping[str, Any], errors: _Errors) -> None:
    if conforms(spec.schema, values, resolved_schema):
        return  # the fast check passed: nothing to explain
    known = spec.by_key
    for error in validator_for(spec.schema).iter_errors(values):
        if error.path:
            key = str(error.path[0])
            errors.add(key, _message(known.get(key), error))
        elif error.validator == "required":
            for key in cast(list[str], error.validator_value):
                if isinstance(error.instance, dict) and key not in error.instance:
                    errors.add(key, "is required")
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


def _merge_additional(
    spec: ActionSpec,
    extra: Mapping[str, Any],
    params: dict[str, Any],
    as_query: bool,
    errors: _Errors,
) -> None:
    if not extra:
        return
    reserved = _reserved(spec)
    clashes = [f"'{k}' ({reserved[k]})" for k in extra if k in reserved]
    if clashes:
        errors.add(ADDITIONAL, "may not set " + ", ".join(clashes))
        return
    for key, value in extra.items():
        if is_sent(value):
            params[key] = query_value(value) if as_query else value


# Record fields the records schema takes as IDs (an integer or its digits), sent as integers.
_ID_FIELDS = ("id", "user_id", "jobcode_id")
_MOMENT_FIELDS = ("start", "end")


def _record_inputs(single: ActionSpec, record: Mapping[str, Any]) -> dict[str, Any]:
    """The single action's inputs that say what one record of a batch says."""
    by_param = {i.param: i.key for i in single.value_inputs if i.param}
    inputs = {by_param[k]: v for k, v in record.items() if k in by_param}
    extra = {k: v for k, v in record.items() if k not in by_param and k not in single.fixed}
    if extra:
        inputs[ADDITIONAL] = extra
    return inputs


def _record_apart(record: Mapping[str, Any], fill: Mapping[str, Any]) -> dict[str, Any]:
    """A record the record action cannot take (the records schema checked it): its given
    fields, IDs as integers, and the fields its `records_apart` rule sets."""
    kept = {k: v for k, v in record.items() if is_given(v)}
    for key in (*_ID_FIELDS, "duration"):  # numbers given as text, as invoke takes them
        if key in kept:
            kept[key] = whole_number(kept[key])
    return {**kept, **{k: v for k, v in fill.items() if k not in kept}}


def _check_records(spec: ActionSpec, values: dict[str, Any], errors: _Errors) -> None:
    """Each record of a batch checked and converted exactly as its record action would be."""
    if spec.record_action is None or "records" not in values:
        return
    single = action_spec(spec.record_action)
    params = {i.key: i.param or i.key for i in single.value_inputs}
    records = []
    for n, record in enumerate(values["records"], 1):
        fill = rules.apart(spec, record)
        if fill is not None:
            records.append(_record_apart(record, fill))
            continue
        try:
            records.append(prepare(single, _record_inputs(single, record)).body)
        except InputError as error:
            first = error.errors[0]
            field = params.get(first["input"], first["input"])
            errors.add("records", f"record {n}, field '{field}': {first['message']}")
    values["records"] = records


def safe_key(key: str) -> str:
    """An input key fit for a message: empty, unprintable or non-ASCII keys shown escaped."""
    return key if key and key.isprintable() and key.isascii() else ascii(key)


def _naive(spec: InputSpec, value: Any) -> str | None:
    """The message for a date-time without its offset (or a bare date where one is needed)."""
    if spec.type != "datetime":
        return None
    if isinstance(value, dt.datetime) or (isinstance(value, str) and _parses_naive(value)):
        return (
            "needs its UTC offset, like 2026-11-24T09:00:00-07:00 or 2026-11-24T16:00:00Z: "
            f"without one the time is ambiguous; got {show(value)}"
        )
    if isinstance(value, dt.date):
        return f"{EXPECTED['datetime']}; got a date without a time ({value.isoformat()})"
    return None


def _parses_naive(text: str) -> bool:
    try:
        return dt.datetime.fromisoformat(text.strip()).tzinfo is None
    except ValueError:
        return False


def _screen(spec: ActionSpec, given: dict[str, Any], errors: _Errors) -> dict[str, Any]:
    """The inputs without those no input can take, each of which is reported."""
    known = spec.by_key
    kept = {}
    for key, value in given.items():
        item = known.get(key)
        found = too_many_ids(value) if item is not None and item.type == "id_list" else None
        if found is None and item is not None:
            value = _coerce(item, value)
            found = _naive(item, value)
        found = found or problem(value)
        if found:
            errors.add(key, found)
        else:
            kept[key] = _json_shaped(value)
    return kept


def _json_shaped(value: Any) -> Any:
    """Tuples as lists and any mapping as a dict, as JSON (and so the schema) sees them.

    Screening has bounded the nesting already, so the recursion is shallow.
    """
    if isinstance(value, tuple | list):
        return [_json_shaped(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _json_shaped(v) for k, v in value.items()}
    return value


def prepare(spec: ActionSpec, inputs: Mapping[str, Any] | None) -> Call:
    """Validate and convert an action's inputs, or raise InputError listing every bad one."""
    errors = _Errors(spec)
    values = _valid(spec, inputs, errors)
    values = {k: _normalise(spec.by_key[k], v, errors) for k, v in values.items()}
    for key, message in rules.problems(spec, values):
        errors.add(key, message)
    _check_records(spec, values, errors)
    call = _call(spec, values, errors)
    errors.raise_if_any()
    return call


def _valid(spec: ActionSpec, inputs: Mapping[str, Any] | None, errors: _Errors) -> dict[str, Any]:
    """The given inputs, screened and then checked by the entry's schema; InputError if any
    was refused (the checks after this one need schema-valid values)."""
    if inputs is not None and not isinstance(inputs, Mapping):
        errors.add("inputs", f"must be a mapping of input key to value; got {show(inputs)}")
        errors.raise_if_any()
    given = {str(k): v for k, v in (inputs or {}).items() if is_given(v)}
    values = _screen(spec, given, errors)
    _schema_errors(spec, values, errors)
    errors.raise_if_any()
    return values


def _call(spec: ActionSpec, values: Mapping[str, Any], errors: _Errors) -> Call:
    """The request the values make: each input (or its default) sent as its `param`, in the
    query or the body, or kept in `options` for the action when it has none."""
    call = Call(spec.method, spec.endpoint, query={}, body={}, options={})  # each field: fast
    sent = call.query if call.sends_query else call.body
    for item in spec.value_inputs:
        value = values.get(item.key, item.default)
        if value is None or item.key == ADDITIONAL:
            continue
        if item.param:
            if call.sends_query and isinstance(value, list):
                value = query_value(value)  # a choice list, as the query string carries lists
            sent[item.param] = value
        else:
            call.options[item.key] = value
    sent.update(spec.fixed)
    _merge_additional(spec, values.get(ADDITIONAL, {}), sent, call.sends_query, errors)
    return call
