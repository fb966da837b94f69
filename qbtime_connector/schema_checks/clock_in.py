"""Generated from schemas/clock_in.json by `python -m qbtime_connector.schema_checks`; do not edit."""

# ruff: noqa
# mypy: ignore-errors
DIGEST = "ba6a27750992d8e5debb3c45fda92b242a04bd28f38f7b074e20fb811bb97fb4"
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
    '^[^\\u0000-\\u001f\\u007f]*(?=\\n?\\Z)': re.compile('^[^\\u0000-\\u001f\\u007f]*(?=\\n?\\Z)'),
    '^[1-9][0-9]{0,18}(?=\\n?\\Z)': re.compile('^[1-9][0-9]{0,18}(?=\\n?\\Z)'),
    '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}(?=\\n?\\Z)': re.compile('^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}(?=\\n?\\Z)')
}

NoneType = type(None)

def validate_clock_in_json(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['user_id', 'jobcode_id']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
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
        if "jobcode_id" in data_keys:
            data_keys.remove("jobcode_id")
            data__jobcodeid = data["jobcode_id"]
            if not isinstance(data__jobcodeid, (int)) and not (isinstance(data__jobcodeid, float) and data__jobcodeid.is_integer()) or isinstance(data__jobcodeid, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".jobcode_id must be integer")
            if isinstance(data__jobcodeid, (int, float, Decimal)) and not isinstance(data__jobcodeid, bool):
                if data__jobcodeid < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".jobcode_id must be bigger than or equal to 1")
                if data__jobcodeid > 9223372036854775807:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".jobcode_id must be smaller than or equal to 9223372036854775807")
        if "notes" in data_keys:
            data_keys.remove("notes")
            data__notes = data["notes"]
            if not isinstance(data__notes, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".notes must be string")
            if isinstance(data__notes, str):
                data__notes_len = len(data__notes)
                if data__notes_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".notes must be longer than or equal to 1 characters")
                if data__notes_len > 255:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".notes must be shorter than or equal to 255 characters")
                if not REGEX_PATTERNS['^[^\\u0000-\\u001f\\u007f]*(?=\\n?\\Z)'].search(data__notes):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".notes must match pattern ^[^\\u0000-\\u001f\\u007f]*(?=\\n?\\Z)")
        if "customfields" in data_keys:
            data_keys.remove("customfields")
            data__customfields = data["customfields"]
            if not isinstance(data__customfields, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".customfields must be object")
            data__customfields_is_dict = isinstance(data__customfields, dict)
            if data__customfields_is_dict:
                data__customfields_len = len(data__customfields)
                if data__customfields_len > 100:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".customfields must contain less than or equal to 100 properties")
                data__customfields_keys = set(data__customfields.keys())
                for data__customfields_key in data__customfields_keys:
                    if data__customfields_key not in []:
                        data__customfields_value = data__customfields.get(data__customfields_key)
                        if not isinstance(data__customfields_value, (str)):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".customfields.{data__customfields_key}".format(**locals()) + " must be string")
                        if isinstance(data__customfields_value, str):
                            data__customfields_value_len = len(data__customfields_value)
                            if data__customfields_value_len > 1000:
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".customfields.{data__customfields_key}".format(**locals()) + " must be shorter than or equal to 1000 characters")
                if data__customfields_len != 0:
                    data__customfields_property_names = True
                    for data__customfields_key in data__customfields:
                        try:
                            if isinstance(data__customfields_key, str):
                                if not REGEX_PATTERNS['^[1-9][0-9]{0,18}(?=\\n?\\Z)'].search(data__customfields_key):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".customfields must match pattern ^[1-9][0-9]{0,18}(?=\\n?\\Z)")
                        except (JsonSchemaValueException, JsonSchemaValuesException):
                            data__customfields_property_names = False
                    if not data__customfields_property_names:
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".customfields must be named by propertyName definition")
        if "start_time" in data_keys:
            data_keys.remove("start_time")
            data__starttime = data["start_time"]
            if not isinstance(data__starttime, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".start_time must be string")
            if isinstance(data__starttime, str):
                if not REGEX_PATTERNS['^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}(?=\\n?\\Z)'].search(data__starttime):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".start_time must match pattern ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}(?=\\n?\\Z)")
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

check = validate_clock_in_json
