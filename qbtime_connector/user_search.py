"""Find Users, and Find or Create User (which never creates a duplicate)."""

from __future__ import annotations

from typing import Any

from .actions import read_all, send_records
from .connection import Connection
from .custom_values import check_custom_values
from .errors import ApiError, ItemError, TransportError, item_failed
from .limits import MAX_PAGES
from .specs import Call

_SERVER_FILTERS = {
    "username": "usernames",
    "employee_number": "employee_numbers",
    "payroll_id": "payroll_ids",
}


def _name_queries(name: str) -> list[dict[str, str]]:
    """ "First Last" asks for both names; one word asks for it as a first or a last name."""
    first, _, rest = name.strip().partition(" ")
    if rest.strip():
        return [{"first_name": first, "last_name": rest.strip()}]
    return [{"first_name": first}, {"last_name": first}]


def find(connection: Connection, endpoint: str, options: dict[str, Any]) -> list[dict[str, Any]]:
    """Users (of `endpoint`) matching every given criterion; e-mail is compared here (the API
    cannot filter it)."""
    base = {"active": options.get("active", "yes")}
    base |= {api: options[key] for key, api in _SERVER_FILTERS.items() if key in options}
    queries = [base | q for q in _name_queries(options["name"])] if "name" in options else [base]
    found: dict[int, dict[str, Any]] = {}
    for params in queries:
        read = read_all(connection, endpoint, params, int(options.get("max_pages", MAX_PAGES)))
        for user in read[endpoint]:
            found.setdefault(int(user["id"]), user)
    email = str(options.get("email", "")).strip().lower()
    return [
        u for _, u in sorted(found.items()) if not email or str(u.get("email", "")).lower() == email
    ]


def find_users(connection: Connection, call: Call) -> dict[str, Any]:
    """Find Users: by name, e-mail, username, employee number or payroll id."""
    users = find(connection, call.endpoint, call.options)
    return {"users": users, "count": len(users)}


def _by_username(connection: Connection, call: Call, username: str) -> dict[str, Any] | None:
    """The user whose username is exactly `username` (the API's filter is looser)."""
    found = find(connection, call.endpoint, {"username": username, "active": "both"})
    return next((u for u in found if u.get("username") == username), None)


def _answer(user: dict[str, Any], created: bool, outcome: str) -> dict[str, Any]:
    return {"user": user, "created": created, "outcome": outcome}


def find_or_create_user(connection: Connection, call: Call) -> dict[str, Any]:
    """Find or Create User: the user with this username, created only when none exists.

    Usernames are unique in QuickBooks Time, so the username is the key. The user is looked
    up before creating, and again after a create that failed (a concurrent call may have won)
    or whose outcome is unknown (the answer was lost): a second user is never made.
    """
    record = {**call.body}
    username = str(record["username"])
    existing = _by_username(connection, call, username)
    if existing is not None:
        return _answer(existing, False, "found")
    check_custom_values(
        connection,
        record.get("customfields"),
        call.endpoint,
        "additional_query_parameters",
        "Additional Query Parameters",
    )
    try:
        items = send_records(connection, call.method, call.endpoint, [record])[call.endpoint]
    except (TransportError, ApiError) as unknown:
        if isinstance(unknown, ApiError) and (unknown.status or 500) < 500:
            raise
        recovered = _by_username(connection, call, username)
        if recovered is None:
            raise
        return _answer(recovered, True, "created_answer_lost")
    if items and not item_failed(items[0]):
        return _answer(items[0], True, "created")
    # Refused: most likely a concurrent create won.
    winner = _by_username(connection, call, username)
    if winner is None:
        raise ItemError(call.endpoint, items)
    return _answer(winner, False, "found_after_conflict")
