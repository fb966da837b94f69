"""One HTTP request, tried again for what its rules allow, with the waits and log lines of it.

Both the API calls of a Connection and the grants of the token endpoint go through `send`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

import requests

from . import progress
from .errors import TransportError
from .retry import RetryPolicy, exception_retryable, parse_retry_after, status_retryable

log = logging.getLogger("qbtime_connector")
StatusRule = Callable[[str, int], bool]
FailureRule = Callable[[str, requests.RequestException], bool]
API_RULES: tuple[StatusRule, FailureRule] = (status_retryable, exception_retryable)


def send(
    session: requests.Session,
    method: str,
    url: str,
    *,
    retry: RetryPolicy,
    timeout: float | tuple[float, float],
    rules: tuple[StatusRule, FailureRule] = API_RULES,
    before_each: Callable[[], Mapping[str, Any]] | None = None,
    **kwargs: Any,
) -> requests.Response:
    """One request with retries for what `rules` allow; never raises for status.

    `before_each`, if given, runs before every try (pacing, taking the token) and returns
    keyword arguments for that try.
    """
    tries, waited = 0, 0.0
    status_rule, failure_rule = rules
    path = urlsplit(url).path
    while True:
        extra = before_each() if before_each is not None else {}
        started = time.monotonic()
        try:
            response = session.request(method, url, timeout=timeout, **kwargs, **extra)
        except requests.RequestException as exc:
            retryable = failure_rule(method, exc)
            wait = retry.next_wait(tries, waited, None) if retryable else None
            failure = type(exc).__name__
            log.debug("%s %s failed: %s", method, path, failure)
            if wait is None:
                raise TransportError(
                    f"{method} {path} could not reach QuickBooks Time "
                    f"({type(exc).__name__}) after {tries} retries."
                ) from None
        else:
            if log.isEnabledFor(logging.DEBUG):  # its arguments cost a URL parse per call
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
            wait = retry.next_wait(tries, waited, after)
            if wait is None:
                return response
            failure = f"HTTP {response.status_code}"
        log.info("%s %s: %s; retry %d in %.1f s", method, path, failure, tries + 1, wait)
        progress.waiting(wait)
        retry.sleep(wait)
        tries, waited = tries + 1, waited + wait
