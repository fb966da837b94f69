"""QuickBooks Time connector: actions, pick lists and triggers over one OAuth2 connection."""

from .connection import Connection
from .errors import (
    ApiError,
    AuthError,
    ConnectorError,
    InputError,
    ItemError,
    RateLimitError,
    TransportError,
)
from .invoke import invoke, poll
from .oauth import authorize_url, exchange_code, new_state
from .retry import RetryPolicy

__version__ = "0.1.0"

__all__ = [
    "ApiError",
    "AuthError",
    "Connection",
    "ConnectorError",
    "InputError",
    "ItemError",
    "RateLimitError",
    "RetryPolicy",
    "TransportError",
    "__version__",
    "authorize_url",
    "exchange_code",
    "invoke",
    "new_state",
    "poll",
]
