"""Hostile and unusual inputs: each passes, or is an InputError naming the input, before a call;
query values and paths are encoded, never interpreted."""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import re
from collections import Counter
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import responses
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qbtime_connector import (
    ApiError,
    Connection,
    ConnectorError,
    InputError,
    invoke,
    manifest,
    poll,
)
from qbtime_connector.sandbox import Sandbox
from qbtime_connector.screening import MAX_DEPTH, MAX_IDS
from qbtime_connector.validation import prepare, safe_key

from .conftest import API, EXAMPLES_PER_ACTION, listing, make_token

NASTY = [
    "1;DROP TABLE users",
    "../../etc/passwd",
    "1\r\nX-Injected: yes",
    "&ids=1,2",
    "%0d%0a",
    "1 OR 1=1",
    "<script>",
    "\u202e1",
    "\uff11\uff12\uff13",
    "0x10",
    "-1",
    "1e3",
    "9" * 400,
    "2026-11-24T09:00:00-07:00\n",
    "2026-11-24T09:00:00Z",
    "2026-11-24T09:00:00",
    " ",
    "null",
    "true",
    "{}",
    "[]",
    "a\x00b",
    "a\ud800b",
    "\udfff",
    "caf\u00e9 \u20ac \u6f22",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True),
    st.binary(max_size=6),
    st.text(max_size=30),
    st.text(st.characters(codec=None, min_codepoint=0xD800, max_codepoint=0xDFFF), max_size=3),
    st.sampled_from(NASTY),
    st.dates(),
    st.datetimes(),
    st.datetimes(timezones=st.timezones()),
    st.dates().map(str),
    st.datetimes().map(lambda d: d.isoformat()),
    st.integers(1, 10**6).map(str),
    st.sampled_from(["yes", "no", "both", "YES"]),
    st.datetimes(timezones=st.just(dt.timezone(dt.timedelta(hours=-7)))).map(
        lambda d: d.replace(microsecond=0).isoformat()
    ),
)
keys = st.one_of(st.text(max_size=8), st.sampled_from(NASTY), st.integers(0, 9))
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(keys, inner, max_size=3),
        st.lists(st.fixed_dictionaries({"key": keys, "value": inner}), max_size=3),
    ),
    max_leaves=6,
)
ACTIONS = [*manifest.actions().values(), *manifest.data_sources().values()]
ACTION_OF = {action.key: action for action in ACTIONS}
ANY_PATH = re.compile(re.escape(API) + r"/.*")


def nested(depth: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(depth):
        value = {"a": value}
    return value


def answer_everything(mock: responses.RequestsMock) -> None:
    """An empty, well-formed answer to any method on any API path."""
    for method in ("GET", "POST", "PUT", "DELETE"):
        mock.add(method, ANY_PATH, json={"results": {}, "more": False})


def refused(action: str, inputs: dict[Any, Any]) -> dict[str, str]:
    """The one error of an input refused before any request (fails if one was made)."""
    connection = Connection("c", "s" * 8, make_token(), base_url=API)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        answer_everything(mock)
        with pytest.raises(InputError) as caught:
            invoke(action, inputs, connection)
        assert len(mock.calls) == 0
    str(caught.value).encode("utf-8")  # printable: no lone surrogate reaches a message
    assert len(caught.value.errors) == 1, caught.value.errors
    return caught.value.errors[0]


# Actions that act on what the API holds: an empty answer is an error they report by name
# (Clock Out: "not on the clock"; Find or Create User: the create answered nothing).
STATEFUL = {"clock_out", "find_or_create_user"}


def any_inputs(action: manifest.ActionSpec) -> st.SearchStrategy[dict[Any, Any]]:
    """Inputs of any value: mostly the action's own keys, sometimes any key at all."""
    return _any_inputs(action.key)


@functools.cache  # built once an action: built again for each example, Hypothesis validated it
def _any_inputs(key: str) -> st.SearchStrategy[dict[Any, Any]]:
    action = ACTION_OF[key]
    known_keys = [i.key for i in action.value_inputs]
    names = st.sampled_from(known_keys) if known_keys else st.nothing()
    known = st.dictionaries(names, values, max_size=len(known_keys))
    junk = st.dictionaries(st.one_of(names, keys), values, max_size=len(known_keys) + 1)
    return st.one_of(known, known, known, junk)


def outcome_of(action: manifest.ActionSpec, inputs: dict[Any, Any]) -> str:
    """Invoke against an API that answers anything: "refused" (an InputError naming each bad
    input by key and label, nothing sent), "passed", or "answered" (an ApiError of a stateful
    action); any other outcome fails."""
    known_keys = [i.key for i in action.value_inputs]
    connection = Connection("c", "s" * 8, make_token(), base_url=API)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        answer_everything(mock)
        try:
            result = invoke(action.key, inputs, connection)
        except InputError as error:
            assert len(mock.calls) == 0
            assert error.errors
            str(error).encode("utf-8")
            labels = {i.key: i.label for i in action.inputs}
            for item in error.errors:
                assert item["input"] in {str(k) for k in inputs} | set(known_keys)
                assert item["label"] == (labels.get(item["input"]) or safe_key(item["input"]))
                assert item["label"] in str(error)
            return "refused"
        except ApiError:
            assert action.key in STATEFUL and len(mock.calls) >= 1
            return "answered"
        assert isinstance(result, dict) and len(mock.calls) >= 1
        return "passed"


HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large]


