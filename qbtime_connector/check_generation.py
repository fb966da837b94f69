"""Writes the input checks ahead of time: fastjsonschema's code for each input schema.

`python -m qbtime_connector.schema_checks` writes one module per schema into
`qbtime_connector/schema_checks/` (`--check` only reports the stale ones); the build hook
(hatch_build.py) runs it for every wheel and editable install, and git keeps none of them.
Each carries its own exception class, looks for Decimal only if decimal is already imported,
and is stamped with the digest of the schema it was made from, so fast_validation never uses
one made from another.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import fastjsonschema

from . import manifest
from .fast_validation import FORMATS, OPTIONS, digest, module_name, prepared
from .validation import resolved_schema

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


def generated_source(schema_name: str, schema: Mapping[str, Any]) -> str:
    """The source of a schema's generated check module."""
    code = fastjsonschema.compile_to_code(prepared(schema), formats=FORMATS, **OPTIONS)
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
            '"""Input checks generated from schemas/ by fastjsonschema (see check_generation)."""\n'
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
