"""Generated from schemas/approve_timesheets.json by `python -m qbtime_connector.schema_checks`; do not edit."""

# ruff: noqa
# mypy: ignore-errors
DIGEST = "ec06c95bc5607629318a2f20fd51f193378becd2047b93959a9eaabe4676d514"
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
    '^\\s*0*[1-9][0-9]{0,18}\\s*(?=\\n?\\Z)': re.compile('^\\s*0*[1-9][0-9]{0,18}\\s*(?=\\n?\\Z)'),
    '^[0-9]{4}-[0-9]{2}-[0-9]{2}(?=\\n?\\Z)': re.compile('^[0-9]{4}-[0-9]{2}-[0-9]{2}(?=\\n?\\Z)')
}

NoneType = type(None)

def validate_approve_timesheets_json(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['user_ids', 'date']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "user_ids" in data_keys:
            data_keys.remove("user_ids")
            data__userids = data["user_ids"]
            data__userids_any_of_count1 = 0
            if not data__userids_any_of_count1:
                try:
                    if not isinstance(data__userids, (int)) and not (isinstance(data__userids, float) and data__userids.is_integer()) or isinstance(data__userids, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".user_ids must be integer")
                    if isinstance(data__userids, (int, float, Decimal)) and not isinstance(data__userids, bool):
                        if data__userids < 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".user_ids must be bigger than or equal to 1")
                        if data__userids > 9223372036854775807:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".user_ids must be smaller than or equal to 9223372036854775807")
                    data__userids_any_of_count1 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if not data__userids_any_of_count1:
                try:
                    if not isinstance(data__userids, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".user_ids must be string")
                    if isinstance(data__userids, str):
                        data__userids_len = len(data__userids)
                        if data__userids_len > 20000:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".user_ids must be shorter than or equal to 20000 characters")
                        if not REGEX_PATTERNS['^\\s*0*[1-9][0-9]{0,18}(\\s*,\\s*0*[1-9][0-9]{0,18})*\\s*(?=\\n?\\Z)'].search(data__userids):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".user_ids must match pattern ^\\s*0*[1-9][0-9]{0,18}(\\s*,\\s*0*[1-9][0-9]{0,18})*\\s*(?=\\n?\\Z)")
                    data__userids_any_of_count1 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if not data__userids_any_of_count1:
                try:
                    if not isinstance(data__userids, (list, tuple)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".user_ids must be array")
                    data__userids_is_list = isinstance(data__userids, (list, tuple))
                    if data__userids_is_list:
                        data__userids_len = len(data__userids)
                        if data__userids_len < 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".user_ids must contain at least 1 items")
                        if data__userids_len > 1000:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".user_ids must contain less than or equal to 1000 items")
                        for data__userids_x, data__userids_item in enumerate(data__userids):
                            data__userids_item_any_of_count2 = 0
                            if not data__userids_item_any_of_count2:
                                try:
                                    if not isinstance(data__userids_item, (int)) and not (isinstance(data__userids_item, float) and data__userids_item.is_integer()) or isinstance(data__userids_item, bool):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".user_ids[{data__userids_x}]".format(**locals()) + " must be integer")
                                    if isinstance(data__userids_item, (int, float, Decimal)) and not isinstance(data__userids_item, bool):
                                        if data__userids_item < 1:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".user_ids[{data__userids_x}]".format(**locals()) + " must be bigger than or equal to 1")
                                        if data__userids_item > 9223372036854775807:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".user_ids[{data__userids_x}]".format(**locals()) + " must be smaller than or equal to 9223372036854775807")
                                    data__userids_item_any_of_count2 += 1
                                except (JsonSchemaValueException, JsonSchemaValuesException): pass
                            if not data__userids_item_any_of_count2:
                                try:
                                    if not isinstance(data__userids_item, (str)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".user_ids[{data__userids_x}]".format(**locals()) + " must be string")
                                    if isinstance(data__userids_item, str):
                                        if not REGEX_PATTERNS['^\\s*0*[1-9][0-9]{0,18}\\s*(?=\\n?\\Z)'].search(data__userids_item):
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".user_ids[{data__userids_x}]".format(**locals()) + " must match pattern ^\\s*0*[1-9][0-9]{0,18}\\s*(?=\\n?\\Z)")
                                    data__userids_item_any_of_count2 += 1
                                except (JsonSchemaValueException, JsonSchemaValuesException): pass
                            if not data__userids_item_any_of_count2:
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".user_ids[{data__userids_x}]".format(**locals()) + " cannot be validated by any definition")
                    data__userids_any_of_count1 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if not data__userids_any_of_count1:
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".user_ids cannot be validated by any definition")
        if "date" in data_keys:
            data_keys.remove("date")
            data__date = data["date"]
            if not isinstance(data__date, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".date must be string")
            if isinstance(data__date, str):
                if not REGEX_PATTERNS['^[0-9]{4}-[0-9]{2}-[0-9]{2}(?=\\n?\\Z)'].search(data__date):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".date must match pattern ^[0-9]{4}-[0-9]{2}-[0-9]{2}(?=\\n?\\Z)")
                if not custom_formats["date"](data__date):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".date must be date")
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

check = validate_approve_timesheets_json