@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: a.key)
@settings(max_examples=EXAMPLES_PER_ACTION, deadline=None, suppress_health_check=HEALTH)
@given(data=st.data())
def test_any_input_passes_or_is_refused_by_name(action: manifest.ActionSpec, data: Any) -> None:
    outcome_of(action, data.draw(any_inputs(action)))


def test_the_generated_inputs_reach_both_outcomes() -> None:
    """The strategy above is no degenerate one: over all actions, it reaches both outcomes.

    It samples on its own (derandomized, so the count is the same every run) rather than
    tallying the property test's examples, which pytest-xdist spreads over processes.
    """
    seen: Counter[str] = Counter()

    @settings(max_examples=300, deadline=None, suppress_health_check=HEALTH, derandomize=True)
    @given(data=st.data())
    def sample(data: Any) -> None:
        action = data.draw(st.sampled_from(ACTIONS))
        seen[outcome_of(action, data.draw(any_inputs(action)))] += 1

    sample()
    assert seen["refused"] > 100 and seen["passed"] > 10, seen


# -- each hostile kind, named ---------------------------------------------------------------

USER = {"username": "u", "first_name": "F", "last_name": "L"}


@pytest.mark.parametrize(
    ("action", "inputs", "key", "words"),
    [
        ("get_users", {"per_page": float("nan")}, "per_page", "finite"),
        ("get_users", {"per_page": float("inf")}, "per_page", "finite"),
        ("get_users", {"per_page": decimal.Decimal("5")}, "per_page", "Decimal"),
        ("get_users", {"page": b"3"}, "page", "bytes"),
        ("get_users", {"per_page": True}, "per_page", "whole number"),
        ("update_timesheet", {"timesheet_id": True}, "timesheet_id", "whole number"),
        ("delete_timesheet", {"timesheet_ids": [True]}, "timesheet_ids", "positive integer"),
        ("create_user", {**USER, "username": "a\x00b"}, "username", "NUL"),
        ("create_user", {**USER, "first_name": "a\ud800"}, "first_name", "surrogate"),
        (
            "get_users",
            {"additional_query_parameters": {"usernames": "\udfff"}},
            "additional_query_parameters",
            "surrogate",
        ),
        (
            "create_user",
            {**USER, "additional_query_parameters": {"customfields": nested(300)}},
            "additional_query_parameters",
            f"{MAX_DEPTH} levels",
        ),
        (
            "create_user",
            {**USER, "additional_query_parameters": {"customfields": {1: "x"}}},
            "additional_query_parameters",
            "not text",
        ),
        (
            "create_user",
            {**USER, "additional_query_parameters": {"notes": float("nan")}},
            "additional_query_parameters",
            "finite",
        ),
        ("raw_request", {"path": "users", "headers": {"X-Name": "\u20ac"}}, "headers", "Latin-1"),
        ("raw_request", {"path": "users", "body": {"a": float("inf")}}, "body", "finite"),
        ("raw_request", {"path": "users", "body": nested(5000)}, "body", "levels"),
        ("raw_request", {"path": "users", "query": {"a": decimal.Decimal("1")}}, "query", "JSON"),
        (
            "create_users",
            {"records": [{**USER, "notes": float("nan")}]},
            "records",
            "finite",
        ),
        ("get_changes", {"cursor": "abc\ud800"}, "cursor", "surrogate"),
    ],
)
def test_a_hostile_value_is_refused_naming_its_input(
    action: str, inputs: dict[str, Any], key: str, words: str
) -> None:
    error = refused(action, inputs)
    assert error["input"] == key and words in error["message"]


def test_an_odd_input_key_is_named_escaped_in_the_message() -> None:
    error = refused("get_users", {"\ud800x": 1})
    assert error["input"] == "\ud800x" and error["label"] == "'\\ud800x'"


class Untouchable(list[int]):
    """A list that fails the test if any of its items is read."""

    def __iter__(self) -> Any:
        raise AssertionError("an item was read")

    def __getitem__(self, index: Any) -> Any:
        raise AssertionError("an item was read")


@pytest.mark.parametrize("shape", ["list", "text"])
def test_a_list_of_100000_ids_is_refused_at_the_documented_limit_without_reading_it(
    shape: str,
) -> None:
    ids = list(range(1, 100_001))
    value: Any = Untouchable(ids) if shape == "list" else ",".join(map(str, ids))
    with pytest.raises(InputError, match=f"at most {MAX_IDS} IDs; got 100,000"):
        prepare(manifest.action("delete_timesheet"), {"timesheet_ids": value})


def test_the_id_limit_itself_is_accepted() -> None:
    call = prepare(manifest.action("delete_timesheet"), {"timesheet_ids": list(range(1, 1001))})
    assert call.query["ids"].count(",") == MAX_IDS - 1


