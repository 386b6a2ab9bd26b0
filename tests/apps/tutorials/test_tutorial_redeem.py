"""The harness redeems an SP's code in its place: the SP's redirect URI and scopes, the target's client secret."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

import pytest

from sso_harness.apps.tutorials.redeem import Redemption, redeem_code
from .tutorial_builders import SP, oauth_trace

CALLBACK = f"{SP}/cb?code=c0de&state=st-1"


class _TokenEndpoint(BaseHTTPRequestHandler):
    received: list[dict[str, str]] = []

    def do_POST(self) -> None:  # noqa: N802 - the http.server name
        body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
        _TokenEndpoint.received.append(dict(parse_qsl(body)))
        answer = json.dumps({"error": "invalid_client", "error_codes": [7000215]}).encode()
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def token_url() -> Iterator[str]:
    _TokenEndpoint.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _TokenEndpoint)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/tenant/oauth2/v2.0/token"
    server.shutdown()
    server.server_close()
    thread.join()


def test_the_code_is_redeemed_with_the_sps_redirect_uri_and_scopes_and_a_refusal_is_a_result(token_url: str) -> None:
    problem = redeem_code(CALLBACK, oauth_trace(), Redemption(token_url, "client-1", "s3cret"), proxy_url="", cafile=None)
    assert problem is None  # the 401 is the token endpoint's answer: the checks read it from the trace
    assert _TokenEndpoint.received == [{
        "grant_type": "authorization_code", "code": "c0de", "redirect_uri": f"{SP}/cb", "client_id": "client-1",
        "client_secret": "s3cret", "scope": "https://outlook.office.com/IMAP.AccessAsUser.All offline_access",
    }]


def test_without_a_code_nothing_is_sent_and_an_unreachable_endpoint_is_said(token_url: str) -> None:
    refused = f"{SP}/cb?error=consent_required&state=st-1"
    assert redeem_code(refused, oauth_trace(), Redemption(token_url, "client-1", "s3cret"), proxy_url="", cafile=None) is None
    assert _TokenEndpoint.received == []
    gone = "http://127.0.0.1:9/token"
    problem = redeem_code(CALLBACK, oauth_trace(), Redemption(gone, "client-1", "s3cret"), proxy_url="", cafile=None, timeout_s=5)
    assert problem is not None and problem.startswith(f"the harness could not redeem the code at {gone}: ")
    assert "s3cret" not in repr(Redemption(gone, "client-1", "s3cret"))
