"""The value classes that replaced dataclasses keep what callers used of them."""

from __future__ import annotations

import pytest

from qbtime_connector import InputError, Progress, RetryPolicy, manifest
from qbtime_connector.pacing import Pacer
from qbtime_connector.paging import Read
from qbtime_connector.validation import Call, prepare


def test_a_rule_declared_in_the_manifest_is_enforced_from_there() -> None:
    spec = manifest.action("get_users")
    assert prepare(spec, {}).query["active"] == "yes"
    ruled = spec.replace(rules=({"one_of_required": ["page", "per_page"]},))
    with pytest.raises(InputError, match="give Page or Per Page"):
        prepare(ruled, {})
    prepare(ruled, {"page": 2})


def test_replace_copies_every_field_but_those_changed() -> None:
    spec = manifest.action("get_users")
    copy = spec.replace(label="Other")
    assert copy.label == "Other"
    assert (copy.key, copy.inputs, copy.fixed, copy.output) == (
        spec.key,
        spec.inputs,
        spec.fixed,
        spec.output,
    )
    assert copy != spec
    assert copy.replace(label=spec.label) == spec


def test_progress_is_frozen_hashable_and_shown_by_its_fields() -> None:
    progress = Progress("users", "read", records=50, requests=1)
    with pytest.raises(AttributeError):
        progress.records = 3  # type: ignore[misc]
    assert progress == Progress("users", "read", 50, 1)
    assert hash(progress) == hash(Progress("users", "read", 50, 1))
    assert repr(progress) == (
        "Progress(endpoint='users', kind='read', records=50, requests=1, total=None, wait=0.0)"
    )


def test_frozen_specs_refuse_assignment() -> None:
    spec = manifest.action("get_users")
    with pytest.raises(AttributeError):
        spec.label = "Other"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        spec.inputs[0].required = True  # type: ignore[misc]


def test_retry_policy_and_pacer_hide_their_injected_callables_from_repr() -> None:
    assert repr(RetryPolicy()) == (
        "RetryPolicy(max_retries=4, base_delay=0.5, max_delay=8.0, budget=15.0)"
    )
    assert repr(Pacer(calls=5, window=1.0)) == "Pacer(calls=5, window=1.0, waited=0.0)"
    assert RetryPolicy(max_retries=2) == RetryPolicy(max_retries=2)
    assert RetryPolicy(max_retries=2) != RetryPolicy(max_retries=3)


def test_mutable_values_are_unhashable_and_get_fresh_defaults() -> None:
    first, second = Call("GET", "users"), Call("GET", "users")
    first.query["page"] = 2
    assert second.query == {}
    assert Read().records is not Read().records
    with pytest.raises(TypeError):
        hash(first)


def test_a_declared_value_takes_its_fields_from_its_annotations_once() -> None:
    call = Call("GET", "users", options={"fetch_all": True})
    assert Call._fields == ("method", "endpoint", "query", "body", "options")
    assert (call.query, call.body, call.options) == ({}, {}, {"fetch_all": True})
    assert call == Call(method="GET", endpoint="users", options={"fetch_all": True})
    with pytest.raises(TypeError, match="endpoint"):
        Call("GET")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="colour"):
        Call("GET", "users", colour="red")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="method"):
        Call("GET", "users", method="PUT")  # type: ignore[misc]
    with pytest.raises(TypeError, match="at most 5"):
        Call("GET", "users", {}, {}, {}, {})  # type: ignore[call-arg]
