"""Generated from schemas/update_timesheet.json by `python -m qbtime_connector.schema_checks`; do not edit."""

# ruff: noqa
# mypy: ignore-errors
DIGEST = "3dad24e93e82614e6dc929d2ffc3e1fc97a6c66510c07bc2f456a52572ca4f66"
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
    '^[a-z][a-z0-9_]{0,63}(?=\\n?\\Z)': re.compile('^[a-z][a-z0-9_]{0,63}(?=\\n?\\Z)')
}

NoneType = type(None)

def validate_update_timesheet_json(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['timesheet_id']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
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
        if "start_date" in data_keys:
            data_keys.remove("start_date")
            data__startdate = data["start_date"]
            if not isinstance(data__startdate, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".start_date must be string")
            if isinstance(data__startdate, str):
                if not REGEX_PATTERNS['^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}(?=\\n?\\Z)'].search(data__startdate):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".start_date must match pattern ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}(?=\\n?\\Z)")
        if "end_date" in data_keys:
            data_keys.remove("end_date")
            data__enddate = data["end_date"]
            if not isinstance(data__enddate, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".end_date must be string")
            if isinstance(data__enddate, str):
                if not REGEX_PATTERNS['^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}(?=\\n?\\Z)'].search(data__enddate):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".end_date must match pattern ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}(?=\\n?\\Z)")
        if "additional_query_parameters" in data_keys:
            data_keys.remove("additional_query_parameters")
            data__additionalqueryparameters = data["additional_query_parameters"]
            data__additionalqueryparameters_any_of_count1 = 0
            if not data__additionalqueryparameters_any_of_count1:
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
                    data__additionalqueryparameters_any_of_count1 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if not data__additionalqueryparameters_any_of_count1:
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
                    data__additionalqueryparameters_any_of_count1 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if not data__additionalqueryparameters_any_of_count1:
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_query_parameters cannot be validated by any definition")
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

check = validate_update_timesheet_json
