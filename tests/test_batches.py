"""Batch writes: records validated as the single action does; a part-way failure loses nothing.

Here `connection` is a Connection to `sandbox` that never sleeps between retries.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from qbtime_connector import ApiError, BatchError, Connection, InputError, invoke, manifest
from qbtime_connector.sandbox import Sandbox
from qbtime_connector.validation import prepare

from .conftest import new_worker, no_sleep_policy

POSTS = "POST /api/v1/timesheets"


@pytest.fixture
def connection(sandbox: Sandbox) -> Iterator[Connection]:
    with sandbox.connect(retry=no_sleep_policy()) as connected:
        yield connected


def slots(user: int, count: int) -> list[dict[str, Any]]:
    start = dt.datetime(2027, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=-7)))
    return [
        {
            "user_id": user,
            "jobcode_id": 2000004,
            "start": (start + dt.timedelta(hours=n)).isoformat(),
            "end": (start + dt.timedelta(hours=n, minutes=30)).isoformat(),
        }
        for n in range(count)
    ]


def outcomes(error: BatchError) -> list[str]:
    return [r["outcome"] for r in error.records]


def fail_post(sandbox: Sandbox, number: int, **fault: Any) -> None:
    """Make the sandbox's `number`-th POST /timesheets (from now) misbehave once."""
    state = sandbox.state
    target = state.count(POSTS) + number
    original = state.record

    def record(method: str, path: str) -> Any:
        found = original(method, path)
        if f"{method} {path}" == POSTS and state.count(POSTS) == target:
            state.inject(**fault)
            return state.faults.pop()
        return found

    state.record = record  # type: ignore[method-assign]


def test_a_5xx_on_the_second_request_keeps_the_first_results_and_is_not_retried(
    sandbox: Sandbox, connection: Connection
) -> None:
    user = new_worker(connection, "batch")
    first = sandbox.state.count(POSTS)
    fail_post(sandbox, 2, status=500)
    with pytest.raises(BatchError) as caught:
        invoke("create_timesheets", {"records": slots(user, 120)}, connection)
    assert sandbox.state.count(POSTS) - first == 2  # the 500 chunk was not retried
    error = caught.value
    assert outcomes(error) == ["applied"] * 50 + ["unknown"] * 50 + ["not_sent"] * 20
    assert [r["index"] for r in error.records] == list(range(120))
    applied = [r["result"]["id"] for r in error.records[:50]]
    assert set(applied) <= set(sandbox.state.company.timesheets)
    assert len(sandbox.state.company.timesheets) == 40 + 50
    assert all(r["result"] is None for r in error.records[50:])
    assert isinstance(error.cause, ApiError) and error.cause.status == 500
    assert "50 applied" in str(error) and "50 unknown" in str(error)


def test_a_dropped_connection_mid_batch_makes_that_chunk_unknown(
    sandbox: Sandbox, connection: Connection
) -> None:
    user = new_worker(connection, "batch")
    first = sandbox.state.count(POSTS)
    fail_post(sandbox, 2, drop=True)
    with pytest.raises(BatchError) as caught:
        invoke("create_timesheets", {"records": slots(user, 60)}, connection)
    assert outcomes(caught.value) == ["applied"] * 50 + ["unknown"] * 10
    assert sandbox.state.count(POSTS) - first == 2


def test_a_refused_chunk_is_not_applied_and_later_ones_not_sent(
    sandbox: Sandbox, connection: Connection
) -> None:
    user = new_worker(connection, "batch")
    fail_post(sandbox, 2, status=413)
    with pytest.raises(BatchError) as caught:
        invoke("create_timesheets", {"records": slots(user, 130)}, connection)
    assert outcomes(caught.value) == ["applied"] * 50 + ["not_applied"] * 50 + ["not_sent"] * 30


def test_items_the_api_refused_before_the_failure_are_failed_with_their_result(
    sandbox: Sandbox, connection: Connection
) -> None:
    user = new_worker(connection, "batch")
    records = slots(user, 60)
    records[5] = {**records[5], "jobcode_id": 999}
    fail_post(sandbox, 2, status=502)
    with pytest.raises(BatchError) as caught:
        invoke("create_timesheets", {"records": records}, connection)
    assert (
        outcomes(caught.value) == ["applied"] * 5 + ["failed"] + ["applied"] * 44 + ["unknown"] * 10
    )
    assert caught.value.records[5]["result"]["_status_code"] == 417


