"""A connection stored as a JSON file (owner-only): its token is a FileTokenStore's, locked.

The file holds the client id, the API base and the token, or the URL of the token store that
holds it (a relative path there is relative to the file's folder). It holds the client secret
only when the user asked for it (`login --save-secret`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .connection import Connection
from .errors import ConnectorError
from .tokens.file import FileTokenStore, read_json, write_private
from .urls import DEFAULT_BASE_URL

__all__ = [
    "StoreMissing",
    "existing_store",
    "local_store_path",
    "open_connection",
    "read",
    "relative_store_url",
    "resolved_store_url",
    "write_private",
]

_LOCAL_SCHEMES = ("file", "sqlite")  # stores that are a file on this machine
SECRET_VARIABLE = "QBTIME_CLIENT_SECRET"


def read(path: Path) -> dict[str, Any]:
    """The stored connection fields, as written."""
    data = read_json(path)
    if not data:
        raise ConnectorError(f"Cannot read the connection file {path}: it is missing or empty.")
    return data


def local_store_path(url: str) -> Path | None:
    """The file a file: or sqlite: store URL names (None for other stores)."""
    from .tokens.opening import store_path

    scheme, _, rest = url.partition(":")
    return Path(store_path(rest)) if scheme.lower() in _LOCAL_SCHEMES and rest else None


def resolved_store_url(url: str, folder: Path) -> str:
    """The URL with a relative store path taken as relative to `folder`."""
    path = local_store_path(url)
    if path is None or path.is_absolute():
        return url
    return f"{url.partition(':')[0]}:{folder / path}"


def relative_store_url(url: str, folder: Path) -> str:
    """The URL as a file in `folder` names it: a local store's path relative to the folder."""
    path = local_store_path(url)
    if path is None:
        return url
    return f"{url.partition(':')[0]}:{os.path.relpath(path.resolve(), folder.resolve())}"


class StoreMissing(ConnectorError):
    """A local token store's file does not exist, so it holds no token (it is not created)."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"There is no token store at {path}.")
        self.path = path


def existing_store(url: str) -> str:
    """The URL, once a local store's file is known to exist: a read never creates an empty one."""
    path = local_store_path(url)
    if path is not None and not path.exists():
        raise StoreMissing(path)
    return url


def _no_secret() -> str:
    raise ConnectorError(f"The connection has no client secret: set {SECRET_VARIABLE}.")


def open_connection(
    path: Path,
    token_store: str | None = None,
    instance: str | None = None,
    ask_secret: Callable[[], str] = _no_secret,
    base_url: str | None = None,
) -> Connection:
    """A Connection from the file; its token lives in the file itself (a FileTokenStore,
    refreshed under its lock file) unless the file or `token_store` names another store.

    The client secret is the file's, else QBTIME_CLIENT_SECRET's, else what `ask_secret` gives;
    `base_url`, when given, overrides the file's.
    """
    from .invoke import connection_from_mapping

    data = read(path)
    data["client_secret"] = (
        data.get("client_secret") or os.environ.get(SECRET_VARIABLE) or ask_secret()
    )
    data["base_url"] = base_url or data.get("base_url") or DEFAULT_BASE_URL
    if token_store:
        data.update(token_store=token_store, instance=instance or data.get("instance"))
    elif data.get("token_store"):
        data["token_store"] = resolved_store_url(str(data["token_store"]), path.parent)
    if data.get("token_store"):
        existing_store(str(data["token_store"]))
    try:
        if data.get("token_store"):
            return connection_from_mapping(data)
        missing = [k for k in ("client_id", "token") if not data.get(k)]
        if missing:
            raise ConnectorError(f"The connection is missing {', '.join(missing)}.")
        return Connection(
            str(data["client_id"]),
            str(data["client_secret"]),
            base_url=str(data["base_url"]),
            store=FileTokenStore(path),
        )
    except ConnectorError as error:
        raise ConnectorError(f"{path}: {error}") from None
