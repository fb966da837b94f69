"""The sandbox's HTTP surface: the API's routes under /api/v1, plus /_sandbox controls."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import socket
import threading
import time
from collections.abc import Callable, Iterable
from email.utils import format_datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from ..limits import MAX_WRITE_ITEMS
from ..urls import is_loopback
from . import custom_fields, directory, reports, routes
from .companies import Companies
from .company import Company, Record, page_of, timesheet_answer
from .errors import ApiFailure, GrantFailure, ItemFailure
from .resources import Raw
from .seed import DEFAULT_STAMPED
from .serving import DROPPED_KEY, SOCKET_KEY
from .state import SandboxState

API = "/api/v1"
LISTS: dict[str, Callable[[Company, Any], list[Record]]] = {
    "users": Company.list_users,
    "jobcodes": Company.list_jobcodes,
    "jobcode_assignments": Company.list_jobcode_assignments,
    "timesheets": Company.list_timesheets,
    "timesheets_deleted": Company.list_timesheets_deleted,
    "groups": directory.list_groups,
    "locations": directory.list_locations,
    "time_off_requests": directory.list_time_off_requests,
    "customfields": custom_fields.list_customfields,
    "customfielditems": custom_fields.list_customfielditems,
}
# What the newer record types add as supplemental data (the first five use Company's).
SUPPLEMENTS: dict[str, Callable[[Company, list[Record]], dict[str, Any]]] = {
    "groups": directory.supplement_groups,
    "locations": directory.supplement_locations,
    "time_off_requests": directory.supplement_time_off,
    "customfielditems": custom_fields.supplement_items,
}
REPORTS: dict[str, Callable[[Company, Any], dict[str, Any]]] = {
    "current_totals": reports.current_totals,
    "payroll": reports.payroll,
    **routes.REPORTS,
}
# Which custom fields a write's "customfields" are checked against.
APPLIES_TO = {"users": "user", "timesheets": "timesheet"}
WRITES: dict[tuple[str, str], Callable[[Company, Record], Record]] = {
    ("POST", "users"): Company.create_user,
    ("PUT", "users"): Company.update_user,
    ("POST", "timesheets"): Company.create_timesheet,
    ("PUT", "timesheets"): Company.update_timesheet,
}
WRITE_MESSAGES = {"POST": "Created", "PUT": "Updated"}
# How a write answers a record, where that differs from how a read lists it.
ANSWERS: dict[str, Callable[[Record], Record]] = {"timesheets": timesheet_answer}


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(body), status=status, headers=headers, mimetype="application/json")


@functools.cache
def route_map() -> Map:
    """The API's routes and the /_sandbox controls: built once, shared by every sandbox of the
    process (werkzeug compiles each rule, about 15 ms a sandbox; matching never changes it)."""
    return Map(
        [
            Rule(f"{API}/authorize", endpoint="authorize", methods=["GET"]),
            Rule(f"{API}/grant", endpoint="grant", methods=["POST"]),
            Rule(f"{API}/current_user", endpoint="current_user", methods=["GET"]),
            Rule(f"{API}/last_modified_timestamps", endpoint="last_modified", methods=["GET"]),
            Rule(
                f"{API}/timesheets",
                endpoint="timesheets",
                methods=["GET", "POST", "PUT", "DELETE"],
            ),
            Rule(f"{API}/users", endpoint="records", methods=["GET", "POST", "PUT"]),
            Rule(
                f"{API}/reports/<any({', '.join(REPORTS)}):kind>",
                endpoint="report",
                methods=["POST"],
            ),
            Rule(
                f"{API}/<any(jobcodes, jobcode_assignments, timesheets_deleted, groups, "
                "locations, time_off_requests, customfields, customfielditems):kind>",
                endpoint="records",
                methods=["GET"],
            ),
            *(
                Rule(f"{API}/{name}", endpoint="endpoint", defaults={"kind": name}, methods=m)
                for name, m in ((n, list(e.methods)) for n, e in routes.ENDPOINTS.items())
            ),
            Rule("/_sandbox/reset", endpoint="control_reset", methods=["POST"]),
            Rule("/_sandbox/faults", endpoint="control_faults", methods=["POST"]),
            Rule("/_sandbox/expire_tokens", endpoint="control_expire", methods=["POST"]),
            Rule("/_sandbox/stats", endpoint="control_stats", methods=["GET"]),
            Rule("/_sandbox/seed", endpoint="control_seed", methods=["POST"]),
        ]
    )


class SandboxApp:
    """A WSGI application that answers as the QuickBooks Time API does, for many companies.

    Each request is for one company (companies.py says how it is found); inside a handler,
    `self.state` is that company's SandboxState.
    """

    def __init__(self, companies: Companies) -> None:
        self.companies = companies
        self._request = threading.local()  # the company of the request this thread serves
        self.routes = route_map()

    @property
    def state(self) -> SandboxState:
        """The company the request being served is for."""
        state: SandboxState = self._request.state
        return state

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        request = Request(environ)
        try:
            self._request.state = self.company_of(request)
        except ApiFailure as failure:
            return json_response(failure.body(), failure.status)(environ, start_response)
        try:
            response = self.dispatch(request)
            if request.path.startswith(API):
                # The answer is made: changes now land between requests.
                self.state.answered(response.status_code)
        finally:
            state, self._request.state = self.state, None
        # The Date header follows the sandbox's clock, as last_modified does.
        response.headers["Date"] = format_datetime(
            state.clock().astimezone(dt.timezone.utc), usegmt=True
        )
        return response(environ, start_response)

    def company_of(self, request: Request) -> SandboxState:
        """The company a request is for: by the token or code it carries, or as it names."""
        if not request.path.startswith(API):
            name = request.args.get("company")
            found = self.companies.default if name is None else self.companies.find(name)
            if found is None:
                raise ApiFailure(404, f"no company {name!r} in this sandbox")
            return found
        if request.path == f"{API}/authorize" and request.args.get("company"):
            return self.companies.get(request.args["company"])
        header = request.headers.get("Authorization") or ""
        carried = header[7:].strip() if header[:7].lower() == "bearer " else ""
        if request.path == f"{API}/grant":
            carried = request.form.get("code") or request.form.get("refresh_token") or ""
        return self.companies.owner(carried) or self.companies.default

    def dispatch(self, request: Request) -> Response:
        fault = None
        if request.path.startswith(API):
            fault = self.state.record(request.method, request.path)
        if fault is not None:
            if fault.delay:
                time.sleep(fault.delay)
            if fault.drop:
                drop_connection(request)
                return Response(status=500)
            if fault.status:
                headers = {"Retry-After": fault.retry_after} if fault.retry_after else None
                return json_response(ApiFailure(fault.status).body(), fault.status, headers)
        try:
            endpoint, args = self.routes.bind_to_environ(request.environ).match()
            return getattr(self, f"on_{endpoint}")(request, **args)  # type: ignore[no-any-return]
        except ApiFailure as failure:
            return json_response(failure.body(), failure.status)
        except GrantFailure as failure:
            return json_response(failure.body(), failure.status)
        except MethodNotAllowed:
            return json_response(ApiFailure(405).body(), 405)
        except NotFound:
            return json_response(ApiFailure(404, f"no endpoint {request.path}").body(), 404)
        except HTTPException as exc:
            return json_response(ApiFailure(exc.code or 400).body(), exc.code or 400)

    # -- OAuth ----------------------------------------------------------------------------

    def on_authorize(self, request: Request) -> Response:
        args = request.args
        redirect_uri = args.get("redirect_uri", "")
        if args.get("response_type") != "code" or not args.get("state"):
            raise ApiFailure(400, "response_type=code and state are required")
        if not is_loopback(urlsplit(redirect_uri).hostname):
            raise ApiFailure(400, "redirect_uri must be a loopback address in the sandbox")
        code = self.state.issue_code(args.get("client_id", ""), redirect_uri)
        joiner = "&" if "?" in redirect_uri else "?"
        location = f"{redirect_uri}{joiner}{urlencode({'code': code, 'state': args['state']})}"
        return Response(status=302, headers={"Location": location})

    def on_grant(self, request: Request) -> Response:
        return json_response(self.state.grant(request.form.to_dict()))

    # -- the API --------------------------------------------------------------------------

    def on_current_user(self, request: Request) -> Response:
        user_id = self.state.authorize(request.headers.get("Authorization"))
        with self.state.lock:
            user = self.state.company.users[user_id]
            body = {
                "results": {"users": {str(user_id): user}},
                "more": False,
                "supplemental_data": {},
            }
            return json_response(body)

    def on_last_modified(self, request: Request) -> Response:
        self.state.authorize(request.headers.get("Authorization"))
        wanted = [e for e in request.args.get("endpoints", "").split(",") if e]
        with self.state.lock:
            changed = self.state.company.changed
            stamps = {k: v for k, v in changed.items() if k in (wanted or DEFAULT_STAMPED)}
            return json_response({"results": {"last_modified_timestamps": stamps}})

    def on_report(self, request: Request, kind: str) -> Response:
        self.state.authorize(request.headers.get("Authorization"))
        with self.state.lock:
            return json_response(REPORTS[kind](self.state.company, request.get_json(silent=True)))

    def on_endpoint(self, request: Request, kind: str) -> Response:
        """The endpoints of sandbox/routes.py (each a Resource or Handler of its concern)."""
        actor = self.state.authorize(request.headers.get("Authorization"))
        query, body = request.args.to_dict(), request.get_json(silent=True)
        with self.state.lock:
            answer = routes.ENDPOINTS[kind].serve(
                self.state.company, request.method, query, body, actor
            )
        if isinstance(answer, Raw):
            return Response(answer.data, headers=answer.headers)
        return json_response(answer)

    def on_timesheets(self, request: Request) -> Response:
        if request.method == "DELETE":
            return self.delete_timesheets(request)
        return self.on_records(request, "timesheets")

    def on_records(self, request: Request, kind: str = "users") -> Response:
        self.state.authorize(request.headers.get("Authorization"))
        if request.method == "GET":
            return self.list_records(request, kind)
        return self.write_records(request, kind)

    def list_records(self, request: Request, kind: str) -> Response:
        query = request.args.to_dict()
        with self.state.lock:
            company = self.state.company
            found = company.listing(kind, query, LISTS[kind])
            page, more = page_of(found, query)
            body: dict[str, Any] = {
                "results": {kind: {str(r["id"]): r for r in page}},
                "more": more,
            }
            if query.get("supplemental_data", "yes") != "no":
                supplement = SUPPLEMENTS.get(kind)
                body["supplemental_data"] = (
                    supplement(company, page) if supplement else company.supplemental(kind, page)
                )
            return json_response(body)

    def write_records(self, request: Request, kind: str) -> Response:
        items = batch_of(request)
        write = WRITES[(request.method, kind)]
        results: dict[str, Any] = {}
        with self.state.lock:
            company = self.state.company
            for n, item in enumerate(items, 1):
                try:
                    custom_fields.check_values(company, APPLIES_TO[kind], item.get("customfields"))
                    record = write(company, dict(item))
                    results[str(n)] = {
                        **ANSWERS.get(kind, dict)(record),
                        "_status_code": 200,
                        "_status_message": WRITE_MESSAGES[request.method],
                    }
                except ItemFailure as failure:
                    results[str(n)] = {
                        **(ANSWERS.get(kind, dict)(failure.record) if failure.record else item),
                        "_status_code": failure.status,
                        "_status_message": failure.message,
                        "_status_extra": failure.extra,
                    }
            written = [r for r in results.values() if r["_status_code"] < 300]
            body = {
                "results": {kind: results},
                "supplemental_data": company.supplemental(kind, written),
            }
            return json_response(body)

    def delete_timesheets(self, request: Request) -> Response:
        self.state.authorize(request.headers.get("Authorization"))
        raw = [i for i in request.args.get("ids", "").split(",") if i.strip()]
        if not raw:
            raise ApiFailure(417, "ids is required")
        if len(raw) > MAX_WRITE_ITEMS:
            raise ApiFailure(413, f"at most {MAX_WRITE_ITEMS} ids per request")
        results: dict[str, Any] = {}
        with self.state.lock:
            for text in raw:
                try:
                    results[text] = self.state.company.delete_timesheet(int(text))
                except (ItemFailure, ValueError) as failure:
                    status = failure.status if isinstance(failure, ItemFailure) else 417
                    results[text] = {
                        "_status_code": status,
                        "_status_message": str(failure),
                        "id": text,
                    }
        return json_response({"results": {"timesheets": results}})

    # -- controls ---------------------------------------------------------------------------

    def on_control_reset(self, request: Request) -> Response:
        self.state.reset()
        return json_response({"reset": True})

    def on_control_faults(self, request: Request) -> Response:
        self.state.inject(**(request.get_json(silent=True) or {}))
        return json_response({"faults": len(self.state.faults)})

    def on_control_expire(self, request: Request) -> Response:
        self.state.expire_tokens()
        return json_response({"expired": True})

    def on_control_seed(self, request: Request) -> Response:
        wanted = request.get_json(silent=True) or {}
        self.state.add_timesheets(int(wanted.get("timesheets", 0)))
        return json_response({"timesheets": len(self.state.company.timesheets)})

    def on_control_stats(self, request: Request) -> Response:
        with self.state.lock:
            return json_response(
                {"requests": dict(self.state.counts), "total": sum(self.state.counts.values())}
            )


def batch_of(request: Request) -> list[dict[str, Any]]:
    """The items of a {"data": [...]} body; 400, 417 or 413 when it is not one."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("data"), list):
        raise ApiFailure(400, 'the body must be JSON {"data": [...]}')
    items: list[dict[str, Any]] = body["data"]
    if not items or not all(isinstance(i, dict) for i in items):
        raise ApiFailure(417, "data must be a non-empty list of objects")
    if len(items) > MAX_WRITE_ITEMS:
        raise ApiFailure(413, f"at most {MAX_WRITE_ITEMS} items per request")
    return items


def drop_connection(request: Request) -> None:
    """Close the client's socket without an answer, as a failing network would."""
    sock = request.environ.get(SOCKET_KEY)
    request.environ[DROPPED_KEY] = True
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
