"""One customer's connection: its OAuth2 session, its token, and the one place every call goes."""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import threading
import time
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from typing import Any
from urllib.parse import quote, urlsplit

import requests
from oauthlib.oauth2 import OAuth2Error, WebApplicationClient
from requests_oauthlib import OAuth2Session

from .errors import ApiError, AuthError, ConnectorError, RateLimitError, TransportError
from .pacing import Pacer
from .retry import RetryPolicy, exception_retryable, parse_retry_after, status_retryable

DEFAULT_BASE_URL = "https://rest.tsheets.com/api/v1"
log = logging.getLogger("qbtime_connector")

Token = dict[str, Any]
TokenCallback = Callable[[Token], None]


def is_loopback(host: str | None) -> bool:
    """Whether a host name is this machine (127.0.0.0/8, ::1 or localhost)."""
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_base_url(base_url: str) -> str:
    """The base URL without a trailing slash; plain http is refused except on loopback."""
    parts = urlsplit(base_url)
    if parts.scheme == "https" and parts.hostname:
        return base_url.rstrip("/")
    if parts.scheme == "http" and is_loopback(parts.hostname):
        return base_url.rstrip("/")
    raise ConnectorError(
        f"base_url must be https:// (plain http:// only for a loopback sandbox); got {base_url!r}"
    )


class ApiSession(OAuth2Session):
    """An OAuth2Session whose transport rule is ours: https, or http to loopback only.

    oauthlib's own check can only be relaxed process-wide (OAUTHLIB_INSECURE_TRANSPORT), and its
    request() logs the token at DEBUG; this override adds the Bearer header and nothing else.
    """

    def request(  # type: ignore[override]
        self,
        method: str | bytes,
        url: str | bytes,
        data: Any = None,
        headers: MutableMapping[str, str] | None = None,
        withhold_token: bool = False,
        **kwargs: Any,
    ) -> requests.Response:
        """Send one request, with the Bearer token unless `withhold_token`."""
        check_base_url(str(url))
        headers = dict(headers or {})
        if self.token and not withhold_token:
            headers["Authorization"] = f"Bearer {self.access_token}"
        return requests.Session.request(self, method, url, data=data, headers=headers, **kwargs)


def _normalise_token(token: Mapping[str, Any] | None) -> Token:
    if not token or not token.get("access_token"):
        raise AuthError("The connection has no access token.")
    normal = dict(token)
    if "expires_at" not in normal and normal.get("expires_in") not in (None, ""):
        normal["expires_at"] = time.time() + float(normal["expires_in"])
    return normal


