"""The `qbtime-connector` command line: list, describe and run actions; sandbox; demo; login."""

from __future__ import annotations

import argparse
import difflib
import errno
import json
import logging
import os
import shlex
import shutil
import sys
import textwrap
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TextIO
from urllib.parse import parse_qs, urlsplit

from . import manifest
from .errors import ApiError, ConnectorError, InputError, error_json
from .interrupts import until_interrupted
from .progress import Progress
from .urls import DEFAULT_BASE_URL
from .version import package_version

PROG = "qbtime-connector"
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
EXIT_READER_GONE = 141  # 128 + SIGPIPE: what a shell reports for a Unix tool cut off by `head`
EXIT_CODES = (
    "exit status: 0 success; 1 the API or the connection failed, or an item of a batch failed "
    "(or a file could not be written); 2 bad usage or input (nothing was sent); 130 interrupted "
    "(Ctrl-C); 141 the reader of the output went away (| head)"
)
# The optional extra that provides each module a command may need, to name it when missing.
EXTRA_OF_MODULE = {"werkzeug": "sandbox", "psycopg": "postgres", "mcp": "mcp"}
JSON_HELP = "print the result, and any error, as JSON on stdout"

if TYPE_CHECKING:
    from .connection import Connection


class UsageError(Exception):
    """The command line itself is wrong (exit 2): a bad flag value, file or action name."""


def _dump(data: Any) -> str:
    # ensure_ascii=False: names such as "José" stay readable rather than "Jos\u00e9".
    return json.dumps(data, indent=2, ensure_ascii=False)


