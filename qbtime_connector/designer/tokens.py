"""The one place the designer keeps a customer instance's token: the package's SQLite store."""

from __future__ import annotations

from pathlib import Path

from ..connection import Connection
from ..tokens import SQLiteTokenStore, TokenStore


def instance_store(path: Path, instance: str) -> SQLiteTokenStore:
    """The token store of one customer instance (one row of a shared SQLite file); close it
    when done, `forget()` it when the instance is deleted."""
    return SQLiteTokenStore(path, instance)


def instance_connection(
    client_id: str, client_secret: str, base_url: str, store: TokenStore
) -> Connection | None:
    """A Connection whose token comes from, and every refreshed token goes to, the store;
    None while the instance has no token."""
    if store.load() is None:
        return None
    return Connection(client_id, client_secret, base_url=base_url, store=store)
