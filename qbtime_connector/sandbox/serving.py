"""Serving a WSGI app on 127.0.0.1 from a background thread (the sandbox's and the designer's)."""

from __future__ import annotations

import functools
import socket
import threading
from typing import Any

# How often the serving loop looks for a stop request, so how long stop() may wait: at the
# default 0.5 s every test's sandbox took half a second to stop, minutes over the suite.
STOP_POLL = 0.02


class LoopbackServer:
    """One WSGI app on 127.0.0.1 (a free port when port is 0), served until `stop()`."""

    def __init__(self, app: Any, port: int, handler: type[Any], name: str) -> None:
        from werkzeug.serving import make_server

        # Bound here, not by werkzeug, which answers a busy port by printing and exiting:
        # an OSError (EADDRINUSE) lets the caller say so its own way.
        with socket.socket() as listening:
            listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listening.bind(("127.0.0.1", port))
            listening.listen(128)
            self._server: Any = make_server(
                "127.0.0.1",
                port,
                app,
                threaded=True,
                request_handler=handler,
                fd=listening.fileno(),
            )
        serve = functools.partial(self._server.serve_forever, poll_interval=STOP_POLL)
        threading.Thread(target=serve, daemon=True, name=name).start()

    @property
    def port(self) -> int:
        """The port it listens on."""
        return int(self._server.port)

    def stop(self) -> None:
        """Stop serving and free the port."""
        self._server.shutdown()
        self._server.server_close()


IDLE_TIMEOUT = 30.0  # seconds a kept-alive connection may sit idle before the server closes it
SOCKET_KEY = "qbtime_sandbox.socket"  # the environ key of the client's socket (to drop it)
DROPPED_KEY = "qbtime_sandbox.dropped"  # set by the app when it dropped the connection
ANSWER_BUFFER = 64 * 1024  # bytes of an answer held back to go out in one write


class KeepAliveServer:
    """One WSGI app on 127.0.0.1 over HTTP/1.1 connections that stay open between requests.

    Werkzeug's development server closes every connection after one answer; a client that
    reuses its connections (as requests' pooled sessions and the real API do) is served here
    by stdlib's http.server and wsgiref: one thread per connection, which ends when the client
    closes, asks to close, or stays idle IDLE_TIMEOUT seconds. `connections` counts those
    accepted.
    """

    def __init__(self, app: Any, port: int, name: str, verbose: bool = False) -> None:
        import socketserver
        from wsgiref.simple_server import WSGIServer

        class Server(socketserver.ThreadingMixIn, WSGIServer):
            daemon_threads = True  # stop() closes the open connections itself
            block_on_close = False

        self._server = Server(("127.0.0.1", port), _keep_alive_handler(verbose, self))
        self._server.set_app(app)
        self._open: set[Any] = set()
        self._lock = threading.Lock()
        self.connections = 0
        serve = functools.partial(self._server.serve_forever, poll_interval=STOP_POLL)
        threading.Thread(target=serve, daemon=True, name=name).start()

    @property
    def port(self) -> int:
        """The port it listens on."""
        return int(self._server.server_port)

    def opened(self, sock: Any) -> None:
        with self._lock:
            self._open.add(sock)
            self.connections += 1

    def closed(self, sock: Any) -> None:
        with self._lock:
            self._open.discard(sock)

    def stop(self) -> None:
        """Stop serving, close every open connection and free the port."""
        import contextlib
        import socket

        self._server.shutdown()
        self._server.server_close()
        with self._lock:
            held, self._open = list(self._open), set()
        for sock in held:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def _keep_alive_handler(verbose: bool, owner: KeepAliveServer) -> type[Any]:
    """The request handler class: HTTP/1.1, one request after another on each connection."""
    import http.server
    from wsgiref.simple_server import ServerHandler, WSGIRequestHandler

    from werkzeug.exceptions import ClientDisconnected
    from werkzeug.wsgi import LimitedStream

    class Answer(ServerHandler):
        http_version = "1.1"
        length_known = False
        headers: Any
        request_handler: Any

        def cleanup_headers(self) -> None:
            super().cleanup_headers()
            self.length_known = "Content-Length" in self.headers
            if self.request_handler.close_connection or not self.length_known:
                self.headers["Connection"] = "close"  # so the client never reuses it

    class Handler(WSGIRequestHandler):
        protocol_version = "HTTP/1.1"
        timeout = IDLE_TIMEOUT
        # An answer is buffered and sent in one write when it is complete (wsgiref writes the
        # status line, the Date, the headers and the body apart: a system call each, and as
        # many wake-ups of the client). TCP_NODELAY still: an answer larger than the buffer
        # goes out in several writes, and Nagle's algorithm would hold the last one back until
        # the client's delayed ACK, 40 ms later.
        wbufsize = ANSWER_BUFFER
        disable_nagle_algorithm = True

        def setup(self) -> None:
            super().setup()
            owner.opened(self.connection)

        def finish(self) -> None:
            try:
                super().finish()
            except OSError:  # an answer held back for a client gone (or a dropped connection)
                self.rfile.close()
            finally:
                owner.closed(self.connection)

        def handle(self) -> None:
            # BaseHTTPRequestHandler's loop (wsgiref's own handle() serves only one request).
            http.server.BaseHTTPRequestHandler.handle(self)

        def handle_one_request(self) -> None:
            try:
                self.raw_requestline = self.rfile.readline(65537)
            except OSError:  # idle too long, or the client went away
                self.close_connection = True
                return
            if not self.raw_requestline:
                self.close_connection = True
                return
            if len(self.raw_requestline) > 65536:
                self.requestline = self.request_version = self.command = ""
                self.send_error(414)
                return
            if not self.parse_request():
                return
            chunked = "chunked" in self.headers.get("Transfer-Encoding", "").lower()
            stream: Any = self.rfile
            body = LimitedStream(stream, int(self.headers.get("Content-Length") or 0))
            environ = self.get_environ()
            environ[SOCKET_KEY] = self.connection
            out: Any = self.wfile
            handler = Answer(body, out, self.get_stderr(), environ, multithread=True)
            handler.request_handler = self  # wsgiref logs through it
            server: Any = self.server
            handler.run(server.get_app())
            try:
                self.wfile.flush()
            except OSError:  # the app dropped the connection, or the client went away
                self.close_connection = True
                return
            if chunked or not handler.length_known or environ.get(DROPPED_KEY):
                self.close_connection = True  # the answer's end, or the body's, is unknown
                return
            try:
                body.exhaust()  # what the app left unread must not be taken for the next request
            except (OSError, ClientDisconnected):
                self.close_connection = True

        def log_message(self, format: str, *args: Any) -> None:
            if verbose:
                super().log_message(format, *args)

    return Handler
