"""The first connection of a customer: the authorize URL, and the code exchanged for a token."""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

from .tokens.grant import GrantClient
from .tokens.store import Token
from .urls import DEFAULT_BASE_URL, check_base_url


def new_state() -> str:
    """An unguessable state value to tie the redirect to the request that started it."""
    return secrets.token_urlsafe(24)


def authorize_url(
    client_id: str, redirect_uri: str, state: str, base_url: str = DEFAULT_BASE_URL
) -> str:
    """The URL to send the customer's admin to, to approve the app."""
    # Built here, not by oauthlib, whose builder refuses the sandbox's loopback http.
    query = urlencode(
        {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "state": state,
        }
    )
    return f"{check_base_url(base_url)}/authorize?{query}"


def exchange_code(
    client_id: str,
    client_secret: str,
    code: str,
    redirect_uri: str,
    base_url: str = DEFAULT_BASE_URL,
) -> Token:
    """Trade an authorization code for the customer's first token (store all of it)."""
    with GrantClient(client_id, client_secret, base_url) as grants:
        return grants.exchange_code(code, redirect_uri)
