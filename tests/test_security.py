"""A closed network surface: no secret in any text, no redirect followed, no URL trickery."""

from __future__ import annotations

import contextlib
import json
import logging
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

import pytest
import responses
from requests.utils import select_proxy

from qbtime_connector import ApiError, AuthError, Connection, ConnectorError, InputError, invoke
from qbtime_connector.cli import main
from qbtime_connector.login import login
from qbtime_connector.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Sandbox
from qbtime_connector.tokens import FileTokenStore, SQLiteTokenStore

from .conftest import ACCESS, API, REFRESH, SECRET, make_token, new_worker, no_sleep_policy

SECRETS = (SECRET, ACCESS, REFRESH)


def leaks(texts: list[str], secrets: tuple[str, ...] | set[str] = SECRETS) -> list[str]:
    """Every text that carries a secret, raw or form-encoded."""
    forms = {form for s in secrets for form in (s, quote_plus(s))}
    return [text for text in texts if any(form in text for form in forms)]


def error_texts(error: BaseException) -> list[str]:
    texts = [str(error), repr(error), *map(str, error.args)]
    for attribute in ("message", "reason"):
        texts.append(str(getattr(error, attribute, "")))
    return texts


def expiring(**options: Any) -> Connection:
    options.setdefault("retry", no_sleep_policy())
    return Connection("c", SECRET, make_token(expires_in=1), base_url=API, **options)


# -- a body that echoes the request ------------------------------------------------------------


def echo_form(request: Any) -> tuple[int, dict[str, str], str]:
    return 500, {}, f"Internal error while handling: {request.body}"


def test_a_grant_error_echoing_the_form_carries_no_secret(
    mocked_api: responses.RequestsMock,
) -> None:
    mocked_api.add_callback(responses.POST, f"{API}/grant", callback=echo_form)
    mocked_api.add_callback(responses.POST, f"{API}/grant", callback=echo_form)
    connection = expiring(retry=no_sleep_policy(max_retries=1))
    with pytest.raises(ConnectorError) as caught:
        invoke("get_users", {}, connection)
    assert leaks(error_texts(caught.value)) == []
    assert "[redacted]" in str(caught.value)


def test_an_api_error_echoing_the_bearer_token_carries_no_secret(
    mocked_api: responses.RequestsMock, mocked_connection: Connection
) -> None:
    def echo_headers(request: Any) -> tuple[int, dict[str, str], str]:
        return 417, {}, json.dumps({"error": {"code": 417, "message": str(request.headers)}})

    mocked_api.add_callback(responses.GET, f"{API}/users", callback=echo_headers)
    with pytest.raises(ApiError) as caught:
        invoke("get_users", {}, mocked_connection)
    assert leaks(error_texts(caught.value)) == []


def test_the_cli_prints_no_secret_from_an_echoing_grant_error(
    mocked_api: responses.RequestsMock,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = tmp_path / "conn.json"
    data = {"client_id": "c", "token": make_token(expires_in=1), "base_url": API}
    target.write_text(json.dumps(data))
    monkeypatch.setenv("QBTIME_CLIENT_SECRET", SECRET)
    mocked_api.assert_all_requests_are_fired = False
    for _ in range(6):
        mocked_api.add_callback(responses.POST, f"{API}/grant", callback=echo_form)
    code = main(["run", "get_users", "--connection", str(target)])
    out, err = capsys.readouterr()
    assert code == 1 and "redacted" in err and leaks([out, err]) == []


# -- redirects ----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_is_never_followed(
    mocked_api: responses.RequestsMock, mocked_connection: Connection, status: int
) -> None:
    mocked_api.get(
        f"{API}/users", status=status, headers={"Location": "https://evil.example/steal"}
    )
    with pytest.raises(ApiError) as caught:
        invoke("get_users", {}, mocked_connection)
    assert caught.value.status == status and str(status) in str(caught.value)
    assert len(mocked_api.calls) == 1


def test_a_redirect_on_a_write_does_not_resend_the_body(
    mocked_api: responses.RequestsMock, mocked_connection: Connection
) -> None:
    mocked_api.post(f"{API}/users", status=307, headers={"Location": f"{API}/other"})
    with pytest.raises(ApiError, match="307"):
        invoke(
            "create_user", {"username": "u", "first_name": "F", "last_name": "L"}, mocked_connection
        )
    assert len(mocked_api.calls) == 1


