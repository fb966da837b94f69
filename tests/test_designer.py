"""The designer's server without a browser: CSRF, OAuth state, runs, persistence, no secrets."""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from werkzeug.test import Client, TestResponse

from qbtime_connector.designer import Designer, DesignerApp, Settings
from qbtime_connector.designer.catalog import catalog
from qbtime_connector.designer.flows import resolve, run_flow
from qbtime_connector.designer.tokens import instance_store
from qbtime_connector.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Sandbox

USERS_THEN_TIMESHEETS = {
    "trigger": None,
    "steps": [
        {"id": "s1", "action": "get_users", "inputs": {"per_page": "2"}},
        {
            "id": "s2",
            "action": "get_timesheets",
            "inputs": {"user_ids": "{{steps.s1.users.1.id}}", "start_date": "2026-01-01"},
        },
    ],
}


WATCH_USERS = {
    "trigger": {"key": "new_or_changed_records", "inputs": {"record_types": ["users"]}},
    "steps": [],
}


class Browserless:
    """A designer app and a test client that sends the page's CSRF token like the page does."""

    def __init__(self, data_dir: Path, sandbox: Sandbox) -> None:
        self.settings = Settings(data_dir, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, sandbox.base_url)
        self.app = DesignerApp(self.settings)
        self.client = Client(self.app)
        self.sandbox = sandbox
        self.responses: list[TestResponse] = []

    def restart(self) -> None:
        """Stop the app (closing its stores) and start a new one on the same data."""
        self.app.close()
        self.app = DesignerApp(self.settings)
        self.client = Client(self.app)

    def call(self, method: str, path: str, body: Any = None, **headers: str) -> TestResponse:
        headers.setdefault("X-CSRF-Token", self.app.csrf_token)
        response = self.client.open(
            path, method=method, json=body, headers=headers, base_url="http://127.0.0.1:5000"
        )
        self.responses.append(response)
        return response

    def connect(self, instance_id: int) -> TestResponse:
        """Walk the OAuth flow as the browser would: authorize at the sandbox, then come back."""
        url = self.call("POST", f"/api/instances/{instance_id}/connect").json["authorize_url"]
        back = requests.get(url, allow_redirects=False, timeout=10).headers["Location"]
        parts = urlsplit(back)
        return self.call("GET", f"{parts.path}?{parts.query}")

    def new_instance(self, name: str = "Acme") -> int:
        instance_id: int = self.call("POST", "/api/instances", {"name": name}).json["id"]
        return instance_id


@pytest.fixture
def designer(tmp_path: Path, sandbox: Sandbox) -> Iterator[Browserless]:
    made = Browserless(tmp_path / "designer", sandbox)
    yield made
    made.app.close()


@pytest.fixture
def connected(designer: Browserless) -> Iterator[int]:
    instance_id = designer.new_instance()
    assert designer.connect(instance_id).status_code == 303
    yield instance_id


def test_state_changing_requests_without_the_csrf_token_are_refused(
    designer: Browserless,
) -> None:
    body = {"name": "f", "definition": {"steps": []}}
    assert designer.call("POST", "/api/flows", body, **{"X-CSRF-Token": ""}).status_code == 403
    assert designer.call("POST", "/api/flows", body, **{"X-CSRF-Token": "guess"}).status_code == 403
    assert (
        designer.call("POST", "/api/instances", {"name": "x"}, **{"X-CSRF-Token": ""}).status_code
        == 403
    )
    assert designer.call("GET", "/api/flows").json == []
    assert designer.call("GET", "/api/instances").json == []


def test_csrf_refusal_covers_update_delete_run_connect_and_pick_lists(
    designer: Browserless, connected: int
) -> None:
    flow_id = designer.call("POST", "/api/flows", {"name": "f", "definition": {}}).json["id"]
    no = {"X-CSRF-Token": "wrong"}
    before = designer.sandbox.state.count()
    for method, path in [
        ("PUT", f"/api/flows/{flow_id}"),
        ("DELETE", f"/api/flows/{flow_id}"),
        ("POST", f"/api/flows/{flow_id}/run"),
        ("POST", f"/api/instances/{connected}/connect"),
        ("DELETE", f"/api/instances/{connected}"),
        ("POST", "/api/pick_list"),
    ]:
        assert designer.call(method, path, {"instance_id": connected}, **no).status_code == 403
    assert designer.sandbox.state.count() == before
    assert [f["id"] for f in designer.call("GET", "/api/flows").json] == [flow_id]
    assert [i["id"] for i in designer.call("GET", "/api/instances").json] == [connected]


def test_the_page_carries_the_csrf_token_and_forbids_framing(designer: Browserless) -> None:
    page = designer.call("GET", "/")
    assert designer.app.csrf_token in page.get_data(as_text=True)
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]


