"""`qbtime-connector demo`: a builder's whole flow, end to end, against an embedded sandbox."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Collection
from typing import Any

from . import invoke, manifest
from .connection import Connection
from .errors import InputError
from .sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Sandbox

Say = Callable[[str], None]
# The actions and pick lists the story before the tour runs (its steps 3 to 25).
STORY = (
    "get_users", "get_job_codes", "create_user", "update_user", "get_job_code_assignments",
    "create_timesheet", "update_timesheet", "get_timesheets", "delete_timesheet",
    "get_current_user", "job_code_options", "get_changes", "create_timesheets", "find_users",
    "clock_in", "get_current_totals", "clock_out", "submit_timesheets", "approve_timesheets",
    "get_payroll_report",
)  # fmt: skip


def create_worker(
    conn: Connection,
    username: str,
    first: str = "Demo",
    last: str = "Worker",
    tracking: bool = True,
) -> dict[str, Any]:
    """Create a user who may track time (new users may not, until permitted)."""
    extra = {"permissions": {"time_tracking": tracking}}
    made = invoke(
        "create_user",
        {
            "username": username,
            "first_name": first,
            "last_name": last,
            "additional_query_parameters": extra,
        },
        conn,
    )
    user: dict[str, Any] = made["users"][0]
    return user


class Steps:
    """Numbers and prints the demo's steps."""

    def __init__(self, say: Say) -> None:
        self.say = say
        self.done = 0

    def ok(self, title: str, detail: str) -> None:
        self.done += 1
        self.say(f"{self.done:>3}. {title:<34} {detail}")


def run_demo(say: Say = print) -> int:
    """Run every action against a fresh sandbox; returns the number of steps that passed."""
    steps = Steps(say)
    with Sandbox() as sandbox:
        say(f"Sandbox API at {sandbox.base_url} (demo app {DEMO_CLIENT_ID})\n")
        code = sandbox.authorize()
        steps.ok("Authorize", f"admin approved the app; got a code ({len(code)} chars)")
        rotated: list[dict[str, Any]] = []
        with Connection(
            DEMO_CLIENT_ID,
            DEMO_CLIENT_SECRET,
            sandbox.token(),
            base_url=sandbox.base_url,
            on_token_refresh=rotated.append,
        ) as conn:
            steps.ok(
                "Grant",
                f"token for user {conn.token['user_id']}, expires in "
                f"{int(conn.token['expires_in']) // 86400} days",
            )
            _flow(conn, sandbox, steps, rotated)
            _beyond(conn, sandbox, steps)
            _more(conn, steps)
            run_tour(conn, steps, STORY)
    say(f"\nAll {steps.done} steps passed.")
    return steps.done


def _flow(conn: Connection, sandbox: Sandbox, steps: Steps, rotated: list[Any]) -> None:
    users = invoke("get_users", {"per_page": 50}, conn)["users"]
    steps.ok("Get Users", f"{len(users)} active users: " + ", ".join(u["username"] for u in users))
    codes = invoke("get_job_codes", {"active": "yes"}, conn)["jobcodes"]
    steps.ok("Get Job Codes", ", ".join(c["name"] for c in codes))
    user = create_worker(conn, "demo.worker")
    steps.ok(
        "Create User",
        f"{user['first_name']} {user['last_name']} is user {user['id']}, allowed to track time",
    )
    renamed = invoke(
        "update_user",
        {
            "id": str(user["id"]),
            "additional_query_parameters": {"email": "demo.worker@example.com"},
        },
        conn,
    )["users"][0]
    steps.ok("Update User", f"email is now {renamed['email']}")
    assignments = invoke("get_job_code_assignments", {"user_ids": [u["id"] for u in users]}, conn)[
        "jobcode_assignments"
    ]
    steps.ok("Get Job Code Assignments", f"{len(assignments)} active assignments")
    day = dt.date(2026, 11, 24)
    sheet = invoke(
        "create_timesheet",
        {
            "user_id": user["id"],
            "jobcode_id": codes[0]["id"],
            "start_date": f"{day}T09:00:00-07:00",
            "end_date": f"{day}T12:00:00-07:00",
            "additional_query_parameters": {"notes": "created by the demo"},
        },
        conn,
    )["timesheets"][0]
    steps.ok(
        "Create Timesheet",
        f"timesheet {sheet['id']}: {sheet['start']} to "
        f"{sheet['end']} ({sheet['duration'] // 3600} h)",
    )
    sheet = invoke(
        "update_timesheet", {"timesheet_id": sheet["id"], "end_date": f"{day}T13:30:00-07:00"}, conn
    )["timesheets"][0]
    steps.ok("Update Timesheet", f"now ends {sheet['end']} ({sheet['duration'] / 3600:g} h)")
    sandbox.state.expire_tokens()
    found = invoke("get_timesheets", {"start_date": str(day), "user_ids": user["id"]}, conn)
    steps.ok(
        "Get Time Sheets",
        f"{len(found['timesheets'])} on {day} after the access token "
        f"expired: refreshed {len(rotated)} time, new token handed "
        "to the host",
    )
    deleted = invoke("delete_timesheet", {"timesheet_ids": str(sheet["id"])}, conn)
    steps.ok("Delete Timesheet", deleted["timesheets"][0]["_status_message"])
    try:
        invoke(
            "create_timesheet",
            {"user_id": user["id"], "jobcode_id": "x", "start_date": f"{day}T09:00:00"},
            conn,
        )
    except InputError as error:
        steps.ok(
            "Bad input refused",
            f"before any call: {len(error.errors)} inputs named ("
            + ", ".join(e["label"] for e in error.errors)
            + ")",
        )


