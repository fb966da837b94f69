"""Runs a built flow, or one step of it, for one instance: mapped values resolved, each outcome.

A mapped value is "{{steps.s1.users.0.id}}" or "{{trigger.records.0.record.id}}": a path into an
earlier step's (or the trigger's) result, where a list is entered by an index or by "*" (each
item, giving a list).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from ..connection import Connection
from ..errors import ApiError, ConnectorError, InputError, ItemError
from ..invoke import invoke, poll, preview, sample
from .catalog import input_labels

log = logging.getLogger(__name__)

# A mapped value: "{{steps.s1.users.0.id}}" or "{{trigger.records.*.id}}".
_MAPPED = re.compile(r"\{\{\s*([^{}\s]+)\s*\}\}")
EACH = "*"
TRIGGER = "trigger"
SAMPLE_SIZE = 3  # records a trigger's Test shows


class _Missing(LookupError):
    """A mapped path that leads nowhere in the results so far."""


def _lookup(parts: list[str], node: Any, path: str) -> Any:
    for n, part in enumerate(parts):
        if isinstance(node, list) and part == EACH:
            return [_lookup(parts[n + 1 :], item, path) for item in node]
        if isinstance(node, Mapping) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            raise _Missing(path)
    return node


def resolve(value: Any, context: Mapping[str, Any]) -> Any:
    """The value with every mapped reference replaced by what it points at."""
    if isinstance(value, str):
        whole = _MAPPED.fullmatch(value.strip())
        if whole:  # the value is one reference: keep the referenced value's type
            return _lookup(whole.group(1).split("."), context, whole.group(1))
        return _MAPPED.sub(
            lambda m: str(_lookup(m.group(1).split("."), context, m.group(1))), value
        )
    if isinstance(value, list):
        return [resolve(v, context) for v in value]
    if isinstance(value, Mapping):
        return {k: resolve(v, context) for k, v in value.items()}
    return value


def references(value: Any) -> Iterator[str]:
    """Every mapped path in a value (text, list or mapping, at any depth)."""
    if isinstance(value, str):
        yield from (m.group(1) for m in _MAPPED.finditer(value))
    elif isinstance(value, list):
        for item in value:
            yield from references(item)
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from references(item)


def _source(path: str) -> str:
    """The step id (or "trigger") a mapped path reads from."""
    head, _, rest = path.partition(".")
    return rest.partition(".")[0] if head == "steps" else head


def dangling(definition: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each input that maps a value from a step that is gone or runs later, with the message
    shown beside it; a run with any of them does not start."""
    steps = definition.get("steps", [])
    has_trigger = bool(definition.get("trigger"))
    found = []
    for n, step in enumerate(steps):
        earlier = {s["id"] for s in steps[:n]}
        labels = input_labels(step["action"])
        for key, value in (step.get("inputs") or {}).items():
            for path in references(value):
                source = _source(path)
                if (source == TRIGGER and has_trigger) or source in earlier:
                    continue
                if source == TRIGGER:
                    why = "This flow has no trigger any more"
                elif any(s["id"] == source for s in steps):
                    why = f"Step {source} runs after this one"
                else:
                    why = f"Step {source} was removed"
                message = f"{why}: map {labels.get(key, key)} from another value."
                found.append(
                    {
                        "step": step["id"],
                        "input": key,
                        "label": labels.get(key, key),
                        "message": message,
                    }
                )
    return found


def _resolved_inputs(
    entry_key: str, inputs: Mapping[str, Any], context: Mapping[str, Any], hint: str
) -> dict[str, Any]:
    labels = input_labels(entry_key)
    resolved, errors = {}, []
    for key, value in inputs.items():
        try:
            resolved[key] = resolve(value, context)
        except _Missing as missing:
            message = f"The mapped value {missing.args[0]} is not in {hint}."
            errors.append({"input": key, "label": labels.get(key, key), "message": message})
    if errors:
        raise InputError(errors)
    return resolved


