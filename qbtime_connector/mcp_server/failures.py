"""Failures as an agent reads them: the connector's own message, then the error as JSON.

Only the connector's messages are shown, which never hold a secret or token; an unexpected
exception is named by its class alone (its text could hold anything) and logged at DEBUG.
"""

from __future__ import annotations

import json
import logging

from mcp_types import CallToolResult, TextContent

from ..errors import ConnectorError, InputError, RateLimitError, error_json

log = logging.getLogger("qbtime_connector.mcp")


def message(error: ConnectorError) -> str:
    """What went wrong and what to do, in the connector's words; each bad input by its label."""
    if isinstance(error, InputError):
        lines = [f"- {e['label']} ({e['input']}): {e['message']}" for e in error.errors]
        return "\n".join(["Invalid input, so nothing was changed:", *lines])
    if isinstance(error, RateLimitError) and error.retry_after is not None:
        return f"{error} Try again in {error.retry_after:.0f} s."
    return str(error)


def unexpected(error: Exception, doing: str) -> str:
    """The one line shown for a failure that is not the connector's (a bug, a library's error)."""
    log.debug("%s failed unexpectedly", doing, exc_info=True)
    return (
        f"{doing} failed unexpectedly ({type(error).__name__}); whether anything was changed is "
        "not known. The server's log at -vv has the details."
    )


def tool_error(error: Exception, doing: str) -> CallToolResult:
    """A tool call's failure as a tool error (isError), never a protocol error."""
    if not isinstance(error, ConnectorError):
        return CallToolResult(content=[TextContent(text=unexpected(error, doing))], is_error=True)
    details = json.dumps(error_json(error), ensure_ascii=False)
    return CallToolResult(
        content=[TextContent(text=message(error)), TextContent(text=details)], is_error=True
    )
