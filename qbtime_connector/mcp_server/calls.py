"""One tool call: the action (or one poll of the trigger) in a worker thread, its result returned
as structured content and as JSON text, its progress told to a client that asked for it."""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine, Mapping
from functools import partial
from typing import Any

import anyio
import anyio.from_thread
import anyio.to_thread
from mcp_types import CallToolResult, TextContent

from ..connection import Connection
from ..invoke import invoke, poll
from ..progress import Progress
from .catalog import STATE
from .failures import tool_error

# How a handler reports progress (the SDK's `report_progress`: a no-op unless the client asked).
Report = Callable[[float, float | None, str | None], Coroutine[Any, Any, None]]


async def call_tool(
    connection: Connection,
    name: str,
    arguments: Mapping[str, Any] | None,
    *,
    trigger: bool,
    report: Report,
) -> CallToolResult:
    """Run the tool `name` with the agent's arguments; every failure is a tool error."""
    inputs = dict(arguments or {})
    if trigger:
        state = inputs.pop(STATE, None)
        run = partial(poll, name, inputs, connection, state)
    else:
        run = partial(invoke, name, inputs, connection, progress=_progress_to(report))
    try:
        result = await anyio.to_thread.run_sync(run)
    except Exception as error:  # the connector's errors and any other: never a crash
        return tool_error(error, f"The {name} call")
    return CallToolResult(
        content=[TextContent(text=json.dumps(result, ensure_ascii=False))],
        structured_content=result,
    )


def _progress_to(report: Report) -> Callable[[Progress], None]:
    """A connector progress callback (called in the worker thread) that reports over MCP."""
    told = 0

    def tell(progress: Progress) -> None:
        nonlocal told
        told += 1  # MCP wants each notification's progress higher than the last
        anyio.from_thread.run(report, told, None, _text(progress))

    return tell


def _text(progress: Progress) -> str:
    if progress.kind == "wait":
        return f"{progress.endpoint or 'request'}: waiting {progress.wait:.1f} s"
    if progress.kind == "write":
        return f"{progress.endpoint}: {progress.records:,} of {progress.total or 0:,} records sent"
    return f"{progress.endpoint}: {progress.records:,} records in {progress.requests} pages"
