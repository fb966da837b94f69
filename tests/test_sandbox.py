"""The sandbox answers raw HTTP as the official API reference (TSheetsTeam/api_docs on GitHub,
https://github.com/TSheetsTeam/api_docs) says the real API does.

For speed the file shares one sandbox (`shared_sandbox`, module-scoped, reset before each
test); `raw_api` sends raw HTTP to it with a Bearer token.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from qbtime_connector.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Sandbox

REDIRECT = "http://127.0.0.1:9/callback"


@pytest.fixture(scope="module")
def shared_sandbox() -> Iterator[Sandbox]:
    with Sandbox() as running:
        yield running


@pytest.fixture(autouse=True)
def fresh(shared_sandbox: Sandbox) -> None:
    shared_sandbox.state.reset()
    shared_sandbox.state.rate_limit = 300
    shared_sandbox.state.token_lifetime = 864000


def grant(shared_sandbox: Sandbox, **form: str) -> requests.Response:
    data = {"client_id": DEMO_CLIENT_ID, "client_secret": DEMO_CLIENT_SECRET, **form}
    return requests.post(f"{shared_sandbox.base_url}/grant", data=data, timeout=10)


def code(shared_sandbox: Sandbox) -> str:
    return shared_sandbox.authorize(REDIRECT)


def token(shared_sandbox: Sandbox) -> dict[str, Any]:
    answer = grant(
        shared_sandbox,
        grant_type="authorization_code",
        code=code(shared_sandbox),
        redirect_uri=REDIRECT,
    )
    assert answer.status_code == 200
    body: dict[str, Any] = answer.json()
    return body


class RawApi:
    """Raw calls with a Bearer header."""

    def __init__(self, shared_sandbox: Sandbox, access: str) -> None:
        self.base, self.headers = shared_sandbox.base_url, {"Authorization": f"Bearer {access}"}

    def __call__(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return requests.request(
            method, f"{self.base}/{path}", headers=self.headers, timeout=10, **kwargs
        )


@pytest.fixture
def raw_api(shared_sandbox: Sandbox) -> RawApi:
    return RawApi(shared_sandbox, token(shared_sandbox)["access_token"])


def error(answer: requests.Response) -> tuple[int, int]:
    return answer.status_code, answer.json()["error"]["code"]


# -- OAuth ------------------------------------------------------------------------------------


def test_authorize_redirects_at_once_with_code_and_state(shared_sandbox: Sandbox) -> None:
    answer = requests.get(
        f"{shared_sandbox.base_url}/authorize",
        allow_redirects=False,
        timeout=10,
        params={
            "response_type": "code",
            "client_id": DEMO_CLIENT_ID,
            "redirect_uri": REDIRECT,
            "state": "xyz",
        },
    )
    assert answer.status_code == 302
    location = urlsplit(answer.headers["Location"])
    assert location.netloc == "127.0.0.1:9"
    assert parse_qs(location.query)["state"] == ["xyz"] and parse_qs(location.query)["code"]


@pytest.mark.parametrize(
    "params",
    [
        {"response_type": "code", "client_id": DEMO_CLIENT_ID, "redirect_uri": REDIRECT},
        {"response_type": "code", "client_id": "nobody", "redirect_uri": REDIRECT, "state": "s"},
        {
            "response_type": "code",
            "client_id": DEMO_CLIENT_ID,
            "redirect_uri": "https://evil.example/cb",
            "state": "s",
        },
    ],
)
def test_authorize_refuses_missing_state_unknown_client_and_foreign_redirects(
    shared_sandbox: Sandbox, params: dict[str, str]
) -> None:
    answer = requests.get(
        f"{shared_sandbox.base_url}/authorize", params=params, allow_redirects=False, timeout=10
    )
    assert answer.status_code == 400


def test_grant_answers_the_documented_token_fields(shared_sandbox: Sandbox) -> None:
    body = token(shared_sandbox)
    assert set(body) == {
        "access_token",
        "expires_in",
        "token_type",
        "scope",
        "refresh_token",
        "user_id",
        "company_id",
        "client_url",
    }
    assert (body["token_type"], body["scope"], body["expires_in"]) == ("bearer", "", 864000)
    assert isinstance(body["user_id"], str) and isinstance(body["company_id"], str)


def test_a_code_works_once(shared_sandbox: Sandbox) -> None:
    once = code(shared_sandbox)
    assert (
        grant(
            shared_sandbox, grant_type="authorization_code", code=once, redirect_uri=REDIRECT
        ).status_code
        == 200
    )
    again = grant(shared_sandbox, grant_type="authorization_code", code=once, redirect_uri=REDIRECT)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


def test_refresh_tokens_rotate_and_an_old_one_is_refused(shared_sandbox: Sandbox) -> None:
    first = token(shared_sandbox)
    second = grant(
        shared_sandbox, grant_type="refresh_token", refresh_token=first["refresh_token"]
    ).json()
    assert second["refresh_token"] != first["refresh_token"]
    reused = grant(shared_sandbox, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert reused.status_code == 400
    assert reused.json() == {
        "error": "invalid_grant",
        "error_description": reused.json()["error_description"],
    }
    assert (
        grant(
            shared_sandbox, grant_type="refresh_token", refresh_token=second["refresh_token"]
        ).status_code
        == 200
    )


def test_a_wrong_client_secret_is_invalid_client(shared_sandbox: Sandbox) -> None:
    answer = requests.post(
        f"{shared_sandbox.base_url}/grant",
        timeout=10,
        data={
            "grant_type": "refresh_token",
            "refresh_token": "x",
            "client_id": DEMO_CLIENT_ID,
            "client_secret": "wrong",
        },
    )
    assert answer.status_code == 401 and answer.json()["error"] == "invalid_client"


def test_bad_and_expired_tokens_get_401(shared_sandbox: Sandbox, raw_api: RawApi) -> None:
    assert error(RawApi(shared_sandbox, "nonsense")("GET", "current_user")) == (401, 401)
    assert raw_api("GET", "current_user").status_code == 200
    shared_sandbox.state.expire_tokens()
    assert error(raw_api("GET", "current_user")) == (401, 401)


def test_access_tokens_expire_after_the_configured_time(shared_sandbox: Sandbox) -> None:
    shared_sandbox.state.token_lifetime = 0
    assert error(
        RawApi(shared_sandbox, token(shared_sandbox)["access_token"])("GET", "current_user")
    ) == (401, 401)


def test_the_rate_limit_is_per_token(shared_sandbox: Sandbox, raw_api: RawApi) -> None:
    shared_sandbox.state.rate_limit = 3
    assert [raw_api("GET", "current_user").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert (
        RawApi(shared_sandbox, token(shared_sandbox)["access_token"])(
            "GET", "current_user"
        ).status_code
        == 200
    )


# -- reading ----------------------------------------------------------------------------------


def test_results_are_keyed_by_id_with_more_and_supplemental_data(raw_api: RawApi) -> None:
    body = raw_api("GET", "timesheets", params={"start_date": "2026-11-16", "limit": 3}).json()
    sheets = body["results"]["timesheets"]
    assert list(sheets) == [str(s["id"]) for s in sheets.values()] and len(sheets) == 3
    assert body["more"] is True
    assert set(body["supplemental_data"]) == {"users", "jobcodes"}


def test_paging_with_limit_covers_every_record_once(raw_api: RawApi) -> None:
    seen: list[str] = []
    page = 1
    while True:
        body = raw_api(
            "GET", "timesheets", params={"start_date": "2026-11-16", "limit": 7, "page": page}
        ).json()
        seen += list(body["results"]["timesheets"])
        if not body["more"]:
            break
        page += 1
    assert len(seen) == len(set(seen)) == 40 and page == 6


@pytest.mark.parametrize("limit", ["0", "201", "x"])
def test_a_limit_outside_1_to_200_is_417(raw_api: RawApi, limit: str) -> None:
    assert error(raw_api("GET", "users", params={"limit": limit})) == (417, 417)


def test_deprecated_per_page_is_capped_at_50(raw_api: RawApi) -> None:
    body = raw_api("GET", "timesheets", params={"start_date": "2026-11-16", "per_page": 500}).json()
    assert len(body["results"]["timesheets"]) == 40  # fewer than 50 exist
    body = raw_api("GET", "timesheets", params={"start_date": "2026-11-16", "per_page": 10}).json()
    assert len(body["results"]["timesheets"]) == 10


def test_filters_default_as_documented(raw_api: RawApi) -> None:
    def count(path: str, **params: Any) -> int:
        return len(raw_api("GET", path, params=params).json()["results"][path])

    assert (count("users"), count("users", active="both")) == (5, 6)
    assert (count("jobcodes"), count("jobcodes", type="all", active="both")) == (5, 7)
    assert count("jobcode_assignments") == count("jobcode_assignments", active="both") == 9
    assert count("jobcode_assignments", active="yes") == 8
    assert count("jobcodes", name="Re*") == 1


def test_timesheets_need_a_required_filter(raw_api: RawApi) -> None:
    assert error(raw_api("GET", "timesheets")) == (417, 417)
    assert error(raw_api("GET", "timesheets", params={"end_date": "2026-11-20"})) == (417, 417)
    assert error(raw_api("GET", "timesheets_deleted", params={"start_date": "2026-11-20"})) == (
        417,
        417,
    )


def test_timesheet_filters_dates_jobcode_children_and_on_the_clock(raw_api: RawApi) -> None:
    def sheets(**params: Any) -> list[dict[str, Any]]:
        found = raw_api("GET", "timesheets", params={"start_date": "2026-11-16", **params})
        return list(found.json()["results"]["timesheets"].values())

    assert {s["date"] for s in sheets(end_date="2026-11-17")} == {"2026-11-16", "2026-11-17"}
    assert len(sheets(jobcode_ids="2000001")) == 20  # Field Work's children
    user = sheets()[0]["user_id"]
    open_sheet = {
        "user_id": user,
        "jobcode_id": 2000004,
        "type": "regular",
        "start": "2026-11-24T08:00:00-07:00",
    }
    assert raw_api("POST", "timesheets", json={"data": [open_sheet]}).status_code == 200
    assert all(not s["on_the_clock"] for s in sheets())
    assert len(sheets(on_the_clock="yes")) == 1


# -- writing ----------------------------------------------------------------------------------


def item(answer: requests.Response, kind: str, n: int = 1) -> dict[str, Any]:
    assert answer.status_code == 200
    found: dict[str, Any] = answer.json()["results"][kind][str(n)]
    return found


def test_more_than_50_items_is_413(raw_api: RawApi) -> None:
    users = [{"username": f"u{n}", "first_name": "F", "last_name": "L"} for n in range(51)]
    assert error(raw_api("POST", "users", json={"data": users})) == (413, 413)
    ids = ",".join(str(4000001 + n) for n in range(51))
    assert error(raw_api("DELETE", "timesheets", params={"ids": ids})) == (413, 413)


def test_items_are_checked_one_by_one(raw_api: RawApi) -> None:
    answer = raw_api(
        "POST",
        "users",
        json={
            "data": [
                {"username": "ok", "first_name": "O", "last_name": "K"},
                {"username": "missing"},
            ]
        },
    )
    assert item(answer, "users", 1)["_status_code"] == 200
    failed = item(answer, "users", 2)
    assert failed["_status_code"] == 417 and "first_name" in failed["_status_extra"]


def test_a_new_user_cannot_track_time_until_allowed(raw_api: RawApi) -> None:
    user = item(
        raw_api(
            "POST",
            "users",
            json={"data": [{"username": "nu", "first_name": "N", "last_name": "U"}]},
        ),
        "users",
    )
    assert user["permissions"]["time_tracking"] is False
    sheet = {
        "user_id": user["id"],
        "jobcode_id": 2000004,
        "type": "regular",
        "start": "2026-11-24T08:00:00-07:00",
        "end": "2026-11-24T09:00:00-07:00",
    }
    refused = item(raw_api("POST", "timesheets", json={"data": [sheet]}), "timesheets")
    assert refused["_status_code"] == 403 and "TS-1006" in refused["_status_extra"]
    raw_api(
        "PUT", "users", json={"data": [{"id": user["id"], "permissions": {"time_tracking": True}}]}
    )
    assert (
        item(raw_api("POST", "timesheets", json={"data": [sheet]}), "timesheets")["_status_code"]
        == 200
    )


def test_overlaps_are_406_and_unknown_ids_404(raw_api: RawApi) -> None:
    listed = raw_api("GET", "timesheets", params={"ids": "4000001"}).json()
    seeded = listed["results"]["timesheets"]["4000001"]
    overlap = {
        "user_id": seeded["user_id"],
        "jobcode_id": seeded["jobcode_id"],
        "type": "regular",
        "start": seeded["start"],
        "end": seeded["end"],
    }
    assert (
        item(raw_api("POST", "timesheets", json={"data": [overlap]}), "timesheets")["_status_code"]
        == 406
    )
    assert (
        item(raw_api("PUT", "timesheets", json={"data": [{"id": 99, "notes": "x"}]}), "timesheets")[
            "_status_code"
        ]
        == 404
    )
    deleted = raw_api("DELETE", "timesheets", params={"ids": "4000001,99"}).json()
    assert deleted["results"]["timesheets"]["4000001"] == {
        "_status_code": 200,
        "_status_message": "OK, deleted",
        "id": "4000001",
    }
    assert deleted["results"]["timesheets"]["99"]["_status_code"] == 404


def test_regular_and_manual_timesheets_need_their_fields(raw_api: RawApi) -> None:
    base = {"user_id": 1000002, "jobcode_id": 2000004}
    regular = item(
        raw_api("POST", "timesheets", json={"data": [{**base, "type": "regular"}]}), "timesheets"
    )
    assert regular["_status_code"] == 417 and "start" in regular["_status_extra"]
    manual = {**base, "type": "manual", "duration": 3600, "date": "2026-11-25"}
    made = item(raw_api("POST", "timesheets", json={"data": [manual]}), "timesheets")
    assert (made["_status_code"], made["duration"], made["start"]) == (200, 3600, "")


def test_users_are_archived_not_deleted(raw_api: RawApi) -> None:
    assert error(raw_api("DELETE", "users", params={"ids": "1000002"})) == (405, 405)
    raw_api("PUT", "users", json={"data": [{"id": 1000002, "active": False}]})
    archived = raw_api("GET", "users", params={"active": "no"}).json()["results"]["users"]
    assert "1000002" in archived


def test_changes_move_last_modified_and_modified_since(raw_api: RawApi) -> None:
    before = raw_api(
        "GET", "last_modified_timestamps", params={"endpoints": "timesheets,users"}
    ).json()
    stamps = before["results"]["last_modified_timestamps"]
    assert set(stamps) == {"timesheets", "users"}
    raw_api("PUT", "timesheets", json={"data": [{"id": 4000002, "notes": "changed"}]})
    after = raw_api("GET", "last_modified_timestamps", params={"endpoints": "timesheets"}).json()
    changed_at = after["results"]["last_modified_timestamps"]["timesheets"]
    assert changed_at > stamps["timesheets"]
    since = raw_api("GET", "timesheets", params={"modified_since": changed_at}).json()
    assert list(since["results"]["timesheets"]) == ["4000002"]
    raw_api("DELETE", "timesheets", params={"ids": "4000003"})
    gone = raw_api("GET", "timesheets_deleted", params={"modified_since": changed_at}).json()
    assert list(gone["results"]["timesheets_deleted"]) == ["4000003"]


# -- controls ---------------------------------------------------------------------------------


def test_faults_hit_the_next_n_requests_and_requests_are_counted(
    shared_sandbox: Sandbox, raw_api: RawApi
) -> None:
    shared_sandbox.state.inject(status=503, count=2, path="/users")
    assert [raw_api("GET", "users").status_code for _ in range(3)] == [503, 503, 200]
    assert raw_api("GET", "current_user").status_code == 200
    assert shared_sandbox.state.count("GET /api/v1/users") == 3


def test_a_dropped_connection_gets_no_answer_and_the_server_no_traceback(
    shared_sandbox: Sandbox, raw_api: RawApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socketserver

    failures: list[str] = []
    monkeypatch.setattr(
        socketserver.BaseServer, "handle_error", lambda _, __, address: failures.append(address)
    )
    shared_sandbox.state.inject(drop=True)
    with pytest.raises(requests.ConnectionError):
        raw_api("GET", "users")
    assert raw_api("GET", "users").status_code == 200
    server: Any = shared_sandbox._server  # the dropped connection's thread has ended
    for _ in range(500):
        if len(server._open) <= 1:
            break
        time.sleep(0.01)
    assert len(server._open) <= 1 and failures == []  # the answer held back was let go quietly


def test_the_control_surface_is_served_over_http(shared_sandbox: Sandbox, raw_api: RawApi) -> None:
    root = shared_sandbox.base_url.removesuffix("/api/v1")
    requests.post(f"{root}/_sandbox/faults", json={"status": 500, "count": 1}, timeout=10)
    assert raw_api("GET", "users").status_code == 500
    assert requests.get(f"{root}/_sandbox/stats", timeout=10).json()["total"] >= 1
    requests.post(f"{root}/_sandbox/expire_tokens", timeout=10)
    assert raw_api("GET", "users").status_code == 401
    requests.post(f"{root}/_sandbox/reset", timeout=10)
    assert shared_sandbox.state.count() == 0


def test_the_sandbox_and_the_designer_look_for_a_stop_every_few_milliseconds(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    """stop() waits for the serving loop's next look: at socketserver's default of 0.5 s, every
    test's sandbox took half a second to stop (minutes of the suite's time)."""
    import socketserver

    from qbtime_connector.designer.serving import Designer
    from qbtime_connector.sandbox.serving import STOP_POLL

    asked: list[float] = []
    serve = socketserver.BaseServer.serve_forever

    def recording(server: Any, poll_interval: float = 0.5) -> None:
        asked.append(poll_interval)
        serve(server, poll_interval)

    monkeypatch.setattr(socketserver.BaseServer, "serve_forever", recording)
    with Sandbox():
        pass
    with Designer(data_dir=tmp_path):
        pass
    assert asked and all(interval == STOP_POLL <= 0.05 for interval in asked), asked


def test_every_sandbox_of_a_process_shares_one_compiled_route_map(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """werkzeug compiles each rule when a Map is built, about 15 ms for the sandbox's: built
    per sandbox, that was a tenth of the CPU of the tests that start one each."""
    from werkzeug.routing import Rule

    from qbtime_connector.sandbox import app

    app.route_map.cache_clear()
    compiled: list[str] = []
    compile_rule = Rule.compile

    def counting(rule: Rule) -> None:
        compiled.append(rule.rule)
        compile_rule(rule)

    monkeypatch.setattr(Rule, "compile", counting)
    for _ in range(3):
        with Sandbox() as running:
            assert requests.get(f"{running.base_url}/current_user", timeout=10).status_code == 401
    assert len(compiled) == len(set(compiled)) == len(list(app.route_map().iter_rules()))


def test_an_answer_goes_out_in_one_write(
    shared_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """wsgiref writes the status line, the Date, the headers and the body apart: unbuffered,
    each was a system call and a wake-up of the client, about a sixth of a call's CPU."""
    import socket
    import socketserver

    writes: list[int] = []
    for writer in (socket.SocketIO, socketserver._SocketWriter):  # buffered, unbuffered
        write = writer.write

        def counting(self: Any, data: Any, write: Any = write) -> int:
            writes.append(len(data))
            return int(write(self, data))

        monkeypatch.setattr(writer, "write", counting)
    with requests.Session() as web:
        answer = web.get(f"{shared_sandbox.base_url}/current_user", timeout=10)
        assert answer.status_code == 401  # no token: a small answer, complete
        assert len(writes) == 1, writes
