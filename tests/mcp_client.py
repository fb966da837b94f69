"""Drives `qbtime-connector mcp` in a subprocess with the official MCP SDK's client, as an agent
host does: over stdio, or over streamable HTTP at the URL the server prints on its first line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any, TextIO

from mcp import Client, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp_types import CallToolResult

# The console script an agent host runs, from this test run's environment.
COMMAND = str(Path(sys.executable).with_name("qbtime-connector"))


def server_parameters(*args: str, env: Mapping[str, str] | None = None) -> StdioServerParameters:
    """The stdio command line of `qbtime-connector mcp ARGS`, with extra environment variables."""
    return StdioServerParameters(command=COMMAND, args=["mcp", *args], env=dict(env or {}))


@asynccontextmanager
async def stdio_session(
    *args: str,
    env: Mapping[str, str] | None = None,
    errlog: TextIO | None = None,
    mode: str = "auto",
) -> AsyncIterator[Client]:
    """A client connected to a fresh `qbtime-connector mcp ARGS` over stdio; stderr to `errlog`."""
    transport = stdio_client(server_parameters(*args, env=env), errlog=errlog or sys.stderr)
    async with Client(transport, mode=mode) as client:
        yield client


@contextmanager
def http_server(*args: str, stderr: TextIO | None = None) -> Iterator[str]:
    """A `qbtime-connector mcp --http ARGS` process; yields the URL it printed first."""
    process = subprocess.Popen(
        [COMMAND, "mcp", "--http", *args],
        stdout=subprocess.PIPE,
        stderr=stderr or subprocess.DEVNULL,
        text=True,
        env={**os.environ},
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), url
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


def texts(result: CallToolResult) -> list[str]:
    """The text of every content block of a result."""
    return [block.text for block in result.content if block.type == "text"]


def dumped(model: Any) -> dict[str, Any]:
    """A protocol object as it travels (camelCase keys, nothing unset)."""
    found: dict[str, Any] = json.loads(model.model_dump_json(by_alias=True, exclude_none=True))
    return found
