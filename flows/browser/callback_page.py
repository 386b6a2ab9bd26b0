"""The loopback page an OAuth client's ``redirect_uri`` points at while the harness is the client.

It exists so the browser's navigation to it is a real hop the capture proxy
records, and it keeps the parameters of the last request that reached its
path (the query of a GET, the form of a ``response_mode=form_post`` POST) in
memory for the harness to read (:attr:`CallbackPage.received`); it never logs
or writes them, since they hold the code. It answers its own path with 200
and any other with 404, as a native app's loopback redirect listener does
(RFC 8252 §7.3).
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import parse_qsl

__all__ = ["CallbackPage"]

_BODY = b"<!doctype html><title>Signed in</title><h1 id='callback-done'>Callback received</h1>"
_MAX_FORM = 1 << 20


class _Server(ThreadingHTTPServer):
    path = "/callback"
    received: dict[str, str] | None = None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def _answer(self, params: dict[str, str] | None) -> None:
        found = self.path.split("?", 1)[0] == self.server.path
        if found and params is not None:
            self.server.received = params
        body = _BODY if found else b"<!doctype html><title>Not found</title><h1>404</h1>"
        self.send_response(200 if found else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        query = self.path.split("?", 1)[1] if "?" in self.path else ""
        self._answer(dict(parse_qsl(query, keep_blank_values=True)))

    def do_POST(self) -> None:  # noqa: N802 - response_mode=form_post lands here
        length = min(int(self.headers.get("Content-Length") or 0), _MAX_FORM)
        form = self.rfile.read(length).decode("utf-8", "replace")
        self._answer(dict(parse_qsl(form, keep_blank_values=True)))

    def log_message(self, format: str, *args: object) -> None:  # the query holds the code: never log it
        return


class CallbackPage:
    """``with CallbackPage(port) as page: page.redirect_uri`` — a started loopback listener.

    ``path`` is the callback's path (default ``/callback``), so a redirect URI
    registered as ``http://127.0.0.1:PORT/PATH`` can be served as it is.
    """

    def __init__(self, port: int = 0, host: str = "127.0.0.1", path: str = "/callback") -> None:
        self._server = _Server((host, port), _Handler)
        self._server.path = path or "/"
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def redirect_uri(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}{self._server.path}"

    @property
    def received(self) -> dict[str, str] | None:
        """The parameters of the last request to the callback path (None before one arrived)."""
        return self._server.received

    def __enter__(self) -> CallbackPage:
        self._thread = threading.Thread(target=self._server.serve_forever, name="oidc-callback", daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join()
