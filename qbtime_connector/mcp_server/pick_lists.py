"""Pick lists over MCP: each one a resource template to read a page of options from, and the values
of a template's arguments offered through argument completion, the place MCP has for a drop-down.

`qbtime://pick-lists/user_options?search=mary` reads `{"options": [{"key", "label"}], "more"}`;
completing its `search` argument offers the labels that match what was typed, an argument with
choices offers them, and one filled by another pick list (a User ID) offers that list's keys.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import partial
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import anyio.to_thread
from mcp.shared.exceptions import MCPError
from mcp_types import (
    INTERNAL_ERROR,
    INVALID_PARAMS,
    CompleteRequestParams,
    CompleteResult,
    Completion,
    ReadResourceResult,
    Resource,
    ResourceTemplate,
    ResourceTemplateReference,
    TextResourceContents,
)

from ..connection import Connection
from ..errors import ConnectorError, InputError
from ..invoke import invoke
from .entries import PICK_LISTS, pick_list_uri, value_inputs
from .failures import message, unexpected

JSON = "application/json"
SEARCH = "search"  # every pick list's search input (the contract's)
MOST = 100  # MCP's cap on completion values
NOTHING = CompleteResult(completion=Completion(values=[], has_more=False))


def template_uri(source: Mapping[str, Any]) -> str:
    """The RFC 6570 template of a pick list's pages: its inputs as query variables."""
    names = ",".join(i["key"] for i in value_inputs(source))
    return pick_list_uri(source["key"]) + (f"{{?{names}}}" if names else "")


def _about(key: str, source: Mapping[str, Any]) -> dict[str, Any]:
    """What a resource and a template of a pick list both say of it."""
    return {"name": key, "title": source["label"], "description": source["description"]}


def templates(sources: Mapping[str, Mapping[str, Any]]) -> list[ResourceTemplate]:
    """One resource template per pick list."""
    return [
        ResourceTemplate(**_about(key, source), uri_template=template_uri(source), mime_type=JSON)
        for key, source in sources.items()
    ]


def listed(sources: Mapping[str, Mapping[str, Any]]) -> list[Resource]:
    """The first page of each pick list that needs no input, as a resource a host can show."""
    return [
        Resource(**_about(key, source), uri=pick_list_uri(key), mime_type=JSON)
        for key, source in sources.items()
        if not any(i.get("required") for i in value_inputs(source))
    ]


def _key(uri: str, sources: Mapping[str, Mapping[str, Any]]) -> str:
    """The pick list a resource URI or template names, or an MCP error saying there is none."""
    key = uri.removeprefix(PICK_LISTS).partition("?")[0].partition("{")[0]
    if not uri.startswith(PICK_LISTS) or key not in sources:
        known = ", ".join(pick_list_uri(k) for k in sources)
        raise MCPError(INVALID_PARAMS, f"no such pick list: {uri[:200]}; there are {known}")
    return key


async def _options(connection: Connection, key: str, inputs: dict[str, Any]) -> dict[str, Any]:
    """One page of a pick list, or an MCP error carrying the connector's message."""
    try:
        page: dict[str, Any] = await anyio.to_thread.run_sync(
            partial(invoke, key, inputs, connection)
        )
    except InputError as error:
        raise MCPError(INVALID_PARAMS, message(error)) from None
    except ConnectorError as error:
        raise MCPError(INTERNAL_ERROR, message(error)) from None
    except Exception as error:  # never a crash, never an exception's own text
        raise MCPError(INTERNAL_ERROR, unexpected(error, f"Reading the {key} pick list")) from None
    return page


async def read(
    connection: Connection, uri: str, sources: Mapping[str, Mapping[str, Any]]
) -> ReadResourceResult:
    """A page of the pick list a URI names, its query giving the inputs, as JSON."""
    key = _key(uri, sources)
    inputs: dict[str, Any] = dict(parse_qsl(urlsplit(uri).query))  # a repeated name: the last
    page = await _options(connection, key, inputs)
    text = json.dumps(page, ensure_ascii=False)
    return ReadResourceResult(contents=[TextResourceContents(uri=uri, mime_type=JSON, text=text)])


async def complete(
    connection: Connection, params: CompleteRequestParams, sources: Mapping[str, Mapping[str, Any]]
) -> CompleteResult:
    """The values to offer for one argument of a pick list's template (none for a prompt)."""
    if not isinstance(params.ref, ResourceTemplateReference):
        return NOTHING
    source = sources[_key(params.ref.uri, sources)]
    items = {i["key"]: i for i in value_inputs(source)}
    item = items.get(params.argument.name)
    typed = params.argument.value.strip()
    if item is None:
        return NOTHING
    if item.get("choices"):
        found = [str(c["value"]) for c in item["choices"]]
        return _offer([v for v in found if v.lower().startswith(typed.lower())], more=False)
    given = (params.context.arguments or {}) if params.context else {}
    if item["key"] == SEARCH:
        context = {k: v for k, v in given.items() if k in items and k not in {SEARCH, "page"}}
        page = await _quiet_options(connection, source["key"], {**context, SEARCH: typed})
        return _offer([str(o["label"]) for o in page.get("options", [])], bool(page.get("more")))
    feeder = sources.get(str((item.get("options") or {}).get("pick_list", "")))
    if feeder is None:
        return NOTHING
    # A number typed is the start of a key; a word is a name to search for.
    search = {} if typed.isdigit() or not typed else {SEARCH: typed}
    page = await _quiet_options(connection, feeder["key"], search)
    keys = [str(o["key"]) for o in page.get("options", [])]
    if typed.isdigit():
        keys = [k for k in keys if k.startswith(typed)]
    return _offer(keys, bool(page.get("more")))


async def _quiet_options(
    connection: Connection, key: str, inputs: dict[str, Any]
) -> dict[str, Any]:
    """A page of options for completion: none while what is typed is not (yet) a valid input."""
    try:
        return await _options(connection, key, {k: v for k, v in inputs.items() if v != ""})
    except MCPError as error:
        if error.code == INVALID_PARAMS:
            return {"options": [], "more": False}
        raise


def _offer(values: list[str], more: bool) -> CompleteResult:
    shown = list(dict.fromkeys(values))[:MOST]
    return CompleteResult(completion=Completion(values=shown, has_more=more or len(values) > MOST))