# -- the base URL -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://evil.example\\@127.0.0.1/api/v1",
        "https://user:pw@rest.tsheets.com/api/v1",
        "http://evil.example@127.0.0.1/api/v1",
        "https://rest.tsheets.com/api/v1#frag",
        "https://rest.tsheets.com\\.evil.example/api/v1",
        "https://rest.tsheets.com /api/v1",
        "https://rest.tsheets.com\t/api/v1",
        "https://xn--/api/v1",
        "https://\u2488.example/api/v1",
        "https://rest.tsheets.com:99999/api/v1",
        "http://127.0.0.1.evil.example/api/v1",
        "//rest.tsheets.com/api/v1",
    ],
)
def test_a_base_url_that_could_send_the_token_elsewhere_is_refused(url: str) -> None:
    with pytest.raises(ConnectorError, match="base_url"):
        Connection("c", SECRET, make_token(), base_url=url)


def test_an_idna_host_is_accepted_in_its_ascii_form() -> None:
    connection = Connection("c", SECRET, make_token(), base_url="https://bücher.example/api/v1")
    assert connection.base_url == "https://xn--bcher-kva.example/api/v1"


@pytest.mark.parametrize(
    "path",
    [
        "//evil.example/users",
        "https://evil.example/users",
        "users/../../../x",
        "@evil.example/users",
        "\\\\evil.example\\users",
        "users?x=1#y",
    ],
)
def test_a_raw_request_path_never_leaves_the_api(
    mocked_api: responses.RequestsMock, mocked_connection: Connection, path: str
) -> None:
    sent: list[str] = []

    def anything(request: Any) -> tuple[int, dict[str, str], str]:
        sent.append(request.url)
        return 200, {}, "{}"

    import re

    mocked_api.assert_all_requests_are_fired = False
    mocked_api.add_callback(responses.GET, re.compile(r".*"), callback=anything)
    with contextlib.suppress(ConnectorError):
        invoke("raw_request", {"method": "GET", "path": path}, mocked_connection)
    assert all(url.startswith(f"{API}/") for url in sent)


# -- bodies of every shape ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('{"code": 417, "message": "Expectation Failed: bad"}', "Expectation Failed: bad"),
        ("[1, 2]", "[1, 2]"),
        ('"just a string"', "just a string"),
        ("<html><body>Bad Gateway</body></html>", "Bad Gateway"),
        ("", "Expectation Failed"),
        ('{"error": "invalid_request"}', "invalid_request"),
        ('{"error": {"message": "no code"}}', "no code"),
        ('{"error": [1]}', "[1]"),
        ("null", "null"),
    ],
)
def test_an_error_body_of_any_shape_is_an_api_error(
    mocked_api: responses.RequestsMock, mocked_connection: Connection, body: str, message: str
) -> None:
    mocked_api.get(f"{API}/users", status=417, body=body)
    with pytest.raises(ApiError) as caught:
        invoke("get_users", {}, mocked_connection)
    assert caught.value.status == 417 and message in caught.value.message


# -- every text the suite's runs produce ------------------------------------------------------


