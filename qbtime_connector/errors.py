"""The connector's exceptions: every failure a caller can see is one of these."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, quote_plus

if TYPE_CHECKING:
    import requests


class ConnectorError(Exception):
    """Base of every error the connector raises."""


class InputError(ConnectorError):
    """Raised when any input is invalid; no request has been made."""

    def __init__(self, errors: Sequence[Mapping[str, str]]) -> None:
        self.errors: list[dict[str, str]] = [dict(e) for e in errors]
        lines = [f"{e['label']}: {e['message']}" for e in self.errors]
        super().__init__("Invalid input. " + "; ".join(lines))


class AuthError(ConnectorError):
    """Raised when there is no usable token, a refresh is refused, or 401 persists after one."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"{reason} The customer must reconnect their QuickBooks Time account.")


class TransportError(ConnectorError):
    """Raised when the API could not be reached or did not answer in time, after any retries."""


class StoreError(ConnectorError):
    """Raised when a token store cannot be read, reached or written, or its contents are corrupt.

    `store` names the store (never with a password), `instance` the customer instance (or None).
    """

    def __init__(self, store: str, instance: str | None, problem: str) -> None:
        self.store = store
        self.instance = instance
        self.problem = problem
        named = f" (instance {instance!r})" if instance is not None else ""
        super().__init__(f"Token store {store}{named}: {problem}")


class ApiError(ConnectorError):
    """Raised when the API answered with an error."""

    def __init__(self, status: int | None, message: str, code: int | str | None = None) -> None:
        self.status = status
        self.code = code if code is not None else status
        self.message = message
        super().__init__(f"QuickBooks Time answered {status}: {message}")


class RateLimitError(ApiError):
    """Raised when 429 persists after the retries; `retry_after` says when to try again."""

    def __init__(self, message: str, retry_after: float | None) -> None:
        self.retry_after = retry_after
        super().__init__(429, message)


class ItemError(ApiError):
    """Raised when a write answered 2xx but some items failed; `items` holds every item."""

    def __init__(self, endpoint: str, items: list[dict[str, Any]]) -> None:
        self.endpoint = endpoint
        self.items = items
        failed = [(n, i) for n, i in enumerate(items, 1) if item_failed(i)]
        first_status = int(failed[0][1].get("_status_code", 0)) if failed else None
        details = "; ".join(f"item {n}: {describe_item(i)}" for n, i in failed)
        super().__init__(
            first_status, f"{len(failed)} of {len(items)} {endpoint} failed ({details})"
        )


class BatchError(ConnectorError):
    """Raised when a batch write stopped part-way; `records` says what became of each record.

    Each entry is {"index", "outcome", "result"}: `applied` or `failed` (the API answered for
    that item; `result` is its answer), `not_applied` (its request was refused whole: safe to
    send again), `unknown` (sent without a usable answer: check before sending again) or
    `not_sent`. `cause` is the error that stopped the batch.
    """

    def __init__(self, endpoint: str, records: list[dict[str, Any]], cause: ConnectorError):
        self.endpoint = endpoint
        self.records = records
        self.cause = cause
        tally: dict[str, int] = {}
        for record in records:
            tally[record["outcome"]] = tally.get(record["outcome"], 0) + 1
        counts = ", ".join(f"{n} {outcome.replace('_', ' ')}" for outcome, n in tally.items())
        super().__init__(f"The {endpoint} batch stopped part-way ({counts}): {cause}")

    @classmethod
    def stopped(
        cls,
        endpoint: str,
        answered: Sequence[Mapping[str, Any]],
        sent: int,
        total: int,
        cause: ConnectorError,
    ) -> ConnectorError:
        """The error when the request after `answered` items, ending at record `sent`, failed.

        With nothing answered yet, that is `cause` itself (AuthError, ApiError, …): its class
        says all, and the records after the failed request were not sent.
        """
        if not answered:
            return cause
        records: list[dict[str, Any]] = [
            {"index": n, "outcome": "failed" if item_failed(i) else "applied", "result": dict(i)}
            for n, i in enumerate(answered)
        ]
        fate = _fate(cause)
        records += [
            {"index": n, "outcome": fate, "result": None} for n in range(len(answered), sent)
        ]
        records += [{"index": n, "outcome": "not_sent", "result": None} for n in range(sent, total)]
        return cls(endpoint, records, cause)


