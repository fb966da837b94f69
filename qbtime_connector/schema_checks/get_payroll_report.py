"""Generated from schemas/get_payroll_report.json by `python -m qbtime_connector.schema_checks`; do not edit."""

# ruff: noqa
# mypy: ignore-errors
DIGEST = "a981da086f8886c64ecb2f7c9732beeb8150b17bc37260a71424051025bf791b"
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
    '^[0-9]{4}-[0-9]{2}-[0-9]{2}(?=\\n?\\Z)': re.compile('^[0-9]{4}-[0-9]{2}-[0-9]{2}(?=\\n?\\Z)'),
    '^\\s*0*[1-9][0-9]{0,18}(\\s*,\\s*0*[1-9][0-9]{0,18})*\\s*(?=\\n?\\Z)': re.compile('^\\s*0*[1-9][0-9]{0,18}(\\s*,\\s*0*[1-9][0-9]{0,18})*\\s*(?=\\n?\\Z)'),
    '^\\s*0*[1-9][0-9]{0,18}\\s*(?=\\n?\\Z)': re.compile('^\\s*0*[1-9][0-9]{0,18}\\s*(?=\\n?\\Z)'),
    '^[a-z][a-z0-9_]{0,63}(?=\\n?\\Z)': re.compile('^[a-z][a-z0-9_]{0,63}(?=\\n?\\Z)')
}

NoneType = type(None)

