"""Any value of any type either passes validation or is refused naming the field; never more."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import responses
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qbtime_connector import ApiError, Connection, InputError, invoke, manifest

from .conftest import API, listing, make_token

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
    " ",
    "null",
    "true",
    "{}",
    "[]",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.sampled_from(NASTY),
    st.dates().map(str),
    st.datetimes().map(lambda d: d.isoformat()),
    st.integers(1, 10**6).map(str),
    st.sampled_from(["yes", "no", "both", "YES"]),
    st.datetimes(timezones=st.just(dt.timezone(dt.timedelta(hours=-7)))).map(
        lambda d: d.replace(microsecond=0).isoformat()
    ),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=8), st.sampled_from(NASTY)), inner, max_size=3),
        st.lists(
            st.fixed_dictionaries(
                {"key": st.one_of(st.text(max_size=8), st.sampled_from(NASTY)), "value": inner}
            ),
            max_size=3,
        ),
    ),
    max_leaves=6,
)
ACTIONS = [*manifest.actions().values(), *manifest.data_sources().values()]
# Actions that act on what the API holds: an empty answer is an error they report by name
# (Clock Out: "not on the clock"; Find or Create User: the create answered nothing).
STATEFUL = {"clock_out", "find_or_create_user"}
TALLY: Counter[str] = Counter()


ANY_PATH = re.compile(re.escape(API) + r"/.*")


def answer_everything(mock: responses.RequestsMock) -> None:
    """An empty, well-formed answer to any method on any API path."""
    for method in ("GET", "POST", "PUT", "DELETE"):
        mock.add(method, ANY_PATH, json={"results": {}, "more": False})


@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: a.key)
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_any_input_passes_or_is_refused_by_name(action: manifest.ActionSpec, data: Any) -> None:
    keys = [i.key for i in action.value_inputs]
    names = st.sampled_from(keys) if keys else st.nothing()
    known = st.dictionaries(names, values, max_size=len(keys))
    junk = st.dictionaries(st.one_of(names, st.text(max_size=6)), values, max_size=len(keys) + 1)
    inputs = data.draw(st.one_of(known, known, known, junk))
    conn = Connection("c", "s" * 8, make_token(), base_url=API)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        answer_everything(mock)
        try:
            result = invoke(action.key, inputs, conn)
        except InputError as error:
            TALLY["refused"] += 1
            assert len(mock.calls) == 0
            assert error.errors
            labels = {i.key: i.label for i in action.inputs}
            for item in error.errors:
                assert item["input"] in set(inputs) | set(keys)
                assert item["label"] == labels.get(item["input"], item["input"])
                assert item["label"] in str(error)
        except ApiError:
            assert action.key in STATEFUL and len(mock.calls) >= 1
        else:
            TALLY["passed"] += 1
            assert isinstance(result, dict) and len(mock.calls) >= 1


def test_the_generated_inputs_reached_both_outcomes() -> None:
    if not TALLY:
        pytest.skip("run together with the property test")
    assert TALLY["refused"] > 100 and TALLY["passed"] > 10, TALLY


def query_of(mock: responses.RequestsMock) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(mock.calls[0].request.url).query)


@pytest.mark.parametrize("value", ["a&ids=1,2", "x\r\nSet-Cookie: y", "../users", "é漢字"])
def test_query_values_are_encoded_never_interpreted(value: str) -> None:
    conn = Connection("c", "s" * 8, make_token(), base_url=API)
    with responses.RequestsMock() as mock:
        mock.get(f"{API}/users", json=listing("users", []))
        invoke("get_users", {"additional_query_parameters": {"usernames": value}}, conn)
        pairs = query_of(mock)
        assert ("usernames", value) in pairs
        assert [k for k, _ in pairs].count("ids") == 0
        raw = urlsplit(mock.calls[0].request.url).query
        assert "\r" not in raw and "\n" not in raw and "&ids=" not in raw


@pytest.mark.parametrize("path", ["../grant", "users/../../x", "/./users"])
def test_paths_cannot_climb_out_of_the_api(path: str) -> None:
    from qbtime_connector import ConnectorError

    conn = Connection("c", "s" * 8, make_token(), base_url=API)
    with pytest.raises(ConnectorError, match="Invalid API path"):
        conn.url(path)


def test_path_segments_are_escaped() -> None:
    conn = Connection("c", "s" * 8, make_token(), base_url=API)
    assert conn.url("users/1;DROP?x=1#y") == f"{API}/users/1%3BDROP%3Fx%3D1%23y"
