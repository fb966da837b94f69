"""The token endpoint: an authorization code or a refresh token exchanged for a token.

The client credentials go in the form body (the API does not take HTTP Basic), refused grants
are final, anything else is retried by the connection's policy, and no secret sent is ever left
in an error. oauthlib checks the answer (RFC 6749 section 5.1) and is imported only here, when
a grant happens, so a cold start never pays for it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from ..errors import (
    ApiError,
    AuthError,
    ConnectorError,
    error_from_response,
    error_message,
    parse_json,
    redacted,
)
from ..processes import PerProcess
from ..retry import RetryPolicy, grant_exception_retryable, grant_status_retryable
from ..sending import send
from ..session import ApiSession
from ..urls import check_base_url
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


class GrantClient:
    """One app's grants at one API: `exchange_code` for the first token, `refresh` for later.

    A Connection lends its HTTP session and retry policy; alone (`oauth.exchange_code`) the
    client has its own session, closed by `close()` or at the end of a `with` block.
    """

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        base_url: str,
        *,
        session: Callable[[], ApiSession] | None = None,
        retry: RetryPolicy | None = None,
        timeout: float | tuple[float, float] = (10.0, 60.0),
    ) -> None:
        self.client_id = client_id
        self._client_secret = client_secret
        self.token_url = f"{check_base_url(base_url)}/grant"
        self._own: PerProcess[ApiSession] | None = None
        if session is None:
            self._own = PerProcess(lambda: ApiSession(base_url))
            session = self._own.get
        self._session = session
        self.retry = retry or RetryPolicy()
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"GrantClient(client_id={self.client_id!r}, token_url={self.token_url!r})"

    def __enter__(self) -> GrantClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP session, if it is this client's own."""
        own = self._own.made() if self._own is not None else None
        if own is not None:
            own.close()

    def exchange_code(self, code: str, redirect_uri: str) -> Token:
        """The customer's first token, for the code their admin's approval sent back."""
        fields = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
        return self._post(fields, "Exchanging the authorization code failed.")

    def refresh(self, refresh_token: str) -> Token:
        """A new token (with a new refresh token: the one given dies) for `refresh_token`."""
        fields = {"grant_type": "refresh_token", "refresh_token": refresh_token}
        return self._post(fields, "Refreshing the access token failed.")

    def _post(self, fields: Mapping[str, str], reason: str) -> Token:
        data = {**fields, "client_id": self.client_id, "client_secret": self._client_secret}
        try:
            response = send(
                self._session(),
                "POST",
                self.token_url,
                data=data,
                headers={"Accept": "application/json"},
                retry=self.retry,
                timeout=self.timeout,
                rules=(grant_status_retryable, grant_exception_retryable),
            )
            return parse_token_response(response, reason)
        except ConnectorError as error:
            raise redacted(error, [*fields.values(), self._client_secret]) from None
