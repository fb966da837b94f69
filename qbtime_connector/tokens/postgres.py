"""PostgresTokenStore: tokens shared by workers on many machines (psycopg 3, extra `postgres`).

Each process keeps one small pool of sessions per database (psycopg_pool), shared by every
instance and thread, made anew in a forked child: 1,000 instances in 8 workers hold at most
8 x POOL_SIZE sessions. A refresh holds one pooled session for its advisory lock and does its
reads and writes on that same session; at most half the pool may be held by refreshes at once,
so the other instances' calls always find a session. A session the server dropped (restart,
failover, pg_terminate_backend) is replaced and the statement tried again.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Hashable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import psycopg

from ..pacing import admit
from ..processes import PerProcess, Shared
from .clocks import StoreClock
from .locations import database_name, passwords_in
from .store import DatabaseStore, Token, stored_token

if TYPE_CHECKING:
    from psycopg_pool import ConnectionPool

T = TypeVar("T")
Session = psycopg.Connection[Any]

POOL_SIZE = 4  # sessions per database per process, unless QBTIME_POSTGRES_POOL_SIZE says
TIMEOUT = 10.0  # seconds to wait for a session, unless QBTIME_POSTGRES_TIMEOUT says
LOCK_WAIT = 120.0  # seconds to wait for another worker's refresh of the same instance
RECONNECTS = 3  # tries of a statement whose session the server dropped
SCHEMA = [
    "CREATE TABLE IF NOT EXISTS qbtime_tokens (instance TEXT PRIMARY KEY, token JSONB NOT NULL,"
    " saved_at DOUBLE PRECISION NOT NULL)",
    "CREATE TABLE IF NOT EXISTS qbtime_calls (instance TEXT NOT NULL,"
    " at DOUBLE PRECISION NOT NULL)",
    "CREATE INDEX IF NOT EXISTS qbtime_calls_instance ON qbtime_calls (instance, at)",
]
SCHEMA_LOCK = 0x71B7_0000  # advisory lock key: one worker creates the tables at a time
TABLES_EXIST = (
    "SELECT to_regclass('qbtime_tokens') IS NOT NULL AND to_regclass('qbtime_calls') IS NOT NULL"
    " AND to_regclass('qbtime_calls_instance') IS NOT NULL"
)
NOW = "extract(epoch FROM clock_timestamp())::float8"


class _ConnectFailures(logging.Filter):
    """Keeps each pool's last failure to connect (psycopg_pool only logs it), so a StoreError
    after a wait for a session says why: a refused connection, a wrong password…"""

    def __init__(self) -> None:
        super().__init__()
        self.last: dict[str, tuple[float, str]] = {}  # pool name: (when, what)

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, tuple) else ()
        if record.msg == "error connecting in %r: %s" and len(args) == 2:
            self.last[str(args[0])] = (record.created, " ".join(str(args[1]).split()))
        return True  # a host that logs psycopg.pool still sees every line

    def during(self, pool: str, seconds: float) -> str | None:
        """The pool's failure to connect in the last `seconds`, if any (an older one, say from
        a restart hours ago, does not explain this wait)."""
        when, what = self.last.get(pool, (0.0, ""))
        return what if when >= time.time() - seconds else None


CONNECT_FAILURES = _ConnectFailures()
POOL_LOG = logging.getLogger("psycopg.pool")
POOL_LOG.addFilter(CONNECT_FAILURES)
# Unconfigured, Python prints the pool's warnings on stderr (four lines per call while a
# database is down, ahead of the StoreError that says it once): a host's logging decides.
POOL_LOG.addHandler(logging.NullHandler())
_POOL_NAMES = itertools.count(1)


def lock_key(instance: str, purpose: str) -> int:
    """A signed 64-bit advisory-lock key for this instance and purpose."""
    digest = hashlib.sha256(f"qbtime:{purpose}:{instance}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _setting(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, "") or default)
    except ValueError:
        return default


class PostgresDatabase:
    """One database as this process uses it: a bounded pool, its tables made once, its clock."""

    def __init__(self, dsn: str, size: int, timeout: float) -> None:
        from psycopg.conninfo import conninfo_to_dict
        from psycopg_pool import ConnectionPool

        options: dict[str, Any] = {"autocommit": True}
        if "application_name" not in conninfo_to_dict(dsn):  # a malformed DSN fails here
            options["application_name"] = "qbtime-connector"
        self.pool: ConnectionPool[Session] = ConnectionPool(
            dsn,
            min_size=0,
            max_size=size,
            kwargs=options,
            timeout=timeout,
            name=f"qbtime-tokens-{next(_POOL_NAMES)}",
            open=True,
            num_workers=2,  # threads that open sessions in the background
        )
        self.refreshes = threading.BoundedSemaphore(max(1, size // 2))
        self.clock = StoreClock(self._now)
        self._ready = False
        self._preparing = threading.Lock()

    def _now(self) -> float:
        return float(self.run(lambda db: _one(db, f"SELECT {NOW}")))

    def close(self) -> None:
        self.pool.close()

    def run(self, operation: Callable[[Session], T], session: Session | None = None) -> T:
        """Run `operation` on `session`, else a pooled one; a dropped session is replaced."""
        if session is not None and not session.broken:
            try:
                return operation(session)
            except psycopg.OperationalError:
                if not session.broken:
                    raise  # the refresh lock's session died with it: go on with another
        for attempt in range(RECONNECTS + 1):
            try:
                with self.pool.connection() as db:
                    self._prepare(db)
                    return operation(db)
            except psycopg.OperationalError as error:
                if not _lost(error):
                    raise self.why(error) from error
                if attempt == RECONNECTS:
                    raise
                self._reconnect(attempt)
        raise AssertionError("unreachable")

    def why(self, timeout: psycopg.OperationalError) -> psycopg.OperationalError:
        """A wait for a session that timed out, with the pool's last failure to connect."""
        failure = CONNECT_FAILURES.during(self.pool.name, self.pool.timeout + 1.0)
        if failure is None:
            return timeout  # every session was busy: the pool is too small for the load
        return type(timeout)(f"{timeout}; the last try to connect: {failure}")

    def _prepare(self, db: Session) -> None:
        """Create the tables, once per database and process (and only if they are missing)."""
        if self._ready:
            return
        with self._preparing:
            if self._ready:
                return
            if not _one(db, TABLES_EXIST):
                with db.transaction():
                    db.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
                    for statement in SCHEMA:
                        db.execute(statement)
            self._ready = True

    @contextlib.contextmanager
    def session_locked(self, key: int) -> Iterator[Session]:
        """A pooled session holding the advisory lock `key` (for at most half the pool)."""
        with self.refreshes:
            db = self._locked_session(key)
            try:
                yield db
            finally:
                if not db.broken:
                    try:
                        db.execute("SELECT pg_advisory_unlock(%s)", (key,))
                    except psycopg.Error:
                        db.close()  # never back into the pool with the lock held
                self.pool.putconn(db)

    def _locked_session(self, key: int) -> Session:
        for attempt in range(RECONNECTS + 1):
            try:
                db = self.pool.getconn()
            except psycopg.OperationalError as error:
                raise self.why(error) from error
            try:
                self._prepare(db)
                deadline, pause = time.monotonic() + LOCK_WAIT, 0.005
                while not _one(db, "SELECT pg_try_advisory_lock(%s)", (key,)):
                    if time.monotonic() > deadline:
                        raise TimeoutError(f"another worker held the refresh lock {LOCK_WAIT:g} s")
                    time.sleep(pause)
                    pause = min(pause * 2, 0.1)
                return db
            except psycopg.OperationalError as error:
                self.pool.putconn(db)
                if attempt == RECONNECTS or not _lost(error):
                    raise
                self._reconnect(attempt)
            except BaseException:
                self.pool.putconn(db)
                raise
        raise AssertionError("unreachable")

    def _reconnect(self, attempt: int) -> None:
        """After a lost session: drop every idle one the server ended too, then back off."""
        self.pool.check()
        time.sleep(0.05 * 2**attempt)


