"""Get Current User: the user whose token the connection holds."""

from __future__ import annotations

from qbtime_connector import Connection, invoke


def test_get_current_user(connection: Connection) -> None:
    assert invoke("get_current_user", {}, connection)["user"]["username"] == "admin"
