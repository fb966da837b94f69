"""Generated from schemas/job_code_options.json by `python -m qbtime_connector.schema_checks`; do not edit."""

# ruff: noqa
# mypy: ignore-errors
DIGEST = "a93b0f6b58072af69182103898fd46e773ead90ecdb827d0a49794c91842685c"
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
    '^[^\\u0000-\\u001f\\u007f]*(?=\\n?\\Z)': re.compile('^[^\\u0000-\\u001f\\u007f]*(?=\\n?\\Z)')
}

NoneType = type(None)

def validate_job_code_options_json(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data_keys = set(data.keys())
        if "search" in data_keys:
            data_keys.remove("search")
            data__search = data["search"]
            if not isinstance(data__search, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".search must be string")
            if isinstance(data__search, str):
                data__search_len = len(data__search)
                if data__search_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".search must be longer than or equal to 1 characters")
                if data__search_len > 255:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".search must be shorter than or equal to 255 characters")
                if not REGEX_PATTERNS['^[^\\u0000-\\u001f\\u007f]*(?=\\n?\\Z)'].search(data__search):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".search must match pattern ^[^\\u0000-\\u001f\\u007f]*(?=\\n?\\Z)")
        if "page" in data_keys:
            data_keys.remove("page")
            data__page = data["page"]
            if not isinstance(data__page, (int)) and not (isinstance(data__page, float) and data__page.is_integer()) or isinstance(data__page, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".page must be integer")
            if isinstance(data__page, (int, float, Decimal)) and not isinstance(data__page, bool):
                if data__page < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".page must be bigger than or equal to 1")
                if data__page > 1000000:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".page must be smaller than or equal to 1000000")
        if "active" in data_keys:
            data_keys.remove("active")
            data__active = data["active"]
            if not (isinstance(data__active, str) and data__active == 'yes' or isinstance(data__active, str) and data__active == 'no' or isinstance(data__active, str) and data__active == 'both'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".active must be one of ['yes', 'no', 'both']")
        if "user_id" in data_keys:
            data_keys.remove("user_id")
            data__userid = data["user_id"]
            if not isinstance(data__userid, (int)) and not (isinstance(data__userid, float) and data__userid.is_integer()) or isinstance(data__userid, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".user_id must be integer")
            if isinstance(data__userid, (int, float, Decimal)) and not isinstance(data__userid, bool):
                if data__userid < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".user_id must be bigger than or equal to 1")
                if data__userid > 9223372036854775807:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".user_id must be smaller than or equal to 9223372036854775807")
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

check = validate_job_code_options_json
