"""The entry points a host calls: invoke(action_key, inputs, connection), poll, preview, sample."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from typing import Any

from . import manifest
from .connection import DEFAULT_BASE_URL, Connection, check_base_url
from .errors import ConnectorError, InputError
from .progress import ProgressCallback, reporting
from .specs import Call
from .validation import prepare

ActionFunction = Callable[[Connection, Call], dict[str, Any]]
TriggerFunction = Callable[[Connection, Call, "dict[str, Any] | None"], dict[str, Any]]
SampleFunction = Callable[[Connection, Call, int], list[dict[str, Any]]]
MAX_SAMPLE = 100  # records a trigger's sample may ask for


@cache
def implementation(function: str) -> Any:
    """The function a manifest entry names as "module:attribute"."""
    module, _, attribute = function.partition(":")
    return getattr(importlib.import_module(module), attribute)


def _spec(key: str, find: Callable[[str], manifest.ActionSpec], label: str) -> manifest.ActionSpec:
    try:
        return find(key)
    except KeyError as exc:
        raise InputError(
            [{"input": f"{label.lower()}_key", "label": label, "message": str(exc.args[0])}]
        ) from None


def connection_from_mapping(config: Mapping[str, Any]) -> Connection:
    """A Connection from the contract's plain mapping (see Connection.from_mapping)."""
    return Connection.from_mapping(config)


@contextmanager
def _connected(connection: Connection | Mapping[str, Any]) -> Iterator[Connection]:
    """The host's Connection as it is, or one made (and closed after) from a mapping."""
    if isinstance(connection, Connection):
        yield connection
        return
    if not isinstance(connection, Mapping):
        raise ConnectorError("connection must be a Connection or a mapping of its fields.")
    with Connection.from_mapping(connection) as owned:
        yield owned


def invoke(
    action_key: str,
    inputs: Mapping[str, Any] | None,
    connection: Connection | Mapping[str, Any],
    *,
    progress: ProgressCallback | None = None,
) -> dict[str, Any]:
    """Run one action: validate every input first, then call QuickBooks Time once or more.

    `progress`, if given, is called with a `Progress` after each page of a Fetch All, each
    request of a batch write, and before each wait.
    """
    spec = _spec(action_key, manifest.action, "Action")
    call = prepare(spec, inputs)
    function: ActionFunction = implementation(spec.function)
    with _connected(connection) as live, reporting(progress):
        return function(live, call)


def poll(
    trigger_key: str,
    inputs: Mapping[str, Any] | None,
    connection: Connection | Mapping[str, Any],
    state: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Run one poll of a trigger: {"records": [...], "state": {...}} for the next poll."""
    spec = _spec(trigger_key, manifest.trigger, "Trigger")
    call = prepare(spec, inputs)
    if state is not None and not isinstance(state, Mapping):
        message = "must be the state the previous poll returned (a JSON object), or None"
        raise InputError([{"input": "state", "label": "State", "message": message}])
    function: TriggerFunction = implementation(spec.function)
    with _connected(connection) as live:
        return function(live, call, None if state is None else dict(state))


def preview(
    action_key: str,
    inputs: Mapping[str, Any] | None,
    connection: Connection | Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The requests invoke would send first, validated exactly as invoke does; nothing is sent.

    {"requests": [{"method", "path", "query", "body", "url"}, ...], "notes": [...]}; checks that
    need the account's data (custom-field values) are left to the real call and named in notes.
    """
    from .rehearsal import rehearse

    spec = _spec(action_key, manifest.action, "Action")
    call = prepare(spec, inputs)
    function: ActionFunction = implementation(spec.function)
    return rehearse(spec, call, function, _base_url(connection))


def _base_url(connection: Connection | Mapping[str, Any] | None) -> str:
    if isinstance(connection, Connection):
        return connection.base_url
    if isinstance(connection, Mapping) and connection.get("base_url"):
        return check_base_url(str(connection["base_url"]))
    return DEFAULT_BASE_URL


def sample(
    trigger_key: str,
    inputs: Mapping[str, Any] | None,
    connection: Connection | Mapping[str, Any],
    limit: int = 3,
) -> dict[str, Any]:
    """{"records": [...]}: the trigger's most recent records in its record shape, for a test.

    It takes and returns no state: the host's saved trigger state is never touched.
    """
    spec = _spec(trigger_key, manifest.trigger, "Trigger")
    call = prepare(spec, inputs)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_SAMPLE:
        message = f"must be a whole number from 1 to {MAX_SAMPLE}; got {limit!r}"
        raise InputError([{"input": "limit", "label": "Limit", "message": message}])
    function: SampleFunction = implementation(str(spec.sample))
    with _connected(connection) as live:
        return {"records": function(live, call, limit)}
