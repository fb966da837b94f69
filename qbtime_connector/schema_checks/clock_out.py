"""Generated from schemas/clock_out.json by `python -m qbtime_connector.schema_checks`; do not edit."""

# ruff: noqa
# mypy: ignore-errors
DIGEST = "beec867e4226068c4dabf96956343d9bb27e34aeeb246bd67bf4599de74bae0f"
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
    '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}(?=\\n?\\Z)': re.compile('^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}(?=\\n?\\Z)'),
    '^[^\\u0000-\\u001f\\u007f]*(?=\\n?\\Z)': re.compile('^[^\\u0000-\\u001f\\u007f]*(?=\\n?\\Z)')
}

NoneType = type(None)

def validate_clock_out_json(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
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
        if "timesheet_id" in data_keys:
            data_keys.remove("timesheet_id")
            data__timesheetid = data["timesheet_id"]
            if not isinstance(data__timesheetid, (int)) and not (isinstance(data__timesheetid, float) and data__timesheetid.is_integer()) or isinstance(data__timesheetid, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".timesheet_id must be integer")
            if isinstance(data__timesheetid, (int, float, Decimal)) and not isinstance(data__timesheetid, bool):
                if data__timesheetid < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".timesheet_id must be bigger than or equal to 1")
                if data__timesheetid > 9223372036854775807:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".timesheet_id must be smaller than or equal to 9223372036854775807")
        if "end_time" in data_keys:
            data_keys.remove("end_time")
            data__endtime = data["end_time"]
            if not isinstance(data__endtime, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".end_time must be string")
            if isinstance(data__endtime, str):
                if not REGEX_PATTERNS['^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}(?=\\n?\\Z)'].search(data__endtime):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".end_time must match pattern ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}(?=\\n?\\Z)")
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
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

check = validate_clock_out_json