def test_a_request_through_another_host_name_is_refused(designer: Browserless) -> None:
    refused = designer.client.get("/", base_url="http://attacker.example:5000")
    assert refused.status_code == 403
    assert designer.app.csrf_token not in refused.get_data(as_text=True)


def test_connecting_goes_through_authorize_and_stores_the_token_server_side(
    designer: Browserless,
) -> None:
    instance_id = designer.new_instance()
    url = designer.call("POST", f"/api/instances/{instance_id}/connect").json["authorize_url"]
    query = parse_qs(urlsplit(url).query)
    assert url.startswith(f"{designer.sandbox.base_url}/authorize?")
    assert query["redirect_uri"] == ["http://127.0.0.1:5000/oauth/callback"]
    assert designer.call("GET", "/api/instances").json[0]["connected"] is False
    back = urlsplit(requests.get(url, allow_redirects=False, timeout=10).headers["Location"])
    answer = designer.call("GET", f"{back.path}?{back.query}")
    assert (answer.status_code, answer.headers["Location"]) == (303, f"/?connected={instance_id}")
    assert designer.call("GET", "/api/instances").json[0]["connected"] is True
    assert designer.sandbox.state.count("POST /api/v1/grant") == 1


def test_a_redirect_with_an_unknown_or_reused_state_is_refused(designer: Browserless) -> None:
    instance_id = designer.new_instance()
    url = designer.call("POST", f"/api/instances/{instance_id}/connect").json["authorize_url"]
    back = urlsplit(requests.get(url, allow_redirects=False, timeout=10).headers["Location"])
    code = parse_qs(back.query)["code"][0]
    assert designer.call("GET", f"/oauth/callback?code={code}&state=forged").status_code == 400
    assert designer.call("GET", f"{back.path}?{back.query}").status_code == 303
    assert designer.call("GET", f"{back.path}?{back.query}").status_code == 400  # used up
    assert designer.sandbox.state.count("POST /api/v1/grant") == 1


def test_a_run_shows_each_steps_result_with_a_value_mapped_from_an_earlier_step(
    designer: Browserless, connected: int
) -> None:
    flow = designer.call("POST", "/api/flows", {"name": "F", "definition": USERS_THEN_TIMESHEETS})
    report = designer.call("POST", f"/api/flows/{flow.json['id']}/run", {"instance_id": connected})
    first, second = report.json["steps"]
    assert (first["status"], second["status"]) == ("ok", "ok")
    user_id = first["result"]["users"][1]["id"]
    assert second["result"]["timesheets"]
    assert {t["user_id"] for t in second["result"]["timesheets"]} == {user_id}
    assert designer.sandbox.state.count("GET /api/v1/users") == 1
    assert designer.sandbox.state.count("GET /api/v1/timesheets") == 1


def test_an_input_error_names_its_input_and_the_later_steps_are_skipped(
    designer: Browserless, connected: int
) -> None:
    definition = {
        "steps": [
            {"id": "s1", "action": "get_timesheets", "inputs": {"start_date": "2026-02-30"}},
            {"id": "s2", "action": "get_users", "inputs": {}},
        ]
    }
    flow_id = designer.call("POST", "/api/flows", {"name": "F", "definition": definition}).json
    report = designer.call("POST", f"/api/flows/{flow_id['id']}/run", {"instance_id": connected})
    failed, skipped = report.json["steps"]
    assert failed["error"]["kind"] == "InputError"
    assert [e["input"] for e in failed["error"]["errors"]] == ["start_date"]
    assert failed["error"]["errors"][0]["label"] == "Start Date"
    assert skipped == {"id": "s2", "status": "skipped"}
    assert designer.sandbox.state.count("GET /api/v1/users") == 0
    assert designer.sandbox.state.count("GET /api/v1/timesheets") == 0


def test_a_run_needs_a_connected_instance(designer: Browserless) -> None:
    instance_id = designer.new_instance()
    flow = designer.call("POST", "/api/flows", {"name": "F", "definition": USERS_THEN_TIMESHEETS})
    answer = designer.call(
        "POST", f"/api/flows/{flow.json['id']}/run", {"instance_id": instance_id}
    )
    assert (answer.status_code, answer.json["error"]) == (400, "Connect this instance first.")
    missing = designer.call("POST", f"/api/flows/{flow.json['id']}/run", {"instance_id": 99})
    assert missing.status_code == 404


def test_a_pick_list_answers_options_for_a_connected_instance(
    designer: Browserless, connected: int
) -> None:
    answer = designer.call(
        "POST", "/api/pick_list", {"instance_id": connected, "pick_list": "user_options"}
    )
    assert answer.status_code == 200
    assert answer.json["options"][0].keys() == {"key", "label"}
    assert designer.sandbox.state.count("GET /api/v1/users") == 1
    unknown = {"instance_id": connected, "pick_list": "get_users"}
    assert designer.call("POST", "/api/pick_list", unknown).status_code == 404


