"""Enforces the manifest's cross-field `rules` on an entry's validated inputs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from .specs import ActionSpec, is_sent

Problem = tuple[str, str]  # (input key, message)
_PARSERS: dict[str, Callable[[str], Any]] = {
    "date": dt.date.fromisoformat,
    "datetime": dt.datetime.fromisoformat,
}


def _given(values: Mapping[str, Any], name: str) -> bool:
    """Whether an input (or, as 'input.key', a key of a key/value input) has a value."""
    key, _, inner = name.partition(".")
    value = values.get(key)
    if inner:
        value = value.get(inner) if isinstance(value, Mapping) else None
    return is_sent(value)  # blank text or [] is never sent, so it cannot satisfy a rule


def _one_of(spec: ActionSpec, names: list[str], values: Mapping[str, Any]) -> Iterator[Problem]:
    if not any(_given(values, n) for n in names):
        labels = " or ".join(spec.input(n).label for n in names)
        yield names[0], f"is required: give {labels}"


def _at_least_one(
    spec: ActionSpec, names: list[str], values: Mapping[str, Any]
) -> Iterator[Problem]:
    if any(_given(values, n) for n in names):
        return
    first, *others = names
    where: dict[str, list[str]] = {}
    for name in others:
        key, _, inner = name.partition(".")
        where.setdefault(spec.input(key).label, []).append(inner or key)
    unless = "; ".join(f"{label} has one of {', '.join(keys)}" for label, keys in where.items())
    yield (
        first,
        f"is required unless {unless}: QuickBooks Time refuses a {spec.label} query without one "
        "of them",
    )


def _together(spec: ActionSpec, names: list[str], values: Mapping[str, Any]) -> Iterator[Problem]:
    """Inputs that go together (a date range): when any is given, each of the others must be."""
    given = [n for n in names if _given(values, n)]
    if not given:
        return
    for name in names:
        if name not in given:
            with_ = " and ".join(spec.input(n).label for n in given)
            yield name, f"is required with {with_}: QuickBooks Time takes them only together"


def _end_after_start(
    spec: ActionSpec, pair: Mapping[str, str], values: Mapping[str, Any]
) -> Iterator[Problem]:
    """End after start (date-times), or on or after it (dates, which are inclusive)."""
    start_key, end_key = pair["start"], pair["end"]
    if start_key not in values or end_key not in values:
        return
    kind = spec.input(start_key).type
    try:
        start = _PARSERS[kind](values[start_key])
        end = _PARSERS[kind](values[end_key])
    except (ValueError, TypeError):
        return  # a malformed value is its own input's error
    if end < start or (kind == "datetime" and end == start):
        relation = "on or after" if kind == "date" else "after"
        label = spec.input(start_key).label
        yield end_key, f"must be {relation} {label} ({values[start_key]}); got {values[end_key]}"


def _matches(record: Mapping[str, Any], when: Mapping[str, Any]) -> bool:
    """Whether each field of `when` has its value in the record (None: is not given there)."""
    return all(
        not is_sent(record.get(k)) if v is None else record.get(k) == v for k, v in when.items()
    )


def apart(spec: ActionSpec, record: Mapping[str, Any]) -> dict[str, Any] | None:
    """For a record of a batch: the fields to fill when a `records_apart` rule of the entry
    takes it out of its record action's hands, else None (the record action checks it)."""
    for rule in spec.rules:
        found = rule.get("records_apart")
        if found and any(_matches(record, when) for when in found["when"]):
            return dict(found.get("set", {}))
    return None


def problems(spec: ActionSpec, values: Mapping[str, Any]) -> list[Problem]:
    """Every rule of the entry that the given values break, as (input key, message)."""
    found: list[Problem] = []
    for rule in spec.rules:
        if "one_of_required" in rule:
            found += _one_of(spec, rule["one_of_required"], values)
        if "at_least_one_of" in rule:
            found += _at_least_one(spec, rule["at_least_one_of"], values)
        if "together" in rule:
            found += _together(spec, rule["together"], values)
        if "end_after_start" in rule:
            found += _end_after_start(spec, rule["end_after_start"], values)
    return found
