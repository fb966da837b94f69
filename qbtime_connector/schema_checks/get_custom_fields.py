"""Generated from schemas/get_custom_fields.json by `python -m qbtime_connector.schema_checks`; do not edit."""

# ruff: noqa
# mypy: ignore-errors
DIGEST = "f4bc0e711ca6d537a8a18e713035229de36b0e02b184e01ceac420dbd67ee108"
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
    '^[a-z][a-z0-9_]{0,63}(?=\\n?\\Z)': re.compile('^[a-z][a-z0-9_]{0,63}(?=\\n?\\Z)')
}

NoneType = type(None)

def validate_get_custom_fields_json(data, custom_formats={}, name_prefix=None):
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
        if "applies_to" in data_keys:
            data_keys.remove("applies_to")
            data__appliesto = data["applies_to"]
            if not (isinstance(data__appliesto, str) and data__appliesto == 'timesheet' or isinstance(data__appliesto, str) and data__appliesto == 'user' or isinstance(data__appliesto, str) and data__appliesto == 'jobcode' or isinstance(data__appliesto, str) and data__appliesto == 'all'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".applies_to must be one of ['timesheet', 'user', 'jobcode', 'all']")
        if "value_type" in data_keys:
            data_keys.remove("value_type")
            data__valuetype = data["value_type"]
            if not (isinstance(data__valuetype, str) and data__valuetype == 'managed-list' or isinstance(data__valuetype, str) and data__valuetype == 'free-form' or isinstance(data__valuetype, str) and data__valuetype == 'both'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".value_type must be one of ['managed-list', 'free-form', 'both']")
        if "include_items" in data_keys:
            data_keys.remove("include_items")
            data__includeitems = data["include_items"]
            if not isinstance(data__includeitems, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".include_items must be boolean")
        if "per_page" in data_keys:
            data_keys.remove("per_page")
            data__perpage = data["per_page"]
            if not isinstance(data__perpage, (int)) and not (isinstance(data__perpage, float) and data__perpage.is_integer()) or isinstance(data__perpage, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".per_page must be integer")
            if isinstance(data__perpage, (int, float, Decimal)) and not isinstance(data__perpage, bool):
                if data__perpage < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".per_page must be bigger than or equal to 1")
                if data__perpage > 200:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".per_page must be smaller than or equal to 200")
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
        if "fetch_all" in data_keys:
            data_keys.remove("fetch_all")
            data__fetchall = data["fetch_all"]
            if not isinstance(data__fetchall, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".fetch_all must be boolean")
        if "max_pages" in data_keys:
            data_keys.remove("max_pages")
            data__maxpages = data["max_pages"]
            if not isinstance(data__maxpages, (int)) and not (isinstance(data__maxpages, float) and data__maxpages.is_integer()) or isinstance(data__maxpages, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".max_pages must be integer")
            if isinstance(data__maxpages, (int, float, Decimal)) and not isinstance(data__maxpages, bool):
                if data__maxpages < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".max_pages must be bigger than or equal to 1")
                if data__maxpages > 1000:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".max_pages must be smaller than or equal to 1000")
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
                        if data__additionalqueryparameters_len > 50:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_query_parameters must contain less than or equal to 50 properties")
                        data__additionalqueryparameters_keys = set(data__additionalqueryparameters.keys())
                        for data__additionalqueryparameters_key in data__additionalqueryparameters_keys:
                            if data__additionalqueryparameters_key not in []:
                                data__additionalqueryparameters_value = data__additionalqueryparameters.get(data__additionalqueryparameters_key)
                                data__additionalqueryparameters_value_any_of_count2 = 0
                                if not data__additionalqueryparameters_value_any_of_count2:
                                    try:
                                        if not isinstance(data__additionalqueryparameters_value, (str, int, int, float, Decimal, bool, NoneType)) and not (isinstance(data__additionalqueryparameters_value, float) and data__additionalqueryparameters_value.is_integer()):
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_query_parameters.{data__additionalqueryparameters_key}".format(**locals()) + " must be string or integer or number or boolean or null")
                                        if isinstance(data__additionalqueryparameters_value, str):
                                            data__additionalqueryparameters_value_len = len(data__additionalqueryparameters_value)
                                            if data__additionalqueryparameters_value_len > 20000:
                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_query_parameters.{data__additionalqueryparameters_key}".format(**locals()) + " must be shorter than or equal to 20000 characters")
                                        data__additionalqueryparameters_value_any_of_count2 += 1
                                    except (JsonSchemaValueException, JsonSchemaValuesException): pass
                                if not data__additionalqueryparameters_value_any_of_count2:
                                    try:
                                        if not isinstance(data__additionalqueryparameters_value, (list, tuple)):
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_query_parameters.{data__additionalqueryparameters_key}".format(**locals()) + " must be array")
                                        data__additionalqueryparameters_value_is_list = isinstance(data__additionalqueryparameters_value, (list, tuple))
                                        if data__additionalqueryparameters_value_is_list:
                                            data__additionalqueryparameters_value_len = len(data__additionalqueryparameters_value)
                                            if data__additionalqueryparameters_value_len > 1000:
                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_query_parameters.{data__additionalqueryparameters_key}".format(**locals()) + " must contain less than or equal to 1000 items")
                                            for data__additionalqueryparameters_value_x, data__additionalqueryparameters_value_item in enumerate(data__additionalqueryparameters_value):
                                                if not isinstance(data__additionalqueryparameters_value_item, (str, int, int, float, Decimal, bool)) and not (isinstance(data__additionalqueryparameters_value_item, float) and data__additionalqueryparameters_value_item.is_integer()):
                                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_query_parameters.{data__additionalqueryparameters_key}[{data__additionalqueryparameters_value_x}]".format(**locals()) + " must be string or integer or number or boolean")
                                                if isinstance(data__additionalqueryparameters_value_item, str):
                                                    data__additionalqueryparameters_value_item_len = len(data__additionalqueryparameters_value_item)
                                                    if data__additionalqueryparameters_value_item_len > 1000:
                                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_query_parameters.{data__additionalqueryparameters_key}[{data__additionalqueryparameters_value_x}]".format(**locals()) + " must be shorter than or equal to 1000 characters")
                                        data__additionalqueryparameters_value_any_of_count2 += 1
                                    except (JsonSchemaValueException, JsonSchemaValuesException): pass
                                if not data__additionalqueryparameters_value_any_of_count2:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_query_parameters.{data__additionalqueryparameters_key}".format(**locals()) + " cannot be validated by any definition")
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
                        if data__additionalqueryparameters_len > 50:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_query_parameters must contain less than or equal to 50 items")
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
                                    data__additionalqueryparameters_item__value_any_of_count3 = 0
                                    if not data__additionalqueryparameters_item__value_any_of_count3:
                                        try:
                                            if not isinstance(data__additionalqueryparameters_item__value, (str, int, int, float, Decimal, bool, NoneType)) and not (isinstance(data__additionalqueryparameters_item__value, float) and data__additionalqueryparameters_item__value.is_integer()):
                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_query_parameters[{data__additionalqueryparameters_x}].value".format(**locals()) + " must be string or integer or number or boolean or null")
                                            if isinstance(data__additionalqueryparameters_item__value, str):
                                                data__additionalqueryparameters_item__value_len = len(data__additionalqueryparameters_item__value)
                                                if data__additionalqueryparameters_item__value_len > 20000:
                                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_query_parameters[{data__additionalqueryparameters_x}].value".format(**locals()) + " must be shorter than or equal to 20000 characters")
                                            data__additionalqueryparameters_item__value_any_of_count3 += 1
                                        except (JsonSchemaValueException, JsonSchemaValuesException): pass
                                    if not data__additionalqueryparameters_item__value_any_of_count3:
                                        try:
                                            if not isinstance(data__additionalqueryparameters_item__value, (list, tuple)):
                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_query_parameters[{data__additionalqueryparameters_x}].value".format(**locals()) + " must be array")
                                            data__additionalqueryparameters_item__value_is_list = isinstance(data__additionalqueryparameters_item__value, (list, tuple))
                                            if data__additionalqueryparameters_item__value_is_list:
                                                data__additionalqueryparameters_item__value_len = len(data__additionalqueryparameters_item__value)
                                                if data__additionalqueryparameters_item__value_len > 1000:
                                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_query_parameters[{data__additionalqueryparameters_x}].value".format(**locals()) + " must contain less than or equal to 1000 items")
                                                for data__additionalqueryparameters_item__value_x, data__additionalqueryparameters_item__value_item in enumerate(data__additionalqueryparameters_item__value):
                                                    if not isinstance(data__additionalqueryparameters_item__value_item, (str, int, int, float, Decimal, bool)) and not (isinstance(data__additionalqueryparameters_item__value_item, float) and data__additionalqueryparameters_item__value_item.is_integer()):
                                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_query_parameters[{data__additionalqueryparameters_x}].value[{data__additionalqueryparameters_item__value_x}]".format(**locals()) + " must be string or integer or number or boolean")
                                                    if isinstance(data__additionalqueryparameters_item__value_item, str):
                                                        data__additionalqueryparameters_item__value_item_len = len(data__additionalqueryparameters_item__value_item)
                                                        if data__additionalqueryparameters_item__value_item_len > 1000:
                                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_query_parameters[{data__additionalqueryparameters_x}].value[{data__additionalqueryparameters_item__value_x}]".format(**locals()) + " must be shorter than or equal to 1000 characters")
                                            data__additionalqueryparameters_item__value_any_of_count3 += 1
                                        except (JsonSchemaValueException, JsonSchemaValuesException): pass
                                    if not data__additionalqueryparameters_item__value_any_of_count3:
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_query_parameters[{data__additionalqueryparameters_x}].value".format(**locals()) + " cannot be validated by any definition")
                                if data__additionalqueryparameters_item_keys:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_query_parameters[{data__additionalqueryparameters_x}]".format(**locals()) + " must not contain "+str(data__additionalqueryparameters_item_keys)+" properties")
                    data__additionalqueryparameters_any_of_count1 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if not data__additionalqueryparameters_any_of_count1:
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_query_parameters cannot be validated by any definition")
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

check = validate_get_custom_fields_json