def test_a_flow_naming_an_action_the_manifest_lacks_is_refused(designer: Browserless) -> None:
    bad = {"name": "F", "definition": {"steps": [{"id": "s1", "action": "drop_tables"}]}}
    assert designer.call("POST", "/api/flows", bad).status_code == 400
    assert designer.call("GET", "/api/flows").json == []


def test_flows_and_instances_survive_a_restart(designer: Browserless, connected: int) -> None:
    flow_id = designer.call(
        "POST", "/api/flows", {"name": "Weekly", "definition": USERS_THEN_TIMESHEETS}
    ).json["id"]
    designer.call(
        "PUT", f"/api/flows/{flow_id}", {"name": "Weekly 2", "definition": USERS_THEN_TIMESHEETS}
    )
    designer.restart()
    assert designer.call("GET", "/api/flows").json == [
        {"id": flow_id, "name": "Weekly 2", "definition": USERS_THEN_TIMESHEETS}
    ]
    assert designer.call("GET", "/api/instances").json == [
        {"id": connected, "name": "Acme", "status": "connected", "connected": True}
    ]
    report = designer.call("POST", f"/api/flows/{flow_id}/run", {"instance_id": connected})
    assert [s["status"] for s in report.json["steps"]] == ["ok", "ok"]


def _secrets(designer: Browserless, instance_id: int) -> list[str]:
    with contextlib.closing(
        instance_store(designer.settings.data_dir / "tokens.sqlite3", f"designer-{instance_id}")
    ) as store:
        token = store.load()
    assert token is not None
    return [DEMO_CLIENT_SECRET, token["access_token"], token["refresh_token"]]


def test_no_secret_reaches_any_response(designer: Browserless, connected: int) -> None:
    designer.sandbox.state.expire_tokens()  # the run refreshes: the rotated tokens stay hidden too
    flow = designer.call("POST", "/api/flows", {"name": "F", "definition": USERS_THEN_TIMESHEETS})
    designer.call("POST", f"/api/flows/{flow.json['id']}/run", {"instance_id": connected})
    designer.call("POST", "/api/pick_list", {"instance_id": connected, "pick_list": "user_options"})
    for path in [
        "/",
        "/api/catalog",
        "/api/catalog/index",
        "/api/catalog/actions/get_users",
        "/api/flows",
        "/api/instances",
        "/static/designer.js",
    ]:
        designer.call("GET", path)
    assert designer.sandbox.state.count("POST /api/v1/grant") == 2  # the code, then one refresh
    for response in designer.responses:
        text = response.get_data(as_text=True) + str(response.headers)
        for secret in _secrets(designer, connected):
            assert secret not in text


def test_the_catalog_offers_every_action_and_no_secret_input() -> None:
    sent = catalog()
    assert "client_secret" not in str(sent)
    assert {a["key"] for a in sent["actions"]} >= {"get_users", "create_timesheet"}
    for action in sent["actions"]:
        assert all(i["type"] != "connection" for i in action["inputs"])


def test_the_request_log_leaves_out_the_authorization_code(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="qbtime_connector.designer")
    with Designer(data_dir=tmp_path) as running:
        assert running.app is not None
        headers = {"X-CSRF-Token": running.app.csrf_token}
        with requests.Session() as browser:
            browser.headers.update(headers)
            made = browser.post(f"{running.url}api/instances", json={"name": "A"}, timeout=10)
            connect = browser.post(
                f"{running.url}api/instances/{made.json()['id']}/connect", timeout=10
            )
            authorize = browser.get(
                connect.json()["authorize_url"], allow_redirects=False, timeout=10
            )
            code = parse_qs(urlsplit(authorize.headers["Location"]).query)["code"][0]
            assert browser.get(authorize.headers["Location"], timeout=10).ok
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "GET /oauth/callback 303" in logged
    assert code not in logged
    assert DEMO_CLIENT_SECRET not in logged


def test_a_whole_reference_keeps_the_value_and_text_interpolates() -> None:
    context = {"steps": {"s1": {"users": [{"id": 7, "name": "Ada"}]}}}
    assert resolve("{{steps.s1.users.0.id}}", context) == 7
    assert resolve("Hi {{ steps.s1.users.0.name }}!", context) == "Hi Ada!"
    assert resolve([{"key": "ids", "value": "{{steps.s1.users.0.id}}"}], context) == [
        {"key": "ids", "value": 7}
    ]


