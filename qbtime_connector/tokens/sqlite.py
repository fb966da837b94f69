"""SQLiteTokenStore: the tokens of many customer instances in one embedded database."""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..pacing import admit
from .store import Token

if TYPE_CHECKING:
    import sqlite3

SCHEMA = """
CREATE TABLE IF NOT EXISTS qbtime_tokens (
    instance TEXT PRIMARY KEY, token TEXT NOT NULL, saved_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS qbtime_calls (instance TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS qbtime_calls_instance ON qbtime_calls (instance, at);
"""


class SQLiteTokenStore:
    """One row per instance in a SQLite file (WAL; tables created on first use).

    The refresh lock is a per-instance lock file beside the database (the filelock library),
    so a refresh in one instance never holds up the others' reads and writes.
    """

    def __init__(self, path: str | os.PathLike[str], instance: str) -> None:
        from filelock import FileLock

        self.path = Path(path)
        self.instance = instance
        digest = hashlib.sha256(instance.encode()).hexdigest()[:16]
        self._lock = FileLock(f"{self.path}.{digest}.lock", mode=0o600)
        self._local = threading.local()
        self._threads = threading.RLock()

    def __repr__(self) -> str:
        return f"SQLiteTokenStore({str(self.path)!r}, {self.instance!r})"

    def _db(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            import sqlite3

            if not self.path.exists():
                self.path.parent.mkdir(parents=True, exist_ok=True)
                os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
            db = sqlite3.connect(self.path, timeout=60.0, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.executescript(SCHEMA)
            self._local.db = db
        return db

    def load(self) -> Token | None:
        """The stored token, or None when there is none."""
        import json

        row = (
            self._db()
            .execute("SELECT token FROM qbtime_tokens WHERE instance = ?", (self.instance,))
            .fetchone()
        )
        return dict(json.loads(row[0])) if row else None

    def save(self, token: Mapping[str, Any]) -> None:
        """Insert or replace this instance's row; committed (and synced) on return."""
        import json
        import time

        self._db().execute(
            "INSERT INTO qbtime_tokens (instance, token, saved_at) VALUES (?, ?, ?) "
            "ON CONFLICT (instance) DO UPDATE SET token = excluded.token, "
            "saved_at = excluded.saved_at",
            (self.instance, json.dumps(dict(token)), time.time()),
        )

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Exclusive for this instance across threads and processes on this machine."""
        with self._threads, self._lock:
            yield

    def admit(self, calls: int, window: float, now: float) -> float:
        """0.0 when one more call fits (and it is counted), else the seconds to wait first."""
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute(
                "DELETE FROM qbtime_calls WHERE instance = ? AND at <= ?",
                (self.instance, now - window),
            )
            sent = [
                row[0]
                for row in db.execute(
                    "SELECT at FROM qbtime_calls WHERE instance = ?", (self.instance,)
                )
            ]
            _, wait = admit(sent, calls, window, now)
            if not wait:
                db.execute(
                    "INSERT INTO qbtime_calls (instance, at) VALUES (?, ?)", (self.instance, now)
                )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return wait
