"""The sandbox's files: images uploaded as base64, attached to timesheets, downloaded raw."""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING, Any

from .company import Query, Record
from .errors import ApiFailure
from .resources import Handler, Raw, Resource, by_ids, refuse, supplements, table

if TYPE_CHECKING:
    from .company import Company

EXTENSIONS = (".png", ".jpeg", ".jpg")
MAX_REQUEST = 2 * 1024 * 1024  # the reference: a request of files may not pass 2 MB
# A 1x1 transparent PNG: the seeded file's bytes.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def decoded(data: Any) -> bytes:
    """The bytes of file_data: base64, bare or as a data: URI ("data:image/png;base64,…")."""
    text = str(data)
    if text.startswith("data:"):
        text = text.partition(",")[2]
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise refuse("file_data must be base64") from None


def _contents(company: Company) -> dict[int, Record]:
    return table(company, "file_contents")  # file id -> {"data": bytes}; never listed


class FileResource(Resource):
    """Files: the uploader is the requester; links to timesheets follow their attached_files."""

    def create(self, company: Company, item: Record) -> Record:
        name = str(item.get("file_name", ""))
        if not name.lower().endswith(EXTENSIONS):
            raise refuse("only .png, .jpeg and .jpg files may be uploaded")
        if item.get("file_data") in (None, ""):
            raise refuse("file_data required")
        data = decoded(item["file_data"])
        record = super().create(company, item)
        record.update(uploaded_by_user_id=item["user_id"], size=len(data))
        _contents(company)[record["id"]] = {"data": data}
        return record

    def update(self, company: Company, item: Record) -> Record:
        record = super().update(company, item)
        record["linked_objects"] = _links(company, record["id"])
        return record

    def select(self, company: Company, query: Query) -> list[Record]:
        for record in self.records(company).values():
            record["linked_objects"] = _links(company, record["id"])
        found = super().select(company, query)
        if query.get("object_ids"):
            wanted = {s.strip() for s in str(query["object_ids"]).split(",")}
            found = [f for f in found if wanted & set(f["linked_objects"].get("timesheets", []))]
        return found

    def write(
        self, company: Company, method: str, items: list[Record], actor: int
    ) -> dict[str, Any]:
        if method == "POST" and sum(len(str(i.get("file_data", ""))) for i in items) > MAX_REQUEST:
            raise ApiFailure(413, "a request of files may not pass 2 MB")
        return super().write(company, method, items, actor)


def _links(company: Company, file_id: int) -> dict[str, list[str]]:
    sheets = [str(s["id"]) for s in company.timesheets.values() if file_id in s["attached_files"]]
    return {"timesheets": sheets} if sheets else {}


def _supplement(company: Company, files: list[Record]) -> dict[str, Any]:
    sheets = (s for f in files for s in f["linked_objects"].get("timesheets", []))
    data = {
        **supplements(users="uploaded_by_user_id")(company, files),
        "timesheets": by_ids(company, "timesheets", sheets),
    }
    return {k: v for k, v in data.items() if v}


FILES = FileResource(
    "files",
    21001,
    {
        "id": None,
        "uploaded_by_user_id": 0,
        "file_name": "",
        "active": True,
        "size": 0,
        "last_modified": "",
        "created": "",
        "linked_objects": {},
        "meta_data": {},
    },
    methods=("GET", "POST", "PUT", "DELETE"),
    required=("file_name", "file_data"),
    filters=(("ids", "id", "ids"), ("uploaded_by_user_ids", "uploaded_by_user_id", "ids")),
    read_only=("id", "created", "last_modified", "uploaded_by_user_id", "size", "linked_objects"),
    owned=True,
    supplement=_supplement,
    messages={"POST": "Uploaded", "missing": "File not found!"},
    archive=True,  # a deleted file is listed with active false (active=both)
)


def download(company: Company, method: str, query: Query, body: Any, actor: int) -> Raw:
    """GET /files/raw?id=…: the file's bytes, as application/octet-stream."""
    raw = str(query.get("id", "")).strip()
    if not raw.isdigit():
        raise ApiFailure(417, "id is required")
    record = FILES.records(company).get(int(raw))
    if record is None:
        raise ApiFailure(404, f"no file with id {raw}")
    data: bytes = _contents(company)[record["id"]]["data"]
    return Raw(
        data,
        {
            "Content-Type": "application/octet-stream",
            "Content-Disposition": f'attachment; filename="{record["file_name"]}"',
            "Cache-Control": "max-age=86400",
        },
    )


RESOURCES = (FILES, Handler("files/raw", ("GET",), download))


def seed_files(company: Company, crew: list[int]) -> None:
    """Two photos by the first of the crew; the first attached to their first timesheet."""
    encoded = base64.b64encode(PIXEL).decode()
    photos = [
        FILES.create(
            company,
            {
                "file_name": name,
                "file_data": encoded,
                "user_id": crew[0],
                "meta_data": {"file_description": about, "image_rotation": 0},
            },
        )
        for name, about in (("site-photo.png", "The finished line"), ("before.jpg", "Before"))
    ]
    first = min(s["id"] for s in company.timesheets.values() if s["user_id"] == crew[0])
    company.timesheets[first]["attached_files"] = [photos[0]["id"]]
