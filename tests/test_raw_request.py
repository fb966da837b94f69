"""Raw Request: any endpoint of the API with the connection's auth, and never anywhere else."""

from __future__ import annotations

import pytest
import responses

from qbtime_connector import Connection, InputError, invoke
from qbtime_connector.sandbox import Sandbox

from .conftest import API


def test_raw_request_reaches_any_endpoint_with_auth(
    sandbox: Sandbox, connection: Connection
) -> None:
    body = invoke(
        "raw_request",
        {
            "method": "get",
            "path": "jobcodes",
            "query": [{"key": "ids", "value": [2000002, 2000003]}],
        },
        connection,
    )["body"]
    assert list(body["results"]["jobcodes"]) == ["2000002", "2000003"]
    made = invoke(
        "raw_request",
        {
            "method": "POST",
            "path": "users",
            "body": {"data": [{"username": "raw", "first_name": "R", "last_name": "W"}]},
        },
        connection,
    )["body"]
    assert made["results"]["users"]["1"]["_status_code"] == 200


def test_raw_request_sends_extra_headers_but_never_the_token_elsewhere(
    mocked_api: responses.RequestsMock, mocked_connection: Connection
) -> None:
    mocked_api.get(f"{API}/groups", json={"results": {"groups": {}}})
    invoke("raw_request", {"path": "groups", "headers": {"X-Trace": "abc"}}, mocked_connection)
    assert mocked_api.calls[0].request.headers["X-Trace"] == "abc"
    for path in (
        "//evil.example/x",
        "https://evil.example/api",
        "../grant",
        "users/../grant",
        "users?x=1",
    ):
        with pytest.raises(InputError, match="Path"):
            invoke("raw_request", {"path": path}, mocked_connection)
    for header in ("Authorization", "host", "Cookie"):
        with pytest.raises(InputError, match="Headers"):
            invoke("raw_request", {"path": "groups", "headers": {header: "x"}}, mocked_connection)
    assert len(mocked_api.calls) == 1
