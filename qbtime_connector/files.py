"""Upload File and Download File: images as base64 in JSON going up, raw bytes coming down."""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from .actions import send_records
from .connection import Connection
from .errors import ApiError, InputError
from .results import checked, records_of
from .validation import Call

# The reference: .png, .jpeg and .jpg only, and at most 2 MB in one request.
MEDIA_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg"}
MAX_BYTES = 2 * 1024 * 1024
_DATA_URI = re.compile(r"^data:[^;,]*;base64,", re.IGNORECASE)
NOT_FOUND = 404
_FILENAME = re.compile(r'filename\*?=(?:UTF-8\'\')?"?([^";]+)"?', re.IGNORECASE)


def _refuse(key: str, label: str, message: str) -> InputError:
    return InputError([{"input": key, "label": label, "message": message}])


def file_data(name: str, content: str) -> str:
    """The file as the API takes it: a data: URI of its base64 (InputError if it is not)."""
    bare = _DATA_URI.sub("", content.strip())
    try:
        size = len(base64.b64decode(bare, validate=True))
    except (binascii.Error, ValueError):
        raise _refuse("file_content", "File Content", "must be the file as base64") from None
    if size > MAX_BYTES:
        message = f"may be at most 2 MB (the API's limit for one upload); got {size:,} bytes"
        raise _refuse("file_content", "File Content", message)
    kind = MEDIA_TYPES[name.rsplit(".", 1)[-1].lower()]
    return f"data:{kind};base64,{bare}"


def upload_file(connection: Connection, call: Call) -> dict[str, Any]:
    """Upload File: one image, then (with a Timesheet ID) attached to that timesheet."""
    record = dict(call.body)
    record["file_data"] = file_data(record["file_name"], call.options["file_content"])
    meta: dict[str, Any] = {}
    if "file_description" in call.options:
        meta["file_description"] = call.options["file_description"]
    if "image_rotation" in call.options:  # a choice of text in the form, a number to the API
        meta["image_rotation"] = int(call.options["image_rotation"])
    if meta:
        record["meta_data"] = meta
    sheet = call.options.get("timesheet_id")
    if sheet is not None:  # found before the upload: a missing one must not leave a stray file
        attached_files(connection, int(sheet))
    result = checked(call.endpoint, send_records(connection, call.method, call.endpoint, [record]))
    if sheet is not None:
        # Read again just before the write: a file attached during the upload is kept.
        files = [*attached_files(connection, int(sheet)), int(result[call.endpoint][0]["id"])]
        result["timesheets"] = attach(connection, int(sheet), files)
    return result


def attached_files(connection: Connection, sheet_id: int) -> list[int]:
    """The files a timesheet has now (ApiError 404 when there is no such timesheet)."""
    params = {"ids": sheet_id, "on_the_clock": "both", "supplemental_data": "no"}
    found = records_of(connection.request("GET", "timesheets", params=params), "timesheets")
    if not found:
        message = f"Timesheet {sheet_id} does not exist: nothing was uploaded."
        raise ApiError(NOT_FOUND, message, "timesheet_not_found")
    return list(found[0].get("attached_files") or [])


def attach(connection: Connection, sheet_id: int, files: list[int]) -> list[dict[str, Any]]:
    """Set a timesheet's attached_files to `files`; its write answer."""
    change = {"id": sheet_id, "attached_files": files}
    answer = checked("timesheets", send_records(connection, "PUT", "timesheets", [change]))
    items: list[dict[str, Any]] = answer["timesheets"]
    return items


def download_file(connection: Connection, call: Call) -> dict[str, Any]:
    """Download File: the file's bytes, as base64, with its name, media type and size."""
    data, headers = connection.download(call.endpoint, params=call.query)
    disposition = headers.get("Content-Disposition", "")
    named = _FILENAME.search(disposition)
    return {
        "file": {
            "id": int(call.query["id"]),
            "file_name": named.group(1) if named else "",
            "content_type": headers.get("Content-Type", "application/octet-stream"),
            "size": len(data),
            "content_base64": base64.b64encode(data).decode("ascii"),
        }
    }
