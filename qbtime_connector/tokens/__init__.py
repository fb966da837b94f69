"""Where a customer's token lives, and how it is refreshed without ever being lost.

One protocol (`TokenStore`), four stores, and `open_store(url, instance)` to pick one by URL.
"""

from .file import FileTokenStore
from .opening import open_store
from .postgres import PostgresTokenStore
from .sqlite import SQLiteTokenStore
from .store import MemoryTokenStore, Token, TokenStore, is_newer

__all__ = [
    "FileTokenStore",
    "MemoryTokenStore",
    "PostgresTokenStore",
    "SQLiteTokenStore",
    "Token",
    "TokenStore",
    "is_newer",
    "open_store",
]
