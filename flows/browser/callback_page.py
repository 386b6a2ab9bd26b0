"""The loopback page an OAuth client's ``redirect_uri`` points at while the harness is the client.

It only has to exist, so the browser's navigation to it is a real hop the
capture proxy records; the harness reads the parameters from the browser's
URL. It keeps nothing and answers every path, as a native app's loopback
redirect listener does (RFC 8252 §7.3).
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

__all__ = ["CallbackPage"]

_BODY = b"<!doctype html><title>Signed in</title><h1 id='callback-done'>Callback received</h1>"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        found = self.path.split("?", 1)[0] == "/callback"
        body = _BODY if found else b"<!doctype html><title>Not found</title><h1>404</h1>"
        self.send_response(200 if found else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET  # response_mode=form_post lands here too

    def log_message(self, format: str, *args: object) -> None:  # the query holds the code: never log it
        return


class CallbackPage:
    """``with CallbackPage(port) as page: page.redirect_uri`` — a started loopback listener."""

    def __init__(self, port: int = 0, host: str = "127.0.0.1") -> None:
        self._server = ThreadingHTTPServer((host, port), _Handler)
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def redirect_uri(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/callback"

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
