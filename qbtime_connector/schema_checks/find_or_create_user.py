"""Generated from schemas/find_or_create_user.json by `python -m qbtime_connector.schema_checks`; do not edit."""

# ruff: noqa
# mypy: ignore-errors
DIGEST = "2cf7eb584ddb9881607c593368dbfae89dd892acb67be8c053d2c576e83e506d"
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
    '^[a-z][a-z0-9_]{0,63}(?=\\n?\\Z)': re.compile('^[a-z][a-z0-9_]{0,63}(?=\\n?\\Z)')
}

NoneType = type(None)

def validate_find_or_create_user_json(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['username', 'first_name', 'last_name']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "username" in data_keys:
            data_keys.remove("username")
            data__username = data["username"]
            if not isinstance(data__username, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".username must be string")
            if isinstance(data__username, str):
                data__username_len = len(data__username)
                if data__username_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".username must be longer than or equal to 1 characters")
                if data__username_len > 255:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".username must be shorter than or equal to 255 characters")
                if not REGEX_PATTERNS['^[^\\u0000-\\u001f\\u007f]*(?=\\n?\\Z)'].search(data__username):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".username must match pattern ^[^\\u0000-\\u001f\\u007f]*(?=\\n?\\Z)")
        if "first_name" in data_keys:
            data_keys.remove("first_name")
            data__firstname = data["first_name"]
            if not isinstance(data__firstname, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".first_name must be string")
            if isinstance(data__firstname, str):
                data__firstname_len = len(data__firstname)
                if data__firstname_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".first_name must be longer than or equal to 1 characters")
                if data__firstname_len > 255:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".first_name must be shorter than or equal to 255 characters")
                if not REGEX_PATTERNS['^[^\\u0000-\\u001f\\u007f]*(?=\\n?\\Z)'].search(data__firstname):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".first_name must match pattern ^[^\\u0000-\\u001f\\u007f]*(?=\\n?\\Z)")
        if "last_name" in data_keys:
            data_keys.remove("last_name")
            data__lastname = data["last_name"]
            if not isinstance(data__lastname, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".last_name must be string")
            if isinstance(data__lastname, str):
                data__lastname_len = len(data__lastname)
                if data__lastname_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".last_name must be longer than or equal to 1 characters")
                if data__lastname_len > 255:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".last_name must be shorter than or equal to 255 characters")
                if not REGEX_PATTERNS['^[^\\u0000-\\u001f\\u007f]*(?=\\n?\\Z)'].search(data__lastname):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".last_name must match pattern ^[^\\u0000-\\u001f\\u007f]*(?=\\n?\\Z)")
        if "email" in data_keys:
            data_keys.remove("email")
            data__email = data["email"]
            if not isinstance(data__email, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".email must be string")
            if isinstance(data__email, str):
                data__email_len = len(data__email)
                if data__email_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".email must be longer than or equal to 1 characters")
                if data__email_len > 255:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".email must be shorter than or equal to 255 characters")
                if not REGEX_PATTERNS['^[^\\u0000-\\u001f\\u007f]*(?=\\n?\\Z)'].search(data__email):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".email must match pattern ^[^\\u0000-\\u001f\\u007f]*(?=\\n?\\Z)")
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

check = validate_find_or_create_user_json
