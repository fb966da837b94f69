"""Upload File, Get Files, Update Files, Download File and Delete Files, against the sandbox."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
import responses

from qbtime_connector import ApiError, Connection, InputError, ItemError, invoke
from qbtime_connector.sandbox import Sandbox

from .conftest import API, written

PIXEL = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5E"
    "rkJggg=="
)
MARYS_FIRST = 4000001  # Mary's first seeded timesheet, which has the seeded photo 21001


def test_an_upload_is_attached_to_the_timesheet_it_names(
    sandbox: Sandbox, connection: Connection
) -> None:
    made = invoke(
        "upload_file",
        {"file_name": "After.JPG", "file_content": f"data:image/jpeg;base64,{PIXEL}",
         "file_description": "after", "image_rotation": "90", "timesheet_id": MARYS_FIRST},
        connection,
    )  # fmt: skip
    item = made["files"][0]
    assert (item["_status_message"], item["size"], item["meta_data"]) == (
        "Uploaded", 70, {"file_description": "after", "image_rotation": 90},
    )  # fmt: skip
    assert made["timesheets"][0]["attached_files"] == [21001, item["id"]]  # kept the first
    listed = invoke("get_files", {"linked_object_type": "timesheet", "object_ids": MARYS_FIRST},
                    connection)["files"]  # fmt: skip
    assert [f["id"] for f in listed] == [21001, item["id"]]
    assert all(f["linked_objects"] == {"timesheets": [str(MARYS_FIRST)]} for f in listed)
    got = invoke("download_file", {"id": item["id"]}, connection)["file"]
    assert base64.b64decode(got["content_base64"]) == base64.b64decode(PIXEL)
    assert (got["file_name"], got["size"], got["content_type"]) == (
        "After.JPG", 70, "application/octet-stream",
    )  # fmt: skip
    assert sandbox.state.count("GET /api/v1/files/raw") == 1


def test_a_file_attached_during_an_upload_is_kept(sandbox: Sandbox, connection: Connection) -> None:
    """Another upload to the same timesheet lands while this one's file goes up."""

    def attach_another(state: Any) -> None:
        if state.count("POST /api/v1/files") == 1 and not state.count("PUT /api/v1/timesheets"):
            sheet = state.company.timesheets[MARYS_FIRST]
            if 99 not in sheet["attached_files"]:
                sheet["attached_files"].append(99)

    sandbox.state.between(attach_another)
    inputs = {"file_name": "a.png", "file_content": PIXEL, "timesheet_id": MARYS_FIRST}
    made = invoke("upload_file", inputs, connection)
    assert made["timesheets"][0]["attached_files"] == [21001, 99, made["files"][0]["id"]]
    assert sandbox.state.count("GET /api/v1/timesheets") == 2  # found first, read again last


def test_an_upload_for_a_missing_timesheet_uploads_nothing(
    sandbox: Sandbox, connection: Connection
) -> None:
    inputs = {"file_name": "a.png", "file_content": PIXEL, "timesheet_id": 4999999}
    with pytest.raises(ApiError) as refused:
        invoke("upload_file", inputs, connection)
    assert (refused.value.status, refused.value.code) == (404, "timesheet_not_found")
    assert "nothing was uploaded" in str(refused.value)
    assert sandbox.state.count("POST /api/v1/files") == 0


@pytest.mark.parametrize(
    ("inputs", "named"),
    [
        ({"file_name": "notes.txt", "file_content": PIXEL}, "file_name"),
        ({"file_name": "a.png", "file_content": "not base64!"}, "file_content"),
        ({"file_name": "a.png", "file_content": "QUJD" * 700_000}, "file_content"),  # 2.1 MB
        ({"file_name": "a.png"}, "file_content"),
    ],
)
def test_a_file_the_api_would_refuse_is_refused_before_any_call(
    inputs: dict[str, str], named: str, mocked_api: responses.RequestsMock,
    mocked_connection: Connection,
) -> None:  # fmt: skip
    with pytest.raises(InputError) as refused:
        invoke("upload_file", inputs, mocked_connection)
    assert [e["input"] for e in refused.value.errors] == [named]
    assert len(mocked_api.calls) == 0


def test_a_bare_base64_file_is_sent_as_a_data_uri_of_its_type(
    mocked_api: responses.RequestsMock, mocked_connection: Connection
) -> None:
    mocked_api.post(f"{API}/files", json=written("files", [{"id": 9, "_status_code": 200}]))
    invoke("upload_file", {"file_name": "site.png", "file_content": PIXEL}, mocked_connection)
    sent = json.loads(mocked_api.calls[0].request.body or b"")
    assert sent == {"data": [{"file_name": "site.png",
                              "file_data": f"data:image/png;base64,{PIXEL}"}]}  # fmt: skip


def test_files_are_renamed_and_deleted_and_a_missing_one_says_so(
    connection: Connection,
) -> None:
    changed = invoke("update_files", {"records": [{"id": 21002, "file_name": "b.jpg"}]},
                     connection)["files"][0]  # fmt: skip
    assert changed["file_name"] == "b.jpg"
    with pytest.raises(ItemError) as partly:
        invoke("delete_files", {"ids": "21002, 999"}, connection)
    assert [(i["id"], i["_status_code"], i["_status_message"]) for i in partly.value.items] == [
        ("21002", 200, "OK, deleted"), ("999", 404, "File not found!"),
    ]  # fmt: skip
    # Deleted files are listed as inactive, as the reference's `active` says.
    assert invoke("get_files", {"ids": 21002}, connection)["files"] == []
    gone = invoke("get_files", {"ids": 21002, "active": "both"}, connection)["files"]
    assert [f["active"] for f in gone] == [False]
