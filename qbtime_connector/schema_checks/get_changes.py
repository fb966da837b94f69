"""Generated from schemas/get_changes.json by `python -m qbtime_connector.schema_checks`; do not edit."""

# ruff: noqa
# mypy: ignore-errors
DIGEST = "7239b0ac55bd8a899c0778a4de741473edf712e95592fa026dd4cc856b43750f"
VERSION = "2.22.3"
import sys


class _DecimalIfLoaded(type):
    def __instancecheck__(cls, value):
        decimal = sys.modules.get("decimal")
        return decimal is not None and isinstance(value, decimal.Decimal)


class Decimal(metaclass=_DecimalIfLoaded):
    """decimal.Decimal to isinstance(), without importing decimal."""
import re

class JsonSchemaValueException(ValueError):
    """The values do not satisfy the schema."""


JsonSchemaValuesException = JsonSchemaValueException


REGEX_PATTERNS = {
    '^[A-Za-z0-9_=-]+(?=\\n?\\Z)': re.compile('^[A-Za-z0-9_=-]+(?=\\n?\\Z)'),
    '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}(?=\\n?\\Z)': re.compile('^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}(?=\\n?\\Z)'),
    '^(timesheets|users|jobcodes)(,(timesheets|users|jobcodes))*(?=\\n?\\Z)': re.compile('^(timesheets|users|jobcodes)(,(timesheets|users|jobcodes))*(?=\\n?\\Z)')
}

NoneType = type(None)

def validate_get_changes_json(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data_keys = set(data.keys())
        if "cursor" in data_keys:
            data_keys.remove("cursor")
            data__cursor = data["cursor"]
            if not isinstance(data__cursor, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".cursor must be string")
            if isinstance(data__cursor, str):
                data__cursor_len = len(data__cursor)
                if data__cursor_len > 8000:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".cursor must be shorter than or equal to 8000 characters")
                if not REGEX_PATTERNS['^[A-Za-z0-9_=-]+(?=\\n?\\Z)'].search(data__cursor):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".cursor must match pattern ^[A-Za-z0-9_=-]+(?=\\n?\\Z)")
        if "since" in data_keys:
            data_keys.remove("since")
            data__since = data["since"]
            if not isinstance(data__since, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".since must be string")
            if isinstance(data__since, str):
                if not REGEX_PATTERNS['^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}(?=\\n?\\Z)'].search(data__since):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".since must match pattern ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}(?=\\n?\\Z)")
        if "endpoints" in data_keys:
            data_keys.remove("endpoints")
            data__endpoints = data["endpoints"]
            if not isinstance(data__endpoints, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".endpoints must be string")
            if isinstance(data__endpoints, str):
                if not REGEX_PATTERNS['^(timesheets|users|jobcodes)(,(timesheets|users|jobcodes))*(?=\\n?\\Z)'].search(data__endpoints):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".endpoints must match pattern ^(timesheets|users|jobcodes)(,(timesheets|users|jobcodes))*(?=\\n?\\Z)")
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

check = validate_get_changes_json
