"""The token endpoint's answer read into a token (oauthlib is imported only here, on demand)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from ..errors import ApiError, AuthError, error_from_response, error_message, parse_json
from .store import Token

if TYPE_CHECKING:
    import requests


def parse_token_response(response: requests.Response, reason: str) -> Token:
    """The token in a grant answer, or AuthError (refused) / ApiError (failed) saying why not."""
    if response.status_code in (400, 401) and _oauth_error(response) == "invalid_client":
        # The app's credentials, not the customer's grant: reconnecting would not help.
        message = (
            f"{reason} QuickBooks Time refused the app's client id or client secret "
            f"({error_message(response)}): check them; the customer need not reconnect."
        )
        raise ApiError(response.status_code, message, code="invalid_client")
    if response.status_code in (400, 401, 403):
        raise AuthError(f"{reason} QuickBooks Time said: {error_message(response)}.")
    if response.status_code >= 300:
        raise error_from_response(response)
    body = parse_json(response)
    from oauthlib.oauth2 import OAuth2Error, WebApplicationClient

    try:
        WebApplicationClient("").parse_request_body_response(response.text)
    except (OAuth2Error, Warning, ValueError) as exc:
        raise AuthError(f"{reason} The token answer was unusable ({type(exc).__name__}).") from None
    if body.get("expires_in") not in (None, ""):
        body["expires_at"] = time.time() + float(body["expires_in"])
    return body


def _oauth_error(response: requests.Response) -> str | None:
    """The OAuth error code of a grant answer ({"error": "invalid_client", …}), if it has one."""
    try:
        body = response.json()
    except ValueError:
        return None
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, str) else None