# -- dates and times --------------------------------------------------------------------------

SHEET = {"user_id": 1, "jobcode_id": 2}


@pytest.mark.parametrize(
    ("start", "end", "sent"),
    [
        (
            dt.datetime(2026, 11, 24, 9, tzinfo=dt.timezone(dt.timedelta(hours=-7))),
            dt.datetime(2026, 11, 24, 10, 30, 15, 999, tzinfo=dt.timezone(dt.timedelta(hours=-7))),
            ("2026-11-24T09:00:00-07:00", "2026-11-24T10:30:15-07:00"),
        ),
        (
            "2026-11-24T16:00:00Z",
            "2026-11-24T17:00:00z",
            ("2026-11-24T16:00:00+00:00", "2026-11-24T17:00:00+00:00"),
        ),
        (
            dt.datetime(2026, 11, 24, 16, tzinfo=dt.timezone.utc),
            "2026-11-24T12:00:00-05:00",
            ("2026-11-24T16:00:00+00:00", "2026-11-24T12:00:00-05:00"),
        ),
    ],
)
def test_datetime_objects_and_z_are_accepted_and_normalised(
    start: Any, end: Any, sent: tuple[str, str]
) -> None:
    call = prepare(
        manifest.action("create_timesheet"), {**SHEET, "start_date": start, "end_date": end}
    )
    assert (call.body["start"], call.body["end"]) == sent


@pytest.mark.parametrize(
    "start", [dt.datetime(2026, 11, 24, 9), "2026-11-24T09:00:00", " 2026-11-24T09:00:00 "]
)
def test_a_naive_datetime_is_refused_saying_an_offset_is_needed(start: Any) -> None:
    error = refused(
        "create_timesheet", {**SHEET, "start_date": start, "end_date": "2026-11-24T10:00:00Z"}
    )
    assert error["input"] == "start_date" and "needs its UTC offset" in error["message"]


def test_a_date_where_a_datetime_is_needed_is_refused() -> None:
    error = refused(
        "create_timesheet",
        {**SHEET, "start_date": dt.date(2026, 11, 24), "end_date": "2026-11-24T10:00:00Z"},
    )
    assert error["input"] == "start_date" and "without a time" in error["message"]


@pytest.mark.parametrize(
    ("given", "sent"),
    [
        (dt.date(2026, 11, 16), "2026-11-16"),
        (dt.datetime(2026, 11, 16, 23, 30, tzinfo=dt.timezone.utc), "2026-11-16"),
    ],
)
def test_date_objects_are_accepted_for_dates(given: Any, sent: str) -> None:
    call = prepare(manifest.action("get_timesheets"), {"start_date": given})
    assert call.query["start_date"] == sent


def test_since_with_z_is_accepted() -> None:
    call = prepare(manifest.action("get_changes"), {"since": "2026-11-01T00:00:00Z"})
    assert call.options["since"] == "2026-11-01T00:00:00+00:00"


def test_inputs_that_are_not_a_mapping_are_refused_however_deep() -> None:
    deep: Any = []
    for _ in range(100_000):
        deep = [deep]
    with pytest.raises(InputError, match="must be a mapping"):
        prepare(manifest.action("get_users"), deep)


def query_of(mock: responses.RequestsMock) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(mock.calls[0].request.url).query)


@pytest.mark.parametrize("value", ["a&ids=1,2", "x\r\nSet-Cookie: y", "../users", "é漢字"])
def test_query_values_are_encoded_never_interpreted(
    mocked_api: responses.RequestsMock, mocked_connection: Connection, value: str
) -> None:
    mocked_api.get(f"{API}/users", json=listing("users", []))
    invoke("get_users", {"additional_query_parameters": {"usernames": value}}, mocked_connection)
    pairs = query_of(mocked_api)
    assert ("usernames", value) in pairs
    assert [k for k, _ in pairs].count("ids") == 0
    raw = urlsplit(mocked_api.calls[0].request.url).query
    assert "\r" not in raw and "\n" not in raw and "&ids=" not in raw


@pytest.mark.parametrize("path", ["../grant", "users/../../x", "/./users"])
def test_paths_cannot_climb_out_of_the_api(mocked_connection: Connection, path: str) -> None:
    with pytest.raises(ConnectorError, match="Invalid API path"):
        mocked_connection.url(path)


def test_path_segments_are_escaped(mocked_connection: Connection) -> None:
    assert mocked_connection.url("users/1;DROP?x=1#y") == f"{API}/users/1%3BDROP%3Fx%3D1%23y"


def test_a_tuple_is_taken_as_the_list_it_would_be_in_json(
    sandbox: Sandbox, connection: Connection
) -> None:
    found = invoke("get_job_code_assignments", {"user_ids": (1000001, 1000002)}, connection)
    assert {a["user_id"] for a in found["jobcode_assignments"]} <= {0, 1000001, 1000002}
    assert invoke("delete_timesheet", {"timesheet_ids": (4000001,)}, connection)["timesheets"]
    state = poll("new_or_changed_records", {"record_types": ("users",)}, connection)["state"]
    assert state
