"""Generated from schemas/user_options.json by `python -m qbtime_connector.schema_checks`; do not edit."""

# ruff: noqa
# mypy: ignore-errors
DIGEST = "a3ac270119063089e164626a0135bd290136fc168d0988a068ddd40377310ad2"
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

def validate_user_options_json(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data_keys = set(data.keys())
        if "active" in data_keys:
            data_keys.remove("active")
            data__active = data["active"]
            if not (isinstance(data__active, str) and data__active == 'yes' or isinstance(data__active, str) and data__active == 'no' or isinstance(data__active, str) and data__active == 'both'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".active must be one of ['yes', 'no', 'both']")
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

check = validate_user_options_json
