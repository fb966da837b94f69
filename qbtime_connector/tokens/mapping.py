"""A plain-mapping connection's token: the store that holds it, and where each rotation goes.

With "token_store" (a URL) and "instance", the token lives in that store: one store object per
URL and instance in this process. Otherwise the mapping's "token" is shared, in this process, by
every connection made from a mapping that holds it (or any later token of its chain), so that a
host handing the same mapping (or a copy of an older one) to many threads gets one refresh: a
mapping's token is matched to its store by a digest of its refresh token, and each rotation adds
the new one. Each refreshed token is written back into the mapping and handed to an optional
"on_token_refresh" callable there.
"""

from __future__ import annotations

import collections
import functools
import hashlib
import logging
import math
import threading
from collections.abc import Mapping, MutableMapping
from typing import Any, NamedTuple

from ..errors import AuthError, ConnectorError
from ..processes import PerProcess
from .lifecycle import TokenCallback
from .opening import open_store
from .store import MemoryTokenStore, Token, TokenStore, normalise_token

log = logging.getLogger("qbtime_connector")
KEEP = 4096  # digests (and store objects) remembered; older chains use the mapping's own token
_stores: collections.OrderedDict[str, SharedMemoryStore] = collections.OrderedDict()
_registry_lock: PerProcess[threading.Lock] = PerProcess(threading.Lock)


class MappingTokens(NamedTuple):
    """What a Connection takes from a mapping for its token."""

    store: TokenStore
    token: Mapping[str, Any] | None
    on_token_refresh: TokenCallback
    refresh_margin: float


def _digest(token: Mapping[str, Any]) -> str:
    secret = str(token.get("refresh_token") or token.get("access_token") or "")
    return hashlib.sha256(secret.encode()).hexdigest()


def _remember(digest: str, store: SharedMemoryStore) -> None:
    with _registry_lock.get():
        _stores[digest] = store
        _stores.move_to_end(digest)
        while len(_stores) > KEEP:
            _stores.popitem(last=False)


class SharedMemoryStore(MemoryTokenStore):
    """A memory store that files each saved token's digest, so copies of a mapping find it."""

    def save(self, token: Mapping[str, Any]) -> None:
        """Keep the token, and remember its refresh token as leading here."""
        super().save(token)
        _remember(_digest(token), self)


def memory_store_for(token: Mapping[str, Any]) -> MemoryTokenStore:
    """The process's store for the customer this token belongs to (made on first sight)."""
    digest = _digest(token)
    with _registry_lock.get():
        found = _stores.get(digest)
        if found is None:
            found = _stores[digest] = SharedMemoryStore(token)
        _stores.move_to_end(digest)
    return found


@functools.lru_cache(maxsize=KEEP)
def store_for_url(url: str, instance: str | None) -> TokenStore:
    """One store object per URL and instance in this process (they are thread-safe)."""
    return open_store(url, instance)


def mapping_tokens(config: Mapping[str, Any]) -> MappingTokens:
    """The store, token, write-back and refresh margin of a mapping connection."""
    store_url = config.get("token_store")
    needed = (
        ("client_id", "client_secret") if store_url else ("client_id", "client_secret", "token")
    )
    missing = [k for k in needed if not config.get(k)]
    if missing == ["token"]:
        raise AuthError("The connection has no token.")
    if missing:
        raise ConnectorError(f"The connection is missing {', '.join(missing)}.")
    if store_url:
        instance = config.get("instance")
        store = store_for_url(str(store_url), None if instance in (None, "") else str(instance))
    else:
        store = memory_store_for(normalise_token(config["token"]))
    return MappingTokens(store, config.get("token") or None, _write_back(config), _margin(config))


def _write_back(config: Mapping[str, Any]) -> TokenCallback:
    """Where a rotated token goes: into the mapping, and to its on_token_refresh."""
    store_url, host_callback = config.get("token_store"), config.get("on_token_refresh")

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

    return write_back


def _margin(config: Mapping[str, Any]) -> float:
    """The mapping's "refresh_margin" in seconds (default 300), or ConnectorError."""
    value = config.get("refresh_margin")
    if value in (None, ""):
        return 300.0
    try:
        seconds = float(value) if not isinstance(value, bool) else math.nan
    except (TypeError, ValueError):
        seconds = math.nan
    if not math.isfinite(seconds) or seconds < 0:
        raise ConnectorError(
            "The connection's refresh_margin must be a number of seconds, 0 or more "
            f"(got {type(value).__name__})."
        )
    return seconds
