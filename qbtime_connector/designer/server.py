"""The designer's WSGI app on 127.0.0.1: the page, its JSON API, CSRF and the OAuth redirect."""

from __future__ import annotations

import hmac
import json
import logging
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from werkzeug.exceptions import BadRequest, Forbidden, HTTPException, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from ..connection import Connection, is_loopback
from ..errors import AuthError, ConnectorError
from ..invoke import invoke
from ..oauth import authorize_url, exchange_code, new_state
from ..tokens import SQLiteTokenStore
from .assets import (
    REVALIDATE,
    STATIC_DIR,
    answer,
    cache_control,
    catalog_asset,
    entry_asset,
    file_asset,
    icon_path,
    index_asset,
    version,
)
from .catalog import catalog
from .flows import (
    TRIGGER,
    dangling,
    describe_error,
    outcome,
    preview_step,
    run_flow,
    sample_trigger,
    try_step,
)
from .storage import TRIGGER_STEP, Storage
from .tokens import instance_connection, instance_store

log = logging.getLogger(__name__)

CSRF_HEADER = "X-CSRF-Token"
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
# What the page shows for an instance, by what its connection's test action answered.
CONNECTED, NEEDS_RECONNECTING, NOT_CONNECTED, UNREACHABLE = (
    "connected",
    "needs reconnecting",
    "not connected",
    "not reachable",
)


@dataclass(frozen=True)
class Settings:
    """Where the designer keeps its data and which app and API its instances connect with."""

    data_dir: Path
    client_id: str
    client_secret: str = field(repr=False)
    base_url: str


def _json(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data), status=status, mimetype="application/json")


def _body(request: Request) -> dict[str, Any]:
    try:
        data = json.loads(request.get_data(as_text=True) or "{}")
    except ValueError:
        raise BadRequest("The request body is not JSON.") from None
    if not isinstance(data, dict):
        raise BadRequest("The request body must be a JSON object.")
    return data