def test_without_a_failure_a_batch_returns_every_item(connection: Connection) -> None:
    user = new_worker(connection, "batch")
    records = slots(user, 60)
    records[55] = {**records[55], "jobcode_id": 999}
    result = invoke("create_timesheets", {"records": records}, connection)
    assert (result["succeeded"], [f["index"] for f in result["failed"]]) == (59, [55])


# -- validation: exactly as the single action ------------------------------------------------

BAD_TIMES = [
    ("2026-02-30T09:00:00-07:00", "2026-02-30T10:00:00-07:00", "start"),
    ("2026-11-24T10:00:00-07:00", "2026-11-24T09:00:00-07:00", "end"),
    ("2026-11-24T10:00:00-07:00", "2026-11-24T10:00:00-07:00", "end"),
    ("2026-11-24T10:00:00", "2026-11-24T11:00:00-07:00", "start"),
]


@pytest.mark.parametrize(("start", "end", "field"), BAD_TIMES)
def test_a_batch_timesheet_is_refused_where_the_single_action_refuses(
    connection: Connection, start: str, end: str, field: str
) -> None:
    single = {"user_id": 1000002, "jobcode_id": 2000004, "start_date": start, "end_date": end}
    with pytest.raises(InputError):
        invoke("create_timesheet", single, connection)
    good = slots(1000002, 2)
    bad = {"user_id": 1000002, "jobcode_id": 2000004, "start": start, "end": end}
    with pytest.raises(InputError) as caught:
        invoke("create_timesheets", {"records": [*good, bad]}, connection)
    (error,) = caught.value.errors
    assert error["input"] == "records"
    assert error["message"].startswith(f"record 3, field '{field}'")


def test_batch_records_are_converted_as_the_single_action_converts(
    sandbox: Sandbox, connection: Connection
) -> None:
    user = new_worker(connection, "batch")
    record = {
        "user_id": str(user),
        "jobcode_id": "2000004",
        "start": "2027-02-01T16:00:00Z",
        "end": dt.datetime(2027, 2, 1, 17, tzinfo=dt.timezone.utc),
        "notes": "",
    }
    result = invoke("create_timesheets", {"records": [record]}, connection)
    made = result["timesheets"][0]
    assert (made["_status_code"], made["start"], made["end"]) == (
        200,
        "2027-02-01T16:00:00+00:00",
        "2027-02-01T17:00:00+00:00",
    )


def test_a_batch_user_is_refused_where_create_user_refuses(connection: Connection) -> None:
    records = [
        {"username": "ok", "first_name": "A", "last_name": "B"},
        {"username": "x" * 300, "first_name": "A", "last_name": "B"},
    ]
    with pytest.raises(InputError, match="record 2, field 'username'"):
        invoke("create_users", {"records": records}, connection)
    with pytest.raises(InputError, match="record 1, field 'last_name': is required"):
        invoke("create_users", {"records": [{"username": "a", "first_name": "b"}]}, connection)


def test_batch_records_are_validated_one_by_one(connection: Connection) -> None:
    with pytest.raises(InputError) as caught:
        invoke(
            "create_timesheets",
            {
                "records": [
                    {"user_id": 1, "jobcode_id": 2},
                    {
                        "user_id": 1,
                        "jobcode_id": 2,
                        "start": "2027-01-01T09:00:00",
                        "end": "2027-01-01T10:00:00-07:00",
                    },
                ]
            },
            connection,
        )
    message = caught.value.errors[0]["message"]
    assert "record 1: needs start and end or duration and date" in message
    assert "record 2, field 'start'" in message
    with pytest.raises(InputError, match="Records"):
        invoke("create_users", {"records": []}, connection)
    with pytest.raises(InputError, match="record 2: must be an object; got None"):
        invoke("create_timesheets", {"records": [slots(1, 1)[0], None]}, connection)
    with pytest.raises(InputError, match="record 1, field 'username': is required"):
        invoke("create_users", {"records": [{}]}, connection)


