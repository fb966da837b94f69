"""Rehearses an action for preview(): its function runs against a stand-in that sends nothing.

The stand-in records each request the action makes and answers it as an empty account would
(a read finds nothing, a write succeeds), so the requests an action sends are known before any
is sent. What the action would do with real answers is said in notes, never guessed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping
from typing import Any, cast
from urllib.parse import urlsplit

from .connection import Connection
from .errors import ConnectorError, InputError
from .manifest import ActionSpec
from .urls import api_url
from .validation import Call

# Reads that check values against the account's own data: left to the real call.
ACCOUNT_CHECKS = frozenset({"customfields", "customfielditems"})
MAX_REQUESTS = 100  # a preview lists at most this many requests
WRITES = frozenset({"POST", "PUT", "DELETE"})

NOTE_CHECKS = (
    "Custom field values are checked against the account's custom fields (GET /customfields) "
    "when the action runs; a preview does not read them."
)
NOTE_READS = (
    "The action reads before it writes: the requests after a read are shown as if it found "
    "nothing; with the account's records it may send other requests, or none."
)
NOTE_STOPPED = (
    "With nothing found, the action stops after the last request shown; what it sends next "
    "depends on the account's answer to it."
)
NOTE_PAGES = "Fetch All reads the pages after the first for as long as the API answers more."
NOTE_CAPPED = f"Only the first {MAX_REQUESTS} requests are shown."


class _Enough(Exception):
    """Raised inside the rehearsal once MAX_REQUESTS requests are recorded."""


def _empty_answer(method: str, path: str, params: Any, body: Any) -> dict[str, Any]:
    """What an empty account answers: no records found; every written item a success."""
    key = path.strip("/").rsplit("/", 1)[-1]
    records = body.get("data") if isinstance(body, Mapping) else None
    if method in {"POST", "PUT"} and isinstance(records, list):
        items = {
            str(n): {**r, "_status_code": 200, "_status_message": "OK"}
            for n, r in enumerate(records, 1)
            if isinstance(r, Mapping)
        }
        return {"results": {key: items}}
    if method == "DELETE":
        ids = [i for i in str((params or {}).get("ids", "")).split(",") if i]
        done = {i: {"id": i, "_status_code": 200, "_status_message": "OK"} for i in ids}
        return {"results": {key: done}}
    return {"results": {key: {}}, "more": False, "supplemental_data": {}}


class Rehearsal:
    """Stands in for a Connection: records each request, sends none, answers as empty."""

    def __init__(self, base_url: str, checks_too: bool) -> None:
        self.base_url = base_url
        self.requests: list[dict[str, Any]] = []
        self.skipped_checks = 0
        self._checks_too = checks_too

    def url(self, path: str) -> str:
        """The absolute URL of an API path (as Connection.url)."""
        return api_url(self.base_url, path)

    def request(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        *,
        response_headers: MutableMapping[str, str] | None = None,
    ) -> dict[str, Any]:
        """Record the request (unless it checks values against the account) and answer it."""
        url = self.url(path)
        relative = url[len(self.base_url) :] or "/"
        if not self._checks_too and relative.strip("/").split("/")[0] in ACCOUNT_CHECKS:
            self.skipped_checks += 1
        else:
            if len(self.requests) == MAX_REQUESTS:
                raise _Enough
            sent: dict[str, Any] = {
                "method": method,
                "path": relative,
                "query": dict(params or {}),
                "body": json,
                "url": url,
            }
            if headers:
                sent["headers"] = dict(headers)
            self.requests.append(sent)
        return _empty_answer(method, urlsplit(url).path, params, json)

    def download(
        self, path: str, params: Mapping[str, Any] | None = None
    ) -> tuple[bytes, dict[str, str]]:
        """Record the GET of a file (as Connection.download) and answer it as an empty file."""
        self.request("GET", path, params)
        return b"", {}


def rehearse(
    spec: ActionSpec,
    call: Call,
    function: Callable[[Connection, Call], dict[str, Any]],
    base_url: str,
) -> dict[str, Any]:
    """{"requests": [...], "notes": [...]}: what the action sends, from its validated call."""
    stand_in = Rehearsal(base_url, checks_too=spec.endpoint in ACCOUNT_CHECKS)
    notes: list[str] = []
    try:
        function(cast(Connection, stand_in), call)
    except InputError:
        raise  # a check of the inputs themselves: the same error invoke raises
    except _Enough:
        notes.append(NOTE_CAPPED)
    except ConnectorError:
        notes.append(NOTE_STOPPED)  # e.g. Clock Out finds no open timesheet in an empty account
    methods = [r["method"] for r in stand_in.requests]
    if stand_in.skipped_checks:
        notes.insert(0, NOTE_CHECKS)
    first_write = next((n for n, m in enumerate(methods) if m in WRITES), None)
    if first_write is not None and "GET" in methods[:first_write]:
        notes.append(NOTE_READS)
    if call.options.get("fetch_all"):
        notes.append(NOTE_PAGES)
    return {"requests": stand_in.requests, "notes": notes}
