"""SQLiteTokenStore: the tokens of many customer instances in one embedded database."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import math
import os
import sqlite3
import stat
import threading
from collections.abc import Callable, Hashable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from ..pacing import admit
from ..processes import Shared
from .clocks import StoreClock
from .lockfiles import LockFile
from .store import DatabaseStore, Token, stored_token

log = logging.getLogger("qbtime_connector")
T = TypeVar("T")

SCHEMA = """
CREATE TABLE IF NOT EXISTS qbtime_tokens (
    instance TEXT PRIMARY KEY, token TEXT NOT NULL, saved_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS qbtime_calls (instance TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS qbtime_calls_instance ON qbtime_calls (instance, at);
"""
# SQLite's clock is the operating system's (not a Python process's idea of it), in seconds.
NOW = "(julianday('now') - 2440587.5) * 86400.0"


def owner_only(path: Path) -> None:
    """Take group and other permissions off a file of ours that holds tokens (if it exists)."""
    with contextlib.suppress(FileNotFoundError):
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            try:
                path.chmod(mode & 0o700)
            except PermissionError:
                log.warning("%s is readable by others and is not ours to change: fix it.", path)


class SQLiteDatabase:
    """One SQLite file as this process uses it: one connection, taken in turns by its threads.

    Statements take microseconds and SQLite writes one at a time anyway, so a connection per
    thread or per instance only multiplies file handles (60 instances x 3 threads made 180).
    """

    def __init__(self, path: str) -> None:
        self.path = Path(path)
        if not self.path.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
        owner_only(self.path)
        self.db = sqlite3.connect(
            self.path, timeout=60.0, isolation_level=None, check_same_thread=False
        )
        self.turn = threading.Lock()
        try:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.executescript(SCHEMA)
        except sqlite3.Error:
            self.db.close()
            raise
        for companion in ("-wal", "-shm"):  # SQLite gives new ones the database file's mode
            owner_only(Path(f"{self.path}{companion}"))
        self.clock = StoreClock(self._now)

    def _now(self) -> float:
        return float(self.run(lambda db: db.execute(f"SELECT {NOW}").fetchone()[0]))

    def run(self, operation: Callable[[sqlite3.Connection], T]) -> T:
        """Run `operation` on the connection, this thread's turn."""
        with self.turn:
            return operation(self.db)

    def close(self) -> None:
        with self.turn:
            self.db.close()


DATABASES: Shared[SQLiteDatabase] = Shared(SQLiteDatabase, SQLiteDatabase.close)


class SQLiteTokenStore(DatabaseStore[SQLiteDatabase]):
    """One row per instance in a SQLite file (WAL; tables created on first use; mode 0600).

    Each process holds one connection per file, shared by every instance and thread. The refresh
    lock is a per-instance lock file beside the database (the filelock library), so a refresh in
    one instance never holds up the others' reads and writes.
    """

    databases = DATABASES
    failures = (OSError, sqlite3.Error)

    def __init__(self, path: str | os.PathLike[str], instance: str) -> None:
        super().__init__(os.path.realpath(path), instance)
        self.path = Path(path)
        self.name = str(self.path)
        digest = hashlib.sha256(instance.encode()).hexdigest()[:16]
        self._lock = LockFile(f"{self.path}.{digest}.lock")

    def __repr__(self) -> str:
        return f"SQLiteTokenStore({str(self.path)!r}, {self.instance!r})"

    def _run(self, doing: str, operation: Callable[[sqlite3.Connection], T]) -> T:
        with self.reporting(doing, *self.failures):
            return self._database.get().run(operation)

    def key(self) -> Hashable:
        """Every SQLiteTokenStore of one file and instance has the same key."""
        return ("sqlite", self._key, self.instance)

    def load(self) -> Token | None:
        """The stored token, or None when there is none."""
        row = self._run(
            "read the token",
            lambda db: db.execute(
                "SELECT token FROM qbtime_tokens WHERE instance = ?", (self.instance,)
            ).fetchone(),
        )
        if row is None:
            return None
        try:
            data = json.loads(row[0])
        except (TypeError, ValueError):
            raise self.failure("the stored token is not JSON; fix or delete its row") from None
        return stored_token(data, self)

    def save(self, token: Mapping[str, Any]) -> None:
        """Insert or replace this instance's row; committed (and synced) on return."""
        text = json.dumps(dict(token))
        self._run(
            "save the token",
            lambda db: db.execute(
                "INSERT INTO qbtime_tokens (instance, token, saved_at) "
                f"VALUES (?, ?, {NOW}) ON CONFLICT (instance) DO UPDATE SET "
                "token = excluded.token, saved_at = excluded.saved_at",
                (self.instance, text),
            ),
        )

    def forget(self) -> None:
        """Delete this instance's token and call budget from the file (the instance is gone)."""

        def delete(db: sqlite3.Connection) -> None:
            db.execute("DELETE FROM qbtime_tokens WHERE instance = ?", (self.instance,))
            db.execute("DELETE FROM qbtime_calls WHERE instance = ?", (self.instance,))

        self._run("forget the token", delete)

    def lock(self) -> contextlib.AbstractContextManager[None]:
        """Exclusive for this instance across threads and processes on this machine."""
        return self._lock.held(self)

    def admit(self, calls: int, window: float, now: float) -> float:
        """0.0 when one more call fits (and it is counted), else the seconds to wait first."""
        now += self._database.get().clock.offset()
        wait, corrupt = self._run("count the call", lambda db: self._admit(db, calls, window, now))
        if corrupt:
            raise self.failure(
                f"its call budget held an entry that is not a time ({corrupt!r}); "
                "the budget was reset"
            )
        return wait

    def _admit(
        self, db: sqlite3.Connection, calls: int, window: float, now: float
    ) -> tuple[float, str]:
        db.execute("BEGIN IMMEDIATE")
        try:
            rows = db.execute(
                "SELECT at FROM qbtime_calls WHERE instance = ?", (self.instance,)
            ).fetchall()
            corrupt = [r[0] for r in rows if not _is_time(r[0])]
            if corrupt:
                db.execute("DELETE FROM qbtime_calls WHERE instance = ?", (self.instance,))
                db.execute("COMMIT")
                return 0.0, str(corrupt[0])[:40]
            # Entries aged out, or further ahead than a window (a clock far off): gone.
            db.execute(
                "DELETE FROM qbtime_calls WHERE instance = ? AND (at <= ? OR at > ?)",
                (self.instance, now - window, now + window),
            )
            live = [r[0] for r in rows if now - window < r[0] <= now + window]
            _, wait = admit(live, calls, window, now)
            if not wait:
                db.execute(
                    "INSERT INTO qbtime_calls (instance, at) VALUES (?, ?)", (self.instance, now)
                )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return wait, ""


def _is_time(value: Any) -> bool:
    return isinstance(value, int | float) and math.isfinite(value)