def _spec(key: str) -> manifest.ActionSpec:
    """The action or pick list named on the command line, or a one-line UsageError."""
    try:
        return manifest.action(key)
    except KeyError:
        known = [*manifest.actions(), *manifest.data_sources()]
        close = difflib.get_close_matches(key, known, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise UsageError(f"unknown action {key!r}; {hint}`{PROG} actions` lists them") from None


def _actions(args: argparse.Namespace) -> int:
    entries = [
        *((a, "action") for a in manifest.actions().values()),
        *((s, "pick_list") for s in manifest.data_sources().values()),
    ]
    if args.json:
        rows = [
            {"key": a.key, "label": a.label, "kind": kind, "description": a.description}
            for a, kind in entries
        ]
        print(_dump(rows))
        return EXIT_OK
    key_width = max(len(a.key) for a, _ in entries)
    label_width = max(len(a.label) for a, _ in entries)
    for a, _ in entries:
        print(f"{a.key:<{key_width}}  {a.label:<{label_width}}  {a.description}")
    return EXIT_OK


def _input_row(item: manifest.InputSpec) -> dict[str, Any]:
    return {
        "key": item.key,
        "label": item.label,
        "type": item.type,
        "required": item.required,
        "default": item.default,
        "allowed": list(item.allowed),
        "secret": item.secret,
        "comments": " ".join(item.comments.split()),
    }


def table(header: Sequence[str], rows: Sequence[Sequence[str]], width: int) -> list[str]:
    """Rows in columns that line up; the last column wraps to fit `width` characters."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header) - 1)]
    indent = sum(widths) + 2 * len(widths)
    last = max(width - indent, 40)
    lines = []
    for row in [header, *rows]:
        cells = "".join(f"{c:<{w}}  " for c, w in zip(row, widths, strict=False))
        wrapped = textwrap.wrap(row[-1], last) or [""]
        lines.append((cells + wrapped[0]).rstrip())
        lines += [" " * indent + more for more in wrapped[1:]]
    return lines


def _default(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _describe(args: argparse.Namespace) -> int:
    action = _spec(args.action)
    inputs = action.value_inputs
    if args.json:
        print(
            _dump(
                {
                    "key": action.key,
                    "label": action.label,
                    "description": action.description,
                    "method": action.method,
                    "endpoint": action.endpoint,
                    "inputs": [_input_row(i) for i in inputs],
                }
            )
        )
        return EXIT_OK
    print(f"{action.label} ({action.key}): {action.description}")
    print(f"Sends {action.method} /{action.endpoint}\n")
    rows = [
        [
            f"{i.label} ({i.key})",
            i.type,
            "yes" if i.required else "",
            _default(i.default),
            _input_row(i)["comments"],
        ]
        for i in inputs
    ]
    if not rows:
        print("It takes no inputs.")
        return EXIT_OK
    width = shutil.get_terminal_size((100, 24)).columns
    for line in table(["Input", "Type", "Required", "Default", "Comments"], rows, width):
        print(line)
    return EXIT_OK


def _value(text: str) -> Any:
    """A --input value: JSON for objects and lists, else the string as a designer sends it."""
    stripped = text.strip()
    if stripped[:1] in "[{":
        try:
            return json.loads(stripped)
        except ValueError:
            pass
    return text


def _inputs_file(name: str) -> dict[str, Any]:
    """The JSON object in an --inputs file, or a one-line UsageError saying what is wrong."""
    try:
        text = Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UsageError(f"cannot read --inputs file {name}: {reason}") from None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise UsageError(f"--inputs file {name} is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise UsageError(f"--inputs file {name} must hold a JSON object of input keys to values")
    return data


def _inputs(args: argparse.Namespace) -> dict[str, Any]:
    inputs: dict[str, Any] = _inputs_file(args.inputs) if args.inputs else {}
    for pair in args.input or []:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"-i/--input takes KEY=VALUE; got {pair!r}")
        inputs[key.strip()] = _value(value)
    return inputs


class ProgressLine:
    """Progress as one line rewritten in place on a terminal; nothing once it is done."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.shown = False

    def __call__(self, progress: Progress) -> None:
        if progress.kind == "read":
            text = f"{progress.endpoint}: {progress.records:,} records, {progress.requests} pages"
        elif progress.kind == "write":
            text = (
                f"{progress.endpoint}: {progress.records:,} of {progress.total or 0:,} records"
                f" sent, {progress.requests} requests"
            )
        else:
            text = f"{progress.endpoint or 'request'}: waiting {progress.wait:.1f} s"
        self.stream.write(f"\r\x1b[K{text}")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        """End the line, so what follows starts on its own."""
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()


@contextmanager
def _progress() -> Iterator[Callable[[Progress], None] | None]:
    """A progress callback drawing on stderr when stderr is a terminal; else None (silent)."""
    if not sys.stderr.isatty():
        yield None
        return
    line = ProgressLine(sys.stderr)
    try:
        yield line
    finally:
        line.close()


_STORE_SCHEMES = ("file", "sqlite", "postgresql", "postgres")


def _check_store_arguments(args: argparse.Namespace) -> None:
    """Refuse, before anything runs, a --token-store the command cannot use (exit 2)."""
    if not args.token_store:
        return
    if getattr(args, "sandbox", False):
        raise UsageError("--sandbox runs against its own sandbox: leave out --token-store")
    scheme = args.token_store.partition(":")[0].lower()
    if scheme not in _STORE_SCHEMES:
        raise UsageError("--token-store takes file:PATH, sqlite:PATH or postgresql://…")
    if scheme != "file" and not args.instance:
        raise UsageError(f"--token-store {scheme}: needs --instance NAME (the customer instance)")


def _client_secret() -> str:
    """QBTIME_CLIENT_SECRET, else asked for on a terminal; else a UsageError naming the variable."""
    secret = os.environ.get("QBTIME_CLIENT_SECRET")
    if secret:
        return secret
    missing = UsageError(
        "no client secret: set QBTIME_CLIENT_SECRET (or run in a terminal to be asked for it)"
    )
    if not sys.stdin.isatty():
        raise missing
    import getpass

    try:
        secret = getpass.getpass("Client secret: ")
    except EOFError:
        raise missing from None
    if not secret:
        raise missing
    return secret


def _connection(args: argparse.Namespace) -> Connection | None:
    """The Connection `run` uses: a connection file (a locked FileTokenStore of its own token,
    or naming a store), or a token store with the client from the environment; None if neither."""
    from .connection_file import StoreMissing

    try:
        return _opened_connection(args)
    except StoreMissing as missing:
        raise UsageError(
            f"no token store at {missing.path}: connect the instance with "
            f"`{PROG} login --token-store …` first, or give the right path"
        ) from None


def _opened_connection(args: argparse.Namespace) -> Connection | None:
    base_url = args.base_url or os.environ.get("QBTIME_BASE_URL")
    path = args.connection or os.environ.get("QBTIME_CONNECTION_FILE")
    if path:
        from .connection_file import open_connection

        if not Path(path).is_file():
            raise UsageError(f"no connection file at {path} (make one with `{PROG} login`)")
        return open_connection(
            Path(path), args.token_store, args.instance, _client_secret, base_url
        )
    if not args.token_store:
        return None
    from .connection_file import existing_store
    from .invoke import connection_from_mapping
    from .tokens.mapping import store_for_url

    client_id = os.environ.get("QBTIME_CLIENT_ID")
    if not client_id:
        raise UsageError("no client id: set QBTIME_CLIENT_ID to the app's client id")
    url = existing_store(args.token_store)
    stored = store_for_url(url, args.instance).load() or {}
    return connection_from_mapping(
        {
            "client_id": client_id,
            "client_secret": _client_secret(),
            # The API the token came from, as `login` kept it, unless told otherwise.
            "base_url": base_url or stored.get("base_url") or DEFAULT_BASE_URL,
            "token_store": url,
            "instance": args.instance,
        }
    )


@contextmanager
def _chosen_connection(args: argparse.Namespace) -> Iterator[Connection]:
    """The Connection a command uses, closed after: an embedded sandbox's (--sandbox), a
    connection file's or a token store's; a UsageError when none is given."""
    _check_store_arguments(args)
    if args.sandbox:
        from .sandbox import Sandbox

        with Sandbox() as sandbox, sandbox.connect() as connection:
            yield connection
        return
    connection = _connection(args)
    if connection is None:
        raise UsageError(
            f"give --connection FILE (from `{PROG} login`), --token-store URL (with "
            "$QBTIME_CLIENT_ID), or --sandbox"
        )
    with connection:
        yield connection


def _run(args: argparse.Namespace) -> int:
    from .invoke import invoke

    key = _spec(args.action).key
    inputs = _inputs(args)
    with _chosen_connection(args) as connection, _progress() as progress:
        result = invoke(key, inputs, connection, progress=progress)
    print(_dump(result))
    return _batch_outcome(result, args.json)


def _mcp(args: argparse.Namespace) -> int:
    if args.port is not None and not args.http:
        raise UsageError("--port is the HTTP port: give it with --http")
    with _chosen_connection(args) as connection:
        # Imported once the arguments hold: the SDK takes over a second to import, and a usage
        # error should not wait for it.
        from .mcp_server import serve

        try:
            serve(connection, port=(args.port or 0) if args.http else None)
        except OSError as error:
            if error.errno != errno.EADDRINUSE:
                raise
            raise UsageError(
                f"port {args.port} is in use: free it, or give another --port"
            ) from None
    return EXIT_OK


def _preview(args: argparse.Namespace) -> int:
    from .invoke import preview

    print(_dump(preview(_spec(args.action).key, _inputs(args))))
    return EXIT_OK


def _batch_outcome(result: dict[str, Any], json_output: bool) -> int:
    """EXIT_FAILED when some items of a batch failed (they are in the result's "failed")."""
    failed = result.get("failed")
    if not (isinstance(failed, list) and failed):
        return EXIT_OK
    if not json_output:
        total = len(failed) + int(result.get("succeeded") or 0)
        print(f'{len(failed)} of {total} items failed: see "failed" in the result', file=sys.stderr)
    return EXIT_FAILED


def _port(text: str) -> int:
    """A TCP port number, 0 (any free port) to 65535."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port {port} is outside 0-65535")
    return port


def _serve_until_interrupted(server: Any, first_line: str, note: str) -> int:
    """Print where a started server is (first line), then serve until Ctrl-C stops it."""
    try:  # a Ctrl-C from the first line on is a stop like any other (exit 0)
        print(first_line, flush=True)
        print(f"{note}; Ctrl-C stops", file=sys.stderr, flush=True)
        until_interrupted()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return EXIT_OK


@contextmanager
def _listening_on(port: int, then: str = "") -> Iterator[None]:
    """Turns a busy port into a one-line UsageError (exit 2); `then` says what else to do."""
    try:
        yield
    except OSError as error:
        if error.errno != errno.EADDRINUSE:
            raise
        then = then or "(0 picks a free one)"
        raise UsageError(f"port {port} is in use: free it, or give another --port {then}") from None


def _sandbox(args: argparse.Namespace) -> int:
    from .sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Sandbox

    with _listening_on(args.port):
        sandbox = Sandbox(port=args.port, verbose=True).start()
    note = f"demo app: client id {DEMO_CLIENT_ID}, client secret {DEMO_CLIENT_SECRET}"
    return _serve_until_interrupted(sandbox, sandbox.base_url, note)


def _designer(args: argparse.Namespace) -> int:
    import logging

    from .designer import Designer
    from .designer.serving import DEFAULT_DATA_DIR

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    with _listening_on(args.port):
        designer = Designer(args.port, Path(args.data) if args.data else DEFAULT_DATA_DIR).start()
    return _serve_until_interrupted(designer, designer.url, "against an embedded sandbox")


def _demo(_: argparse.Namespace) -> int:
    from .demo import run_demo

    run_demo()
    return EXIT_OK


def _checkout(what: str) -> Path:
    """The project checkout a maintainer command works on, or a UsageError outside one."""
    from .manifest_source import checkout

    found = checkout()
    if found is None:
        raise UsageError(
            f"{what} works in a checkout of the project (where connector.yaml is): run it there"
        )
    return found


def _docs(args: argparse.Namespace) -> int:
    from . import docs
    from .manifest_source import target_in

    root = Path(args.root) if args.root else _checkout(f"`{PROG} docs`")
    shipped = target_in(root)
    if shipped.is_file() and shipped.read_bytes() != manifest.MANIFEST_PATH.read_bytes():
        raise UsageError(
            f"the installed package's manifest is not {shipped}, which the page is rendered "
            f"from: install this checkout first (pip install -e {root})"
        )
    if args.check:
        if docs.is_current(root):
            return EXIT_OK
        print(f"{root / docs.DOCS_PATH} is out of date: run `{PROG} docs`.", file=sys.stderr)
        return EXIT_FAILED
    print(f"wrote {docs.write(root)}")
    return EXIT_OK


def _approval_page(no_browser: bool) -> Callable[[str], None]:
    """Shows the admin the approval page: in their browser, or as a URL to open."""

    def show(url: str) -> None:
        import webbrowser

        redirect = parse_qs(urlsplit(url).query).get("redirect_uri", ["?"])[0]
        print(f"Redirect URI (register it in your app's settings first): {redirect}", flush=True)
        if not no_browser and webbrowser.open(url):
            print(f"Opened your browser to approve the app. If it did not, open:\n{url}")
        else:
            print(f"Open this URL in a browser and approve the app:\n{url}", flush=True)

    return show


def _manifest(args: argparse.Namespace) -> int:
    if not (args.write or args.check):
        print(json.dumps(manifest.load_raw(), indent=2, ensure_ascii=False))
        return EXIT_OK
    from . import manifest_source

    root = _checkout("--write and --check")
    target = manifest_source.target_in(root)
    if args.check and not manifest_source.is_current(target, root):
        print(f"{target} is stale: run `{PROG} manifest --write`.", file=sys.stderr)
        return EXIT_FAILED
    if args.write:
        print(f"wrote {manifest_source.write(target, root)}")
    return EXIT_OK


def _login(args: argparse.Namespace) -> int:
    from .login import login

    _check_store_arguments(args)
    secret = _client_secret()
    path = Path(args.token_file)
    with _listening_on(args.port, then="and register that redirect URI"):
        login(
            args.client_id,
            secret,
            path,
            port=args.port,
            base_url=args.base_url or os.environ.get("QBTIME_BASE_URL") or DEFAULT_BASE_URL,
            open_url=_approval_page(args.no_browser),
            token_store=args.token_store,
            instance=args.instance,
            save_secret=args.save_secret,
        )
    # A store's URL may hold a database password: name its kind, never the URL.
    if args.token_store:
        kind = args.token_store.partition(":")[0]
        instance = f", instance {args.instance}" if args.instance else ""
        where = f"in the {kind} token store of --token-store{instance}; {path.resolve()} names it"
    else:
        where = f"in {path.resolve()} (readable by you only)"
    print(f"Connected. The token is stored {where}.")
    print(f"Use it with: {PROG} run ACTION --connection {shlex.quote(str(path))}")
    return EXIT_OK


def _common(json_output: bool) -> argparse.ArgumentParser:
    """Options every subcommand takes (given after it): -v, and --json where it means something."""
    common = argparse.ArgumentParser(add_help=False)
    # Its own dest: argparse would let a subcommand's count replace the top level's, not add.
    common.add_argument(
        "-v",
        "--verbose",
        action="count",
        dest="verbose_after",
        default=0,
        help="-v INFO, -vv DEBUG",
    )
    if json_output:
        common.add_argument("--json", action="store_true", help=JSON_HELP)
    return common


def _token_store_arguments(command: argparse.ArgumentParser) -> None:
    """--token-store and --instance, shared by `run` and `login`."""
    command.add_argument(
        "--token-store",
        metavar="URL",
        help="where the token lives: file:PATH, sqlite:PATH or postgresql://… (a libpq URL)",
    )
    command.add_argument("--instance", metavar="NAME", help="the customer instance in the store")


def _base_url_argument(command: argparse.ArgumentParser, default: str) -> None:
    command.add_argument(
        "--base-url",
        metavar="URL",
        help=f"the API to call, such as a sandbox's http://127.0.0.1:PORT/api/v1 (default: "
        f"$QBTIME_BASE_URL, else {default})",
    )


def _port_argument(command: argparse.ArgumentParser, default: int = 0, what: str = "") -> None:
    helptext = what or f"0-65535; 0 picks a free port (default {default})"
    command.add_argument("--port", type=_port, default=default, help=helptext)


def _describe_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("action")


def _connection_arguments(command: argparse.ArgumentParser) -> None:
    """How a command chooses the customer instance (a file, a token store, or a sandbox), and
    the API it calls (read by `_chosen_connection`)."""
    command.add_argument(
        "--connection",
        metavar="FILE.json",
        help="connection file made by `login` (default: $QBTIME_CONNECTION_FILE)",
    )
    command.add_argument("--sandbox", action="store_true", help="use an embedded sandbox")
    _token_store_arguments(command)
    _base_url_argument(command, "the connection's, else " + DEFAULT_BASE_URL)


def _action_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("action")
    command.add_argument("--input", "-i", action="append", metavar="KEY=VALUE")
    command.add_argument("--inputs", metavar="FILE.json", help="inputs as a JSON object")


def _run_arguments(command: argparse.ArgumentParser) -> None:
    _action_arguments(command)
    _connection_arguments(command)


def _mcp_arguments(command: argparse.ArgumentParser) -> None:
    _connection_arguments(command)
    command.add_argument(
        "--http",
        action="store_true",
        help="serve streamable HTTP on 127.0.0.1 (its URL is the first line printed) "
        "instead of stdio",
    )
    command.add_argument("--port", type=_port, help="with --http: 0-65535 (default 0: a free port)")


def _designer_arguments(command: argparse.ArgumentParser) -> None:
    from .home import DESIGNER_DATA_DIR

    _port_argument(command)
    command.add_argument(
        "--data", metavar="DIR", help=f"folder of its SQLite files (default {DESIGNER_DATA_DIR})"
    )


def _docs_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("--check", action="store_true", help="exit 1 if the page is stale")
    command.add_argument("--root", help="the project folder (default: the checkout this is run in)")


def _manifest_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("--write", action="store_true", help="rebuild it from connector.yaml")
    command.add_argument("--check", action="store_true", help="exit 1 if it is stale")


def _login_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("--client-id", required=True, help="the app's client id")
    command.add_argument(
        "--token-file",
        default="qbtime-connection.json",
        metavar="FILE.json",
        help="the connection file to write (default qbtime-connection.json)",
    )
    _port_argument(
        command,
        8765,
        "loopback port of the redirect URI http://127.0.0.1:PORT/callback, which the app "
        "must have registered (default 8765)",
    )
    _base_url_argument(command, DEFAULT_BASE_URL)
    command.add_argument(
        "--no-browser", action="store_true", help="print the approval URL instead of opening it"
    )
    command.add_argument(
        "--save-secret",
        action="store_true",
        help="also keep the client secret in the connection file (plain text, readable by you "
        "only), so `run` needs neither $QBTIME_CLIENT_SECRET nor a terminal",
    )
    _token_store_arguments(command)


ENVIRONMENT = (
    "environment: QBTIME_CLIENT_SECRET the app's client secret (else asked for on a terminal); "
    "QBTIME_CLIENT_ID the app's client id (run --token-store); QBTIME_BASE_URL the API to call; "
    "QBTIME_CONNECTION_FILE the connection file of run."
)


class Command(NamedTuple):
    """One subcommand: its name, one-line help, handler, arguments, and what it also takes.

    `json`: it takes --json; `extra`: the optional extra it needs, named when it is missing;
    `environment`: its help lists the environment variables it reads.
    """

    name: str
    help: str
    handler: Callable[[argparse.Namespace], int]
    arguments: Callable[[argparse.ArgumentParser], None] | None = None
    json: bool = False
    extra: str | None = None
    environment: bool = False


# Every subcommand, in the order --help lists them. To add one: write its handler
# (`(args) -> exit status`) and, if it takes arguments, a function adding them; add a row.
COMMANDS = (
    Command("actions", "list the actions and pick lists", _actions, json=True),
    Command("describe", "show an action's input table", _describe, _describe_arguments, json=True),
    Command(
        "run",
        "run an action and print its result as JSON",
        _run,
        _run_arguments,
        json=True,
        environment=True,
    ),
    Command(
        "preview",
        "print the requests `run` would send, sending nothing",
        _preview,
        _action_arguments,
        json=True,
    ),
    Command(
        "mcp",
        "serve every action as a tool for AI agents (MCP)",
        _mcp,
        _mcp_arguments,
        extra="mcp",
        environment=True,
    ),
    Command("sandbox", "serve the local API emulator until stopped", _sandbox, _port_argument),
    Command(
        "designer",
        "serve the reference designer on 127.0.0.1",
        _designer,
        _designer_arguments,
        extra="designer",
    ),
    Command("demo", "run every action end to end against a sandbox", _demo),
    Command("docs", "render docs/quickbooks-time.md from connector.yaml", _docs, _docs_arguments),
    Command("manifest", "print the resolved manifest as JSON", _manifest, _manifest_arguments),
    Command(
        "login",
        "connect a real app (authorization code flow)",
        _login,
        _login_arguments,
        environment=True,
    ),
)


def parser() -> argparse.ArgumentParser:
    """The command line's arguments."""
    top = argparse.ArgumentParser(prog=PROG, description=__doc__, epilog=EXIT_CODES)
    top.add_argument("--version", action="version", version=f"%(prog)s {package_version()}")
    top.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=0,
        help="log to stderr: -v retries, waits, token refreshes and pages; -vv every request",
    )
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for row in COMMANDS:
        epilog = f"{ENVIRONMENT} {EXIT_CODES}" if row.environment else EXIT_CODES
        command = sub.add_parser(
            row.name, help=row.help, parents=[_common(row.json)], epilog=epilog
        )
        if row.arguments is not None:
            row.arguments(command)
        command.set_defaults(func=row.handler, extra=row.extra)
    return top