class Connection:
    """A customer's QuickBooks Time connection: keep one per customer instance and reuse it."""

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        token: Mapping[str, Any],
        base_url: str = DEFAULT_BASE_URL,
        on_token_refresh: TokenCallback | None = None,
        *,
        timeout: float | tuple[float, float] = (10.0, 60.0),
        retry: RetryPolicy | None = None,
        refresh_margin: float = 300.0,
        refresh_lock: contextlib.AbstractContextManager[Any] | None = None,
        load_token: Callable[[], Mapping[str, Any] | None] | None = None,
        pacer: Pacer | None = None,
    ) -> None:
        self.client_id = client_id
        self._client_secret = client_secret
        self.base_url = check_base_url(base_url)
        self.on_token_refresh = on_token_refresh
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.refresh_margin = refresh_margin
        self._host_lock = refresh_lock
        self._load_token = load_token
        self.pacer = pacer
        self._lock = threading.Lock()
        self._token = _normalise_token(token)
        self.session = ApiSession(client=WebApplicationClient(client_id), token=self._token)
        self.refresh_count = 0

    def __repr__(self) -> str:
        return f"Connection(client_id={self.client_id!r}, base_url={self.base_url!r})"

    @property
    def token(self) -> Token:
        """A copy of the token in use (hand it to storage, never to a log)."""
        return dict(self._token)

    @property
    def token_url(self) -> str:
        """The token endpoint that belongs to this base URL."""
        return f"{self.base_url}/grant"

    def close(self) -> None:
        """Close the pooled HTTP connections."""
        self.session.close()

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- tokens ---------------------------------------------------------------------------

    def _expiring(self, token: Token) -> bool:
        expires_at = token.get("expires_at")
        return expires_at is not None and float(expires_at) - self.refresh_margin <= time.time()

    def _current_token(self) -> Token:
        token = self._token
        if self._expiring(token):
            self.refresh(stale=token["access_token"])
            token = self._token
        return token

    @contextlib.contextmanager
    def _refreshing(self) -> Iterator[None]:
        with self._lock, self._host_lock or contextlib.nullcontext():
            yield

    def refresh(self, stale: str | None = None) -> Token:
        """Refresh the token once, however many threads ask; `stale` is the token they saw."""
        with self._refreshing():
            self._adopt_stored_token()
            if stale is not None and self._token["access_token"] != stale:
                return self.token  # another caller refreshed while we waited
            refresh_token = self._token.get("refresh_token")
            if not refresh_token:
                raise AuthError("The access token has expired and there is no refresh token.")
            fields = {"grant_type": "refresh_token", "refresh_token": refresh_token}
            new = self.token_request(fields, reason="Refreshing the access token failed.")
            new.setdefault("refresh_token", refresh_token)
            self._install(new)
            return self.token

    def _adopt_stored_token(self) -> None:
        """Take a newer token another process stored (when the host supplies `load_token`)."""
        if self._load_token is None:
            return
        stored = self._load_token()
        if stored and stored.get("access_token") and stored != self._token:
            self._token = _normalise_token(stored)
            self.session.token = self._token

    def _install(self, new: Token) -> None:
        self.refresh_count += 1
        try:
            if self.on_token_refresh is not None:
                self.on_token_refresh(dict(new))
        finally:
            # The old refresh token is dead now: the new one is kept even if storing it failed.
            self._token = new
            self.session.token = new

    def token_request(self, fields: Mapping[str, str], reason: str) -> Token:
        """POST to the grant endpoint with the client credentials in the form body."""
        data = {**fields, "client_id": self.client_id, "client_secret": self._client_secret}
        response = self._send(
            "POST",
            self.token_url,
            data=data,
            headers={"Accept": "application/json"},
            withhold_token=True,
        )
        try:
            return parse_token_response(self.session, response, reason)
        except ConnectorError as error:
            raise redacted(error, [*fields.values(), self._client_secret]) from None

    # -- the chokepoint ---------------------------------------------------------------------

    def url(self, path: str) -> str:
        """The absolute URL of an API path; each segment is escaped, so ids cannot leave it."""
        segments = [quote(s, safe="") for s in path.strip("/").split("/") if s]
        if not segments or any(s in {".", ".."} for s in segments):
            raise ConnectorError(f"Invalid API path {path!r}.")
        return f"{self.base_url}/{'/'.join(segments)}"

    def request(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        *,
        response_headers: MutableMapping[str, str] | None = None,
    ) -> dict[str, Any]:
        """Make one API call: auth, refresh, retries, and errors mapped. Returns the JSON body.

        `response_headers`, when given, receives the answer's headers (e.g. its Date).
        """
        url = self.url(path)
        retried_auth = False
        while True:
            token = self._current_token()
            response = self._send(method, url, params=params, json=json, headers=headers)
            if response.status_code == 401 and not retried_auth:
                retried_auth = True
                self.refresh(stale=token["access_token"])
                continue
            if response.status_code == 401:
                raise AuthError(
                    "QuickBooks Time refused the access token even after a refresh "
                    f"({error_message(response)})."
                )
            if response.status_code >= 400:
                raise api_error(response)
            if response_headers is not None:
                response_headers.update(response.headers)
            return parse_json(response)

    def _send(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        """One request with retries for what may safely be retried; never raises for status."""
        retry, waited = 0, 0.0
        path = urlsplit(url).path
        while True:
            if self.pacer is not None:
                self.pacer.wait_turn()
            started = time.monotonic()
            try:
                response = self.session.request(method, url, timeout=self.timeout, **kwargs)
            except requests.RequestException as exc:
                wait = self._wait(retry, waited, None) if exception_retryable(method, exc) else None
                log.debug("%s %s failed: %s", method, path, type(exc).__name__)
                if wait is None:
                    raise TransportError(
                        f"{method} {path} could not reach QuickBooks Time "
                        f"({type(exc).__name__}) after {retry} retries."
                    ) from None
            else:
                log.debug(
                    "%s %s -> %s in %.0f ms",
                    method,
                    path,
                    response.status_code,
                    (time.monotonic() - started) * 1000,
                )
                if not status_retryable(method, response.status_code):
                    return response
                after = parse_retry_after(response.headers.get("Retry-After"))
                wait = self._wait(retry, waited, after)
                if wait is None:
                    return response
            self.retry.sleep(wait)
            retry, waited = retry + 1, waited + wait

    def _wait(self, retry: int, waited: float, retry_after: float | None) -> float | None:
        return self.retry.next_wait(retry, waited, retry_after)


def redacted(error: ConnectorError, secrets: list[str]) -> ConnectorError:
    """The same error with any secret the server echoed back blanked out of its text."""
    text = str(error)
    for secret in secrets:
        if secret and len(secret) >= 6:
            text = text.replace(secret, "[redacted]")
    if text != str(error):
        error.args = (text,)
        if isinstance(error, AuthError):
            error.reason = text
    return error


def parse_json(response: requests.Response) -> dict[str, Any]:
    """The JSON object of a 2xx answer, or an ApiError saying the answer was not JSON."""
    try:
        body = response.json()
    except ValueError:
        raise ApiError(response.status_code, "the answer was not JSON") from None
    if not isinstance(body, dict):
        raise ApiError(response.status_code, "the answer was not a JSON object")
    return body


def error_message(response: requests.Response) -> str:
    """The API's own words for an error answer, whichever of its shapes it used."""
    try:
        body = response.json()
    except ValueError:
        return (response.text or response.reason or "no message").strip()[:300]
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        return str(error.get("message", error))
    if isinstance(error, str):
        return f"{error}: {body.get('error_description', '')}".rstrip(": ")
    return str(body)[:300]


def api_error(response: requests.Response) -> ApiError:
    """The contract's error for an error answer."""
    message = error_message(response)
    if response.status_code == 429:
        after = parse_retry_after(response.headers.get("Retry-After"))
        return RateLimitError(f"rate limit reached ({message})", retry_after=after)
    code = None
    with contextlib.suppress(ValueError, AttributeError):
        code = response.json()["error"].get("code")
    return ApiError(response.status_code, message, code=code)


def parse_token_response(session: OAuth2Session, response: requests.Response, reason: str) -> Token:
    """The token in a grant answer, or AuthError/ApiError saying why there is none."""
    if response.status_code in (400, 401, 403):
        raise AuthError(f"{reason} QuickBooks Time said: {error_message(response)}.")
    if response.status_code >= 400:
        raise api_error(response)
    body = parse_json(response)
    try:
        WebApplicationClient(session.client_id or "").parse_request_body_response(response.text)
    except (OAuth2Error, Warning, ValueError) as exc:
        raise AuthError(f"{reason} The token answer was unusable ({type(exc).__name__}).") from None
    if body.get("expires_in") not in (None, ""):
        body["expires_at"] = time.time() + float(body["expires_in"])
    return body
