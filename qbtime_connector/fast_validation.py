"""The happy path of input validation: a compiled check that needs no jsonschema import.

Valid inputs, the common case, are only checked here. jsonschema is loaded only when this check
fails, to explain what is wrong in the same words as ever; so the two must agree on every input
(a test holds them to it).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any

import fastjsonschema

# jsonschema searches a pattern as Python reads it, where `$` also matches before a final
# newline; fastjsonschema turns `$` into "end of text". Say Python's `$` without a `$` in it.
_DOLLAR = re.compile(r"(?<!\\)\$")
_PYTHON_END = r"(?=\n?\Z)"
# jsonschema's "date" format: ASCII digits in the full-date shape, and a day that exists.
_FULL_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


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


def compile_check(schema: Mapping[str, Any]) -> Callable[[Any], bool]:
    """A compiled yes/no check of one schema whose $refs are already resolved."""
    prepared = python_patterns(schema)
    prepared.pop("$schema", None)  # fastjsonschema names no 2020-12; it reads our keywords alike
    validate = fastjsonschema.compile(
        prepared,
        handlers={},  # the schema is resolved already: never fetch a $ref
        formats={"date": is_date},
        use_default=False,  # only check: never fill defaults into the caller's values
        detailed_exceptions=False,
    )

    def check(values: Any) -> bool:
        try:
            validate(values)
        except fastjsonschema.JsonSchemaValueException:
            return False
        return True

    return check


_CHECKS: dict[str, Callable[[Any], bool]] = {}


def conforms(schema_name: str, values: Any, resolve: Callable[[str], Mapping[str, Any]]) -> bool:
    """Whether `values` satisfy the named schema; `resolve` gives it with $refs inlined, once."""
    check = _CHECKS.get(schema_name)
    if check is None:
        check = _CHECKS.setdefault(schema_name, compile_check(resolve(schema_name)))
    return check(values)
