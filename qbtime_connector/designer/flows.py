"""Runs a built flow for one instance: mapped values resolved, each step's result or error."""

from __future__ import annotations

import importlib
import logging
import re
from collections.abc import Callable, Mapping
from typing import Any

from ..connection import Connection
from ..errors import ApiError, ConnectorError, InputError, ItemError
from ..invoke import invoke
from .catalog import input_labels

log = logging.getLogger(__name__)

# A mapped value: "{{steps.s1.users.0.id}}" or "{{trigger.records.0.id}}".
_MAPPED = re.compile(r"\{\{\s*([^{}\s]+)\s*\}\}")


class _Missing(LookupError):
    """A mapped path that leads nowhere in the results so far."""


def _lookup(path: str, context: Mapping[str, Any]) -> Any:
    node: Any = context
    for part in path.split("."):
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
            return _lookup(whole.group(1), context)
        return _MAPPED.sub(lambda m: str(_lookup(m.group(1), context)), value)
    if isinstance(value, list):
        return [resolve(v, context) for v in value]
    if isinstance(value, Mapping):
        return {k: resolve(v, context) for k, v in value.items()}
    return value


def _resolved_inputs(
    entry_key: str, inputs: Mapping[str, Any], context: Mapping[str, Any]
) -> dict[str, Any]:
    labels = input_labels(entry_key)
    resolved, errors = {}, []
    for key, value in inputs.items():
        try:
            resolved[key] = resolve(value, context)
        except _Missing as missing:
            message = f"The mapped value {missing.args[0]} is not in an earlier step's result."
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


def _outcome(run: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    try:
        return {"status": "ok", "result": run()}
    except Exception as error:  # every failure is shown beside its step
        return {"status": "error", "error": describe_error(error)}


def _poll(key: str, inputs: dict[str, Any], connection: Connection, state: Any) -> Any:
    poll = getattr(importlib.import_module("qbtime_connector"), "poll", None)
    if poll is None:
        raise ConnectorError("This version of the connector cannot run triggers.")
    return poll(key, inputs, connection, state=state)


def run_flow(
    definition: Mapping[str, Any], connection: Connection, trigger_state: Any = None
) -> tuple[dict[str, Any], Any]:
    """Each step's outcome, in order, and the trigger's next state; stops at the first error."""
    context: dict[str, Any] = {"trigger": None, "steps": {}}
    report: dict[str, Any] = {"trigger": None, "steps": []}
    trigger = definition.get("trigger")
    failed = False
    if trigger:
        key, inputs = trigger["key"], trigger.get("inputs", {})
        outcome = _outcome(lambda: dict(_poll(key, inputs, connection, trigger_state)))
        report["trigger"] = outcome
        if outcome["status"] == "ok":
            context["trigger"] = outcome["result"]
            trigger_state = outcome["result"].get("state")
        failed = outcome["status"] != "ok"
    for step in definition.get("steps", []):
        if failed:
            report["steps"].append({"id": step["id"], "status": "skipped"})
            continue
        action, raw = step["action"], step.get("inputs", {})

        def run(action: str = action, raw: Mapping[str, Any] = raw) -> dict[str, Any]:
            return invoke(action, _resolved_inputs(action, raw, context), connection)

        outcome = {"id": step["id"], **_outcome(run)}
        report["steps"].append(outcome)
        context["steps"][step["id"]] = outcome.get("result")
        failed = outcome["status"] != "ok"
    return report, trigger_state
