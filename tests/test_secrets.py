"""No client secret, access token or refresh token in any log record, error text or repr."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from qbtime_connector import ConnectorError, InputError, invoke
from qbtime_connector.login import login
from qbtime_connector.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Sandbox

from .conftest import new_worker


def full_run(sb: Sandbox, texts: list[str], tmp_path: Any) -> list[dict[str, Any]]:
    """Everything a host does: connect, every action, refreshes, refusals and failures."""
    tokens: list[dict[str, Any]] = [sb.token()]
    import requests

    login(
        DEMO_CLIENT_ID,
        DEMO_CLIENT_SECRET,
        tmp_path / "c.json",
        port=0,
        base_url=sb.base_url,
        open_url=lambda url: requests.get(url, timeout=10),
    )
    with sb.connect(on_token_refresh=tokens.append) as conn:
        tokens.append(conn.token)
        texts.append(repr(conn))
        user_id = new_worker(conn, "s")
        sheet = invoke(
            "create_timesheet",
            {
                "user_id": user_id,
                "jobcode_id": 2000004,
                "start_date": "2026-11-24T09:00:00-07:00",
                "end_date": "2026-11-24T10:00:00-07:00",
            },
            conn,
        )["timesheets"][0]
        sb.state.expire_tokens()
        invoke(
            "update_timesheet",
            {"timesheet_id": sheet["id"], "end_date": "2026-11-24T11:00:00-07:00"},
            conn,
        )
        for action, inputs in (
            ("get_users", {}),
            ("get_job_codes", {}),
            ("get_job_code_assignments", {}),
            ("get_timesheets", {"start_date": "2026-11-16"}),
            ("update_user", {"id": user_id}),
            ("delete_timesheet", {"timesheet_ids": sheet["id"]}),
            ("delete_timesheet", {"timesheet_ids": sheet["id"]}),
            ("get_users", {"per_page": 0}),
            ("update_timesheet", {"timesheet_id": 1, "jobcode_id": 9}),
        ):
            try:
                invoke(action, inputs, conn)
            except (InputError, ConnectorError) as error:
                texts += [str(error), repr(error)]
        sb.state.refresh.clear()
        sb.state.expire_tokens()
        with pytest.raises(ConnectorError) as refused:
            invoke("get_users", {}, conn)
        texts += [str(refused.value), repr(refused.value), repr(conn)]
        tokens.append(conn.token)
    return tokens


def test_no_secret_reaches_a_log_record_an_error_or_a_repr(
    caplog: pytest.LogCaptureFixture, tmp_path: Any
) -> None:
    texts: list[str] = []
    caplog.set_level(logging.DEBUG)  # every logger: ours, requests-oauthlib, oauthlib, urllib3
    for name in ("requests_oauthlib", "oauthlib", "urllib3", "qbtime_connector", "werkzeug"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    with Sandbox() as sb:
        tokens = full_run(sb, texts, tmp_path)
        issued = list(sb.state.access) + [str(t) for t in tokens]
    secrets = {DEMO_CLIENT_SECRET}
    for token in tokens:
        secrets |= {token["access_token"], token["refresh_token"]}
    assert len(secrets) >= 7 and issued
    records = [f"{r.name} {r.getMessage()}" for r in caplog.records]
    assert len(records) > 50  # the run really was logged at DEBUG
    leaks = [(secret, text) for secret in secrets for text in records + texts if secret in text]
    assert leaks == []
