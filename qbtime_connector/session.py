"""The HTTP session every call goes through: Bearer header, one origin only, no redirects.

It is a plain requests.Session, not requests-oauthlib's OAuth2Session: our request() already
replaced everything that class adds (its transport check can only be relaxed process-wide and
its request() logs the token at DEBUG), and subclassing it would import oauthlib at start-up.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, cast

import requests
from requests.structures import CaseInsensitiveDict
from requests.utils import get_environ_proxies

from .errors import ConnectorError
from .urls import origin


class ApiSession(requests.Session):
    """A pooled session bound to one API origin; it never follows a redirect."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.origin = origin(base_url)
        # requests reads the environment on every request when trust_env is on: a ~/.netrc
        # login for the API's host would be sent as Basic auth in place of the Bearer token,
        # and two scans of os.environ cost each call more than our own work. The proxy
        # (honouring NO_PROXY) and CA bundle variables are read here, once per session.
        self.trust_env = False
        self.proxies.update(get_environ_proxies(base_url))
        bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
        if bundle:
            self.verify = bundle

    def __repr__(self) -> str:
        return f"ApiSession(origin={self.origin!r})"

    def request(  # type: ignore[override]
        self,
        method: str,
        url: str,
        *,
        access_token: str | None = None,
        params: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | tuple[float, float] | None = None,
        allow_redirects: bool = False,
    ) -> requests.Response:
        """Send one request to the bound origin, with `access_token` as Bearer when given.

        It never follows a redirect, whatever `allow_redirects` says (Session.get passes True):
        one could carry the token or the body elsewhere.
        """
        if origin(url) != self.origin:
            raise ConnectorError("Refused to send a request outside the connection's API.")
        # Prepared here rather than through Session.request, whose merging of per-request
        # cookies, auth, params, hooks and environment cost each call about 0.1 ms, more than
        # all our own work (README, per call). What a host may set on the session still counts.
        prepared = requests.PreparedRequest()
        prepared.prepare(
            method=method,
            url=url,
            headers=self._with_session_headers(headers, access_token),
            params=self._with_session_params(params),
            data=data,
            json=json,
            auth=self.auth,
            cookies=self.cookies,
            hooks=self.hooks,
        )
        return self.send(
            prepared,
            timeout=timeout,
            allow_redirects=False,
            proxies=self.proxies,
            stream=self.stream,
            verify=self.verify,
            cert=self.cert,
        )

    def _with_session_headers(
        self, headers: Mapping[str, str] | None, access_token: str | None
    ) -> CaseInsensitiveDict[Any]:
        """The session's headers, then the request's, then the Bearer token; a header set to
        None is not sent (as in requests)."""
        merged: CaseInsensitiveDict[Any] = CaseInsensitiveDict(self.headers)
        merged.update(headers or {})
        if access_token:
            merged["Authorization"] = f"Bearer {access_token}"
        for name in [name for name, value in merged.items() if value is None]:
            del merged[name]
        return merged

    def _with_session_params(self, params: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
        """The request's query over the session's default one, if a host set any."""
        if not self.params:
            return params
        return {**dict(cast(Any, self.params)), **(params or {})}  # a mapping, or its pairs
