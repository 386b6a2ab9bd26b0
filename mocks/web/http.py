"""A deliberately small HTTP layer for the mocks.

The mocks need routing, forms, cookies and redirects, nothing more. This
keeps them free of a web framework and fast to start: each server binds
127.0.0.1 on an ephemeral port and serves from a daemon thread, with
HTTP/1.1 keep-alive so a browser reuses its connection across hops.
"""

from __future__ import annotations

import html
import json
import socket
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from sso_harness.mocks.web import trace_context

__all__ = [
    "Request",
    "Response",
    "Handler",
    "MockServer",
    "redirect",
    "html_page",
    "auto_post_form",
    "json_response",
    "text_response",
]

MAX_BODY = 1024 * 1024


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: Mapping[str, str]
    raw_query: str
    headers: Mapping[str, str]
    body: bytes
    cookies: Mapping[str, str]

    @property
    def form(self) -> dict[str, str]:
        ctype = self.headers.get("content-type", "")
        if "application/x-www-form-urlencoded" not in ctype:
            return {}
        # Forms are UTF-8 in practice (HTML5 §4.10.21.7); latin-1 would garble names.
        return dict(parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True))

    @property
    def params(self) -> dict[str, str]:
        """Query parameters for GET, form fields for POST (the two HTTP bindings)."""
        return dict(self.query) if self.method != "POST" else self.form

    def json(self) -> object:
        """The body parsed as JSON; ``ValueError`` when it is not JSON."""
        return json.loads(self.body.decode("utf-8") or "null")


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: list[tuple[str, str]] = field(default_factory=list)

    def header(self, name: str) -> str | None:
        lname = name.lower()
        return next((v for k, v in self.headers if k.lower() == lname), None)

    def set_cookie(self, name: str, value: str, *, path: str = "/", max_age: int | None = None) -> "Response":
        parts = [f"{name}={value}", f"Path={path}", "HttpOnly", "SameSite=Lax"]
        if max_age is not None:
            parts.append(f"Max-Age={max_age}")
        self.headers.append(("Set-Cookie", "; ".join(parts)))
        return self


Handler = Callable[[Request], Response]


def redirect(location: str, status: int = 302) -> Response:
    return Response(status=status, headers=[("Location", location)], content_type="text/plain")


def json_response(data: object, status: int = 200, headers: list[tuple[str, str]] | None = None) -> Response:
    body = json.dumps(data, separators=(",", ":")).encode()
    return Response(status=status, body=body, content_type="application/json; charset=utf-8", headers=list(headers or []))


def text_response(text: str, status: int = 200, content_type: str = "text/plain; charset=utf-8") -> Response:
    return Response(status=status, body=text.encode(), content_type=content_type)


def html_page(title: str, body_html: str, status: int = 200) -> Response:
    doc = (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title></head><body>{body_html}</body></html>"
    )
    return Response(status=status, body=doc.encode())


def auto_post_form(action: str, fields: Mapping[str, str], title: str = "Working...") -> Response:
    """The HTTP-POST binding's self-submitting form (SAML bindings §3.5.4)."""
    inputs = "".join(
        f"<input type='hidden' name='{html.escape(k)}' value='{html.escape(v)}'>" for k, v in fields.items()
    )
    body = (
        f"<form method='post' action='{html.escape(action)}'>{inputs}"
        "<noscript><button type='submit'>Continue</button></noscript></form>"
        "<script>document.forms[0].submit()</script>"
    )
    return html_page(title, body)


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: socket.socket | tuple[bytes, socket.socket], client_address: object) -> None:
        # A browser context closing mid keep-alive resets its connections;
        # that is normal traffic, not an error worth a traceback.
        import sys

        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


class MockServer:
    """Serve one handler on 127.0.0.1 (port 0 means ephemeral) in a thread."""

    def __init__(self, handler: Handler | None = None, *, port: int = 0, name: str = "mock", host: str = "127.0.0.1") -> None:
        self.handler = handler
        self.name = name
        owner = self

        class _RequestHandler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in separate writes; with Nagle's algorithm
            # on, the second write waits for a delayed ACK (about 40 ms a hop).
            disable_nagle_algorithm = True

            def do_GET(self) -> None:
                owner._dispatch(self)

            do_POST = do_GET
            do_HEAD = do_GET
            do_PUT = do_GET
            do_DELETE = do_GET

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
                pass

        self._httpd = _QuietServer((host, port), _RequestHandler)
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        host = self._httpd.server_address[0]
        # socketserver types the address for every family; an AF_INET server's host is a str.
        return f"http://{host.decode() if isinstance(host, bytes) else host}:{self.port}"

    def start(self) -> "MockServer":
        # serve_forever notices shutdown() only between polls: keep stops quick.
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.1,), name=f"{self.name}-http", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port; also for a server bound but never started."""
        if self._thread is not None:
            # shutdown() waits for serve_forever to exit: it would wait forever on a server never started.
            self._httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._httpd.server_close()

    def _dispatch(self, rh: BaseHTTPRequestHandler) -> None:
        split = urlsplit(rh.path)
        length = int(rh.headers.get("Content-Length") or 0)
        body = rh.rfile.read(min(length, MAX_BODY)) if length else b""
        jar = SimpleCookie()
        try:
            jar.load(rh.headers.get("Cookie", ""))
        except Exception:  # a malformed Cookie header must not kill the mock
            jar = SimpleCookie()
        request = Request(
            method=rh.command,
            path=split.path,
            query=dict(parse_qsl(split.query, keep_blank_values=True)),
            raw_query=split.query,
            headers={k.lower(): v for k, v in rh.headers.items()},
            body=body,
            cookies={k: m.value for k, m in jar.items()},
        )
        try:
            if self.handler is None:
                raise LookupError("no handler installed")
            with trace_context.serving(request.headers.get(trace_context.HEADER)):
                response = self.handler(request)
        except Exception as exc:  # the page says what broke; the server keeps serving
            response = html_page("Mock error", f"<h1>500</h1><pre>{html.escape(repr(exc))}</pre>", status=500)
        rh.send_response(response.status)
        rh.send_header("Content-Type", response.content_type)
        rh.send_header("Content-Length", str(len(response.body)))
        if response.header("Cache-Control") is None:
            rh.send_header("Cache-Control", "no-store")
        for k, v in response.headers:
            rh.send_header(k, v)
        rh.end_headers()
        if rh.command != "HEAD":
            rh.wfile.write(response.body)
