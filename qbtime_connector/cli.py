"""The `qbtime-connector` command line: list, describe and run actions; sandbox; demo; login."""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import manifest
from .errors import ApiError, ConnectorError, InputError

EXIT_INPUT, EXIT_API = 2, 1


def _actions(_: argparse.Namespace) -> int:
    for action in [*manifest.actions().values(), *manifest.data_sources().values()]:
        print(f"{action.key:<28} {action.label:<26} {action.description}")
    return 0


def _describe(args: argparse.Namespace) -> int:
    try:
        action = manifest.action(args.action)
    except KeyError as exc:
        print(exc.args[0], file=sys.stderr)
        return EXIT_INPUT
    print(f"{action.label} ({action.key}): {action.description}")
    print(f"Sends {action.method} /{action.endpoint}\n")
    print(f"{'Input':<30} {'Required':<9} {'Default':<8} Comments")
    for item in action.inputs:
        comments = textwrap.wrap(item.comments, 60) or [""]
        name = f"{item.label} ({item.key})"
        default = "" if item.default is None else str(item.default)
        required = "yes" if item.required else ""
        print(f"{name:<30} {required:<9} {default:<8} {comments[0]}")
        for line in comments[1:]:
            print(f"{'':<49} {line}")
    return 0


def _value(text: str) -> Any:
    """A --input value: JSON for objects and lists, else the string as a designer sends it."""
    stripped = text.strip()
    if stripped[:1] in "[{":
        try:
            return json.loads(stripped)
        except ValueError:
            pass
    return text


def _inputs(args: argparse.Namespace) -> dict[str, Any]:
    inputs: dict[str, Any] = {}
    if args.inputs:
        inputs.update(json.loads(Path(args.inputs).read_text(encoding="utf-8")))
    for pair in args.input or []:
        key, sep, value = pair.partition("=")
        if not sep:
            raise SystemExit(f"--input takes key=value; got {pair!r}")
        inputs[key] = _value(value)
    return inputs


def _run(args: argparse.Namespace) -> int:
    from .invoke import invoke

    try:
        inputs = _inputs(args)
        if args.sandbox:
            from .sandbox import Sandbox

            with Sandbox() as sandbox, sandbox.connect() as connection:
                result = invoke(args.action, inputs, connection)
        else:
            from .connection_file import open_connection

            path = args.connection or os.environ.get("QBTIME_CONNECTION_FILE")
            if not path:
                print(
                    "Give --connection FILE (from `qbtime-connector login`), or --sandbox.",
                    file=sys.stderr,
                )
                return EXIT_INPUT
            with open_connection(Path(path)) as connection:
                result = invoke(args.action, inputs, connection)
    except InputError as error:
        print("Invalid input:", file=sys.stderr)
        for item in error.errors:
            print(f"  {item['label']} ({item['input']}): {item['message']}", file=sys.stderr)
        return EXIT_INPUT
    except ApiError as error:
        print(f"QuickBooks Time error {error.status}: {error.message}", file=sys.stderr)
        return EXIT_API
    except ConnectorError as error:
        print(f"Error: {error}", file=sys.stderr)
        return EXIT_API
    print(json.dumps(result, indent=2))
    return 0


def _sandbox(args: argparse.Namespace) -> int:
    from .sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Sandbox

    sandbox = Sandbox(port=args.port, verbose=True).start()
    print(sandbox.base_url, flush=True)
    print(
        f"demo app: client id {DEMO_CLIENT_ID}, client secret {DEMO_CLIENT_SECRET}; Ctrl-C stops",
        file=sys.stderr,
        flush=True,
    )
    try:
        threading.Event().wait()  # until Ctrl-C
    except KeyboardInterrupt:
        pass
    finally:
        sandbox.stop()
    return 0


def _demo(_: argparse.Namespace) -> int:
    from .demo import run_demo

    run_demo()
    return 0


