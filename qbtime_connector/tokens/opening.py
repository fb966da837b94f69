"""open_store: a token store named by a URL (file:, sqlite:, postgresql:), for configuration."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ..errors import ConnectorError
from .store import TokenStore

SCHEMES = ("file:PATH", "sqlite:PATH", "postgresql://…")


def open_store(url: str, instance: str | None = None) -> TokenStore:
    """The store a URL names; SQLite and PostgreSQL also need the customer `instance`."""
    if not isinstance(url, str):
        raise ConnectorError(
            f"A token store URL is text, like sqlite:PATH; got {type(url).__name__}"
        )
    scheme, _, rest = url.partition(":")
    scheme = scheme.lower()
    # Each store is imported only when a URL names it (a cold start with none imports none).
    if scheme == "file" and rest:
        from .file import FileTokenStore

        return FileTokenStore(store_path(rest))
    if scheme in ("sqlite", "postgresql", "postgres") and not instance:
        raise ConnectorError(f"A {scheme}: token store needs an instance name.")
    if scheme == "sqlite" and rest and instance:
        from .sqlite import SQLiteTokenStore

        return SQLiteTokenStore(store_path(rest), instance)
    if scheme in ("postgresql", "postgres") and instance:
        from .postgres import PostgresTokenStore

        return PostgresTokenStore(url, instance)
    # Only a plain scheme is said back: a keyword DSN ("host=… password=…") has no scheme.
    said = f"{scheme}:…" if re.fullmatch(r"[a-z][a-z0-9+.-]{0,20}", scheme) else "something else"
    raise ConnectorError(f"A token store URL is one of {', '.join(SCHEMES)}; got {said}.")


def store_path(rest: str) -> str:
    """The path of file:PATH, file://PATH and file:///abs/PATH alike."""
    if rest.startswith("//"):
        parts = urlsplit(f"x:{rest}")
        return parts.netloc + parts.path if parts.netloc not in ("", "localhost") else parts.path
    return rest
