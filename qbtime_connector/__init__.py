"""QuickBooks Time connector: actions, pick lists and triggers over one OAuth2 connection."""

from .connection import Connection
from .errors import (
    ApiError,
    AuthError,
    BatchError,
    ConnectorError,
    InputError,
    ItemError,
    RateLimitError,
    StoreError,
    TransportError,
)
from .invoke import invoke, poll, preview, sample
from .oauth import authorize_url, exchange_code, new_state
from .progress import Progress
from .retry import RetryPolicy

__all__ = [
    "ApiError",
    "AuthError",
    "BatchError",
    "Connection",
    "ConnectorError",
    "InputError",
    "ItemError",
    "Progress",
    "RateLimitError",
    "RetryPolicy",
    "StoreError",
    "TransportError",
    "__version__",
    "authorize_url",
    "exchange_code",
    "invoke",
    "new_state",
    "poll",
    "preview",
    "sample",
]


def __getattr__(name: str) -> str:
    # The version is read from the installed metadata only when asked for (a cold start's cost).
    if name == "__version__":
        from .version import package_version

        return package_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