# Statuses after which the API has applied nothing of a write (other 5xx may have applied part).
_REFUSED_WHOLE = frozenset({429, 503})


def _fate(error: ConnectorError) -> str:
    """What became of the records of a write request that raised `error`."""
    if isinstance(error, AuthError):
        return "not_applied"  # 401: refused before anything was done
    if isinstance(error, ApiError) and (
        error.status is None or error.status < 500 or error.status in _REFUSED_WHOLE
    ):
        return "not_applied"
    return "unknown"  # no answer, or a 5xx that may have applied part of the request


def item_failed(item: Mapping[str, Any]) -> bool:
    return int(item.get("_status_code", 200)) >= 300


def describe_item(item: Mapping[str, Any]) -> str:
    """One line for a per-item result: status, message and the API's explanation."""
    text = f"{item.get('_status_code')} {item.get('_status_message', '')}".strip()
    extra = item.get("_status_extra")
    return f"{text} ({extra})" if extra else text


def error_json(error: BaseException) -> dict[str, Any]:
    """An error as one JSON object: its class, message, status and what else it carries."""
    found: dict[str, Any] = {
        "error": type(error).__name__,
        "message": str(error),
        "status": getattr(error, "status", None),
    }
    if isinstance(error, InputError):
        found["inputs"] = error.errors
    if isinstance(error, ApiError):
        found["code"] = error.code
    if isinstance(error, RateLimitError):
        found["retry_after"] = error.retry_after
    if isinstance(error, ItemError):
        found["items"] = error.items
    if isinstance(error, BatchError):
        found["records"] = error.records
        found["cause"] = error_json(error.cause)
    return found


# -- from an HTTP answer to an exception (the one place that reads error bodies) ----------------


def _body(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _text_of(response: requests.Response) -> str:
    """A short plain-text reading of a body that is not JSON (HTML tags dropped)."""
    text = re.sub(r"<[^>]*>", " ", response.text or "")
    text = " ".join(text.split())[:300]
    return text or (response.reason or "no message")


def error_message(response: requests.Response) -> str:
    """The API's own words for an error answer, whichever shape its body has."""
    body = _body(response)
    if body is None and (response.text or "").strip() != "null":
        return _text_of(response)
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        return str(error.get("message", error))[:300]
    if isinstance(error, str):
        return f"{error}: {body.get('error_description', '')}".rstrip(": ")[:300]
    if isinstance(body, dict) and "message" in body:
        return str(body["message"])[:300]
    if isinstance(body, str):
        return body[:300]
    return json.dumps(body)[:300] if error is None else json.dumps(error)[:300]


def error_code(response: requests.Response) -> int | str | None:
    """The API's error code when the body carries one, else None."""
    body = _body(response)
    if not isinstance(body, dict):
        return None
    error = body.get("error")
    code = (error if isinstance(error, dict) else body).get("code")
    return code if isinstance(code, int | str) else None


def error_from_response(response: requests.Response) -> ApiError:
    """The contract's exception for an error (or redirect) answer."""
    from .retry import parse_retry_after

    status = response.status_code
    if 300 <= status < 400:
        return ApiError(status, f"a redirect ({status}) was not followed")
    message = error_message(response)
    if status == 429:
        after = parse_retry_after(response.headers.get("Retry-After"))
        return RateLimitError(f"rate limit reached ({message})", retry_after=after)
    return ApiError(status, message, code=error_code(response))


def parse_json(response: requests.Response) -> dict[str, Any]:
    """The JSON object of a 2xx answer, or an ApiError saying the answer was not one."""
    body = _body(response)
    if body is None:
        raise ApiError(response.status_code, "the answer was not JSON")
    if not isinstance(body, dict):
        raise ApiError(response.status_code, "the answer was not a JSON object")
    return body


def redacted(error: ConnectorError, secrets: Iterable[str]) -> ConnectorError:
    """The same error with every secret (raw or form-encoded) blanked out of its texts."""
    forms = sorted(
        {f for s in secrets if s and len(s) >= 6 for f in (s, quote_plus(s), quote(s, safe=""))},
        key=len,
        reverse=True,
    )

    def clean(text: str) -> str:
        for form in forms:
            text = text.replace(form, "[redacted]")
        return text

    error.args = tuple(clean(a) if isinstance(a, str) else a for a in error.args)
    for attribute in ("message", "reason"):
        value = getattr(error, attribute, None)
        if isinstance(value, str):
            setattr(error, attribute, clean(value))
    return error
