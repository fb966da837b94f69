"""The one place the designer keeps a customer instance's token: a SQLite token store."""

from __future__ import annotations

import importlib
import inspect
import json
import sqlite3
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

from ..connection import Connection


class Store(Protocol):
    """The contract's TokenStore: load, save, and a lock exclusive for the instance."""

    def load(self) -> dict[str, Any] | None: ...

    def save(self, token: Mapping[str, Any]) -> None: ...

    def lock(self) -> Any: ...


_LOCKS: dict[tuple[str, str], threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


class SQLiteTokens:
    """Tokens of many instances in one SQLite file, one row each (stand-in for tokens.py)."""

    def __init__(self, path: Path, instance: str) -> None:
        self.path, self.instance = path, instance
        with self._db() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS designer_tokens (instance TEXT PRIMARY KEY, token TEXT)"
            )

    def _db(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path)

    def load(self) -> dict[str, Any] | None:
        """The stored token, or None."""
        db = self._db()
        try:
            row = db.execute(
                "SELECT token FROM designer_tokens WHERE instance = ?", (self.instance,)
            ).fetchone()
        finally:
            db.close()
        return dict(json.loads(row[0])) if row else None

    def save(self, token: Mapping[str, Any]) -> None:
        """Store the token (committed before this returns)."""
        db = self._db()
        try:
            with db:
                db.execute(
                    "INSERT OR REPLACE INTO designer_tokens (instance, token) VALUES (?, ?)",
                    (self.instance, json.dumps(dict(token))),
                )
        finally:
            db.close()

    def lock(self) -> threading.Lock:
        """A lock for this instance, shared by every store of it in this process."""
        with _LOCKS_GUARD:
            return _LOCKS.setdefault((str(self.path), self.instance), threading.Lock())

    def __repr__(self) -> str:
        return f"SQLiteTokens({str(self.path)!r}, {self.instance!r})"


def instance_store(path: Path, instance: str) -> Store:
    """The token store of one customer instance."""
    # The package's own SQLiteTokenStore once it has one; this module's stand-in until then.
    try:
        factory = importlib.import_module("qbtime_connector.tokens").SQLiteTokenStore
    except (ImportError, AttributeError):
        return SQLiteTokens(path, instance)
    store: Store = factory(str(path), instance)
    return store


def _takes_store() -> bool:
    return "store" in inspect.signature(Connection).parameters


def instance_connection(
    client_id: str, client_secret: str, base_url: str, store: Store
) -> Connection | None:
    """A Connection whose token comes from, and every refreshed token goes to, the store."""
    token = store.load()
    if token is None:
        return None
    if _takes_store():  # the package's token stores: refresh under the store's lock
        options: dict[str, Any] = {"store": store}
        return Connection(client_id, client_secret, base_url=base_url, **options)
    return Connection(
        client_id,
        client_secret,
        token,
        base_url=base_url,
        on_token_refresh=store.save,
        refresh_lock=store.lock(),
        load_token=store.load,
    )
