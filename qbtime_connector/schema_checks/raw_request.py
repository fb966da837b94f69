"""Generated from schemas/raw_request.json by `python -m qbtime_connector.schema_checks`; do not edit."""

# ruff: noqa
# mypy: ignore-errors
DIGEST = "cfdbff8f6435a1187401b0b6c590d77764e568a82955a8df79800f05d0b20c14"
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
    '^[a-z_]+(/[A-Za-z0-9_-]+)*(?=\\n?\\Z)': re.compile('^[a-z_]+(/[A-Za-z0-9_-]+)*(?=\\n?\\Z)'),
    '^[a-z][a-z0-9_]{0,63}(?=\\n?\\Z)': re.compile('^[a-z][a-z0-9_]{0,63}(?=\\n?\\Z)'),
    '^[\\u0020-\\u007e\\u00a0-\\u00ff]*(?=\\n?\\Z)': re.compile('^[\\u0020-\\u007e\\u00a0-\\u00ff]*(?=\\n?\\Z)'),
    '^(?i:authorization|host|cookie|content-length|proxy-authorization)(?=\\n?\\Z)': re.compile('^(?i:authorization|host|cookie|content-length|proxy-authorization)(?=\\n?\\Z)'),
    '^[A-Za-z0-9-]{1,64}(?=\\n?\\Z)': re.compile('^[A-Za-z0-9-]{1,64}(?=\\n?\\Z)')
}

NoneType = type(None)