def validate_get_payroll_report_json(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['start_date', 'end_date']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "start_date" in data_keys:
            data_keys.remove("start_date")
            data__startdate = data["start_date"]
            if not isinstance(data__startdate, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".start_date must be string")
            if isinstance(data__startdate, str):
                if not REGEX_PATTERNS['^[0-9]{4}-[0-9]{2}-[0-9]{2}(?=\\n?\\Z)'].search(data__startdate):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".start_date must match pattern ^[0-9]{4}-[0-9]{2}-[0-9]{2}(?=\\n?\\Z)")
                if not custom_formats["date"](data__startdate):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".start_date must be date")
        if "end_date" in data_keys:
            data_keys.remove("end_date")
            data__enddate = data["end_date"]
            if not isinstance(data__enddate, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".end_date must be string")
            if isinstance(data__enddate, str):
                if not REGEX_PATTERNS['^[0-9]{4}-[0-9]{2}-[0-9]{2}(?=\\n?\\Z)'].search(data__enddate):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".end_date must match pattern ^[0-9]{4}-[0-9]{2}-[0-9]{2}(?=\\n?\\Z)")
                if not custom_formats["date"](data__enddate):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".end_date must be date")
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
        if "group_ids" in data_keys:
            data_keys.remove("group_ids")
            data__groupids = data["group_ids"]
            data__groupids_any_of_count3 = 0
            if not data__groupids_any_of_count3:
                try:
                    if not isinstance(data__groupids, (int)) and not (isinstance(data__groupids, float) and data__groupids.is_integer()) or isinstance(data__groupids, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".group_ids must be integer")
                    if isinstance(data__groupids, (int, float, Decimal)) and not isinstance(data__groupids, bool):
                        if data__groupids < 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".group_ids must be bigger than or equal to 1")
                        if data__groupids > 9223372036854775807:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".group_ids must be smaller than or equal to 9223372036854775807")
                    data__groupids_any_of_count3 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if not data__groupids_any_of_count3:
                try:
                    if not isinstance(data__groupids, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".group_ids must be string")
                    if isinstance(data__groupids, str):
                        data__groupids_len = len(data__groupids)
                        if data__groupids_len > 20000:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".group_ids must be shorter than or equal to 20000 characters")
                        if not REGEX_PATTERNS['^\\s*0*[1-9][0-9]{0,18}(\\s*,\\s*0*[1-9][0-9]{0,18})*\\s*(?=\\n?\\Z)'].search(data__groupids):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".group_ids must match pattern ^\\s*0*[1-9][0-9]{0,18}(\\s*,\\s*0*[1-9][0-9]{0,18})*\\s*(?=\\n?\\Z)")
                    data__groupids_any_of_count3 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if not data__groupids_any_of_count3:
                try:
                    if not isinstance(data__groupids, (list, tuple)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".group_ids must be array")
                    data__groupids_is_list = isinstance(data__groupids, (list, tuple))
                    if data__groupids_is_list:
                        data__groupids_len = len(data__groupids)
                        if data__groupids_len < 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".group_ids must contain at least 1 items")
                        if data__groupids_len > 1000:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".group_ids must contain less than or equal to 1000 items")
                        for data__groupids_x, data__groupids_item in enumerate(data__groupids):
                            data__groupids_item_any_of_count4 = 0
                            if not data__groupids_item_any_of_count4:
                                try:
                                    if not isinstance(data__groupids_item, (int)) and not (isinstance(data__groupids_item, float) and data__groupids_item.is_integer()) or isinstance(data__groupids_item, bool):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".group_ids[{data__groupids_x}]".format(**locals()) + " must be integer")
                                    if isinstance(data__groupids_item, (int, float, Decimal)) and not isinstance(data__groupids_item, bool):
                                        if data__groupids_item < 1:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".group_ids[{data__groupids_x}]".format(**locals()) + " must be bigger than or equal to 1")
                                        if data__groupids_item > 9223372036854775807:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".group_ids[{data__groupids_x}]".format(**locals()) + " must be smaller than or equal to 9223372036854775807")
                                    data__groupids_item_any_of_count4 += 1
                                except (JsonSchemaValueException, JsonSchemaValuesException): pass
                            if not data__groupids_item_any_of_count4:
                                try:
                                    if not isinstance(data__groupids_item, (str)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".group_ids[{data__groupids_x}]".format(**locals()) + " must be string")
                                    if isinstance(data__groupids_item, str):
                                        if not REGEX_PATTERNS['^\\s*0*[1-9][0-9]{0,18}\\s*(?=\\n?\\Z)'].search(data__groupids_item):
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".group_ids[{data__groupids_x}]".format(**locals()) + " must match pattern ^\\s*0*[1-9][0-9]{0,18}\\s*(?=\\n?\\Z)")
                                    data__groupids_item_any_of_count4 += 1
                                except (JsonSchemaValueException, JsonSchemaValuesException): pass
                            if not data__groupids_item_any_of_count4:
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".group_ids[{data__groupids_x}]".format(**locals()) + " cannot be validated by any definition")
                    data__groupids_any_of_count3 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if not data__groupids_any_of_count3:
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".group_ids cannot be validated by any definition")
        if "include_zero_time" in data_keys:
            data_keys.remove("include_zero_time")
            data__includezerotime = data["include_zero_time"]
            if not (isinstance(data__includezerotime, str) and data__includezerotime == 'yes' or isinstance(data__includezerotime, str) and data__includezerotime == 'no'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".include_zero_time must be one of ['yes', 'no']")
        if "advanced_overtime" in data_keys:
            data_keys.remove("advanced_overtime")
            data__advancedovertime = data["advanced_overtime"]
            if not (isinstance(data__advancedovertime, str) and data__advancedovertime == 'yes' or isinstance(data__advancedovertime, str) and data__advancedovertime == 'no'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".advanced_overtime must be one of ['yes', 'no']")
        if "additional_query_parameters" in data_keys:
            data_keys.remove("additional_query_parameters")
            data__additionalqueryparameters = data["additional_query_parameters"]
            data__additionalqueryparameters_any_of_count5 = 0
            if not data__additionalqueryparameters_any_of_count5:
                try:
                    if not isinstance(data__additionalqueryparameters, (dict)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_query_parameters must be object")
                    data__additionalqueryparameters_is_dict = isinstance(data__additionalqueryparameters, dict)
                    if data__additionalqueryparameters_is_dict:
                        data__additionalqueryparameters_len = len(data__additionalqueryparameters)
                        if data__additionalqueryparameters_len > 100:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_query_parameters must contain less than or equal to 100 properties")
                        if data__additionalqueryparameters_len != 0:
                            data__additionalqueryparameters_property_names = True
                            for data__additionalqueryparameters_key in data__additionalqueryparameters:
                                try:
                                    if not isinstance(data__additionalqueryparameters_key, (str)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_query_parameters must be string")
                                    if isinstance(data__additionalqueryparameters_key, str):
                                        if not REGEX_PATTERNS['^[a-z][a-z0-9_]{0,63}(?=\\n?\\Z)'].search(data__additionalqueryparameters_key):
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_query_parameters must match pattern ^[a-z][a-z0-9_]{0,63}(?=\\n?\\Z)")
                                except (JsonSchemaValueException, JsonSchemaValuesException):
                                    data__additionalqueryparameters_property_names = False
                            if not data__additionalqueryparameters_property_names:
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_query_parameters must be named by propertyName definition")
                    data__additionalqueryparameters_any_of_count5 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if not data__additionalqueryparameters_any_of_count5:
                try:
                    if not isinstance(data__additionalqueryparameters, (list, tuple)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_query_parameters must be array")
                    data__additionalqueryparameters_is_list = isinstance(data__additionalqueryparameters, (list, tuple))
                    if data__additionalqueryparameters_is_list:
                        data__additionalqueryparameters_len = len(data__additionalqueryparameters)
                        if data__additionalqueryparameters_len > 100:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_query_parameters must contain less than or equal to 100 items")
                        for data__additionalqueryparameters_x, data__additionalqueryparameters_item in enumerate(data__additionalqueryparameters):
                            if not isinstance(data__additionalqueryparameters_item, (dict)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_query_parameters[{data__additionalqueryparameters_x}]".format(**locals()) + " must be object")
                            data__additionalqueryparameters_item_is_dict = isinstance(data__additionalqueryparameters_item, dict)
                            if data__additionalqueryparameters_item_is_dict:
                                data__additionalqueryparameters_item__missing_keys = set(['key']) - data__additionalqueryparameters_item.keys()
                                if data__additionalqueryparameters_item__missing_keys:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_query_parameters[{data__additionalqueryparameters_x}]".format(**locals()) + " must contain ")
                                data__additionalqueryparameters_item_keys = set(data__additionalqueryparameters_item.keys())
                                if "key" in data__additionalqueryparameters_item_keys:
                                    data__additionalqueryparameters_item_keys.remove("key")
                                    data__additionalqueryparameters_item__key = data__additionalqueryparameters_item["key"]
                                    if not isinstance(data__additionalqueryparameters_item__key, (str)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_query_parameters[{data__additionalqueryparameters_x}].key".format(**locals()) + " must be string")
                                    if isinstance(data__additionalqueryparameters_item__key, str):
                                        if not REGEX_PATTERNS['^[a-z][a-z0-9_]{0,63}(?=\\n?\\Z)'].search(data__additionalqueryparameters_item__key):
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_query_parameters[{data__additionalqueryparameters_x}].key".format(**locals()) + " must match pattern ^[a-z][a-z0-9_]{0,63}(?=\\n?\\Z)")
                                if "value" in data__additionalqueryparameters_item_keys:
                                    data__additionalqueryparameters_item_keys.remove("value")
                                    data__additionalqueryparameters_item__value = data__additionalqueryparameters_item["value"]
                                    pass
                                if data__additionalqueryparameters_item_keys:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_query_parameters[{data__additionalqueryparameters_x}]".format(**locals()) + " must not contain "+str(data__additionalqueryparameters_item_keys)+" properties")
                    data__additionalqueryparameters_any_of_count5 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if not data__additionalqueryparameters_any_of_count5:
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_query_parameters cannot be validated by any definition")
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

check = validate_get_payroll_report_json
