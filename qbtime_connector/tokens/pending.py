"""Rotated tokens a store refused to save, kept by this process until the store takes them.

After a refresh the old refresh token is dead: the new token must reach the store. When the
store keeps refusing (a dropped session, too many clients, a full disk), the token is kept here,
not only in the Connection that refreshed (a mapping connection is closed after its call). The
next Connection on the same store in this process takes it and saves it first.
"""

from __future__ import annotations

import atexit
import logging
import threading
from collections.abc import Hashable, Mapping
from typing import Any

from ..processes import PerProcess
from .store import Token, TokenStore, is_newer

log = logging.getLogger("qbtime_connector")
_kept: dict[Hashable, tuple[TokenStore, Token]] = {}
_lock: PerProcess[threading.Lock] = PerProcess(threading.Lock)
_registered = False


def key_of(store: TokenStore) -> Hashable:
    """The same key for every store object of one place and instance (see StoreBase.key)."""
    key = getattr(store, "key", None)
    return key() if callable(key) else id(store)


def keep(store: TokenStore, token: Mapping[str, Any]) -> None:
    """Hold `token` for `store` until it is saved (a newer one replaces it)."""
    global _registered
    with _lock.get():
        if not _registered:  # after the stores' own exit handlers: so it runs before them
            atexit.register(_last_try)
            _registered = True
        key = key_of(store)
        held = _kept.get(key)
        if held is None or is_newer(token, held[1]):
            _kept[key] = (store, dict(token))


def newer_than(store: TokenStore, stored: Mapping[str, Any] | None) -> Token | None:
    """The token held for this store, if it is newer than what the store holds."""
    with _lock.get():
        held = _kept.get(key_of(store))
    if held is None or (stored is not None and not is_newer(held[1], stored)):
        return None
    return dict(held[1])


def settled(store: TokenStore, token: Mapping[str, Any]) -> None:
    """The store took `token` (or a newer one): nothing is held for it any more."""
    with _lock.get():
        key = key_of(store)
        held = _kept.get(key)
        if held is not None and not is_newer(held[1], token):
            del _kept[key]


def _last_try() -> None:
    """At exit, each held token gets one more save; one that still fails is said loudly."""
    for store, token in list(_kept.values()):
        try:
            with store.lock():
                stored = store.load()
                if stored is None or is_newer(token, stored):
                    store.save(token)
        except Exception as error:
            log.error(
                "A rotated token could not be saved in %r (%s): the customer may have to "
                "reconnect.",
                store,
                type(error).__name__,
            )