@pytest.mark.slow
def test_no_secret_in_any_error_repr_log_record_or_cli_output(
    caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("requests_oauthlib", "oauthlib", "urllib3", "qbtime_connector", "filelock"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    texts: list[str] = []
    with Sandbox() as sandbox:
        tokens = [sandbox.token()]
        stores = [
            FileTokenStore(tmp_path / "conn.json"),
            SQLiteTokenStore(tmp_path / "tokens.db", "acme"),
        ]
        for store in stores:
            store.save(sandbox.token())
            tokens.append(store.load() or {})
            connection = Connection(
                DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, base_url=sandbox.base_url, store=store
            )
            texts += [repr(store), repr(connection), str(connection)]
            sandbox.state.expire_tokens()
            invoke("get_users", {}, connection)
            tokens.append(connection.token)
            sandbox.state.inject(status=500, path="/users", count=5)
            with pytest.raises(ConnectorError) as failed:
                invoke("get_users", {}, connection)
            texts += error_texts(failed.value)
            sandbox.state.refresh.clear()
            sandbox.state.expire_tokens()
            with pytest.raises(AuthError) as refused:
                invoke("get_users", {}, connection)
            texts += error_texts(refused.value)
        target = tmp_path / "conn.json"
        on_disk = json.loads(target.read_text())
        on_disk.update(client_id=DEMO_CLIENT_ID, base_url=sandbox.base_url)
        on_disk["token"] = sandbox.token()
        tokens.append(on_disk["token"])
        target.write_text(json.dumps(on_disk))
        sandbox.state.expire_tokens()
        env = {"QBTIME_CLIENT_SECRET": DEMO_CLIENT_SECRET, "PATH": "/usr/bin:/bin"}
        for extra in (
            [],
            ["--token-store", f"sqlite:{tmp_path / 'tokens.db'}", "--instance", "acme"],
        ):
            command = [sys.executable, "-m", "qbtime_connector.cli", "run", "get_users"]
            run = subprocess.run(
                [*command, "--connection", str(target), *extra],
                capture_output=True,
                text=True,
                env=env,
                timeout=60,
            )
            texts += [run.stdout, run.stderr]
        tokens.append(json.loads(target.read_text())["token"])
    secrets = {DEMO_CLIENT_SECRET}
    for token in tokens:
        secrets |= {token["access_token"], token["refresh_token"]}
    records = [f"{r.name} {r.getMessage()} {r.args}" for r in caplog.records]
    assert len(records) > 20 and len(secrets) >= 9
    assert leaks(records + texts, secrets) == []


def test_no_secret_in_any_error_text_or_repr(
    mocked_api: responses.RequestsMock, stored: list[dict[str, Any]]
) -> None:
    mocked_api.post(
        f"{API}/grant", status=400, json={"error": "invalid_grant", "error_description": "bad"}
    )
    conn = expiring(on_token_refresh=stored.append)
    with pytest.raises(AuthError) as caught:
        invoke("get_users", {}, conn)
    texts = [str(caught.value), repr(caught.value), repr(conn), str(conn.__dict__.keys())]
    for text in texts:
        for secret in (SECRET, ACCESS, REFRESH):
            assert secret not in text


@pytest.mark.parametrize(
    "url",
    ["http://rest.tsheets.com/api/v1", "ftp://x/api", "http://10.0.0.5/api/v1", "https:///nohost"],
)
def test_plain_http_is_refused_except_on_loopback(url: str) -> None:
    with pytest.raises(ConnectorError, match="https"):
        Connection("c", SECRET, make_token(), base_url=url)


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8080/api/v1", "http://localhost:1/api/v1", "http://[::1]:9/api/v1"]
)
def test_plain_http_is_allowed_on_loopback(url: str) -> None:
    assert Connection("c", SECRET, make_token(), base_url=url).base_url == url


def full_run(sandbox: Sandbox, texts: list[str], tmp_path: Any) -> list[dict[str, Any]]:
    """Everything a host does: connect, every action, refreshes, refusals and failures."""
    tokens: list[dict[str, Any]] = [sandbox.token()]
    import requests

    login(
        DEMO_CLIENT_ID,
        DEMO_CLIENT_SECRET,
        tmp_path / "c.json",
        port=0,
        base_url=sandbox.base_url,
        open_url=lambda url: requests.get(url, timeout=10),
    )
    with sandbox.connect(on_token_refresh=tokens.append) as connection:
        tokens.append(connection.token)
        texts.append(repr(connection))
        user_id = new_worker(connection, "s")
        sheet = invoke(
            "create_timesheet",
            {
                "user_id": user_id,
                "jobcode_id": 2000004,
                "start_date": "2026-11-24T09:00:00-07:00",
                "end_date": "2026-11-24T10:00:00-07:00",
            },
            connection,
        )["timesheets"][0]
        sandbox.state.expire_tokens()
        invoke(
            "update_timesheet",
            {"timesheet_id": sheet["id"], "end_date": "2026-11-24T11:00:00-07:00"},
            connection,
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
                invoke(action, inputs, connection)
            except (InputError, ConnectorError) as error:
                texts += [str(error), repr(error)]
        sandbox.state.refresh.clear()
        sandbox.state.expire_tokens()
        with pytest.raises(ConnectorError) as refused:
            invoke("get_users", {}, connection)
        texts += [str(refused.value), repr(refused.value), repr(connection)]
        tokens.append(connection.token)
    return tokens


def test_no_secret_reaches_a_log_record_an_error_or_a_repr(
    caplog: pytest.LogCaptureFixture, tmp_path: Any
) -> None:
    texts: list[str] = []
    caplog.set_level(logging.DEBUG)  # every logger: ours, requests-oauthlib, oauthlib, urllib3
    for name in ("requests_oauthlib", "oauthlib", "urllib3", "qbtime_connector", "werkzeug"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    with Sandbox() as sandbox:
        tokens = full_run(sandbox, texts, tmp_path)
        issued = list(sandbox.state.access) + [str(t) for t in tokens]
    secrets = {DEMO_CLIENT_SECRET}
    for token in tokens:
        secrets |= {token["access_token"], token["refresh_token"]}
    assert len(secrets) >= 7 and issued
    records = [f"{r.name} {r.getMessage()}" for r in caplog.records]
    assert len(records) > 50  # the run really was logged at DEBUG
    leaked = [(secret, text) for secret in secrets for text in records + texts if secret in text]
    assert leaked == []


# -- a database password never leaves -------------------------------------------------------------

PASSWORD = "pg-Pa55word-never-shown"
DSNS = [
    f"postgresql://app:{PASSWORD}@[::1/tokens",  # malformed: libpq quotes it whole
    f"postgresql://app:{PASSWORD}@127.0.0.1:1/tokens",  # nothing listens there
    f"host=127.0.0.1 port=1 user=app password={PASSWORD} dbname=tokens",  # keyword form
]


def traceback_text(error: BaseException) -> str:
    import traceback

    return "".join(traceback.format_exception(type(error), error, error.__traceback__))


@pytest.mark.parametrize("dsn", DSNS)
def test_no_store_error_repr_or_traceback_carries_the_database_password(
    dsn: str, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qbtime_connector.tokens import PostgresTokenStore, StoreError, open_store

    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("QBTIME_POSTGRES_TIMEOUT", "1")  # the store open_store makes: not 10 s
    store = PostgresTokenStore(dsn, "acme", timeout=1.0)
    texts = [repr(store), str(store)]
    with pytest.raises(StoreError) as caught:
        store.load()
    texts += [*error_texts(caught.value), traceback_text(caught.value)]
    try:
        open_store(dsn, "acme").load()
    except ConnectorError as error:  # the keyword form is not a URL open_store takes
        texts += [*error_texts(error), traceback_text(error)]
    texts += [f"{r.name} {r.getMessage()}" for r in caplog.records]
    assert "acme" in str(caught.value)
    assert leaks(texts, {PASSWORD}) == []


@pytest.mark.parametrize("dsn", DSNS)
def test_the_cli_prints_no_database_password_even_at_debug(
    dsn: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QBTIME_CLIENT_ID", "c")
    monkeypatch.setenv("QBTIME_CLIENT_SECRET", SECRET)
    monkeypatch.setenv("QBTIME_POSTGRES_TIMEOUT", "1")
    status = main(["run", "get_users", "--token-store", dsn, "--instance", "acme", "-vv"])
    out, err = capsys.readouterr()
    assert status in (1, 2)
    assert leaks([out, err], {PASSWORD}) == []


def test_a_cli_traceback_at_debug_carries_no_database_password(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(f"lost {DSNS[1]} and {DSNS[2]}")  # what a bug could carry

    monkeypatch.setattr(sys.modules["qbtime_connector.invoke"], "invoke", broken)
    monkeypatch.setenv("QBTIME_CLIENT_ID", "c")
    monkeypatch.setenv("QBTIME_CLIENT_SECRET", SECRET)
    url = f"sqlite:{tmp_path / 'tokens.db'}"
    from qbtime_connector.tokens import open_store

    open_store(url, "acme").save(make_token())
    status = main(["run", "get_users", "--token-store", url, "--instance", "acme", "-vv"])
    out, err = capsys.readouterr()
    assert status == 1 and "Traceback" in err and "RuntimeError" in err
    assert leaks([out, err], {PASSWORD}) == []


def test_a_netrc_entry_for_the_api_never_replaces_the_bearer_token(
    sandbox: Sandbox, connection: Connection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """requests sends a ~/.netrc login as Basic auth over any Authorization header given."""
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login someone password elsewhere\n", encoding="utf-8")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    assert len(invoke("get_users", {}, connection)["users"]) > 0  # Basic would be a 401


@pytest.mark.parametrize("variable", ["HTTPS_PROXY", "https_proxy", "ALL_PROXY"])
def test_the_environments_proxy_is_used_and_no_proxy_is_honoured(
    variable: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(variable, "http://proxy.example:3128")
    url = f"{API}/users"
    proxies = Connection("id", "secret", make_token()).session.proxies
    assert select_proxy(url, proxies) == "http://proxy.example:3128"
    monkeypatch.setenv("NO_PROXY", "rest.tsheets.com")
    assert select_proxy(url, Connection("id", "secret", make_token()).session.proxies) is None


def test_the_environments_ca_bundle_is_used(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tmp_path / "ca.pem"))
    assert Connection("id", "secret", make_token()).session.verify == str(tmp_path / "ca.pem")