def validate_raw_request_json(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['path']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "method" in data_keys:
            data_keys.remove("method")
            data__method = data["method"]
            if not (isinstance(data__method, str) and data__method == 'GET' or isinstance(data__method, str) and data__method == 'POST' or isinstance(data__method, str) and data__method == 'PUT' or isinstance(data__method, str) and data__method == 'DELETE'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".method must be one of ['GET', 'POST', 'PUT', 'DELETE']")
        if "path" in data_keys:
            data_keys.remove("path")
            data__path = data["path"]
            if not isinstance(data__path, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".path must be string")
            if isinstance(data__path, str):
                data__path_len = len(data__path)
                if data__path_len > 200:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".path must be shorter than or equal to 200 characters")
                if not REGEX_PATTERNS['^[a-z_]+(/[A-Za-z0-9_-]+)*(?=\\n?\\Z)'].search(data__path):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".path must match pattern ^[a-z_]+(/[A-Za-z0-9_-]+)*(?=\\n?\\Z)")
        if "query" in data_keys:
            data_keys.remove("query")
            data__query = data["query"]
            data__query_any_of_count1 = 0
            if not data__query_any_of_count1:
                try:
                    if not isinstance(data__query, (dict)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".query must be object")
                    data__query_is_dict = isinstance(data__query, dict)
                    if data__query_is_dict:
                        data__query_len = len(data__query)
                        if data__query_len > 50:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".query must contain less than or equal to 50 properties")
                        data__query_keys = set(data__query.keys())
                        for data__query_key in data__query_keys:
                            if data__query_key not in []:
                                data__query_value = data__query.get(data__query_key)
                                data__query_value_any_of_count2 = 0
                                if not data__query_value_any_of_count2:
                                    try:
                                        if not isinstance(data__query_value, (str, int, int, float, Decimal, bool, NoneType)) and not (isinstance(data__query_value, float) and data__query_value.is_integer()):
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".query.{data__query_key}".format(**locals()) + " must be string or integer or number or boolean or null")
                                        if isinstance(data__query_value, str):
                                            data__query_value_len = len(data__query_value)
                                            if data__query_value_len > 20000:
                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".query.{data__query_key}".format(**locals()) + " must be shorter than or equal to 20000 characters")
                                        data__query_value_any_of_count2 += 1
                                    except (JsonSchemaValueException, JsonSchemaValuesException): pass
                                if not data__query_value_any_of_count2:
                                    try:
                                        if not isinstance(data__query_value, (list, tuple)):
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".query.{data__query_key}".format(**locals()) + " must be array")
                                        data__query_value_is_list = isinstance(data__query_value, (list, tuple))
                                        if data__query_value_is_list:
                                            data__query_value_len = len(data__query_value)
                                            if data__query_value_len > 1000:
                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".query.{data__query_key}".format(**locals()) + " must contain less than or equal to 1000 items")
                                            for data__query_value_x, data__query_value_item in enumerate(data__query_value):
                                                if not isinstance(data__query_value_item, (str, int, int, float, Decimal, bool)) and not (isinstance(data__query_value_item, float) and data__query_value_item.is_integer()):
                                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".query.{data__query_key}[{data__query_value_x}]".format(**locals()) + " must be string or integer or number or boolean")
                                                if isinstance(data__query_value_item, str):
                                                    data__query_value_item_len = len(data__query_value_item)
                                                    if data__query_value_item_len > 1000:
                                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".query.{data__query_key}[{data__query_value_x}]".format(**locals()) + " must be shorter than or equal to 1000 characters")
                                        data__query_value_any_of_count2 += 1
                                    except (JsonSchemaValueException, JsonSchemaValuesException): pass
                                if not data__query_value_any_of_count2:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".query.{data__query_key}".format(**locals()) + " cannot be validated by any definition")
                        if data__query_len != 0:
                            data__query_property_names = True
                            for data__query_key in data__query:
                                try:
                                    if not isinstance(data__query_key, (str)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".query must be string")
                                    if isinstance(data__query_key, str):
                                        if not REGEX_PATTERNS['^[a-z][a-z0-9_]{0,63}(?=\\n?\\Z)'].search(data__query_key):
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".query must match pattern ^[a-z][a-z0-9_]{0,63}(?=\\n?\\Z)")
                                except (JsonSchemaValueException, JsonSchemaValuesException):
                                    data__query_property_names = False
                            if not data__query_property_names:
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".query must be named by propertyName definition")
                    data__query_any_of_count1 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if not data__query_any_of_count1:
                try:
                    if not isinstance(data__query, (list, tuple)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".query must be array")
                    data__query_is_list = isinstance(data__query, (list, tuple))
                    if data__query_is_list:
                        data__query_len = len(data__query)
                        if data__query_len > 50:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".query must contain less than or equal to 50 items")
                        for data__query_x, data__query_item in enumerate(data__query):
                            if not isinstance(data__query_item, (dict)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".query[{data__query_x}]".format(**locals()) + " must be object")
                            data__query_item_is_dict = isinstance(data__query_item, dict)
                            if data__query_item_is_dict:
                                data__query_item__missing_keys = set(['key']) - data__query_item.keys()
                                if data__query_item__missing_keys:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".query[{data__query_x}]".format(**locals()) + " must contain ")
                                data__query_item_keys = set(data__query_item.keys())
                                if "key" in data__query_item_keys:
                                    data__query_item_keys.remove("key")
                                    data__query_item__key = data__query_item["key"]
                                    if not isinstance(data__query_item__key, (str)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".query[{data__query_x}].key".format(**locals()) + " must be string")
                                    if isinstance(data__query_item__key, str):
                                        if not REGEX_PATTERNS['^[a-z][a-z0-9_]{0,63}(?=\\n?\\Z)'].search(data__query_item__key):
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".query[{data__query_x}].key".format(**locals()) + " must match pattern ^[a-z][a-z0-9_]{0,63}(?=\\n?\\Z)")
                                if "value" in data__query_item_keys:
                                    data__query_item_keys.remove("value")
                                    data__query_item__value = data__query_item["value"]
                                    data__query_item__value_any_of_count3 = 0
                                    if not data__query_item__value_any_of_count3:
                                        try:
                                            if not isinstance(data__query_item__value, (str, int, int, float, Decimal, bool, NoneType)) and not (isinstance(data__query_item__value, float) and data__query_item__value.is_integer()):
                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".query[{data__query_x}].value".format(**locals()) + " must be string or integer or number or boolean or null")
                                            if isinstance(data__query_item__value, str):
                                                data__query_item__value_len = len(data__query_item__value)
                                                if data__query_item__value_len > 20000:
                                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".query[{data__query_x}].value".format(**locals()) + " must be shorter than or equal to 20000 characters")
                                            data__query_item__value_any_of_count3 += 1
                                        except (JsonSchemaValueException, JsonSchemaValuesException): pass
                                    if not data__query_item__value_any_of_count3:
                                        try:
                                            if not isinstance(data__query_item__value, (list, tuple)):
                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".query[{data__query_x}].value".format(**locals()) + " must be array")
                                            data__query_item__value_is_list = isinstance(data__query_item__value, (list, tuple))
                                            if data__query_item__value_is_list:
                                                data__query_item__value_len = len(data__query_item__value)
                                                if data__query_item__value_len > 1000:
                                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".query[{data__query_x}].value".format(**locals()) + " must contain less than or equal to 1000 items")
                                                for data__query_item__value_x, data__query_item__value_item in enumerate(data__query_item__value):
                                                    if not isinstance(data__query_item__value_item, (str, int, int, float, Decimal, bool)) and not (isinstance(data__query_item__value_item, float) and data__query_item__value_item.is_integer()):
                                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".query[{data__query_x}].value[{data__query_item__value_x}]".format(**locals()) + " must be string or integer or number or boolean")
                                                    if isinstance(data__query_item__value_item, str):
                                                        data__query_item__value_item_len = len(data__query_item__value_item)
                                                        if data__query_item__value_item_len > 1000:
                                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".query[{data__query_x}].value[{data__query_item__value_x}]".format(**locals()) + " must be shorter than or equal to 1000 characters")
                                            data__query_item__value_any_of_count3 += 1
                                        except (JsonSchemaValueException, JsonSchemaValuesException): pass
                                    if not data__query_item__value_any_of_count3:
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".query[{data__query_x}].value".format(**locals()) + " cannot be validated by any definition")
                                if data__query_item_keys:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".query[{data__query_x}]".format(**locals()) + " must not contain "+str(data__query_item_keys)+" properties")
                    data__query_any_of_count1 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if not data__query_any_of_count1:
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".query cannot be validated by any definition")
        if "body" in data_keys:
            data_keys.remove("body")
            data__body = data["body"]
            if not isinstance(data__body, (dict, list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".body must be object or array")
        if "headers" in data_keys:
            data_keys.remove("headers")
            data__headers = data["headers"]
            data__headers_any_of_count4 = 0
            if not data__headers_any_of_count4:
                try:
                    if not isinstance(data__headers, (dict)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".headers must be object")
                    data__headers_is_dict = isinstance(data__headers, dict)
                    if data__headers_is_dict:
                        data__headers_len = len(data__headers)
                        if data__headers_len > 20:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".headers must contain less than or equal to 20 properties")
                        data__headers_keys = set(data__headers.keys())
                        for data__headers_key in data__headers_keys:
                            if data__headers_key not in []:
                                data__headers_value = data__headers.get(data__headers_key)
                                if not isinstance(data__headers_value, (str)):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".headers.{data__headers_key}".format(**locals()) + " must be string")
                                if isinstance(data__headers_value, str):
                                    data__headers_value_len = len(data__headers_value)
                                    if data__headers_value_len > 1000:
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".headers.{data__headers_key}".format(**locals()) + " must be shorter than or equal to 1000 characters")
                                    if not REGEX_PATTERNS['^[\\u0020-\\u007e\\u00a0-\\u00ff]*(?=\\n?\\Z)'].search(data__headers_value):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".headers.{data__headers_key}".format(**locals()) + " must match pattern ^[\\u0020-\\u007e\\u00a0-\\u00ff]*(?=\\n?\\Z)")
                        if data__headers_len != 0:
                            data__headers_property_names = True
                            for data__headers_key in data__headers:
                                try:
                                    if not isinstance(data__headers_key, (str)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".headers must be string")
                                    try:
                                        if isinstance(data__headers_key, str):
                                            if not REGEX_PATTERNS['^(?i:authorization|host|cookie|content-length|proxy-authorization)(?=\\n?\\Z)'].search(data__headers_key):
                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".headers must match pattern ^(?i:authorization|host|cookie|content-length|proxy-authorization)(?=\\n?\\Z)")
                                    except (JsonSchemaValueException, JsonSchemaValuesException): pass
                                    else:
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".headers must NOT match a disallowed definition")
                                    if isinstance(data__headers_key, str):
                                        if not REGEX_PATTERNS['^[A-Za-z0-9-]{1,64}(?=\\n?\\Z)'].search(data__headers_key):
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".headers must match pattern ^[A-Za-z0-9-]{1,64}(?=\\n?\\Z)")
                                except (JsonSchemaValueException, JsonSchemaValuesException):
                                    data__headers_property_names = False
                            if not data__headers_property_names:
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".headers must be named by propertyName definition")
                    data__headers_any_of_count4 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if not data__headers_any_of_count4:
                try:
                    if not isinstance(data__headers, (list, tuple)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".headers must be array")
                    data__headers_is_list = isinstance(data__headers, (list, tuple))
                    if data__headers_is_list:
                        data__headers_len = len(data__headers)
                        if data__headers_len > 20:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".headers must contain less than or equal to 20 items")
                        for data__headers_x, data__headers_item in enumerate(data__headers):
                            if not isinstance(data__headers_item, (dict)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".headers[{data__headers_x}]".format(**locals()) + " must be object")
                            data__headers_item_is_dict = isinstance(data__headers_item, dict)
                            if data__headers_item_is_dict:
                                data__headers_item__missing_keys = set(['key']) - data__headers_item.keys()
                                if data__headers_item__missing_keys:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".headers[{data__headers_x}]".format(**locals()) + " must contain ")
                                data__headers_item_keys = set(data__headers_item.keys())
                                if "key" in data__headers_item_keys:
                                    data__headers_item_keys.remove("key")
                                    data__headers_item__key = data__headers_item["key"]
                                    if not isinstance(data__headers_item__key, (str)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".headers[{data__headers_x}].key".format(**locals()) + " must be string")
                                    try:
                                        if isinstance(data__headers_item__key, str):
                                            if not REGEX_PATTERNS['^(?i:authorization|host|cookie|content-length|proxy-authorization)(?=\\n?\\Z)'].search(data__headers_item__key):
                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".headers[{data__headers_x}].key".format(**locals()) + " must match pattern ^(?i:authorization|host|cookie|content-length|proxy-authorization)(?=\\n?\\Z)")
                                    except (JsonSchemaValueException, JsonSchemaValuesException): pass
                                    else:
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".headers[{data__headers_x}].key".format(**locals()) + " must NOT match a disallowed definition")
                                    if isinstance(data__headers_item__key, str):
                                        if not REGEX_PATTERNS['^[A-Za-z0-9-]{1,64}(?=\\n?\\Z)'].search(data__headers_item__key):
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".headers[{data__headers_x}].key".format(**locals()) + " must match pattern ^[A-Za-z0-9-]{1,64}(?=\\n?\\Z)")
                                if "value" in data__headers_item_keys:
                                    data__headers_item_keys.remove("value")
                                    data__headers_item__value = data__headers_item["value"]
                                    if not isinstance(data__headers_item__value, (str)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".headers[{data__headers_x}].value".format(**locals()) + " must be string")
                                    if isinstance(data__headers_item__value, str):
                                        data__headers_item__value_len = len(data__headers_item__value)
                                        if data__headers_item__value_len > 1000:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".headers[{data__headers_x}].value".format(**locals()) + " must be shorter than or equal to 1000 characters")
                                        if not REGEX_PATTERNS['^[\\u0020-\\u007e\\u00a0-\\u00ff]*(?=\\n?\\Z)'].search(data__headers_item__value):
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".headers[{data__headers_x}].value".format(**locals()) + " must match pattern ^[\\u0020-\\u007e\\u00a0-\\u00ff]*(?=\\n?\\Z)")
                                if data__headers_item_keys:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".headers[{data__headers_x}]".format(**locals()) + " must not contain "+str(data__headers_item_keys)+" properties")
                    data__headers_any_of_count4 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if not data__headers_any_of_count4:
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".headers cannot be validated by any definition")
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

check = validate_raw_request_json
