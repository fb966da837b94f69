"""The MCP server of one customer instance: the SDK's low-level Server, its handlers bound to a
Connection and to the tools of a manifest.

The low-level Server hands a call's arguments to the handler as they came, unchecked: the
connector's own validation judges them and names each bad input by its label.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mcp.server.context import ServerRequestContext
from mcp.server.lowlevel import Server
from mcp.shared.exceptions import MCPError
from mcp_types import (
    INVALID_PARAMS,
    CallToolRequestParams,
    CallToolResult,
    CompleteRequestParams,
    CompleteResult,
    ListResourcesResult,
    ListResourceTemplatesResult,
    ListToolsResult,
    PaginatedRequestParams,
    ReadResourceRequestParams,
    ReadResourceResult,
)

from ..connection import Connection
from ..version import package_version
from . import pick_lists
from .calls import call_tool
from .catalog import Catalog
from .entries import document as packaged_document

NAME = "qbtime-connector"
INSTRUCTIONS = (
    "QuickBooks Time (formerly TSheets) for one customer's account. Each tool is one action of "
    "the connector; its input schema says what each input takes. Inputs are checked before "
    "anything is sent: a tool error names each bad input by its label, so fix those and call "
    "again. A tool error saying the customer must reconnect cannot be fixed by retrying. "
    "new_or_changed_records polls for changes: pass back the `state` each call returns. Pick "
    "lists (users, job codes, ...) are resources under qbtime://pick-lists/."
)

Context = ServerRequestContext[Any, Any]


def build_server(connection: Connection, document: Mapping[str, Any] | None = None) -> Server[Any]:
    """A Server whose tools are the manifest's actions and triggers, run on `connection`.

    `document` is a resolved manifest (default: the package's, or $QBTIME_MCP_MANIFEST's).
    """
    catalog = Catalog(packaged_document() if document is None else document)
    sources = catalog.sources

    async def list_tools(ctx: Context, params: PaginatedRequestParams | None) -> ListToolsResult:
        return ListToolsResult(tools=catalog.tools)

    async def call(ctx: Context, params: CallToolRequestParams) -> CallToolResult:
        if catalog.tool(params.name) is None:
            raise MCPError(INVALID_PARAMS, f"Unknown tool: {params.name[:200]}")
        return await call_tool(
            connection,
            params.name,
            params.arguments,
            trigger=params.name in catalog.triggers,
            report=ctx.session.report_progress,
        )

    async def list_resources(
        ctx: Context, params: PaginatedRequestParams | None
    ) -> ListResourcesResult:
        return ListResourcesResult(resources=pick_lists.listed(sources))

    async def list_templates(
        ctx: Context, params: PaginatedRequestParams | None
    ) -> ListResourceTemplatesResult:
        return ListResourceTemplatesResult(resource_templates=pick_lists.templates(sources))

    async def read(ctx: Context, params: ReadResourceRequestParams) -> ReadResourceResult:
        return await pick_lists.read(connection, str(params.uri), sources)

    async def complete(ctx: Context, params: CompleteRequestParams) -> CompleteResult:
        return await pick_lists.complete(connection, params, sources)

    return Server(
        NAME,
        version=package_version(),
        title="QuickBooks Time",
        instructions=INSTRUCTIONS,
        get_tool_input_schema=catalog.input_schema,
        on_list_tools=list_tools,
        on_call_tool=call,
        on_list_resources=list_resources,
        on_list_resource_templates=list_templates,
        on_read_resource=read,
        on_completion=complete,
    )
