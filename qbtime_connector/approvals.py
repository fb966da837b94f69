"""Submit Timesheets and Approve Timesheets: move users' submitted_to / approved_to dates."""

from __future__ import annotations

from typing import Any

from .batches import send_batch
from .connection import Connection
from .results import checked
from .specs import Call


def _set_date(connection: Connection, call: Call, field: str) -> dict[str, Any]:
    """PUT the date into `field` of every listed user (50 per request); ItemError on failures."""
    ids = [int(i) for i in str(call.options["user_ids"]).split(",")]
    records = [{"id": user_id, field: call.options["date"]} for user_id in ids]
    return checked(call.endpoint, send_batch(connection, call.method, call.endpoint, records))


def submit_timesheets(connection: Connection, call: Call) -> dict[str, Any]:
    """Submit Timesheets: each user's time up to the date is submitted (submitted_to)."""
    return _set_date(connection, call, "submitted_to")


def approve_timesheets(connection: Connection, call: Call) -> dict[str, Any]:
    """Approve Timesheets: approved_to; a later date than submitted_to submits it too."""
    return _set_date(connection, call, "approved_to")
