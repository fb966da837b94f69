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
    TransportError,
)
from .invoke import invoke, poll
from .oauth import authorize_url, exchange_code, new_state
from .progress import Progress
from .retry import RetryPolicy
from .version import VERSION as __version__

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
    "TransportError",
    "__version__",
    "authorize_url",
    "exchange_code",
    "invoke",
    "new_state",
    "poll",
]
