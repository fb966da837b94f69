"""Where a customer's token lives, and how it is refreshed without ever being lost.

One protocol (`TokenStore`), four stores, and `open_store(url, instance)` to pick one by URL.
The file, SQLite and PostgreSQL stores are imported on first use: one action on a token held
in memory needs none of them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ..errors import StoreError
from .store import MemoryTokenStore, Token, TokenStore, is_newer

if TYPE_CHECKING:
    from .file import FileTokenStore
    from .opening import open_store
    from .postgres import PostgresTokenStore
    from .sqlite import SQLiteTokenStore

_LAZY = {
    "FileTokenStore": ".file",
    "PostgresTokenStore": ".postgres",
    "SQLiteTokenStore": ".sqlite",
    "open_store": ".opening",
}

__all__ = [
    "FileTokenStore",
    "MemoryTokenStore",
    "PostgresTokenStore",
    "SQLiteTokenStore",
    "StoreError",
    "Token",
    "TokenStore",
    "is_newer",
    "open_store",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
