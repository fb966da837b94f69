"""One customer's connection and the one place every call goes: auth, refresh, retries, errors."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, MutableMapping
from typing import Any
from urllib.parse import urlsplit

import requests

from . import progress
from .errors import (
    AuthError,
    ConnectorError,
    TransportError,
    error_from_response,
    error_message,
    parse_json,
    redacted,
)
from .pacing import CallLedger, Pacer
from .retry import (
    RetryPolicy,
    exception_retryable,
    grant_exception_retryable,
    grant_status_retryable,
    parse_retry_after,
    status_retryable,
)
from .session import ApiSession
from .tokens.grant import parse_token_response
from .tokens.hooks import HostHooksStore, HostLock
from .tokens.lifecycle import TokenCallback, TokenKeeper
from .tokens.store import MemoryTokenStore, Token, TokenStore
from .urls import DEFAULT_BASE_URL, api_url, check_base_url, is_loopback

__all__ = ["DEFAULT_BASE_URL", "Connection", "Token", "check_base_url", "is_loopback"]

log = logging.getLogger("qbtime_connector")
StatusRule = Callable[[str, int], bool]
FailureRule = Callable[[str, requests.RequestException], bool]


class Connection:
    """A customer's QuickBooks Time connection: keep one per customer instance and reuse it.

    With `store=`, the token lives in the store and every refresh happens under its lock, so
    workers sharing the store share one token; `refresh_lock=` / `load_token=` are the older
    form of the same hooks.
    """

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        token: Mapping[str, Any] | None = None,
        base_url: str = DEFAULT_BASE_URL,
        on_token_refresh: TokenCallback | None = None,
        *,
        store: TokenStore | None = None,
        timeout: float | tuple[float, float] = (10.0, 60.0),
        retry: RetryPolicy | None = None,
        refresh_margin: float = 300.0,
        refresh_lock: HostLock | None = None,
        load_token: Callable[[], Mapping[str, Any] | None] | None = None,
        pacer: Pacer | None = None,
    ) -> None:
        self.client_id = client_id
        self._client_secret = client_secret
        self.base_url = check_base_url(base_url)
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.pacer = pacer
        hooks = store is None and (refresh_lock is not None or load_token is not None)
        if store is None:
            store = HostHooksStore(load_token, refresh_lock) if hooks else MemoryTokenStore()
        self.store = store
        self._ledger = store if isinstance(store, CallLedger) else None
        self.session = ApiSession(self.base_url)
        self.tokens = TokenKeeper(
            store,
            self._refresh_grant,
            given=token,
            on_token_refresh=on_token_refresh,
            refresh_margin=refresh_margin,
            seed_store=not hooks,
        )

    def __repr__(self) -> str:
        return f"Connection(client_id={self.client_id!r}, base_url={self.base_url!r})"

    @property
    def token(self) -> Token:
        """A copy of the token in use (hand it to storage, never to a log)."""
        return self.tokens.token

    @property
    def refresh_count(self) -> int:
        """Refreshes this connection made itself (not those adopted from the store)."""
        return self.tokens.refresh_count

    @property
    def on_token_refresh(self) -> TokenCallback | None:
        """The host's callback, given every token this connection obtains."""
        return self.tokens.on_token_refresh

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

    def refresh(self, stale: str | None = None) -> Token:
        """Refresh the token once, however many threads ask; `stale` is the token they saw."""
        try:
            return self.tokens.refresh(stale)
        except ConnectorError as error:
            raise redacted(error, self._secrets()) from None

    def _refresh_grant(self, refresh_token: str) -> Token:
        fields = {"grant_type": "refresh_token", "refresh_token": refresh_token}
        return self.token_request(fields, reason="Refreshing the access token failed.")

    def token_request(self, fields: Mapping[str, str], reason: str) -> Token:
        """POST to the grant endpoint with the client credentials in the form body."""
        data = {**fields, "client_id": self.client_id, "client_secret": self._client_secret}
        try:
            response = self._send(
                "POST",
                self.token_url,
                data=data,
                headers={"Accept": "application/json"},
                rules=(grant_status_retryable, grant_exception_retryable),
            )
            return parse_token_response(response, reason)
        except ConnectorError as error:
            raise redacted(error, [*fields.values(), *self._secrets()]) from None

    def _secrets(self) -> list[str]:
        token = self.tokens.token
        return [
            self._client_secret,
            *(str(token.get(k) or "") for k in ("access_token", "refresh_token")),
        ]

    # -- the chokepoint ---------------------------------------------------------------------

    def url(self, path: str) -> str:
        """The absolute URL of an API path; it can never leave the connection's API."""
        return api_url(self.base_url, path)

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
        try:
            answer = self._request(method, path, params, json, headers, response_headers)
            return parse_json(answer)
        except ConnectorError as error:
            raise redacted(error, self._secrets()) from None

    def download(
        self, path: str, params: Mapping[str, Any] | None = None
    ) -> tuple[bytes, dict[str, str]]:
        """GET an answer that is not JSON (a file's bytes) through the same auth, retries and
        error mapping as request(): its bytes and its headers."""
        try:
            answer = self._request("GET", path, params, None, None, None)
            return answer.content, dict(answer.headers)
        except ConnectorError as error:
            raise redacted(error, self._secrets()) from None

    def _request(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None,
        json: Any,
        headers: Mapping[str, str] | None,
        response_headers: MutableMapping[str, str] | None,
    ) -> requests.Response:
        url = self.url(path)
        retried_auth = False
        while True:
            token = self.tokens.current()
            response = self._send(
                method,
                url,
                params=params,
                json=json,
                headers=headers,
                access_token=token["access_token"],
                paced=True,
            )
            if response.status_code == 401 and not retried_auth:
                retried_auth = True
                log.info("%s %s: the token was refused; refreshing it", method, urlsplit(url).path)
                self.tokens.refresh(stale=token["access_token"])
                continue
            if response.status_code == 401:
                raise AuthError(
                    "QuickBooks Time refused the access token even after a refresh "
                    f"({error_message(response)})."
                )
            if response.status_code >= 300:
                raise error_from_response(response)
            if response_headers is not None:
                response_headers.update(response.headers)
            return response

    def _send(
        self,
        method: str,
        url: str,
        *,
        rules: tuple[StatusRule, FailureRule] = (status_retryable, exception_retryable),
        paced: bool = False,
        **kwargs: Any,
    ) -> requests.Response:
        """One request with retries for what `rules` allow; never raises for status."""
        retry, waited = 0, 0.0
        status_rule, failure_rule = rules
        path = urlsplit(url).path
        while True:
            if paced and self.pacer is not None:
                self.pacer.wait_turn(self._ledger)
            started = time.monotonic()
            try:
                response = self.session.request(method, url, timeout=self.timeout, **kwargs)
            except requests.RequestException as exc:
                retryable = failure_rule(method, exc)
                wait = self.retry.next_wait(retry, waited, None) if retryable else None
                failure = type(exc).__name__
                log.debug("%s %s failed: %s", method, path, failure)
                if wait is None:
                    raise TransportError(
                        f"{method} {path} could not reach QuickBooks Time "
                        f"({type(exc).__name__}) after {retry} retries."
                    ) from None
            else:
                log.debug(
                    "%s %s -> %s in %.0f ms",
                    method,
                    response.request.path_url,  # with the query: what was asked (no secret)
                    response.status_code,
                    (time.monotonic() - started) * 1000,
                )
                if not status_rule(method, response.status_code):
                    return response
                after = parse_retry_after(response.headers.get("Retry-After"))
                wait = self.retry.next_wait(retry, waited, after)
                if wait is None:
                    return response
                failure = f"HTTP {response.status_code}"
            log.info("%s %s: %s; retry %d in %.1f s", method, path, failure, retry + 1, wait)
            progress.waiting(wait)
            self.retry.sleep(wait)
            retry, waited = retry + 1, waited + wait
