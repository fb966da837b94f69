"""Generated from schemas/update_timesheets.json by `python -m qbtime_connector.schema_checks`; do not edit."""

# ruff: noqa
# mypy: ignore-errors
DIGEST = "a6fa5b9f67edc387258f42fa1a18209ca585602e22f67d1b454e813f4ab93f1e"
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
    '^[1-9][0-9]{0,18}(?=\\n?\\Z)': re.compile('^[1-9][0-9]{0,18}(?=\\n?\\Z)'),
    '^[a-z][a-z0-9_]{0,63}(?=\\n?\\Z)': re.compile('^[a-z][a-z0-9_]{0,63}(?=\\n?\\Z)'),
    '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}(?=\\n?\\Z)': re.compile('^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}(?=\\n?\\Z)')
}

NoneType = type(None)

def validate_update_timesheets_json(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['records']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "records" in data_keys:
            data_keys.remove("records")
            data__records = data["records"]
            if not isinstance(data__records, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".records must be array")
            data__records_is_list = isinstance(data__records, (list, tuple))
            if data__records_is_list:
                data__records_len = len(data__records)
                if data__records_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".records must contain at least 1 items")
                if data__records_len > 5000:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".records must contain less than or equal to 5000 items")
                for data__records_x, data__records_item in enumerate(data__records):
                    if not isinstance(data__records_item, (dict)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".records[{data__records_x}]".format(**locals()) + " must be object")
                    data__records_item_is_dict = isinstance(data__records_item, dict)
                    if data__records_item_is_dict:
                        data__records_item_len = len(data__records_item)
                        if data__records_item_len < 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".records[{data__records_x}]".format(**locals()) + " must contain at least 1 properties")
                        data__records_item_keys = set(data__records_item.keys())
                        if "id" in data__records_item_keys:
                            data__records_item_keys.remove("id")
                            data__records_item__id = data__records_item["id"]
                            data__records_item__id_any_of_count1 = 0
                            if not data__records_item__id_any_of_count1:
                                try:
                                    if not isinstance(data__records_item__id, (int)) and not (isinstance(data__records_item__id, float) and data__records_item__id.is_integer()) or isinstance(data__records_item__id, bool):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".records[{data__records_x}].id".format(**locals()) + " must be integer")
                                    if isinstance(data__records_item__id, (int, float, Decimal)) and not isinstance(data__records_item__id, bool):
                                        if data__records_item__id < 1:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".records[{data__records_x}].id".format(**locals()) + " must be bigger than or equal to 1")
                                        if data__records_item__id > 9223372036854775807:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".records[{data__records_x}].id".format(**locals()) + " must be smaller than or equal to 9223372036854775807")
                                    data__records_item__id_any_of_count1 += 1
                                except (JsonSchemaValueException, JsonSchemaValuesException): pass
                            if not data__records_item__id_any_of_count1:
                                try:
                                    if not isinstance(data__records_item__id, (str)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".records[{data__records_x}].id".format(**locals()) + " must be string")
                                    if isinstance(data__records_item__id, str):
                                        if not REGEX_PATTERNS['^[1-9][0-9]{0,18}(?=\\n?\\Z)'].search(data__records_item__id):
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".records[{data__records_x}].id".format(**locals()) + " must match pattern ^[1-9][0-9]{0,18}(?=\\n?\\Z)")
                                    data__records_item__id_any_of_count1 += 1
                                except (JsonSchemaValueException, JsonSchemaValuesException): pass
                            if not data__records_item__id_any_of_count1:
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".records[{data__records_x}].id".format(**locals()) + " cannot be validated by any definition")
                        if "user_id" in data__records_item_keys:
                            data__records_item_keys.remove("user_id")
                            data__records_item__userid = data__records_item["user_id"]
                            data__records_item__userid_any_of_count2 = 0
                            if not data__records_item__userid_any_of_count2:
                                try:
                                    if not isinstance(data__records_item__userid, (int)) and not (isinstance(data__records_item__userid, float) and data__records_item__userid.is_integer()) or isinstance(data__records_item__userid, bool):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".records[{data__records_x}].user_id".format(**locals()) + " must be integer")
                                    if isinstance(data__records_item__userid, (int, float, Decimal)) and not isinstance(data__records_item__userid, bool):
                                        if data__records_item__userid < 1:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".records[{data__records_x}].user_id".format(**locals()) + " must be bigger than or equal to 1")
                                        if data__records_item__userid > 9223372036854775807:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".records[{data__records_x}].user_id".format(**locals()) + " must be smaller than or equal to 9223372036854775807")
                                    data__records_item__userid_any_of_count2 += 1
                                except (JsonSchemaValueException, JsonSchemaValuesException): pass
                            if not data__records_item__userid_any_of_count2:
                                try:
                                    if not isinstance(data__records_item__userid, (str)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".records[{data__records_x}].user_id".format(**locals()) + " must be string")
                                    if isinstance(data__records_item__userid, str):
                                        if not REGEX_PATTERNS['^[1-9][0-9]{0,18}(?=\\n?\\Z)'].search(data__records_item__userid):
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".records[{data__records_x}].user_id".format(**locals()) + " must match pattern ^[1-9][0-9]{0,18}(?=\\n?\\Z)")
                                    data__records_item__userid_any_of_count2 += 1
                                except (JsonSchemaValueException, JsonSchemaValuesException): pass
                            if not data__records_item__userid_any_of_count2:
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".records[{data__records_x}].user_id".format(**locals()) + " cannot be validated by any definition")
                        if "jobcode_id" in data__records_item_keys:
                            data__records_item_keys.remove("jobcode_id")
                            data__records_item__jobcodeid = data__records_item["jobcode_id"]
                            data__records_item__jobcodeid_any_of_count3 = 0
                            if not data__records_item__jobcodeid_any_of_count3:
                                try:
                                    if not isinstance(data__records_item__jobcodeid, (int)) and not (isinstance(data__records_item__jobcodeid, float) and data__records_item__jobcodeid.is_integer()) or isinstance(data__records_item__jobcodeid, bool):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".records[{data__records_x}].jobcode_id".format(**locals()) + " must be integer")
                                    if isinstance(data__records_item__jobcodeid, (int, float, Decimal)) and not isinstance(data__records_item__jobcodeid, bool):
                                        if data__records_item__jobcodeid < 1:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".records[{data__records_x}].jobcode_id".format(**locals()) + " must be bigger than or equal to 1")
                                        if data__records_item__jobcodeid > 9223372036854775807:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".records[{data__records_x}].jobcode_id".format(**locals()) + " must be smaller than or equal to 9223372036854775807")
                                    data__records_item__jobcodeid_any_of_count3 += 1
                                except (JsonSchemaValueException, JsonSchemaValuesException): pass
                            if not data__records_item__jobcodeid_any_of_count3:
                                try:
                                    if not isinstance(data__records_item__jobcodeid, (str)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".records[{data__records_x}].jobcode_id".format(**locals()) + " must be string")
                                    if isinstance(data__records_item__jobcodeid, str):
                                        if not REGEX_PATTERNS['^[1-9][0-9]{0,18}(?=\\n?\\Z)'].search(data__records_item__jobcodeid):
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".records[{data__records_x}].jobcode_id".format(**locals()) + " must match pattern ^[1-9][0-9]{0,18}(?=\\n?\\Z)")
                                    data__records_item__jobcodeid_any_of_count3 += 1
                                except (JsonSchemaValueException, JsonSchemaValuesException): pass
                            if not data__records_item__jobcodeid_any_of_count3:
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".records[{data__records_x}].jobcode_id".format(**locals()) + " cannot be validated by any definition")
                        if data__records_item_len != 0:
                            data__records_item_property_names = True
                            for data__records_item_key in data__records_item:
                                try:
                                    if not isinstance(data__records_item_key, (str)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".records[{data__records_x}]".format(**locals()) + " must be string")
                                    if isinstance(data__records_item_key, str):
                                        if not REGEX_PATTERNS['^[a-z][a-z0-9_]{0,63}(?=\\n?\\Z)'].search(data__records_item_key):
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".records[{data__records_x}]".format(**locals()) + " must match pattern ^[a-z][a-z0-9_]{0,63}(?=\\n?\\Z)")
                                except (JsonSchemaValueException, JsonSchemaValuesException):
                                    data__records_item_property_names = False
                            if not data__records_item_property_names:
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".records[{data__records_x}]".format(**locals()) + " must be named by propertyName definition")
            data__records_is_list = isinstance(data__records, (list, tuple))
            if data__records_is_list:
                data__records_len = len(data__records)
                for data__records_x, data__records_item in enumerate(data__records):
                    data__records_item_is_dict = isinstance(data__records_item, dict)
                    if data__records_item_is_dict:
                        data__records_item__missing_keys = set(['id']) - data__records_item.keys()
                        if data__records_item__missing_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".records[{data__records_x}]".format(**locals()) + " must contain ")
                        data__records_item_keys = set(data__records_item.keys())
                        if "start" in data__records_item_keys:
                            data__records_item_keys.remove("start")
                            data__records_item__start = data__records_item["start"]
                            if not isinstance(data__records_item__start, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".records[{data__records_x}].start".format(**locals()) + " must be string")
                            if isinstance(data__records_item__start, str):
                                if not REGEX_PATTERNS['^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}(?=\\n?\\Z)'].search(data__records_item__start):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".records[{data__records_x}].start".format(**locals()) + " must match pattern ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}(?=\\n?\\Z)")
                        if "end" in data__records_item_keys:
                            data__records_item_keys.remove("end")
                            data__records_item__end = data__records_item["end"]
                            if not isinstance(data__records_item__end, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".records[{data__records_x}].end".format(**locals()) + " must be string")
                            if isinstance(data__records_item__end, str):
                                if not REGEX_PATTERNS['^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}(?=\\n?\\Z)'].search(data__records_item__end):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".records[{data__records_x}].end".format(**locals()) + " must match pattern ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}(?=\\n?\\Z)")
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

check = validate_update_timesheets_json
