"""Errors: an API error body and a failure to connect become the named connector errors."""

from __future__ import annotations

from typing import Any

import pytest
import responses

from qbtime_connector import ApiError, Connection, TransportError, invoke

from .conftest import API


def test_api_error_body_is_mapped(
    mocked_api: responses.RequestsMock, mocked_connection: Connection
) -> None:
    mocked_api.get(
        f"{API}/users",
        status=417,
        json={"error": {"code": 417, "message": "Expectation Failed: bad filter"}},
    )
    with pytest.raises(ApiError) as caught:
        invoke("get_users", {}, mocked_connection)
    assert (caught.value.status, caught.value.code) == (417, 417)
    assert "bad filter" in caught.value.message


def test_a_connection_failure_becomes_a_transport_error(
    mocked_api: responses.RequestsMock, mocked_connection: Connection
) -> None:
    import requests

    for _ in range(5):
        mocked_api.get(f"{API}/users", body=requests.ConnectionError("refused"))
    with pytest.raises(TransportError, match="could not reach"):
        invoke("get_users", {}, mocked_connection)


@pytest.mark.parametrize(
    ("action", "inputs", "method", "answer"),
    [
        ("get_users", {}, "GET", {"results": {"users": [1, 2]}, "more": False}),
        ("get_users", {}, "GET", {"results": ["users"], "more": False}),
        ("user_options", {}, "GET", {"results": {"users": {"1": "x"}}, "more": False}),
        (
            "create_user",
            {"username": "u", "first_name": "F", "last_name": "L"},
            "POST",
            {"results": {"users": {"1": 5}}},
        ),
    ],
    ids=["list of numbers", "results a list", "record a string", "item a number"],
)
def test_a_malformed_answer_is_an_api_error(
    mocked_api: responses.RequestsMock,
    mocked_connection: Connection,
    action: str,
    inputs: dict[str, Any],
    method: str,
    answer: dict[str, Any],
) -> None:
    mocked_api.add(method, f"{API}/users", json=answer)
    with pytest.raises(ApiError, match="were not"):
        invoke(action, inputs, mocked_connection)
