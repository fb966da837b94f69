"""Clock In and Clock Out: open a user's active timesheet, and end it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .actions import send_records
from .connection import Connection
from .custom_values import check_custom_values
from .errors import ApiError, ItemError
from .results import checked, records_of
from .specs import Call

# /timesheets needs one of ids, start_date or modified_*: an open timesheet may have started
# any time, so the search for one asks for everything modified since this instant.
EVER = "2000-01-01T00:00:00+00:00"
CONFLICT = 409
OVERLAP = 406  # the API's item status for a timesheet that overlaps another


def now_at(offset_of: str | None = None) -> dt.datetime:
    """Now, in the UTC offset of a timestamp the API gave (UTC when there is none)."""
    zone = dt.datetime.fromisoformat(offset_of).tzinfo if offset_of else None
    return dt.datetime.now(zone or dt.timezone.utc).replace(microsecond=0)


def open_timesheets(connection: Connection, endpoint: str, **filters: Any) -> list[dict[str, Any]]:
    """The on-the-clock timesheets (of `endpoint`) matching the filters (user_ids or ids)."""
    params = {"on_the_clock": "yes", "modified_since": EVER, "supplemental_data": "no", **filters}
    if "ids" in filters:
        params = {"on_the_clock": "both", "supplemental_data": "no", **filters}
    body = connection.request("GET", endpoint, params=params)
    return [s for s in records_of(body, endpoint) if s.get("on_the_clock")]


def clock_in(connection: Connection, call: Call) -> dict[str, Any]:
    """Clock In: refuse when the user is on the clock already, else open a timesheet."""
    user_id = call.body["user_id"]
    check_custom_values(
        connection, call.body.get("customfields"), call.endpoint, "customfields", "Custom Fields"
    )
    _refuse_if_on_the_clock(connection, call.endpoint, user_id)
    start = call.options.get("start_time") or now_at().isoformat()
    # The one write that sends an empty end on purpose: that is what makes it clocked in.
    record = {**call.body, "start": start, "end": ""}
    result = send_records(connection, call.method, call.endpoint, [record])
    try:
        return checked(call.endpoint, result)
    except ItemError as refused:
        if refused.status == OVERLAP:
            # Another caller clocked the user in between our look and our write: say so as
            # the look would have, not as the API's overlap of two timesheets.
            _refuse_if_on_the_clock(connection, call.endpoint, user_id)
        raise


def _refuse_if_on_the_clock(connection: Connection, endpoint: str, user_id: Any) -> None:
    """ApiError 409 already_on_the_clock when the user has an open timesheet."""
    already = open_timesheets(connection, endpoint, user_ids=user_id)
    if already:
        sheet = already[0]
        raise ApiError(
            CONFLICT,
            f"User {user_id} is already on the clock (timesheet {sheet['id']}, since "
            f"{sheet['start']}): clock out first.",
            "already_on_the_clock",
        )


def clock_out(connection: Connection, call: Call) -> dict[str, Any]:
    """Clock Out: end the user's (or the given) active timesheet now or at End Time."""
    if "timesheet_id" in call.options:
        sheet_id = call.options["timesheet_id"]
        found = open_timesheets(connection, call.endpoint, ids=sheet_id)
        who = f"Timesheet {sheet_id} is not on the clock (it is closed, or does not exist)."
    else:
        found = open_timesheets(connection, call.endpoint, user_ids=call.options["user_id"])
        who = f"User {call.options['user_id']} is not on the clock."
    if not found:
        raise ApiError(CONFLICT, f"{who} Nothing to clock out.", "not_on_the_clock")
    sheet = found[0]
    end = call.options.get("end_time") or now_at(sheet["start"]).isoformat()
    record: dict[str, Any] = {"id": sheet["id"], "end": end}
    if "notes" in call.options:
        record["notes"] = call.options["notes"]
    result = send_records(connection, call.method, call.endpoint, [record])
    return checked(call.endpoint, result)