def describe_error(error: Exception) -> dict[str, Any]:
    """An error as the page shows it (connector messages never carry secrets)."""
    if isinstance(error, InputError):
        return {"kind": "InputError", "message": str(error), "errors": list(error.errors)}
    if isinstance(error, ConnectorError):
        found: dict[str, Any] = {"kind": type(error).__name__, "message": str(error)}
        if isinstance(error, ApiError):
            found.update(status=error.status, code=error.code)
        if isinstance(error, ItemError):
            found["items"] = error.items
        return found
    # Anything else may carry request details: only its type goes to the page and the log.
    log.error("a step failed unexpectedly: %s", type(error).__name__)
    return {"kind": "Error", "message": f"Unexpected {type(error).__name__}; the step stopped."}


def outcome(run: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """{"status": "ok", "result": …} or {"status": "error", "error": …}: never raises."""
    try:
        return {"status": "ok", "result": run()}
    except Exception as error:  # every failure is shown beside its step
        return {"status": "error", "error": describe_error(error)}


def run_flow(
    definition: Mapping[str, Any], connection: Connection, trigger_state: Any = None
) -> tuple[dict[str, Any], Any]:
    """Each step's outcome, in order, and the trigger's next state; stops at the first error."""
    context: dict[str, Any] = {TRIGGER: None, "steps": {}}
    report: dict[str, Any] = {TRIGGER: None, "steps": []}
    trigger = definition.get(TRIGGER)
    failed = False
    if trigger:
        key, inputs = trigger["key"], trigger.get("inputs", {})
        polled = outcome(lambda: dict(poll(key, inputs, connection, state=trigger_state)))
        report[TRIGGER] = polled
        if polled["status"] == "ok":
            context[TRIGGER] = polled["result"]
            trigger_state = polled["result"].get("state")
        failed = polled["status"] != "ok"
    for step in definition.get("steps", []):
        if failed:
            report["steps"].append({"id": step["id"], "status": "skipped"})
            continue
        action, raw = step["action"], step.get("inputs", {})

        def run(action: str = action, raw: Mapping[str, Any] = raw) -> dict[str, Any]:
            hint = "an earlier step's result"
            return invoke(action, _resolved_inputs(action, raw, context, hint), connection)

        done = {"id": step["id"], **outcome(run)}
        report["steps"].append(done)
        context["steps"][step["id"]] = done.get("result")
        failed = done["status"] != "ok"
    return report, trigger_state


def _step(definition: Mapping[str, Any], step_id: str) -> tuple[int, Mapping[str, Any]]:
    for n, step in enumerate(definition.get("steps", [])):
        if step["id"] == step_id:
            return n, step
    raise LookupError(step_id)


def step_inputs(
    definition: Mapping[str, Any], step_id: str, last: Mapping[str, Any]
) -> tuple[str, dict[str, Any]]:
    """A step's action and its inputs, resolved from the last results of the steps before it.

    `last` is {"trigger": result or None, "steps": {id: result}}; only earlier steps count.
    """
    n, step = _step(definition, step_id)
    earlier = {s["id"] for s in definition.get("steps", [])[:n]}
    context = {
        TRIGGER: last.get(TRIGGER),
        "steps": {k: v for k, v in (last.get("steps") or {}).items() if k in earlier},
    }
    hint = "the last results of the steps before it: test them (or run the flow) first"
    return step["action"], _resolved_inputs(step["action"], step.get("inputs", {}), context, hint)


def try_step(
    definition: Mapping[str, Any], step_id: str, last: Mapping[str, Any], connection: Connection
) -> dict[str, Any]:
    """One step run alone, its inputs resolved from the earlier steps' last results."""

    def run() -> dict[str, Any]:
        action, inputs = step_inputs(definition, step_id, last)
        return invoke(action, inputs, connection)

    return {"id": step_id, **outcome(run)}


def preview_step(
    definition: Mapping[str, Any], step_id: str, last: Mapping[str, Any]
) -> dict[str, Any]:
    """The requests a step would send (nothing is sent), or why its inputs are refused."""
    return {"id": step_id, **outcome(lambda: preview(*step_inputs(definition, step_id, last)))}


def sample_trigger(definition: Mapping[str, Any], connection: Connection) -> dict[str, Any]:
    """The trigger's sample records (its state is neither read nor moved)."""
    trigger = definition.get(TRIGGER) or {}

    def run() -> dict[str, Any]:
        if not trigger:
            raise InputError(
                [{"input": "trigger", "label": "Trigger", "message": "This flow has no trigger."}]
            )
        return sample(trigger["key"], trigger.get("inputs", {}), connection, SAMPLE_SIZE)

    return outcome(run)
