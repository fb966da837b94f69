"""Shapes the API's answers into the contract's results."""

from __future__ import annotations

from typing import Any

from .errors import ApiError, ItemError, item_failed

_BESIDE = frozenset({"more", "supplemental_data"})  # parts of an answer, not result sets


def _results(body: dict[str, Any], endpoint: str) -> Any:
    results = body.get("results") or {}
    if not isinstance(results, dict):
        raise ApiError(None, "the answer's results were not an object keyed by endpoint")
    if endpoint in results:
        return results[endpoint] or {}
    # Some answers name their one result set otherwise (POST /invitations answers "invites");
    # take it when it is the only one there.
    sets = [k for k in results if k not in _BESIDE]
    return (results[sets[0]] or {}) if len(sets) == 1 else {}


def _part(body: dict[str, Any], name: str) -> Any:
    """`more` or `supplemental_data`: beside `results`, or (as some reference answers show
    them) inside it."""
    if name in body:
        return body[name]
    results = body.get("results")
    return results.get(name) if isinstance(results, dict) else None


def records_of(body: dict[str, Any], endpoint: str) -> list[dict[str, Any]]:
    """The records of `results[endpoint]`, id-keyed object (or PHP's empty []) made a list."""
    found = _results(body, endpoint)
    records = list(found.values()) if isinstance(found, dict) else found
    # The types of all records at once (no Python loop per record: this runs on every read).
    if not isinstance(records, list) or not set(map(type, records)) <= {dict}:
        raise ApiError(None, f"the answer's {endpoint} were not records (JSON objects)")
    return records


def _supplemental(body: dict[str, Any]) -> dict[str, Any]:
    data = _part(body, "supplemental_data")
    return data if isinstance(data, dict) else {}


def more_of(body: dict[str, Any]) -> bool:
    """Whether the answer says more pages follow."""
    return bool(_part(body, "more"))


def page_result(endpoint: str, body: dict[str, Any], page: int) -> dict[str, Any]:
    """A Get action's result: records as a list, with more, page and supplemental_data."""
    return {
        endpoint: records_of(body, endpoint),
        "more": more_of(body),
        "page": page,
        "supplemental_data": _supplemental(body),
    }


def object_result(endpoint: str, body: dict[str, Any]) -> dict[str, Any]:
    """A read whose results are one object keyed by name, not records (effective settings,
    last modified timestamps): that object as it came, with any supplemental_data."""
    found = _results(body, endpoint)
    if not isinstance(found, dict):
        raise ApiError(None, f"the answer's {endpoint} were not an object")
    return {endpoint: found, "supplemental_data": _supplemental(body)}


def write_items(
    endpoint: str, body: dict[str, Any], positional: bool = True
) -> list[dict[str, Any]]:
    """Per-item results of a write, in request order (POST/PUT key them "1", "2", …)."""
    found = _results(body, endpoint)
    if not isinstance(found, dict) or not positional:
        return records_of(body, endpoint)
    keys = sorted(found, key=lambda k: int(k) if str(k).isdigit() else 0)
    items = [found[k] for k in keys]
    if not all(isinstance(i, dict) for i in items):
        raise ApiError(None, f"the answer's {endpoint} were not item results (JSON objects)")
    return items


def merge_supplemental(into: dict[str, Any], body: dict[str, Any]) -> None:
    """Fold one answer's supplemental_data into a result's (for several requests of one write)."""
    for kind, records in _supplemental(body).items():
        if isinstance(records, dict):
            into.setdefault("supplemental_data", {}).setdefault(kind, {}).update(records)


def checked(endpoint: str, result: dict[str, Any]) -> dict[str, Any]:
    """The result, or ItemError when any item failed (with every item kept on the error)."""
    items = result[endpoint]
    if any(item_failed(i) for i in items):
        raise ItemError(endpoint, items)
    return result