def exit_code(error: BaseException) -> int:
    """2 when the caller's input or usage was wrong (nothing was sent), else 1."""
    return EXIT_USAGE if isinstance(error, (InputError, UsageError)) else EXIT_FAILED


def _say_error(error: BaseException) -> None:
    if isinstance(error, InputError):
        print("Invalid input:", file=sys.stderr)
        for item in error.errors:
            print(f"  {item['label']} ({item['input']}): {item['message']}", file=sys.stderr)
    elif isinstance(error, (UsageError, OSError)):
        print(f"{PROG}: error: {error}", file=sys.stderr)
    elif isinstance(error, ApiError):
        print(f"QuickBooks Time error {error.status}: {error.message}", file=sys.stderr)
    else:
        print(f"Error: {error}", file=sys.stderr)


@contextmanager
def logging_to_stderr(verbosity: int) -> Iterator[None]:
    """The connector's log on stderr while the command runs: -v INFO, -vv DEBUG, else WARNING."""
    logger = logging.getLogger("qbtime_connector")
    level = {0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%H:%M:%S"))
    handler.setLevel(level)
    before = logger.level
    logger.addHandler(handler)
    logger.setLevel(level)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(before)


def verbosity(args: argparse.Namespace) -> int:
    """How many -v were given, before the command and after it."""
    return int(args.verbose) + int(getattr(args, "verbose_after", 0))


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script and `python -m qbtime_connector`; the exit status."""
    try:
        return _command(argv)
    except BrokenPipeError:
        return _reader_gone()


def _reader_gone() -> int:
    """End quietly, as Unix tools do, when the reader of our output went away (`| head -1`)."""
    # What is still buffered for stdout goes nowhere, not to an error at exit; a stdout
    # without a file (a test capturing it) has nothing buffered there.
    with suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return EXIT_READER_GONE


def _missing_extra(args: argparse.Namespace, missing: ModuleNotFoundError) -> UsageError | None:
    """The usage error naming the extra that provides a module this command could not import."""
    extra = EXTRA_OF_MODULE.get((missing.name or "").partition(".")[0])
    if extra is None:
        return None
    extra = getattr(args, "extra", None) or extra  # the designer's extra brings werkzeug along
    return UsageError(f"this needs the {extra} extra: pip install '{PROG}[{extra}]'")


def _command(argv: Sequence[str] | None) -> int:
    try:
        args = parser().parse_args(argv)
    except SystemExit as stop:  # --help, --version, and argparse's usage errors (status 2)
        return EXIT_OK if stop.code is None else int(stop.code)
    with logging_to_stderr(verbosity(args)):
        try:
            try:
                code: int = args.func(args)
            except ModuleNotFoundError as missing:
                raise _missing_extra(args, missing) or missing from None
        except BrokenPipeError:
            raise
        except (ConnectorError, UsageError, OSError) as error:
            if getattr(args, "json", False):
                print(_dump(error_json(error)))
            else:
                _say_error(error)
            return exit_code(error)
        except KeyboardInterrupt:
            print(file=sys.stderr)  # after the ^C, so the prompt starts on its own line
            return EXIT_INTERRUPTED
        except Exception as error:  # a bug: one line, not a traceback (that only at -vv)
            import traceback

            from .tokens.locations import scrub

            # Database passwords are taken out of the traceback too (a DSN may be in it).
            text = scrub("".join(traceback.format_exception(error)))
            logging.getLogger("qbtime_connector").debug("unexpected failure\n%s", text)
            unexpected = RuntimeError(f"{type(error).__name__}: {scrub(str(error))}")
            if getattr(args, "json", False):
                print(_dump(error_json(unexpected)))
            else:
                _say_error(unexpected)
            return EXIT_FAILED
    return code


if __name__ == "__main__":
    sys.exit(main())