def _one(db: Session, query: str, parameters: tuple[Any, ...] = ()) -> Any:
    row = db.execute(query, parameters).fetchone()
    return row[0] if row else None


def _lost(error: psycopg.OperationalError) -> bool:
    """Whether the session was lost (and a new one may succeed), not a timeout of the pool."""
    from psycopg_pool import PoolTimeout

    return not isinstance(error, PoolTimeout)


def _open_database(key: str) -> PostgresDatabase:
    dsn, size, timeout = json.loads(key)
    return PostgresDatabase(dsn, size, timeout)


DATABASES: Shared[PostgresDatabase] = Shared(_open_database, PostgresDatabase.close)


class PostgresTokenStore(DatabaseStore[PostgresDatabase]):
    """One row per instance; the refresh lock is an advisory lock on a pooled session.

    `pool_size` (default 4, or QBTIME_POSTGRES_POOL_SIZE) bounds this process's sessions to the
    database, whatever the number of instances; `timeout` (default 10 s, or
    QBTIME_POSTGRES_TIMEOUT) is how long a call waits for one before a StoreError.
    """

    databases = DATABASES
    failures = (psycopg.Error, OSError)

    def __init__(
        self,
        dsn: str,
        instance: str,
        *,
        pool_size: int | None = None,
        timeout: float | None = None,
    ) -> None:
        size = pool_size or int(_setting("QBTIME_POSTGRES_POOL_SIZE", POOL_SIZE))
        wait = timeout if timeout is not None else _setting("QBTIME_POSTGRES_TIMEOUT", TIMEOUT)
        super().__init__(json.dumps([dsn, max(1, size), wait]), instance)
        self._dsn = dsn
        self.name = database_name(dsn)
        self._threads: PerProcess[threading.RLock] = PerProcess(threading.RLock)
        self._held: PerProcess[threading.local] = PerProcess(threading.local)

    def __repr__(self) -> str:
        return f"PostgresTokenStore({self.name!r}, instance={self.instance!r})"

    def secrets(self) -> list[str]:
        """The DSN's password, kept out of every error."""
        return passwords_in(self._dsn)

    def _run(self, doing: str, operation: Callable[[Session], T]) -> T:
        with self.reporting(doing, *self.failures):
            held: Session | None = getattr(self._held.get(), "session", None)
            return self._database.get().run(operation, held)

    def key(self) -> Hashable:
        """Every PostgresTokenStore of one database and instance has the same key."""
        return ("postgresql", self.name, self.instance)

    def load(self) -> Token | None:
        """The stored token, or None when there is none."""
        row = self._run(
            "read the token",
            lambda db: db.execute(
                "SELECT token FROM qbtime_tokens WHERE instance = %s", (self.instance,)
            ).fetchone(),
        )
        return None if row is None else stored_token(row[0], self)

    def save(self, token: Mapping[str, Any]) -> None:
        """Insert or replace this instance's row; committed on return."""
        text = json.dumps(dict(token))
        self._run(
            "save the token",
            lambda db: db.execute(
                "INSERT INTO qbtime_tokens (instance, token, saved_at) "
                f"VALUES (%s, %s, {NOW}) ON CONFLICT (instance) DO UPDATE SET "
                "token = excluded.token, saved_at = excluded.saved_at",
                (self.instance, text),
            ),
        )

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Exclusive for this instance across threads, processes and machines."""
        held = self._held.get()
        with self._threads.get():
            if getattr(held, "session", None) is not None:
                yield  # this thread holds it already
                return
            database = self._database.get()
            key = lock_key(self.instance, "refresh")
            with self.reporting("take the lock", *self.failures):
                locked = database.session_locked(key)
                held.session = locked.__enter__()
            try:
                yield
            finally:
                held.session = None
                locked.__exit__(None, None, None)

    def admit(self, calls: int, window: float, now: float) -> float:
        """0.0 when one more call fits (and it is counted), else the seconds to wait first."""
        now += self._database.get().clock.offset()
        return self._run("count the call", lambda db: self._admit(db, calls, window, now))

    def _admit(self, db: Session, calls: int, window: float, now: float) -> float:
        with db.transaction():
            db.execute("SELECT pg_advisory_xact_lock(%s)", (lock_key(self.instance, "calls"),))
            # Entries aged out, or further ahead than a window (a clock far off): gone.
            db.execute(
                "DELETE FROM qbtime_calls WHERE instance = %s AND (at <= %s OR at > %s)",
                (self.instance, now - window, now + window),
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
