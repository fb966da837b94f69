"""Generated from schemas/new_or_changed_records.json by `python -m qbtime_connector.schema_checks`; do not edit."""

# ruff: noqa
# mypy: ignore-errors
DIGEST = "5a6e6ea369dcb35365b2a140aa4b8c99407a6e7739561ec2ba4c828401a99fd9"
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
    '^\\s*(timesheets|users|jobcodes)(\\s*,\\s*(timesheets|users|jobcodes))*\\s*(?=\\n?\\Z)': re.compile('^\\s*(timesheets|users|jobcodes)(\\s*,\\s*(timesheets|users|jobcodes))*\\s*(?=\\n?\\Z)')
}

NoneType = type(None)

def validate_new_or_changed_records_json(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data_keys = set(data.keys())
        if "record_types" in data_keys:
            data_keys.remove("record_types")
            data__recordtypes = data["record_types"]
            data__recordtypes_any_of_count1 = 0
            if not data__recordtypes_any_of_count1:
                try:
                    if not isinstance(data__recordtypes, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".record_types must be string")
                    if isinstance(data__recordtypes, str):
                        if not REGEX_PATTERNS['^\\s*(timesheets|users|jobcodes)(\\s*,\\s*(timesheets|users|jobcodes))*\\s*(?=\\n?\\Z)'].search(data__recordtypes):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".record_types must match pattern ^\\s*(timesheets|users|jobcodes)(\\s*,\\s*(timesheets|users|jobcodes))*\\s*(?=\\n?\\Z)")
                    data__recordtypes_any_of_count1 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if not data__recordtypes_any_of_count1:
                try:
                    if not isinstance(data__recordtypes, (list, tuple)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".record_types must be array")
                    data__recordtypes_is_list = isinstance(data__recordtypes, (list, tuple))
                    if data__recordtypes_is_list:
                        data__recordtypes_len = len(data__recordtypes)
                        if data__recordtypes_len < 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".record_types must contain at least 1 items")
                        def fn(var): return frozenset(dict((k, fn(v)) for k, v in var.items()).items()) if hasattr(var, "items") else tuple(fn(v) for v in var) if isinstance(var, (dict, list)) else (bool, var) if isinstance(var, bool) else var
                        if data__recordtypes_len > len(set(fn(data__recordtypes_x) for data__recordtypes_x in data__recordtypes)):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".record_types must contain unique items")
                        for data__recordtypes_x, data__recordtypes_item in enumerate(data__recordtypes):
                            if not (isinstance(data__recordtypes_item, str) and data__recordtypes_item == 'timesheets' or isinstance(data__recordtypes_item, str) and data__recordtypes_item == 'users' or isinstance(data__recordtypes_item, str) and data__recordtypes_item == 'jobcodes'):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".record_types[{data__recordtypes_x}]".format(**locals()) + " must be one of ['timesheets', 'users', 'jobcodes']")
                    data__recordtypes_any_of_count1 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if not data__recordtypes_any_of_count1:
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".record_types cannot be validated by any definition")
        if "include_deleted" in data_keys:
            data_keys.remove("include_deleted")
            data__includedeleted = data["include_deleted"]
            if not isinstance(data__includedeleted, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".include_deleted must be boolean")
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

check = validate_new_or_changed_records_json
