"""The API's clock: the instant an answer was given (its Date), and each endpoint's newest change.

Both come from the same clock, to the second; changes.py (polling) and paging.py (Fetch All) read
them to tell what changed since a moment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from email.utils import parsedate_to_datetime
from typing import Any

from .connection import Connection

STAMPS_ENDPOINT = "last_modified_timestamps"


def instant(stamp: Any) -> dt.datetime:
    """An API timestamp (ISO 8601 with its offset) as an aware datetime; ValueError otherwise."""
    moment = dt.datetime.fromisoformat(str(stamp))
    if moment.tzinfo is None:
        raise ValueError("an instant needs its offset")
    return moment


def server_now(headers: Mapping[str, str]) -> str | None:
    """The API's clock, to the second, from an answer's Date header (None if absent)."""
    try:
        moment = parsedate_to_datetime(headers.get("Date") or headers.get("date") or "")
    except (TypeError, ValueError):
        return None
    return moment.astimezone(dt.timezone.utc).isoformat() if moment.tzinfo else None


def newest_changes(
    connection: Connection, endpoints: list[str]
) -> tuple[dict[str, str], str | None]:
    """The newest change per endpoint (those the API stamps), and the API's clock when it
    answered (one call)."""
    headers: dict[str, str] = {}
    body = connection.request(
        "GET", STAMPS_ENDPOINT, params={"endpoints": ",".join(endpoints)}, response_headers=headers
    )
    found = (body.get("results") or {}).get(STAMPS_ENDPOINT) or {}
    stamps = {k: str(v) for k, v in found.items() if k in endpoints and v}
    return stamps, server_now(headers)
