"""The happy path of input validation: a compiled check that needs no jsonschema import.

Valid inputs, the common case, are only checked here. jsonschema is loaded only when this check
fails, to explain what is wrong in the same words as ever; so the two must agree on every input
(a test holds them to it). The checks are generated ahead of time (check_generation.py) into
`qbtime_connector/schema_checks/`; a schema whose generated check is missing or stale is
compiled by fastjsonschema at run time instead.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import json
import re
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Any

# jsonschema searches a pattern as Python reads it, where `$` also matches before a final
# newline; fastjsonschema turns `$` into "end of text". Say Python's `$` without a `$` in it.
_DOLLAR = re.compile(r"(?<!\\)\$")
_PYTHON_END = r"(?=\n?\Z)"
# jsonschema's "date" format: ASCII digits in the full-date shape, and a day that exists.
_FULL_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
GENERATED = "qbtime_connector.schema_checks"


def is_date(text: str) -> bool:
    """The "date" format exactly as jsonschema's format checker reads it."""
    try:
        return bool(_FULL_DATE.fullmatch(text)) and bool(dt.date.fromisoformat(text))
    except ValueError:
        return False


def python_patterns(node: Any) -> Any:
    """The schema with each `pattern` rewritten so fastjsonschema matches as jsonschema does."""
    if isinstance(node, list):
        return [python_patterns(item) for item in node]
    if not isinstance(node, dict):
        return node
    return {
        key: (
            _DOLLAR.sub(lambda _: _PYTHON_END, value)
            if key == "pattern" and isinstance(value, str)
            else python_patterns(value)
        )
        for key, value in node.items()
    }


def prepared(schema: Mapping[str, Any]) -> dict[str, Any]:
    """The resolved schema as fastjsonschema must be given it to answer as jsonschema does."""
    ready: dict[str, Any] = python_patterns(schema)
    ready.pop("$schema", None)  # fastjsonschema names no 2020-12; it reads our keywords alike
    return ready


def digest(schema: Mapping[str, Any]) -> str:
    """What a generated check was made from: it is used only while the schema still matches."""
    text = json.dumps(prepared(schema), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


OPTIONS: dict[str, Any] = {
    "handlers": {},  # the schema is resolved already: never fetch a $ref
    "use_default": False,  # only check: never fill defaults into the caller's values
    "detailed_exceptions": False,
}
FORMATS = {"date": is_date}


def _yes_no(validate: Callable[..., Any], refusal: type[Exception]) -> Callable[[Any], bool]:
    def check(values: Any) -> bool:
        try:
            validate(values, FORMATS)
        except refusal:
            return False
        return True

    return check


def compile_check(schema: Mapping[str, Any]) -> Callable[[Any], bool]:
    """A yes/no check of one resolved schema, compiled now (the fallback: slower to start)."""
    import fastjsonschema

    validate = fastjsonschema.compile(prepared(schema), formats=FORMATS, **OPTIONS)
    return _yes_no(lambda values, _: validate(values), fastjsonschema.JsonSchemaValueException)


def module_name(schema_name: str) -> str:
    """The generated module of a schema file: get_users.json -> get_users."""
    return re.sub(r"\W", "_", schema_name.removesuffix(".json"))


def _generated(schema_name: str) -> ModuleType | None:
    try:
        return importlib.import_module(f"{GENERATED}.{module_name(schema_name)}")
    except ImportError:
        return None


def load_check(schema_name: str, schema: Mapping[str, Any]) -> Callable[[Any], bool]:
    """The generated check of a schema when it was made from this very schema, else a new one."""
    module = _generated(schema_name)
    if module is not None and digest(schema) == module.DIGEST:
        return _yes_no(module.check, module.JsonSchemaValueException)
    return compile_check(schema)


_CHECKS: dict[str, Callable[[Any], bool]] = {}


def conforms(schema_name: str, values: Any, resolve: Callable[[str], Mapping[str, Any]]) -> bool:
    """Whether `values` satisfy the named schema; `resolve` gives it with $refs inlined, once."""
    check = _CHECKS.get(schema_name)
    if check is None:
        check = _CHECKS.setdefault(schema_name, load_check(schema_name, resolve(schema_name)))
    return check(values)