def _docs(args: argparse.Namespace) -> int:
    from . import docs

    root = Path(args.root)
    if args.check:
        if docs.is_current(root):
            return 0
        print(
            f"{root / docs.DOCS_PATH} is out of date: run `qbtime-connector docs`.", file=sys.stderr
        )
        return 1
    print(f"wrote {docs.write(root)}")
    return 0


def _manifest(args: argparse.Namespace) -> int:
    if not (args.write or args.check):
        print(json.dumps(manifest.load_raw(), indent=2, ensure_ascii=False))
        return 0
    from . import manifest_source

    if not manifest_source.SOURCE_PATH.is_file():
        print("--write and --check need a checkout, where connector.yaml is.", file=sys.stderr)
        return EXIT_INPUT
    if args.check and not manifest_source.is_current():
        print(f"{manifest.MANIFEST_PATH} is stale: run `qbtime-connector manifest --write`.")
        return 1
    if args.write:
        print(f"wrote {manifest_source.write()}")
    return 0


def _login(args: argparse.Namespace) -> int:
    import getpass

    from .login import login

    secret = os.environ.get("QBTIME_CLIENT_SECRET") or getpass.getpass("Client secret: ")
    try:
        login(
            args.client_id,
            secret,
            Path(args.token_file),
            port=args.port,
            base_url=args.base_url,
            open_url=lambda url: print(f"Open this URL and approve the app:\n{url}", flush=True),
        )
    except ConnectorError as error:
        print(f"Error: {error}", file=sys.stderr)
        return EXIT_API
    print(f"Connected. Connection stored in {args.token_file} (owner-only).")
    return 0


def parser() -> argparse.ArgumentParser:
    """The command line's arguments."""
    top = argparse.ArgumentParser(prog="qbtime-connector", description=__doc__)
    sub = top.add_subparsers(dest="command", required=True)
    sub.add_parser("actions", help="list the actions").set_defaults(func=_actions)
    describe = sub.add_parser("describe", help="show an action's input table")
    describe.add_argument("action")
    describe.set_defaults(func=_describe)
    run = sub.add_parser("run", help="run an action and print its result as JSON")
    run.add_argument("action")
    run.add_argument("--input", "-i", action="append", metavar="KEY=VALUE")
    run.add_argument("--inputs", metavar="FILE.json", help="inputs as a JSON object")
    run.add_argument(
        "--connection",
        metavar="FILE.json",
        help="connection file (default: $QBTIME_CONNECTION_FILE)",
    )
    run.add_argument("--sandbox", action="store_true", help="run against an embedded sandbox")
    run.set_defaults(func=_run)
    serve = sub.add_parser("sandbox", help="serve the local API emulator until stopped")
    serve.add_argument("--port", type=int, default=0)
    serve.set_defaults(func=_sandbox)
    sub.add_parser("demo", help="run every action end to end against a sandbox").set_defaults(
        func=_demo
    )
    docs = sub.add_parser("docs", help="render docs/quickbooks-time.md from connector.yaml")
    docs.add_argument("--check", action="store_true", help="exit 1 if the page is stale")
    docs.add_argument("--root", default=".", help="the project folder (default: here)")
    docs.set_defaults(func=_docs)
    resolved = sub.add_parser("manifest", help="print the resolved manifest as JSON")
    resolved.add_argument("--write", action="store_true", help="rebuild it from connector.yaml")
    resolved.add_argument("--check", action="store_true", help="exit 1 if it is stale")
    resolved.set_defaults(func=_manifest)
    log_in = sub.add_parser("login", help="connect a real app (authorization code flow)")
    log_in.add_argument("--client-id", required=True)
    log_in.add_argument("--token-file", default="qbtime-connection.json")
    log_in.add_argument("--port", type=int, default=8765, help="loopback port for the redirect")
    log_in.add_argument("--base-url", default="https://rest.tsheets.com/api/v1")
    log_in.set_defaults(func=_login)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    args = parser().parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
