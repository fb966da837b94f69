"""Stores shared by every plain-mapping connection of this process for the same customer.

A host may hand the same mapping (or a copy of an older one) to many threads: they must share
one token and one refresh. A mapping's token is matched to its store by a digest of its refresh
token; each rotation adds the new one, so a mapping holding any token of the chain finds it.
"""

from __future__ import annotations

import collections
import functools
import hashlib
import threading
from collections.abc import Mapping
from typing import Any

from .opening import open_store
from .store import MemoryTokenStore, TokenStore

KEEP = 4096  # digests remembered; older chains fall back to the token the mapping carries
_stores: collections.OrderedDict[str, SharedMemoryStore] = collections.OrderedDict()
_registry_lock = threading.Lock()


def _digest(token: Mapping[str, Any]) -> str:
    secret = str(token.get("refresh_token") or token.get("access_token") or "")
    return hashlib.sha256(secret.encode()).hexdigest()


def _remember(digest: str, store: SharedMemoryStore) -> None:
    with _registry_lock:
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
    with _registry_lock:
        found = _stores.get(digest)
        if found is None:
            found = _stores[digest] = SharedMemoryStore(token)
        _stores.move_to_end(digest)
    return found


@functools.lru_cache(maxsize=256)
def store_for_url(url: str, instance: str | None) -> TokenStore:
    """One store object per URL and instance in this process (they are thread-safe)."""
    return open_store(url, instance)
