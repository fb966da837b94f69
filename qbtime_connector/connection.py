"""One customer's connection and the one place every call goes: auth, refresh, retries, errors."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, MutableMapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .errors import (
    AuthError,
    ConnectorError,
    error_from_response,
    error_message,
    parse_json,
    redacted,
)
from .pacing import CallLedger, Pacer
from .processes import PerProcess
from .retry import RetryPolicy
from .sending import send
from .session import ApiSession
from .tokens.grant import GrantClient
from .tokens.hooks import HostHooksStore, HostLock
from .tokens.lifecycle import TokenCallback, TokenKeeper
from .tokens.mapping import mapping_tokens
from .tokens.store import MemoryTokenStore, Token, TokenStore
from .urls import DEFAULT_BASE_URL, api_url, check_base_url, is_loopback

if TYPE_CHECKING:
    import requests

__all__ = ["DEFAULT_BASE_URL", "Connection", "Token", "check_base_url", "is_loopback"]

log = logging.getLogger("qbtime_connector")


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
        # Made anew in a forked child: a keep-alive socket is never shared with the parent.
        self._sessions: PerProcess[ApiSession] = PerProcess(lambda: ApiSession(self.base_url))
        self.grants = GrantClient(
            client_id,
            client_secret,
            self.base_url,
            session=self._sessions.get,
            retry=self.retry,
            timeout=timeout,
        )
        self.tokens = TokenKeeper(
            store,
            self.grants.refresh,
            given=token,
            on_token_refresh=on_token_refresh,
            refresh_margin=refresh_margin,
            seed_store=not hooks,
        )

    def __repr__(self) -> str:
        return f"Connection(client_id={self.client_id!r}, base_url={self.base_url!r})"

    @classmethod
    def from_mapping(cls, config: Mapping[str, Any]) -> Connection:
        """A Connection from the contract's plain mapping (its token: tokens/mapping.py)."""
        held = mapping_tokens(config)
        return cls(
            client_id=str(config["client_id"]),
            client_secret=str(config["client_secret"]),
            token=held.token,
            base_url=str(config.get("base_url") or DEFAULT_BASE_URL),
            on_token_refresh=held.on_token_refresh,
            store=held.store,
            refresh_margin=held.refresh_margin,
        )

    @property
    def session(self) -> ApiSession:
        """This process's HTTP session (pooled connections to the API's origin)."""
        return self._sessions.get()

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
        return self.grants.token_url

    def close(self) -> None:
        """Save a rotated token its store refused before, if any; close the HTTP connections."""
        self.tokens.close()
        session = self._sessions.made()
        if session is not None:
            session.close()

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
        sent: list[str] = []

        def authorize() -> dict[str, str]:
            if self.pacer is not None:
                self.pacer.wait_turn(self._ledger)
            # Taken after the wait, which can outlast a short token.
            sent.append(self.tokens.current()["access_token"])
            return {"access_token": sent[-1]}

        while True:
            response = send(
                self.session,
                method,
                url,
                retry=self.retry,
                timeout=self.timeout,
                before_each=authorize,
                params=params,
                json=json,
                headers=headers,
            )
            if response.status_code == 401 and not retried_auth:
                retried_auth = True
                log.info("%s %s: the token was refused; refreshing it", method, urlsplit(url).path)
                self.tokens.refresh(stale=sent[-1])
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
