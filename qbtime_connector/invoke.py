"""The entry points a host calls: invoke(action_key, inputs, connection) and poll(...)."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from functools import cache
from typing import Any

from . import manifest
from .connection import DEFAULT_BASE_URL, Connection, Token
from .errors import AuthError, ConnectorError, InputError
from .progress import ProgressCallback, reporting
from .specs import Call
from .tokens.shared import memory_store_for, store_for_url
from .tokens.store import normalise_token
from .validation import prepare

log = logging.getLogger("qbtime_connector")
ActionFunction = Callable[[Connection, Call], dict[str, Any]]
TriggerFunction = Callable[[Connection, Call, "dict[str, Any] | None"], dict[str, Any]]


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
    """A Connection from the contract's plain mapping.

    With "token_store" (a URL) and "instance", the token lives in that store. Otherwise the
    mapping's "token" is shared, in this process, by every connection made from a mapping that
    holds it (or any later token of its chain), so they refresh once; each refreshed token is
    written back into the mapping and handed to an optional "on_token_refresh" callable there.
    """
    store_url = config.get("token_store")
    needed = (
        ("client_id", "client_secret") if store_url else ("client_id", "client_secret", "token")
    )
    missing = [k for k in needed if not config.get(k)]
    if missing == ["token"]:
        raise AuthError("The connection has no token.")
    if missing:
        raise ConnectorError(f"The connection is missing {', '.join(missing)}.")
    host_callback = config.get("on_token_refresh")
    if store_url:
        instance = config.get("instance")
        store = store_for_url(str(store_url), None if instance in (None, "") else str(instance))
    else:
        store = memory_store_for(normalise_token(config["token"]))

    def write_back(token: Token) -> None:
        held = config.get("token")
        if isinstance(held, MutableMapping):
            held.clear()
            held.update(token)
        elif isinstance(config, MutableMapping) and not store_url:
            config["token"] = dict(token)
        elif not store_url and not callable(host_callback):
            log.warning(
                "The connection mapping is read-only: the rotated token is kept in this "
                "process only. Give the mapping an on_token_refresh or a token_store."
            )
        if callable(host_callback):
            host_callback(dict(token))

    return Connection(
        client_id=str(config["client_id"]),
        client_secret=str(config["client_secret"]),
        token=config.get("token") or None,
        base_url=str(config.get("base_url") or DEFAULT_BASE_URL),
        on_token_refresh=write_back,
        store=store,
    )


@contextmanager
def _connected(connection: Connection | Mapping[str, Any]) -> Iterator[Connection]:
    """The host's Connection as it is, or one made (and closed after) from a mapping."""
    if isinstance(connection, Connection):
        yield connection
        return
    if not isinstance(connection, Mapping):
        raise ConnectorError("connection must be a Connection or a mapping of its fields.")
    with connection_from_mapping(connection) as owned:
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
