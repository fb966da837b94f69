"""A connection stored as a JSON file (owner-only), rewritten whenever the token rotates."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from .connection import Connection, Token
from .errors import ConnectorError


def write_private(path: Path, data: dict[str, Any]) -> None:
    """Write JSON readable by the owner only, atomically (a crash leaves the old file whole)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        os.fchmod(handle, 0o600)
        with os.fdopen(handle, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=2)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _load(path: Path) -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConnectorError(f"Cannot read the connection file {path}: {exc}") from None
    return data


def read(path: Path) -> dict[str, Any]:
    """The stored connection fields; the client secret may come from QBTIME_CLIENT_SECRET."""
    data = _load(path)
    data.setdefault("client_secret", os.environ.get("QBTIME_CLIENT_SECRET", ""))
    return data


def open_connection(path: Path) -> Connection:
    """A Connection from the file; each refreshed token is written back before it is used."""
    from .invoke import connection_from_mapping

    def store(token: Token) -> None:
        write_private(path, {**_load(path), "token": token})

    try:
        return connection_from_mapping({**read(path), "on_token_refresh": store})
    except ConnectorError as error:
        raise ConnectorError(f"{path}: {error}") from None
