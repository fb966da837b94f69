"""The happy path of input validation: a compiled check that needs no jsonschema import.

Valid inputs, the common case, are only checked here. jsonschema is loaded only when this check
fails, to explain what is wrong in the same words as ever; so the two must agree on every input
(a test holds them to it). The checks are generated ahead of time by fastjsonschema into
`qbtime_connector/schema_checks/` (`python -m qbtime_connector.schema_checks` writes them);
a schema whose generated check is missing or stale is compiled at run time instead.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import json
import re
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

# jsonschema searches a pattern as Python reads it, where `$` also matches before a final
# newline; fastjsonschema turns `$` into "end of text". Say Python's `$` without a `$` in it.
_DOLLAR = re.compile(r"(?<!\\)\$")
_PYTHON_END = r"(?=\n?\Z)"
# jsonschema's "date" format: ASCII digits in the full-date shape, and a day that exists.
_FULL_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
GENERATED = "qbtime_connector.schema_checks"
GENERATED_DIR = Path(__file__).resolve().parent / "schema_checks"
_FASTJSONSCHEMA_IMPORT = (
    "from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException\n"
)
_OWN_EXCEPTION = """
class JsonSchemaValueException(ValueError):
    \"\"\"The values do not satisfy the schema.\"\"\"


JsonSchemaValuesException = JsonSchemaValueException
"""
_DECIMAL_IMPORT = "from decimal import Decimal\n"
# No Decimal can exist in a process that never imported decimal: don't import it to look for one.
_DECIMAL_IF_LOADED = """import sys


class _DecimalIfLoaded(type):
    def __instancecheck__(cls, value):
        decimal = sys.modules.get("decimal")
        return decimal is not None and isinstance(value, decimal.Decimal)


class Decimal(metaclass=_DecimalIfLoaded):
    \"\"\"decimal.Decimal to isinstance(), without importing decimal.\"\"\"
"""


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


_OPTIONS: dict[str, Any] = {
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

    validate = fastjsonschema.compile(prepared(schema), formats=FORMATS, **_OPTIONS)
    return _yes_no(lambda values, _: validate(values), fastjsonschema.JsonSchemaValueException)


def module_name(schema_name: str) -> str:
    """The generated module of a schema file: get_users.json -> get_users."""
    return re.sub(r"\W", "_", schema_name.removesuffix(".json"))


def generated_source(schema_name: str, schema: Mapping[str, Any]) -> str:
    """The source of a schema's generated check module (needs fastjsonschema)."""
    import fastjsonschema

    code = fastjsonschema.compile_to_code(prepared(schema), formats=FORMATS, **_OPTIONS)
    if _FASTJSONSCHEMA_IMPORT not in code or _DECIMAL_IMPORT not in code:
        raise RuntimeError("fastjsonschema's generated code changed shape; update the generator")
    entry = re.search(r"^def (\w+)\(data, custom_formats", code, re.MULTILINE)
    if entry is None:
        raise RuntimeError("fastjsonschema's generated code has no entry function")
    return (
        f'"""Generated from schemas/{schema_name} by `python -m qbtime_connector.schema_checks`;'
        ' do not edit."""\n\n'
        "# ruff: noqa\n# mypy: ignore-errors\n"
        f'DIGEST = "{digest(schema)}"\n'
        + code.replace(_FASTJSONSCHEMA_IMPORT, _OWN_EXCEPTION).replace(
            _DECIMAL_IMPORT, _DECIMAL_IF_LOADED
        )
        + f"\n\ncheck = {entry.group(1)}\n"
    )


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


def stale(directory: Path = GENERATED_DIR) -> list[str]:
    """Each action's schema whose generated check is missing or differs; writes none."""
    wanted = _wanted()
    return sorted(
        name
        for name, schema in wanted.items()
        if _read(directory / f"{module_name(name)}.py") != generated_source(name, schema)
    )


def write(directory: Path = GENERATED_DIR) -> list[str]:
    """Write the generated check of every action's schema; the names of those it changed."""
    directory.mkdir(exist_ok=True)
    init = directory / "__init__.py"
    if not init.exists():
        init.write_text(
            '"""Input checks generated from schemas/ by fastjsonschema (see fast_validation)."""\n'
        )
    changed = []
    for name, schema in _wanted().items():
        target, source = directory / f"{module_name(name)}.py", generated_source(name, schema)
        if _read(target) != source:
            target.write_text(source, encoding="utf-8")
            changed.append(name)
    return sorted(changed)


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.exists() else None


def _wanted() -> dict[str, Mapping[str, Any]]:
    # Imported here, not at the top: validation imports this module.
    from . import manifest
    from .validation import resolved_schema

    specs = {**manifest.actions(), **manifest.data_sources(), **manifest.triggers()}.values()
    return {spec.schema: resolved_schema(spec.schema) for spec in specs}


def main(argv: list[str] | None = None) -> int:
    """`python -m qbtime_connector.schema_checks [--check]`: write (or check) the checks."""
    import argparse  # only this command needs it; an action never does

    parser = argparse.ArgumentParser(prog="python -m qbtime_connector.schema_checks")
    parser.add_argument("--check", action="store_true", help="exit 1 if any check is stale")
    args = parser.parse_args(argv)
    if args.check:
        found = stale()
        for name in found:
            print(f"stale: {name} (run python -m qbtime_connector.schema_checks)")
        return 1 if found else 0
    for name in write():
        print(f"wrote the check of {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