class DesignerApp:
    """Every route of the designer; secrets and tokens stay on this side."""

    def __init__(self, settings: Settings) -> None:
        # The folder holds customer tokens: owner-only when the designer creates it.
        settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.settings = settings
        self.storage = Storage(settings.data_dir / "designer.sqlite3")
        self.csrf_token = secrets.token_urlsafe(32)
        self._stores: dict[int, SQLiteTokenStore] = {}
        self._run_locks: dict[int, threading.Lock] = {}
        self._guard = threading.Lock()
        self.url_map = Map(
            [
                Rule("/", endpoint="index", methods=["GET"]),
                Rule("/static/<path:name>", endpoint="static", methods=["GET"]),
                Rule("/icon.png", endpoint="icon", methods=["GET"]),
                Rule("/api/catalog", endpoint="catalog", methods=["GET"]),
                Rule("/api/catalog/index", endpoint="catalog_index", methods=["GET"]),
                Rule(
                    "/api/catalog/<any(actions, triggers):kind>/<key>",
                    endpoint="catalog_entry",
                    methods=["GET"],
                ),
                Rule("/api/flows", endpoint="flows", methods=["GET", "POST"]),
                Rule("/api/flows/<int:flow_id>", endpoint="flow", methods=["PUT", "DELETE"]),
                Rule("/api/flows/<int:flow_id>/run", endpoint="run", methods=["POST"]),
                Rule("/api/flows/<int:flow_id>/runs", endpoint="runs", methods=["GET"]),
                Rule("/api/flows/<int:flow_id>/results", endpoint="results", methods=["GET"]),
                Rule(
                    "/api/flows/<int:flow_id>/trigger/test",
                    endpoint="test_trigger",
                    methods=["POST"],
                ),
                Rule(
                    "/api/flows/<int:flow_id>/steps/<step_id>/test",
                    endpoint="test_step",
                    methods=["POST"],
                ),
                Rule(
                    "/api/flows/<int:flow_id>/steps/<step_id>/preview",
                    endpoint="preview_step",
                    methods=["POST"],
                ),
                Rule("/api/instances", endpoint="instances", methods=["GET", "POST"]),
                Rule(
                    "/api/instances/<int:instance_id>/connect", endpoint="connect", methods=["POST"]
                ),
                Rule("/api/instances/<int:instance_id>", endpoint="instance", methods=["DELETE"]),
                Rule("/api/instances/<int:instance_id>/test", endpoint="test", methods=["POST"]),
                Rule("/api/pick_list", endpoint="pick_list", methods=["POST"]),
                Rule("/oauth/callback", endpoint="callback", methods=["GET"]),
            ]
        )

    def close(self) -> None:
        """Close every instance's token store (the designer is stopping)."""
        with self._guard:
            stores, self._stores = list(self._stores.values()), {}
        for store in stores:
            store.close()

    def __enter__(self) -> DesignerApp:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- plumbing ----------------------------------------------------------------------

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        request = Request(environ)
        response = self.dispatch(request)
        response.headers.update(_HEADERS)
        response.headers.setdefault("Cache-Control", "no-store")  # answers carry customer data
        return response(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        """The response to one request, after the host and CSRF checks."""
        try:
            self._check(request)
            endpoint, args = self.url_map.bind_to_environ(request.environ).match()
            handler: Callable[..., Response] = getattr(self, f"on_{endpoint}")
            return handler(request, **args)
        except HTTPException as error:
            return _json({"error": error.description}, error.code or 400)
        except Exception as error:  # never let a traceback (and what it quotes) reach the log
            log.error("%s %s failed: %s", request.method, request.path, type(error).__name__)
            return _json({"error": f"The designer failed ({type(error).__name__})."}, 500)

    def _check(self, request: Request) -> None:
        # A page of another site must not reach us through a name that resolves to loopback.
        if not is_loopback(request.host.rsplit(":", 1)[0].strip("[]")):
            raise Forbidden("The designer answers on 127.0.0.1 only.")
        if request.method in _SAFE_METHODS:
            return
        sent = request.headers.get(CSRF_HEADER, "")
        if not hmac.compare_digest(sent.encode(), self.csrf_token.encode()):
            raise Forbidden("Missing or wrong CSRF token: reload the page.")

    def _store(self, instance_id: int) -> SQLiteTokenStore:
        """The instance's token store: one per instance until the instance is deleted or the
        app closed (stores are thread-safe), so no request opens its own."""
        with self._guard:
            if instance_id not in self._stores:
                self._stores[instance_id] = self._new_store(instance_id)
            return self._stores[instance_id]

    def _new_store(self, instance_id: int) -> SQLiteTokenStore:
        return instance_store(self.settings.data_dir / "tokens.sqlite3", f"designer-{instance_id}")

    @contextmanager
    def _run_lock(self, flow_id: int) -> Iterator[None]:
        """One run of a flow at a time: each reads the trigger state the previous one saved."""
        with self._guard:
            lock = self._run_locks.setdefault(flow_id, threading.Lock())
        with lock:
            yield

    def _instance(self, instance_id: Any) -> int:
        if not isinstance(instance_id, int) or self.storage.instance(instance_id) is None:
            raise NotFound("No such customer instance.")
        return instance_id

    def _connection(self, instance_id: int) -> Connection | None:
        s = self.settings
        return instance_connection(
            s.client_id, s.client_secret, s.base_url, self._store(instance_id)
        )

    def _connection_or_error(self, instance_id: int) -> Connection:
        connection = self._connection(instance_id)
        if connection is None:
            raise BadRequest("Connect this instance first.")
        return connection

    def _flow(self, flow_id: int) -> dict[str, Any]:
        flow = self.storage.flow(flow_id)
        if flow is None:
            raise NotFound("No such flow.")
        return flow

    def _last(self, flow_id: int) -> dict[str, Any]:
        """The flow's last results as the steps map from them: {"trigger", "steps": {id: …}}."""
        kept = self.storage.last_results(flow_id)
        trigger = kept["trigger"]
        return {
            TRIGGER: trigger["result"] if trigger else None,
            "steps": {k: v["result"] for k, v in kept["steps"].items()},
        }

    def status(self, instance_id: int) -> dict[str, Any]:
        """The truth about an instance's connection, by its test action: connected, needs
        reconnecting (the token is refused), not connected (no token) or not reachable."""
        connection = self._connection(instance_id)
        if connection is None:
            return {"status": NOT_CONNECTED}
        action = catalog()["connection"].get("test_action", "")
        with connection:
            checked = outcome(lambda: invoke(action, {}, connection))
        if checked["status"] == "ok":
            return {"status": CONNECTED}
        error = checked["error"]
        kind = NEEDS_RECONNECTING if error["kind"] == AuthError.__name__ else UNREACHABLE
        return {"status": kind, "message": error["message"]}

    # -- the page ----------------------------------------------------------------------

    def on_index(self, request: Request) -> Response:
        page = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
        page = page.replace("__CSRF_TOKEN__", self.csrf_token).replace("__VERSION__", version())
        return Response(page, mimetype="text/html")

    def on_static(self, request: Request, name: str) -> Response:
        path = (STATIC_DIR / name).resolve()
        if path.parent != STATIC_DIR or not path.is_file() or name == "index.html":
            raise NotFound("No such file.")
        return answer(request, file_asset(path), cache_control(request))

    def on_icon(self, request: Request) -> Response:
        return answer(request, file_asset(icon_path()), cache_control(request))

    def on_catalog(self, request: Request) -> Response:
        return answer(request, catalog_asset(), REVALIDATE)

    def on_catalog_index(self, request: Request) -> Response:
        return answer(request, index_asset(), cache_control(request))

    def on_catalog_entry(self, request: Request, kind: str, key: str) -> Response:
        found = entry_asset(kind, key)
        if found is None:
            raise NotFound(f"The catalog has no such {kind[:-1]}.")
        return answer(request, found, cache_control(request))

    # -- flows -------------------------------------------------------------------------

    def on_flows(self, request: Request) -> Response:
        if request.method == "GET":
            return _json(self.storage.flows())
        body = _body(request)
        flow_id = self.storage.save_flow(None, _name(body), _definition(body))
        return _json({"id": flow_id}, 201)

    def on_flow(self, request: Request, flow_id: int) -> Response:
        self._flow(flow_id)
        if request.method == "DELETE":
            self.storage.delete_flow(flow_id)
            return _json({"deleted": flow_id})
        body = _body(request)
        self.storage.save_flow(flow_id, _name(body), _definition(body))
        return _json({"id": flow_id})

    def on_run(self, request: Request, flow_id: int) -> Response:
        flow = self._flow(flow_id)
        instance_id = self._instance(_body(request).get("instance_id"))
        problems = dangling(flow["definition"])
        if problems:
            return _json({"error": problems[0]["message"], "problems": problems}, 409)
        started = time.time()
        with self._run_lock(flow_id), self._connection_or_error(instance_id) as connection:
            state = self.storage.trigger_state(flow_id, instance_id)
            report, state = run_flow(flow["definition"], connection, state)
            if state is not None:
                self.storage.save_trigger_state(flow_id, instance_id, state)
        self._keep_results(flow_id, report)
        instance = self.storage.instance(instance_id) or {"id": instance_id, "name": "?"}
        report["run"] = self.storage.add_run(flow_id, instance, started, report)
        return _json(report)

    def _keep_results(self, flow_id: int, report: dict[str, Any]) -> None:
        """A run's results become what later steps map from (a trigger's, if it found any)."""
        polled = report.get(TRIGGER)
        if polled and polled["status"] == "ok" and polled["result"].get("records"):
            records = {"records": polled["result"]["records"]}
            self.storage.save_result(flow_id, TRIGGER_STEP, records, "run")
        for step in report["steps"]:
            if step["status"] == "ok":
                self.storage.save_result(flow_id, step["id"], step["result"], "run")

    def on_runs(self, request: Request, flow_id: int) -> Response:
        self._flow(flow_id)
        return _json(self.storage.runs(flow_id))

    def on_results(self, request: Request, flow_id: int) -> Response:
        self._flow(flow_id)
        return _json(self.storage.last_results(flow_id))

    def on_test_trigger(self, request: Request, flow_id: int) -> Response:
        flow = self._flow(flow_id)
        instance_id = self._instance(_body(request).get("instance_id"))
        with self._connection_or_error(instance_id) as connection:
            found = sample_trigger(flow["definition"], connection)
        if found["status"] == "ok":
            self.storage.save_result(flow_id, TRIGGER_STEP, found["result"], "test")
        return _json(found)

    def on_test_step(self, request: Request, flow_id: int, step_id: str) -> Response:
        flow = self._flow(flow_id)
        instance_id = self._instance(_body(request).get("instance_id"))
        self._step(flow, step_id)
        with self._connection_or_error(instance_id) as connection:
            tried = try_step(flow["definition"], step_id, self._last(flow_id), connection)
        if tried["status"] == "ok":
            self.storage.save_result(flow_id, step_id, tried["result"], "test")
        return _json(tried)

    def on_preview_step(self, request: Request, flow_id: int, step_id: str) -> Response:
        flow = self._flow(flow_id)
        self._step(flow, step_id)
        return _json(preview_step(flow["definition"], step_id, self._last(flow_id)))

    @staticmethod
    def _step(flow: dict[str, Any], step_id: str) -> None:
        if not any(s["id"] == step_id for s in flow["definition"].get("steps", [])):
            raise NotFound("No such step in this flow: save the flow first.")

    # -- instances and their connections -----------------------------------------------

    def on_instances(self, request: Request) -> Response:
        if request.method == "GET":
            found = self.storage.instances()
            for instance in found:
                instance.update(self.status(instance["id"]))
                instance["connected"] = instance["status"] == CONNECTED
            return _json(found)
        name = str(_body(request).get("name", "")).strip()
        if not name:
            raise BadRequest("Give the instance a name.")
        if any(i["name"] == name for i in self.storage.instances()):
            raise BadRequest(f"An instance named {name!r} exists already.")
        return _json({"id": self.storage.add_instance(name), "name": name}, 201)

    def on_instance(self, request: Request, instance_id: int) -> Response:
        self._instance(instance_id)
        with self._guard:
            store = self._stores.pop(instance_id, None) or self._new_store(instance_id)
        # The customer's token goes first, with its instance: a new instance that SQLite gives
        # the same id must not find it (and a failure leaves the instance to delete again).
        try:
            store.forget()
        finally:
            store.close()
        self.storage.delete_instance(instance_id)
        log.info("instance %s deleted", instance_id)
        return _json({"deleted": instance_id})

    def on_connect(self, request: Request, instance_id: int) -> Response:
        self._instance(instance_id)
        state, redirect_uri = new_state(), f"{request.host_url}oauth/callback"
        self.storage.add_state(state, instance_id, redirect_uri)
        s = self.settings
        url = authorize_url(s.client_id, redirect_uri, state, base_url=s.base_url)
        return _json({"authorize_url": url})

    def on_callback(self, request: Request) -> Response:
        issued = self.storage.take_state(request.args.get("state", ""))
        if issued is None:
            return _page("The sign-in came back with an unknown or expired state.", 400)
        if "code" not in request.args:
            return _page("The customer's admin did not approve the app.", 400)
        instance_id, redirect_uri = issued
        s = self.settings
        try:
            token = exchange_code(
                s.client_id, s.client_secret, request.args["code"], redirect_uri, s.base_url
            )
        except ConnectorError as error:
            return _page(f"Connecting failed: {error}", 400)
        self._store(instance_id).save(token)
        log.info("instance %s connected", instance_id)
        return Response(status=303, headers={"Location": f"/?connected={instance_id}"})

    def on_test(self, request: Request, instance_id: int) -> Response:
        self._instance(instance_id)
        action = catalog()["connection"].get("test_action")
        if not action:
            raise NotFound("The manifest names no test action.")
        with self._connection_or_error(instance_id) as connection:
            try:
                return _json({"ok": True, "result": invoke(action, {}, connection)})
            except Exception as error:  # the page says what failed
                return _json({"ok": False, "error": describe_error(error)})

    def on_pick_list(self, request: Request) -> Response:
        body = _body(request)
        instance_id = self._instance(body.get("instance_id"))
        key = str(body.get("pick_list", ""))
        if not any(p["key"] == key for p in catalog()["pick_lists"]):
            raise NotFound("No such pick list.")
        inputs = body.get("inputs") or {}
        with self._connection_or_error(instance_id) as connection:
            try:
                return _json(invoke(key, inputs, connection))
            except Exception as error:  # shown beside the dropdown
                return _json({"error": describe_error(error)}, 502)


def _name(body: dict[str, Any]) -> str:
    name = str(body.get("name", "")).strip()
    if not name:
        raise BadRequest("Give the flow a name.")
    return name


def _definition(body: dict[str, Any]) -> dict[str, Any]:
    definition = body.get("definition")
    if not isinstance(definition, dict) or not isinstance(definition.get("steps", []), list):
        raise BadRequest("A flow's definition is {trigger, steps: [...]}.")
    trigger = definition.get("trigger")
    triggers = {t["key"] for t in catalog()["triggers"]}
    if trigger is not None and (
        not isinstance(trigger, dict) or trigger.get("key") not in triggers
    ):
        raise BadRequest("A flow's trigger is null (manual start) or a trigger of the manifest.")
    keys = {a["key"] for a in catalog()["actions"]}
    ids = []
    for step in definition.get("steps", []):
        if not isinstance(step, dict) or step.get("action") not in keys or not step.get("id"):
            raise BadRequest("Each step needs an id and an action of the manifest.")
        ids.append(str(step["id"]))
    if len(ids) != len(set(ids)) or "trigger" in ids:
        raise BadRequest("Each step needs an id of its own (and none may be 'trigger').")
    return definition


def _page(message: str, status: int) -> Response:
    body = f"<!doctype html><title>Designer</title><p>{escape(message)}</p><a href='/'>Back</a>"
    return Response(body, status=status, mimetype="text/html")
