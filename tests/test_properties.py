"""Query values and paths are encoded, never interpreted."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
import responses

from qbtime_connector import Connection, invoke

from .conftest import API, listing, make_token


def query_of(mock: responses.RequestsMock) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(mock.calls[0].request.url).query)


@pytest.mark.parametrize("value", ["a&ids=1,2", "x\r\nSet-Cookie: y", "../users", "é漢字"])
def test_query_values_are_encoded_never_interpreted(value: str) -> None:
    conn = Connection("c", "s" * 8, make_token(), base_url=API)
    with responses.RequestsMock() as mock:
        mock.get(f"{API}/users", json=listing("users", []))
        invoke("get_users", {"additional_query_parameters": {"usernames": value}}, conn)
        pairs = query_of(mock)
        assert ("usernames", value) in pairs
        assert [k for k, _ in pairs].count("ids") == 0
        raw = urlsplit(mock.calls[0].request.url).query
        assert "\r" not in raw and "\n" not in raw and "&ids=" not in raw


@pytest.mark.parametrize("path", ["../grant", "users/../../x", "/./users"])
def test_paths_cannot_climb_out_of_the_api(path: str) -> None:
    from qbtime_connector import ConnectorError

    conn = Connection("c", "s" * 8, make_token(), base_url=API)
    with pytest.raises(ConnectorError, match="Invalid API path"):
        conn.url(path)


def test_path_segments_are_escaped() -> None:
    conn = Connection("c", "s" * 8, make_token(), base_url=API)
    assert conn.url("users/1;DROP?x=1#y") == f"{API}/users/1%3BDROP%3Fx%3D1%23y"