def test_a_mapped_value_missing_from_the_results_is_an_input_error_on_its_field(
    connection: Any,
) -> None:
    mapped = {"user_ids": "{{steps.s0.users.0.id}}", "start_date": "2026-01-01"}
    report, _ = run_flow(
        {"steps": [{"id": "s1", "action": "get_timesheets", "inputs": mapped}]}, connection
    )
    assert report["steps"][0]["error"]["errors"] == [
        {
            "input": "user_ids",
            "label": "User IDs",
            "message": "The mapped value steps.s0.users.0.id is not in an earlier step's result.",
        }
    ]


def test_a_trigger_gets_its_saved_state_and_its_records_can_be_mapped(
    connection: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qbtime_connector.designer import flows

    polled: list[Any] = []

    def poll(key: str, inputs: Any, connection: Any, state: Any = None) -> dict[str, Any]:
        polled.append((key, inputs, state))
        return {"records": [{"id": 1000002, "record_type": "users"}], "state": {"cursor": 2}}

    monkeypatch.setattr(flows, "poll", poll)
    definition = {
        "trigger": {"key": "new_or_changed_records", "inputs": {"record_types": ["users"]}},
        "steps": [
            {
                "id": "s1",
                "action": "get_timesheets",
                "inputs": {"user_ids": "{{trigger.records.0.id}}", "start_date": "2026-01-01"},
            }
        ],
    }
    report, state = run_flow(definition, connection, {"cursor": 1})
    assert polled == [("new_or_changed_records", {"record_types": ["users"]}, {"cursor": 1})]
    assert state == {"cursor": 2}
    assert report["trigger"]["status"] == report["steps"][0]["status"] == "ok"
    assert {t["user_id"] for t in report["steps"][0]["result"]["timesheets"]} == {1000002}


def test_a_flow_with_a_trigger_the_manifest_lacks_is_refused(designer: Browserless) -> None:
    bad = {"name": "F", "definition": {"trigger": {"key": "on_a_whim"}, "steps": []}}
    assert designer.call("POST", "/api/flows", bad).status_code == 400


def test_a_pick_list_is_searched_on_the_server(designer: Browserless, connected: int) -> None:
    body = {"instance_id": connected, "pick_list": "user_options", "inputs": {"search": "Mary"}}
    answer = designer.call("POST", "/api/pick_list", body)
    assert [o["label"] for o in answer.json["options"]] == ["Mary Samsonite"]


def test_an_unexpected_failure_is_logged_by_its_type_only(
    designer: Browserless, connected: int, caplog: pytest.LogCaptureFixture
) -> None:
    def explode(*_: Any) -> Any:
        raise RuntimeError(f"boom {DEMO_CLIENT_SECRET}")

    designer.app.storage.flows = explode  # type: ignore[method-assign]
    answer = designer.call("GET", "/api/flows")
    assert (answer.status_code, answer.json) == (
        500,
        {"error": "The designer failed (RuntimeError)."},
    )
    assert "GET /api/flows failed: RuntimeError" in caplog.text
    assert DEMO_CLIENT_SECRET not in caplog.text


def test_the_designer_command_serves_the_page_and_prints_its_address(tmp_path: Path) -> None:
    import subprocess
    import sys

    command = [sys.executable, "-m", "qbtime_connector.cli", "designer", "--port", "0"]
    server = subprocess.Popen(
        [*command, "--data", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        page = requests.get(url, timeout=10)
        assert page.status_code == 200
        assert "flow designer" in page.text
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert (tmp_path / "designer.sqlite3").is_file()


def test_the_trigger_state_is_kept_per_flow_and_instance_between_runs(
    designer: Browserless, connected: int
) -> None:
    from tests.conftest import new_worker

    flow_id = designer.call("POST", "/api/flows", {"name": "T", "definition": WATCH_USERS}).json
    run = f"/api/flows/{flow_id['id']}/run"
    first = designer.call("POST", run, {"instance_id": connected}).json["trigger"]
    assert first["status"] == "ok"
    assert (
        designer.call("POST", run, {"instance_id": connected}).json["trigger"]["result"]["records"]
        == []
    )
    with designer.sandbox.connect() as admin:
        new_id = new_worker(admin, "newcomer")
    third = designer.call("POST", run, {"instance_id": connected}).json["trigger"]["result"]
    assert [(r["id"], r["change"]) for r in third["records"]] == [(new_id, "created")]


def test_the_manifests_test_action_proves_an_instances_connection(
    designer: Browserless, connected: int
) -> None:
    answer = designer.call("POST", f"/api/instances/{connected}/test").json
    assert answer["ok"] is True
    assert answer["result"]["user"]["username"] == "admin"
    assert designer.sandbox.state.count("GET /api/v1/current_user") == 1


def test_a_deleted_flow_is_gone(designer: Browserless) -> None:
    flow = designer.call("POST", "/api/flows", {"name": "F", "definition": USERS_THEN_TIMESHEETS})
    assert designer.call("DELETE", f"/api/flows/{flow.json['id']}").status_code == 200
    assert designer.call("GET", "/api/flows").json == []
    assert designer.call("DELETE", f"/api/flows/{flow.json['id']}").status_code == 404


def test_the_folder_of_tokens_is_created_owner_only(designer: Browserless) -> None:
    assert designer.settings.data_dir.stat().st_mode & 0o077 == 0


def test_a_token_refreshed_during_a_run_is_kept_in_the_store(
    designer: Browserless, connected: int
) -> None:
    first = _secrets(designer, connected)
    designer.sandbox.state.expire_tokens()
    flow = designer.call("POST", "/api/flows", {"name": "F", "definition": USERS_THEN_TIMESHEETS})
    run = f"/api/flows/{flow.json['id']}/run"
    for _ in range(2):
        report = designer.call("POST", run, {"instance_id": connected}).json
        assert [s["status"] for s in report["steps"]] == ["ok", "ok"]
    rotated = _secrets(designer, connected)
    assert rotated[1:] != first[1:]
    assert designer.sandbox.state.count("POST /api/v1/grant") == 2  # the code, one refresh


def _flow(designer: Browserless, definition: dict[str, Any], name: str = "F") -> int:
    flow_id: int = designer.call(
        "POST", "/api/flows", {"name": name, "definition": definition}
    ).json["id"]
    return flow_id


def _watching_users(designer: Browserless, instance: int) -> tuple[int, str]:
    """A flow started by new or changed users, and its run URL, after its first poll."""
    flow_id = _flow(designer, WATCH_USERS)
    run = f"/api/flows/{flow_id}/run"
    designer.call("POST", run, {"instance_id": instance})  # the first poll: nothing new
    return flow_id, run


def test_one_step_is_tested_alone_with_the_earlier_steps_last_results(
    designer: Browserless, connected: int
) -> None:
    flow_id = _flow(designer, USERS_THEN_TIMESHEETS)
    test = f"/api/flows/{flow_id}/steps/%s/test"
    # step 2 first: step 1 has no result to map from yet, and nothing is sent
    before = designer.sandbox.state.count()
    early = designer.call("POST", test % "s2", {"instance_id": connected}).json
    assert early["status"] == "error"
    assert [e["input"] for e in early["error"]["errors"]] == ["user_ids"]
    assert "test them (or run the flow) first" in early["error"]["errors"][0]["message"]
    assert designer.sandbox.state.count() == before
    first = designer.call("POST", test % "s1", {"instance_id": connected}).json
    assert first["status"] == "ok"
    user_id = first["result"]["users"][1]["id"]
    for _ in range(2):  # step 2 again and again: step 1 is never run again
        second = designer.call("POST", test % "s2", {"instance_id": connected}).json
        assert {t["user_id"] for t in second["result"]["timesheets"]} == {user_id}
    assert designer.sandbox.state.count("GET /api/v1/users") == 1
    assert designer.sandbox.state.count("GET /api/v1/timesheets") == 2
    kept = designer.call("GET", f"/api/flows/{flow_id}/results").json
    assert kept["steps"]["s1"]["result"] == first["result"]
    assert kept["steps"]["s1"]["source"] == "test"
    assert designer.call("POST", test % "s9", {"instance_id": connected}).status_code == 404


def test_a_write_steps_request_is_previewed_without_sending_it(
    designer: Browserless, connected: int
) -> None:
    definition = {
        "steps": [
            {"id": "s1", "action": "get_users", "inputs": {}},
            {
                "id": "s2",
                "action": "create_timesheet",
                "inputs": {
                    "user_id": "{{steps.s1.users.1.id}}",
                    "jobcode_id": "2000002",
                    "start_date": "2026-11-24T09:00:00-07:00",
                    "end_date": "2026-11-24T12:00:00-07:00",
                },
            },
        ]
    }
    flow_id = _flow(designer, definition)
    designer.call("POST", f"/api/flows/{flow_id}/steps/s1/test", {"instance_id": connected})
    before = designer.sandbox.state.count()
    shown = designer.call("POST", f"/api/flows/{flow_id}/steps/s2/preview").json
    assert designer.sandbox.state.count() == before
    (request,) = shown["result"]["requests"]
    assert (request["method"], request["path"]) == ("POST", "/timesheets")
    assert request["body"]["data"][0]["user_id"] == 1000002
    assert designer.sandbox.state.count("POST /api/v1/timesheets") == 0


def test_the_triggers_test_shows_samples_and_leaves_its_state_where_it_was(
    designer: Browserless, connected: int
) -> None:
    from tests.conftest import new_worker

    flow_id, run = _watching_users(designer, connected)
    test = f"/api/flows/{flow_id}/trigger/test"
    state = designer.app.storage.trigger_state(flow_id, connected)
    with designer.sandbox.connect() as admin:
        new_id = new_worker(admin, "newcomer")
    for _ in range(2):
        sampled = designer.call("POST", test, {"instance_id": connected}).json
        assert sampled["status"] == "ok"
        assert sampled["result"]["records"][0]["id"] == new_id
        assert len(sampled["result"]["records"]) == 3
    assert designer.app.storage.trigger_state(flow_id, connected) == state
    kept = designer.call("GET", f"/api/flows/{flow_id}/results").json["trigger"]
    assert kept["result"] == sampled["result"]
    polled = designer.call("POST", run, {"instance_id": connected}).json["trigger"]
    assert [r["id"] for r in polled["result"]["records"]] == [new_id]  # not moved on by tests


def test_a_mapping_from_a_removed_or_later_step_blocks_the_run(
    designer: Browserless, connected: int
) -> None:
    definition = {
        "steps": [
            {
                "id": "s2",
                "action": "get_timesheets",
                "inputs": {"user_ids": "{{steps.s1.users.0.id}}", "start_date": "2026-01-01"},
            },
            {"id": "s3", "action": "get_users", "inputs": {"page": "{{steps.s4.page}}"}},
            {"id": "s4", "action": "get_users", "inputs": {}},
        ]
    }
    flow_id = _flow(designer, definition)
    before = designer.sandbox.state.count()
    answer = designer.call("POST", f"/api/flows/{flow_id}/run", {"instance_id": connected})
    assert answer.status_code == 409
    assert answer.json["error"] == "Step s1 was removed: map User IDs from another value."
    assert [(p["step"], p["input"], p["message"]) for p in answer.json["problems"]] == [
        ("s2", "user_ids", "Step s1 was removed: map User IDs from another value."),
        ("s3", "page", "Step s4 runs after this one: map Page from another value."),
    ]
    assert designer.sandbox.state.count() == before
    assert designer.call("GET", f"/api/flows/{flow_id}/runs").json == []


def test_each_instance_shows_the_truth_checked_with_the_test_action(
    designer: Browserless, connected: int
) -> None:
    fresh = designer.new_instance("Fresh")
    shown = {i["name"]: i for i in designer.call("GET", "/api/instances").json}
    assert (shown["Acme"]["status"], shown["Acme"]["connected"]) == ("connected", True)
    assert (shown["Fresh"]["status"], shown["Fresh"]["connected"]) == ("not connected", False)
    assert designer.sandbox.state.count("GET /api/v1/current_user") == 1
    with designer.sandbox.state.lock:  # the customer revoked the app: every token is dead
        designer.sandbox.state.access.clear()
        designer.sandbox.state.refresh.clear()
    dead = {i["name"]: i for i in designer.call("GET", "/api/instances").json}["Acme"]
    assert (dead["status"], dead["connected"]) == ("needs reconnecting", False)
    assert "reconnect" in dead["message"].lower()
    assert designer.connect(connected).status_code == 303
    again = {i["name"]: i for i in designer.call("GET", "/api/instances").json}
    assert again["Acme"]["status"] == "connected"
    assert fresh in {i["id"] for i in again.values()}


def test_the_run_history_keeps_each_run_across_a_restart(
    designer: Browserless, connected: int
) -> None:
    flow_id = _flow(designer, USERS_THEN_TIMESHEETS)
    run = f"/api/flows/{flow_id}/run"
    designer.call("POST", run, {"instance_id": connected})
    broken = {"steps": [{"id": "s1", "action": "get_timesheets", "inputs": {}}]}
    designer.call("PUT", f"/api/flows/{flow_id}", {"name": "F", "definition": broken})
    designer.call("POST", run, {"instance_id": connected})
    designer.restart()
    runs = designer.call("GET", f"/api/flows/{flow_id}/runs").json
    assert [(r["outcome"], r["instance"], r["instance_id"]) for r in runs] == [
        ("failed", "Acme", connected),
        ("succeeded", "Acme", connected),
    ]
    assert runs[0]["started"] <= runs[0]["finished"]
    assert runs[1]["report"]["steps"][1]["status"] == "ok"
    assert runs[0]["report"]["steps"][0]["error"]["kind"] == "InputError"
    # the last good results stay what later steps map from
    kept = designer.call("GET", f"/api/flows/{flow_id}/results").json
    assert set(kept["steps"]) == {"s1", "s2"}
    designer.call("DELETE", f"/api/flows/{flow_id}")
    assert designer.app.storage.runs(flow_id) == []


def test_three_runs_of_one_flow_at_once_report_each_new_record_once(
    designer: Browserless, connected: int
) -> None:
    import threading

    from tests.conftest import new_worker

    flow_id, run = _watching_users(designer, connected)
    with designer.sandbox.connect() as admin:
        new_id = new_worker(admin, "newcomer")
    # Each run's first request waits, so unserialised runs would all read the same state.
    designer.sandbox.state.inject(delay=0.3, count=3, path="last_modified_timestamps")
    reports: list[Any] = []

    def one_run() -> None:
        client = Client(designer.app)
        answer = client.post(
            run,
            json={"instance_id": connected},
            headers={"X-CSRF-Token": designer.app.csrf_token},
            base_url="http://127.0.0.1:5000",
        )
        reports.append(answer.json)

    threads = [threading.Thread(target=one_run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    found = [r["id"] for report in reports for r in report["trigger"]["result"]["records"]]
    assert found == [new_id]
    assert len(designer.call("GET", f"/api/flows/{flow_id}/runs").json) == 4


def test_step_ids_of_a_flow_are_its_own(designer: Browserless) -> None:
    twice = {"steps": [{"id": "s1", "action": "get_users"}, {"id": "s1", "action": "get_users"}]}
    assert (
        designer.call("POST", "/api/flows", {"name": "F", "definition": twice}).status_code == 400
    )
    named = {"steps": [{"id": "trigger", "action": "get_users"}]}
    assert (
        designer.call("POST", "/api/flows", {"name": "F", "definition": named}).status_code == 400
    )


def test_each_item_of_a_list_is_mapped_with_a_star() -> None:
    context = {"steps": {"s1": {"users": [{"id": 7}, {"id": 8}]}}}
    assert resolve("{{steps.s1.users.*.id}}", context) == [7, 8]
    assert resolve("{{steps.s1.users.1.id}}", context) == 8


def test_the_catalog_is_gzipped_only_for_a_browser_that_takes_gzip(
    designer: Browserless,
) -> None:
    import gzip

    plain = designer.call("GET", "/api/catalog", **{"Accept-Encoding": "identity"})
    packed = designer.call("GET", "/api/catalog", **{"Accept-Encoding": "gzip, deflate, br"})
    refused = designer.call("GET", "/api/catalog", **{"Accept-Encoding": "gzip;q=0, br"})
    assert "Content-Encoding" not in plain.headers
    assert "Content-Encoding" not in refused.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.get_data()) == plain.get_data()
    assert len(packed.get_data()) * 5 < len(plain.get_data())
    assert packed.headers["Vary"] == "Accept-Encoding"
    assert plain.headers["ETag"] != packed.headers["ETag"]
    again = designer.call(
        "GET",
        "/api/catalog",
        **{"Accept-Encoding": "gzip", "If-None-Match": packed.headers["ETag"]},
    )
    assert (again.status_code, again.get_data()) == (304, b"")


def test_the_page_loads_the_catalogs_index_then_the_entries_it_uses(
    designer: Browserless,
) -> None:
    from qbtime_connector.designer.assets import version

    full = designer.call("GET", "/api/catalog")
    index = designer.call("GET", f"/api/catalog/index?v={version()}")
    assert index.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    whole = full.json
    assert [a["key"] for a in index.json["actions"]] == [a["key"] for a in whole["actions"]]
    assert [t["key"] for t in index.json["triggers"]] == [t["key"] for t in whole["triggers"]]
    named = {"key", "label", "description", "category", "destructive"}
    assert all(set(e) <= named for e in [*index.json["actions"], *index.json["triggers"]])
    assert index.json["pick_lists"] == [
        {"key": p["key"], "accepts": [i["key"] for i in p["inputs"]]} for p in whole["pick_lists"]
    ]
    assert len(index.get_data()) * 8 < len(full.get_data())  # what the palette needs, no more
    for kind in ["actions", "triggers"]:
        for entry in whole[kind]:
            answer = designer.call("GET", f"/api/catalog/{kind}/{entry['key']}?v={version()}")
            assert answer.json == entry
            assert answer.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    for missing in ["actions/drop_tables", "triggers/get_users", "pick_lists/user_options"]:
        assert designer.call("GET", f"/api/catalog/{missing}").status_code == 404
    # Without the current fingerprint: kept, but asked again (ETag) before each use.
    for path in ["/api/catalog/index", "/api/catalog/actions/get_users?v=0ld"]:
        bare = designer.call("GET", path, **{"Accept-Encoding": "gzip"})
        assert (bare.headers["Cache-Control"], bare.headers["Content-Encoding"]) == (
            "no-cache",
            "gzip",
        )
        again = designer.call(
            "GET", path, **{"Accept-Encoding": "gzip", "If-None-Match": bare.headers["ETag"]}
        )
        assert again.status_code == 304


def test_a_new_manifest_renames_the_catalogs_urls(monkeypatch: pytest.MonkeyPatch) -> None:
    from qbtime_connector.designer import assets

    current = assets.version()
    changed = {**catalog(), "actions": catalog()["actions"][1:]}
    monkeypatch.setattr(assets, "catalog", lambda: changed)
    assert assets.version.__wrapped__() != current


def test_static_files_are_cacheable_and_the_page_is_not(designer: Browserless) -> None:
    from qbtime_connector.designer.assets import version

    page = designer.call("GET", "/")
    assert page.headers["Cache-Control"] == "no-store"  # it carries the CSRF token
    text = page.get_data(as_text=True)
    assert f"/static/designer.js?v={version()}" in text
    assert f"/icon.png?v={version()}" in text
    for path in ["/static/designer.js", "/static/forms.js", "/static/designer.css", "/icon.png"]:
        named = designer.call("GET", f"{path}?v={version()}")
        assert named.headers["Cache-Control"] == "public, max-age=31536000, immutable", path
        bare = designer.call("GET", path)
        assert bare.headers["Cache-Control"] == "no-cache", path
        again = designer.call("GET", path, **{"If-None-Match": bare.headers["ETag"]})
        assert again.status_code == 304, path
    js = designer.call("GET", "/static/designer.js", **{"Accept-Encoding": "gzip"})
    assert js.headers["Content-Encoding"] == "gzip"
    assert designer.call("GET", "/static/../server.py").status_code == 404
    assert designer.call("GET", "/static/index.html").status_code == 404
    assert designer.call("GET", "/api/flows").headers["Cache-Control"] == "no-store"


def _open_files(folder: Path) -> list[str]:
    """The files under `folder` this process holds open (Linux's /proc/self/fd)."""
    found = []
    for fd in Path("/proc/self/fd").iterdir():
        with contextlib.suppress(OSError):  # the directory's own descriptor is gone by now
            found.append(os.readlink(fd))
    return sorted(f for f in found if f.startswith(os.path.realpath(folder)))


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="reads /proc/self/fd")
def test_stopping_the_designer_closes_every_instances_token_store(tmp_path: Path) -> None:
    with Designer(data_dir=tmp_path) as running:
        assert running.app is not None
        with requests.Session() as browser:
            browser.headers["X-CSRF-Token"] = running.app.csrf_token
            for name in ["Acme", "Beta"]:
                made = browser.post(f"{running.url}api/instances", json={"name": name}, timeout=10)
                url = browser.post(
                    f"{running.url}api/instances/{made.json()['id']}/connect", timeout=10
                ).json()["authorize_url"]
                back = browser.get(url, allow_redirects=False, timeout=10).headers["Location"]
                browser.get(back, timeout=10).raise_for_status()
            shown = browser.get(f"{running.url}api/instances", timeout=10).json()
        assert [i["status"] for i in shown] == ["connected", "connected"]
        assert str(tmp_path / "tokens.sqlite3") in _open_files(tmp_path)
    assert _open_files(tmp_path) == []


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="reads /proc/self/fd")
def test_a_deleted_instance_has_its_store_closed_and_its_token_forgotten(
    designer: Browserless, connected: int
) -> None:
    other = designer.new_instance("Beta")
    designer.connect(other)
    flow_id, _ = _watching_users(designer, connected)
    _watching_users(designer, other)
    data = designer.settings.data_dir
    assert designer.app.storage.trigger_state(flow_id, connected) is not None

    assert designer.call("DELETE", f"/api/instances/{connected}").json == {"deleted": connected}
    assert [i["name"] for i in designer.call("GET", "/api/instances").json] == ["Beta"]
    assert designer.app.storage.trigger_state(flow_id, connected) is None
    assert designer.call("POST", f"/api/instances/{connected}/connect").status_code == 404
    assert designer.call("DELETE", f"/api/instances/{connected}").status_code == 404
    assert str(data / "tokens.sqlite3") in _open_files(data)  # Beta's store is still open
    with contextlib.closing(
        instance_store(data / "tokens.sqlite3", f"designer-{connected}")
    ) as store:
        assert store.load() is None  # the customer's token is not left behind
    with contextlib.closing(instance_store(data / "tokens.sqlite3", f"designer-{other}")) as store:
        assert store.load() is not None

    designer.call("DELETE", f"/api/instances/{other}")
    assert _open_files(data) == []
    # A new instance never takes a deleted one's id (its token store is named by it), and
    # starts with no token.
    fresh = designer.new_instance("Acme")
    assert fresh > max(connected, other)
    assert designer.call("GET", "/api/instances").json == [
        {"id": fresh, "name": "Acme", "status": "not connected", "connected": False}
    ]
