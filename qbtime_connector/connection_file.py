"""A connection stored as a JSON file (owner-only): its token is a FileTokenStore's, locked."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .connection import Connection
from .errors import ConnectorError
from .tokens.file import FileTokenStore, read_json, write_private
from .urls import DEFAULT_BASE_URL

__all__ = ["open_connection", "read", "write_private"]


def read(path: Path) -> dict[str, Any]:
    """The stored connection fields; the client secret may come from QBTIME_CLIENT_SECRET."""
    data = read_json(path)
    if not data:
        raise ConnectorError(f"Cannot read the connection file {path}: it is missing or empty.")
    data.setdefault("client_secret", os.environ.get("QBTIME_CLIENT_SECRET", ""))
    return data


def open_connection(
    path: Path, token_store: str | None = None, instance: str | None = None
) -> Connection:
    """A Connection from the file; its token lives in the file itself (a FileTokenStore,
    refreshed under its lock file) unless the file or `token_store` names another store."""
    from .invoke import connection_from_mapping

    data = read(path)
    if token_store:
        data.update(token_store=token_store, instance=instance or data.get("instance"))
    try:
        if data.get("token_store"):
            return connection_from_mapping(data)
        missing = [k for k in ("client_id", "client_secret", "token") if not data.get(k)]
        if missing:
            raise ConnectorError(f"The connection is missing {', '.join(missing)}.")
        return Connection(
            str(data["client_id"]),
            str(data["client_secret"]),
            base_url=str(data.get("base_url") or DEFAULT_BASE_URL),
            store=FileTokenStore(path),
        )
    except ConnectorError as error:
        raise ConnectorError(f"{path}: {error}") from None