def test_creating_500_timesheets_takes_10_calls(sandbox: Sandbox, connection: Connection) -> None:
    user = new_worker(connection, "batch")
    before = sandbox.state.count("POST /api/v1/timesheets")
    result = invoke("create_timesheets", {"records": slots(user, 500)}, connection)
    assert sandbox.state.count("POST /api/v1/timesheets") - before == 10
    assert (result["succeeded"], result["failed"]) == (500, [])
    assert len({s["id"] for s in result["timesheets"]}) == 500


def test_a_batch_reports_failures_per_item_and_keeps_the_successes(connection: Connection) -> None:
    good, barred = new_worker(connection, "good"), new_worker(connection, "barred", tracking=False)
    records = slots(good, 3) + slots(barred, 1) + slots(good, 1)  # last overlaps the first
    records.append(
        {
            "user_id": good,
            "jobcode_id": 2000004,
            "duration": 3600,
            "date": "2027-02-01",
            "notes": "",
        }
    )
    result = invoke("create_timesheets", {"records": records}, connection)
    assert result["succeeded"] == 4
    assert [(f["index"], f["_status_code"]) for f in result["failed"]] == [(3, 403), (4, 406)]
    assert result["timesheets"][5]["type"] == "manual"
    assert [i["_status_code"] for i in result["timesheets"]] == [200, 200, 200, 403, 406, 200]


def test_batch_updates_of_users_and_timesheets(connection: Connection) -> None:
    user = new_worker(connection, "upd")
    made = invoke("create_timesheets", {"records": slots(user, 2)}, connection)["timesheets"]
    changed = invoke(
        "update_timesheets",
        {"records": [{"id": str(s["id"]), "notes": "batch note"} for s in made]},
        connection,
    )
    assert [t["notes"] for t in changed["timesheets"]] == ["batch note", "batch note"]
    users = invoke(
        "update_users",
        {"records": f'[{{"id": {user}, "email": "b@example.com"}}, {{"username": "nobody"}}]'},
        connection,
    )
    assert users["succeeded"] == 1 and users["failed"][0]["_status_code"] == 417


def test_a_failure_before_anything_was_applied_raises_the_contracts_own_error(
    sandbox: Sandbox, connection: Connection
) -> None:
    user = new_worker(connection, "batch")
    fail_post(sandbox, 1, status=417)
    with pytest.raises(ApiError) as caught:
        invoke("create_timesheets", {"records": slots(user, 60)}, connection)
    assert not isinstance(caught.value, BatchError) and caught.value.status == 417


def test_a_batch_declared_only_in_the_manifest_checks_records_as_its_record_action(
    manifest_copy: Callable[[dict[str, Any]], None],
) -> None:
    """No list in the code names the batches: the manifest's record_action (and rules) do."""
    document = copy.deepcopy(manifest.load_raw())
    batch = next(e for e in document["actions"] if e["key"] == "create_timesheets")
    document["actions"].append({**batch, "key": "log_hours", "label": "Log Hours"})
    manifest_copy(document)
    spec = manifest.action("log_hours")
    sheet = {"user_id": "7", "jobcode_id": 2, "start": "2026-11-24T09:00:00Z"}
    with pytest.raises(InputError, match="record 1, field 'end': must be after Start Date"):
        prepare(spec, {"records": [{**sheet, "end": "2026-11-24T08:00:00Z"}]})
    manual = {"user_id": "7", "jobcode_id": 2, "duration": 3600, "date": "2026-11-24", "notes": ""}
    call = prepare(spec, {"records": [{**sheet, "end": "2026-11-24T10:00:00Z"}, manual]})
    assert call.options["records"] == [
        {
            "user_id": 7,
            "jobcode_id": 2,
            "start": "2026-11-24T09:00:00+00:00",
            "end": "2026-11-24T10:00:00+00:00",
            "type": "regular",  # Create Timesheet's fixed value
        },
        {"user_id": 7, "jobcode_id": 2, "duration": 3600, "date": "2026-11-24", "type": "manual"},
    ]
    with pytest.raises(InputError, match=r"record 1, field 'duration': is required$"):
        prepare(spec, {"records": [{**sheet, "end": "2026-11-24T10:00:00Z", "type": "manual"}]})
