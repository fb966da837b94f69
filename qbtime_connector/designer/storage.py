"""The designer's SQLite file: flows, their last results and runs, instances, OAuth states."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

STATE_LIFETIME = 600.0  # seconds an OAuth state stays redeemable
RUNS_KEPT = 50  # runs of one flow kept in its history

_TABLES = """
CREATE TABLE IF NOT EXISTS flows (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, definition TEXT NOT NULL, updated REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS instances (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS oauth_states (
    state TEXT PRIMARY KEY, instance_id INTEGER NOT NULL, redirect_uri TEXT NOT NULL,
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS last_results (
    flow_id INTEGER NOT NULL, step TEXT NOT NULL, result TEXT NOT NULL, at REAL NOT NULL,
    source TEXT NOT NULL, PRIMARY KEY (flow_id, step)
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY, flow_id INTEGER NOT NULL, instance_id INTEGER NOT NULL,
    instance TEXT NOT NULL, started REAL NOT NULL, finished REAL NOT NULL, outcome TEXT NOT NULL,
    report TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_of_flow ON runs (flow_id, id);
CREATE TABLE IF NOT EXISTS trigger_states (
    flow_id INTEGER NOT NULL, instance_id INTEGER NOT NULL, state TEXT NOT NULL,
    PRIMARY KEY (flow_id, instance_id)
);
"""


TRIGGER_STEP = "trigger"  # the row of last_results that holds the trigger's
_OF_A_FLOW = (
    ("flows", "id"),
    ("trigger_states", "flow_id"),
    ("last_results", "flow_id"),
    ("runs", "flow_id"),
)
# An instance's runs stay in their flows' histories, under its name.
_OF_AN_INSTANCE = (
    ("instances", "id"),
    ("oauth_states", "instance_id"),
    ("trigger_states", "instance_id"),
)


class Storage:
    """Flows, instances and OAuth states in one SQLite file (tokens live in the token store)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        with self._db() as db:
            db.executescript(_TABLES)

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        # One short-lived connection per operation: the server answers from several threads.
        with self._lock:
            db = sqlite3.connect(self.path)
            try:
                with db:
                    yield db
            finally:
                db.close()

    # -- flows -------------------------------------------------------------------------

    def flows(self) -> list[dict[str, Any]]:
        """Every saved flow: id, name and definition."""
        with self._db() as db:
            rows = db.execute("SELECT id, name, definition FROM flows ORDER BY id").fetchall()
        return [{"id": i, "name": n, "definition": json.loads(d)} for i, n, d in rows]

    def flow(self, flow_id: int) -> dict[str, Any] | None:
        """One saved flow, or None."""
        return next((f for f in self.flows() if f["id"] == flow_id), None)

    def save_flow(self, flow_id: int | None, name: str, definition: dict[str, Any]) -> int:
        """Create (flow_id None) or replace a flow; its id."""
        text = json.dumps(definition)
        with self._db() as db:
            if flow_id is None:
                cursor = db.execute(
                    "INSERT INTO flows (name, definition, updated) VALUES (?, ?, ?)",
                    (name, text, time.time()),
                )
                return int(cursor.lastrowid or 0)
            db.execute(
                "UPDATE flows SET name = ?, definition = ?, updated = ? WHERE id = ?",
                (name, text, time.time(), flow_id),
            )
            return flow_id

    def delete_flow(self, flow_id: int) -> None:
        """Forget a flow, its trigger states, last results and runs."""
        with self._db() as db:
            for table, column in _OF_A_FLOW:
                db.execute(f"DELETE FROM {table} WHERE {column} = ?", (flow_id,))

    # -- last results (what later steps map from) and runs ------------------------------

    def last_results(self, flow_id: int) -> dict[str, Any]:
        """{"trigger": {result, at, source} or None, "steps": {id: {result, at, source}}}."""
        with self._db() as db:
            rows = db.execute(
                "SELECT step, result, at, source FROM last_results WHERE flow_id = ?", (flow_id,)
            ).fetchall()
        found: dict[str, Any] = {"trigger": None, "steps": {}}
        for step, result, at, source in rows:
            kept = {"result": json.loads(result), "at": at, "source": source}
            if step == TRIGGER_STEP:
                found["trigger"] = kept
            else:
                found["steps"][step] = kept
        return found

    def save_result(self, flow_id: int, step: str, result: Any, source: str) -> None:
        """Keep a step's (or, as "trigger", the trigger's) latest result; source: test or run."""
        with self._db() as db:
            db.execute(
                "INSERT OR REPLACE INTO last_results (flow_id, step, result, at, source)"
                " VALUES (?, ?, ?, ?, ?)",
                (flow_id, step, json.dumps(result), time.time(), source),
            )

    def add_run(self, flow_id: int, instance: dict[str, Any], started: float, report: Any) -> int:
        """Keep a finished run in the flow's history (the last RUNS_KEPT); its id."""
        failed = any(
            o and o.get("status") == "error" for o in [report.get("trigger"), *report["steps"]]
        )
        with self._db() as db:
            cursor = db.execute(
                "INSERT INTO runs (flow_id, instance_id, instance, started, finished, outcome,"
                " report) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    flow_id,
                    instance["id"],
                    instance["name"],
                    started,
                    time.time(),
                    "failed" if failed else "succeeded",
                    json.dumps(report),
                ),
            )
            db.execute(
                "DELETE FROM runs WHERE flow_id = ? AND id NOT IN (SELECT id FROM runs"
                " WHERE flow_id = ? ORDER BY id DESC LIMIT ?)",
                (flow_id, flow_id, RUNS_KEPT),
            )
            return int(cursor.lastrowid or 0)

    def runs(self, flow_id: int) -> list[dict[str, Any]]:
        """The flow's runs, newest first: when, for which instance, the outcome, each step's."""
        with self._db() as db:
            rows = db.execute(
                "SELECT id, instance_id, instance, started, finished, outcome, report FROM runs"
                " WHERE flow_id = ? ORDER BY id DESC",
                (flow_id,),
            ).fetchall()
        keys = ("id", "instance_id", "instance", "started", "finished", "outcome")
        return [
            {**dict(zip(keys, row[:6], strict=True)), "report": json.loads(row[6])} for row in rows
        ]

    # -- instances ---------------------------------------------------------------------

    def instances(self) -> list[dict[str, Any]]:
        """Every customer instance: id and name."""
        with self._db() as db:
            rows = db.execute("SELECT id, name FROM instances ORDER BY id").fetchall()
        return [{"id": i, "name": n} for i, n in rows]

    def instance(self, instance_id: int) -> dict[str, Any] | None:
        """One instance, or None."""
        return next((i for i in self.instances() if i["id"] == instance_id), None)

    def add_instance(self, name: str) -> int:
        """A new customer instance (names are unique); its id, never one a deleted instance had:
        its token store is named by it, and a deleted instance's refresh that saves late must
        not hand its customer's token to a new one (SQLite reuses the highest id)."""
        with self._db() as db:
            db.execute("INSERT OR IGNORE INTO counters VALUES ('instances', 0)")
            db.execute(
                "UPDATE counters SET value = max(value, (SELECT coalesce(max(id), 0)"
                " FROM instances)) + 1 WHERE name = 'instances'"
            )
            (new,) = db.execute("SELECT value FROM counters WHERE name = 'instances'").fetchone()
            db.execute(
                "INSERT INTO instances (id, name, created) VALUES (?, ?, ?)",
                (new, name, time.time()),
            )
            return int(new)

    def delete_instance(self, instance_id: int) -> None:
        """Forget an instance, its pending sign-ins and its trigger states."""
        with self._db() as db:
            for table, column in _OF_AN_INSTANCE:
                db.execute(f"DELETE FROM {table} WHERE {column} = ?", (instance_id,))

    # -- OAuth states ------------------------------------------------------------------

    def add_state(self, state: str, instance_id: int, redirect_uri: str) -> None:
        """Remember an authorize request's state until its redirect comes back."""
        with self._db() as db:
            db.execute(
                "INSERT INTO oauth_states (state, instance_id, redirect_uri, created)"
                " VALUES (?, ?, ?, ?)",
                (state, instance_id, redirect_uri, time.time()),
            )

    def take_state(self, state: str) -> tuple[int, str] | None:
        """The (instance id, redirect URI) a fresh state was issued for, used up; else None."""
        with self._db() as db:
            row = db.execute(
                "SELECT instance_id, redirect_uri, created FROM oauth_states WHERE state = ?",
                (state,),
            ).fetchone()
            db.execute("DELETE FROM oauth_states WHERE state = ?", (state,))
        if row is None or time.time() - row[2] > STATE_LIFETIME:
            return None
        return int(row[0]), str(row[1])

    # -- trigger states ----------------------------------------------------------------

    def trigger_state(self, flow_id: int, instance_id: int) -> Any:
        """What the flow's trigger last returned as its state for this instance (or None)."""
        with self._db() as db:
            row = db.execute(
                "SELECT state FROM trigger_states WHERE flow_id = ? AND instance_id = ?",
                (flow_id, instance_id),
            ).fetchone()
        return json.loads(row[0]) if row else None

    def save_trigger_state(self, flow_id: int, instance_id: int, state: Any) -> None:
        """Keep the trigger's state for the next run."""
        with self._db() as db:
            db.execute(
                "INSERT OR REPLACE INTO trigger_states (flow_id, instance_id, state)"
                " VALUES (?, ?, ?)",
                (flow_id, instance_id, json.dumps(state)),
            )
