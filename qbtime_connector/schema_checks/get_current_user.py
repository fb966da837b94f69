"""Generated from schemas/get_current_user.json by `python -m qbtime_connector.schema_checks`; do not edit."""

# ruff: noqa
# mypy: ignore-errors
DIGEST = "22d5882d5c8873e747c4b7876c211aa80b6979f9075d74e6ab534efd3ad947f2"
VERSION = "2.22.3"
import sys


class _DecimalIfLoaded(type):
    def __instancecheck__(cls, value):
        decimal = sys.modules.get("decimal")
        return decimal is not None and isinstance(value, decimal.Decimal)


class Decimal(metaclass=_DecimalIfLoaded):
    """decimal.Decimal to isinstance(), without importing decimal."""

class JsonSchemaValueException(ValueError):
    """The values do not satisfy the schema."""


JsonSchemaValuesException = JsonSchemaValueException


NoneType = type(None)

def validate_get_current_user_json(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data_keys = set(data.keys())
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

check = validate_get_current_user_json
