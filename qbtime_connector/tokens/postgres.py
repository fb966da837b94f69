"""PostgresTokenStore: tokens shared by workers on many machines (psycopg 3, extra `postgres`)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
import time
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ..pacing import admit
from .store import Token

if TYPE_CHECKING:
    import psycopg

SCHEMA = [
    "CREATE TABLE IF NOT EXISTS qbtime_tokens (instance TEXT PRIMARY KEY, token JSONB NOT NULL,"
    " saved_at DOUBLE PRECISION NOT NULL)",
    "CREATE TABLE IF NOT EXISTS qbtime_calls (instance TEXT NOT NULL,"
    " at DOUBLE PRECISION NOT NULL)",
    "CREATE INDEX IF NOT EXISTS qbtime_calls_instance ON qbtime_calls (instance, at)",
]
SCHEMA_LOCK = 0x71B7_0000  # advisory lock key: one worker creates the tables at a time


def lock_key(instance: str, purpose: str) -> int:
    """A signed 64-bit advisory-lock key for this instance and purpose."""
    digest = hashlib.sha256(f"qbtime:{purpose}:{instance}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class PostgresTokenStore:
    """One row per instance; the refresh lock is a session advisory lock held across it."""

    def __init__(self, dsn: str, instance: str) -> None:
        self._dsn = dsn
        self.instance = instance
        self._db: psycopg.Connection[Any] | None = None
        self._threads = threading.RLock()
        self._ready = False

    def __repr__(self) -> str:
        return f"PostgresTokenStore(instance={self.instance!r})"  # the DSN may hold a password

    def _connect(self) -> psycopg.Connection[Any]:
        import psycopg

        db = psycopg.connect(self._dsn, autocommit=True)
        if not self._ready:
            with db.transaction():
                db.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
                for statement in SCHEMA:
                    db.execute(statement)
            self._ready = True
        return db

    @contextlib.contextmanager
    def _shared(self) -> Iterator[psycopg.Connection[Any]]:
        with self._threads:
            if self._db is None or self._db.closed:
                self._db = self._connect()
            yield self._db

    def load(self) -> Token | None:
        """The stored token, or None when there is none."""
        with self._shared() as db:
            row = db.execute(
                "SELECT token FROM qbtime_tokens WHERE instance = %s", (self.instance,)
            ).fetchone()
        return dict(row[0]) if row else None

    def save(self, token: Mapping[str, Any]) -> None:
        """Insert or replace this instance's row; committed on return."""
        with self._shared() as db:
            db.execute(
                "INSERT INTO qbtime_tokens (instance, token, saved_at) VALUES (%s, %s, %s) "
                "ON CONFLICT (instance) DO UPDATE SET token = excluded.token, "
                "saved_at = excluded.saved_at",
                (self.instance, json.dumps(dict(token)), time.time()),
            )

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Exclusive for this instance across threads, processes and machines."""
        key = lock_key(self.instance, "refresh")
        with self._threads, self._connect() as db:
            db.execute("SELECT pg_advisory_lock(%s)", (key,))
            try:
                yield
            finally:
                db.execute("SELECT pg_advisory_unlock(%s)", (key,))

    def admit(self, calls: int, window: float, now: float) -> float:
        """0.0 when one more call fits (and it is counted), else the seconds to wait first."""
        with self._shared() as db, db.transaction():
            db.execute("SELECT pg_advisory_xact_lock(%s)", (lock_key(self.instance, "calls"),))
            db.execute(
                "DELETE FROM qbtime_calls WHERE instance = %s AND at <= %s",
                (self.instance, now - window),
            )
            rows = db.execute(
                "SELECT at FROM qbtime_calls WHERE instance = %s", (self.instance,)
            ).fetchall()
            _, wait = admit([r[0] for r in rows], calls, window, now)
            if not wait:
                db.execute(
                    "INSERT INTO qbtime_calls (instance, at) VALUES (%s, %s)", (self.instance, now)
                )
        return wait
