"""Generated from schemas/find_users.json by `python -m qbtime_connector.schema_checks`; do not edit."""

# ruff: noqa
# mypy: ignore-errors
DIGEST = "3db37d738a3390bd23565ff90e371ebc3e0c524b205755eacb7b4039aab7ebcf"
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
    '^[^\\u0000-\\u001f\\u007f]*(?=\\n?\\Z)': re.compile('^[^\\u0000-\\u001f\\u007f]*(?=\\n?\\Z)')
}

NoneType = type(None)

def validate_find_users_json(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data_keys = set(data.keys())
        if "name" in data_keys:
            data_keys.remove("name")
            data__name = data["name"]
            if not isinstance(data__name, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".name must be string")
            if isinstance(data__name, str):
                data__name_len = len(data__name)
                if data__name_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".name must be longer than or equal to 1 characters")
                if data__name_len > 255:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".name must be shorter than or equal to 255 characters")
                if not REGEX_PATTERNS['^[^\\u0000-\\u001f\\u007f]*(?=\\n?\\Z)'].search(data__name):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".name must match pattern ^[^\\u0000-\\u001f\\u007f]*(?=\\n?\\Z)")
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
        if "employee_number" in data_keys:
            data_keys.remove("employee_number")
            data__employeenumber = data["employee_number"]
            if not isinstance(data__employeenumber, (int)) and not (isinstance(data__employeenumber, float) and data__employeenumber.is_integer()) or isinstance(data__employeenumber, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".employee_number must be integer")
            if isinstance(data__employeenumber, (int, float, Decimal)) and not isinstance(data__employeenumber, bool):
                if data__employeenumber < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".employee_number must be bigger than or equal to 1")
                if data__employeenumber > 9223372036854775807:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".employee_number must be smaller than or equal to 9223372036854775807")
        if "payroll_id" in data_keys:
            data_keys.remove("payroll_id")
            data__payrollid = data["payroll_id"]
            if not isinstance(data__payrollid, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".payroll_id must be string")
            if isinstance(data__payrollid, str):
                data__payrollid_len = len(data__payrollid)
                if data__payrollid_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".payroll_id must be longer than or equal to 1 characters")
                if data__payrollid_len > 255:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".payroll_id must be shorter than or equal to 255 characters")
                if not REGEX_PATTERNS['^[^\\u0000-\\u001f\\u007f]*(?=\\n?\\Z)'].search(data__payrollid):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".payroll_id must match pattern ^[^\\u0000-\\u001f\\u007f]*(?=\\n?\\Z)")
        if "active" in data_keys:
            data_keys.remove("active")
            data__active = data["active"]
            if not (isinstance(data__active, str) and data__active == 'yes' or isinstance(data__active, str) and data__active == 'no' or isinstance(data__active, str) and data__active == 'both'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".active must be one of ['yes', 'no', 'both']")
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

check = validate_find_users_json
