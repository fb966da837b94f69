"""Generated from schemas/delete_timesheet.json by `python -m qbtime_connector.schema_checks`; do not edit."""

# ruff: noqa
# mypy: ignore-errors
DIGEST = "5edcd7b16fba824f1e06aa481807a00ad329a55ad93e09a2ba72edba49ea7908"
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
    '^\\s*0*[1-9][0-9]{0,18}(\\s*,\\s*0*[1-9][0-9]{0,18})*\\s*(?=\\n?\\Z)': re.compile('^\\s*0*[1-9][0-9]{0,18}(\\s*,\\s*0*[1-9][0-9]{0,18})*\\s*(?=\\n?\\Z)'),
    '^\\s*0*[1-9][0-9]{0,18}\\s*(?=\\n?\\Z)': re.compile('^\\s*0*[1-9][0-9]{0,18}\\s*(?=\\n?\\Z)')
}

NoneType = type(None)

def validate_delete_timesheet_json(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['timesheet_ids']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "timesheet_ids" in data_keys:
            data_keys.remove("timesheet_ids")
            data__timesheetids = data["timesheet_ids"]
            data__timesheetids_any_of_count1 = 0
            if not data__timesheetids_any_of_count1:
                try:
                    if not isinstance(data__timesheetids, (int)) and not (isinstance(data__timesheetids, float) and data__timesheetids.is_integer()) or isinstance(data__timesheetids, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".timesheet_ids must be integer")
                    if isinstance(data__timesheetids, (int, float, Decimal)) and not isinstance(data__timesheetids, bool):
                        if data__timesheetids < 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".timesheet_ids must be bigger than or equal to 1")
                        if data__timesheetids > 9223372036854775807:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".timesheet_ids must be smaller than or equal to 9223372036854775807")
                    data__timesheetids_any_of_count1 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if not data__timesheetids_any_of_count1:
                try:
                    if not isinstance(data__timesheetids, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".timesheet_ids must be string")
                    if isinstance(data__timesheetids, str):
                        data__timesheetids_len = len(data__timesheetids)
                        if data__timesheetids_len > 20000:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".timesheet_ids must be shorter than or equal to 20000 characters")
                        if not REGEX_PATTERNS['^\\s*0*[1-9][0-9]{0,18}(\\s*,\\s*0*[1-9][0-9]{0,18})*\\s*(?=\\n?\\Z)'].search(data__timesheetids):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".timesheet_ids must match pattern ^\\s*0*[1-9][0-9]{0,18}(\\s*,\\s*0*[1-9][0-9]{0,18})*\\s*(?=\\n?\\Z)")
                    data__timesheetids_any_of_count1 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if not data__timesheetids_any_of_count1:
                try:
                    if not isinstance(data__timesheetids, (list, tuple)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".timesheet_ids must be array")
                    data__timesheetids_is_list = isinstance(data__timesheetids, (list, tuple))
                    if data__timesheetids_is_list:
                        data__timesheetids_len = len(data__timesheetids)
                        if data__timesheetids_len < 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".timesheet_ids must contain at least 1 items")
                        if data__timesheetids_len > 1000:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".timesheet_ids must contain less than or equal to 1000 items")
                        for data__timesheetids_x, data__timesheetids_item in enumerate(data__timesheetids):
                            data__timesheetids_item_any_of_count2 = 0
                            if not data__timesheetids_item_any_of_count2:
                                try:
                                    if not isinstance(data__timesheetids_item, (int)) and not (isinstance(data__timesheetids_item, float) and data__timesheetids_item.is_integer()) or isinstance(data__timesheetids_item, bool):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".timesheet_ids[{data__timesheetids_x}]".format(**locals()) + " must be integer")
                                    if isinstance(data__timesheetids_item, (int, float, Decimal)) and not isinstance(data__timesheetids_item, bool):
                                        if data__timesheetids_item < 1:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".timesheet_ids[{data__timesheetids_x}]".format(**locals()) + " must be bigger than or equal to 1")
                                        if data__timesheetids_item > 9223372036854775807:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".timesheet_ids[{data__timesheetids_x}]".format(**locals()) + " must be smaller than or equal to 9223372036854775807")
                                    data__timesheetids_item_any_of_count2 += 1
                                except (JsonSchemaValueException, JsonSchemaValuesException): pass
                            if not data__timesheetids_item_any_of_count2:
                                try:
                                    if not isinstance(data__timesheetids_item, (str)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".timesheet_ids[{data__timesheetids_x}]".format(**locals()) + " must be string")
                                    if isinstance(data__timesheetids_item, str):
                                        if not REGEX_PATTERNS['^\\s*0*[1-9][0-9]{0,18}\\s*(?=\\n?\\Z)'].search(data__timesheetids_item):
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".timesheet_ids[{data__timesheetids_x}]".format(**locals()) + " must match pattern ^\\s*0*[1-9][0-9]{0,18}\\s*(?=\\n?\\Z)")
                                    data__timesheetids_item_any_of_count2 += 1
                                except (JsonSchemaValueException, JsonSchemaValuesException): pass
                            if not data__timesheetids_item_any_of_count2:
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".timesheet_ids[{data__timesheetids_x}]".format(**locals()) + " cannot be validated by any definition")
                    data__timesheetids_any_of_count1 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if not data__timesheetids_any_of_count1:
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".timesheet_ids cannot be validated by any definition")
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

check = validate_delete_timesheet_json