def _beyond(conn: Connection, sandbox: Sandbox, steps: Steps) -> None:
    """What the spec page's connector cannot do: pick lists, fetch all, batches, change polls."""
    me = invoke("get_current_user", {}, conn)["user"]
    steps.ok("Get Current User", f"connected as {me['first_name']} {me['last_name']}")
    options = invoke("job_code_options", {}, conn)["options"]
    steps.ok("Pick list: Job Codes", ", ".join(o["label"] for o in options[:3]) + ", …")
    cursor = invoke("get_changes", {}, conn)["cursor"]
    steps.ok("Get Changes (first poll)", f"baseline taken; cursor of {len(cursor)} chars")
    calls = sandbox.state.count("GET /api/v1/timesheets")
    everything = invoke("get_timesheets", {"start_date": "2026-11-16", "fetch_all": "true"}, conn)
    steps.ok(
        "Fetch All",
        f"{len(everything['timesheets'])} timesheets in "
        f"{sandbox.state.count('GET /api/v1/timesheets') - calls} call(s)",
    )
    worker = invoke(
        "get_users", {"additional_query_parameters": {"usernames": "demo.worker"}}, conn
    )["users"][0]
    records = [
        {
            "user_id": worker["id"],
            "jobcode_id": 2000004,
            "start": f"2026-12-{1 + n // 8:02d}T{8 + n % 8:02d}:00:00-07:00",
            "end": f"2026-12-{1 + n // 8:02d}T{8 + n % 8:02d}:45:00-07:00",
        }
        for n in range(60)
    ]
    posts = sandbox.state.count("POST /api/v1/timesheets")
    batch = invoke("create_timesheets", {"records": records}, conn)
    steps.ok(
        "Create Timesheets (batch)",
        f"{batch['succeeded']} created, "
        f"{len(batch['failed'])} failed, in "
        f"{sandbox.state.count('POST /api/v1/timesheets') - posts}"
        " requests",
    )
    first, second = (item["id"] for item in batch["timesheets"][:2])
    invoke(
        "update_timesheet",
        {"timesheet_id": first, "additional_query_parameters": {"notes": "changed"}},
        conn,
    )
    invoke("delete_timesheet", {"timesheet_ids": second}, conn)
    # More than 40 changes within the current second are reported once that second is over.
    time.sleep(1.0 - time.time() % 1.0)
    changes = invoke("get_changes", {"cursor": cursor}, conn)
    steps.ok(
        "Get Changes (next poll)",
        f"{len(changes['timesheets'])} timesheets created or changed, "
        f"{len(changes['deleted_timesheets'])} deleted, {len(changes['users'])} users",
    )
    again = invoke("get_changes", {"cursor": changes["cursor"]}, conn)
    steps.ok("Get Changes (poll again)", f"{again['count']} changes: nothing is reported twice")


def _more(conn: Connection, steps: Steps) -> None:
    """A day at work: clock in and out, submit and approve the week, and the payroll report."""
    mary = invoke("find_users", {"name": "Mary Samsonite"}, conn)["users"][0]
    shift = {
        "user_id": str(mary["id"]),
        "jobcode_id": "2000002",
        "customfields": {"7001": "Tractor"},
    }
    opened = invoke("clock_in", {**shift, "start_time": "2026-11-27T08:00:00-07:00"}, conn)
    sheet = opened["timesheets"][0]
    steps.ok("Clock In", f"{mary['first_name']} on the clock since {sheet['start']} (Tractor)")
    totals = invoke("get_current_totals", {"on_the_clock": "yes"}, conn)["current_totals"]
    steps.ok("Get Current Totals", f"{len(totals)} user(s) on the clock right now")
    closed = invoke(
        "clock_out", {"user_id": str(mary["id"]), "end_time": "2026-11-27T16:30:00-07:00"}, conn
    )["timesheets"][0]
    steps.ok("Clock Out", f"shift ended {closed['end']} ({closed['duration'] / 3600:g} h)")
    week = {"user_ids": str(mary["id"]), "date": "2026-11-22"}
    submitted = invoke("submit_timesheets", week, conn)["users"][0]
    steps.ok("Submit Timesheets", f"submitted to {submitted['submitted_to']}")
    approved = invoke("approve_timesheets", week, conn)["users"][0]
    steps.ok("Approve Timesheets", f"approved to {approved['approved_to']}")
    report = invoke(
        "get_payroll_report", {"start_date": "2026-11-16", "end_date": "2026-11-22"}, conn
    )["payroll_report"]
    hours = sum(r["total_work_seconds"] for r in report) / 3600
    steps.ok("Get Payroll Report", f"{len(report)} users, {hours:g} h worked 2026-11-16 to 22")


def run_tour(
    conn: Connection, steps: Steps | None = None, ran: Collection[str] = ()
) -> dict[str, dict[str, Any]]:
    """Run every step of the tour in order on a connection to a freshly seeded sandbox: TOUR's,
    then one for each other action and pick list not in `ran`, with its inputs' examples (so
    an action that is only a manifest entry runs too); each result by its key."""
    from .tour import TOUR, Done, Step, summary

    done = Done()
    declared = {step.key for step in TOUR}
    every = [*manifest.actions().values(), *manifest.data_sources().values()]
    others = [
        Step(spec.key, {i.key: i.example for i in spec.value_inputs if i.required})
        for spec in every
        if spec.key not in declared and spec.key not in ran
    ]
    for step in [*TOUR, *others]:
        result = invoke(step.key, step.inputs(done), conn)
        done.results[step.key] = result
        if steps is not None:
            steps.ok(manifest.action(step.key).label, summary(step, result))
    return done.results
