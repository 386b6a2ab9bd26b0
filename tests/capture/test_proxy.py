"""The proxy's lifecycle: ephemeral loopback port, private CA, cleanup."""

from __future__ import annotations

import base64
import stat
import urllib.request

from sso_harness.capture import CaptureProxy, ProxyStartError
from sso_harness.mocks.web.http import MockServer, Response


def test_proxy_listens_on_loopback_records_and_removes_its_ca() -> None:
    server = MockServer(lambda req: Response(body=b"hi", content_type="text/plain")).start()
    try:
        with CaptureProxy() as proxy:
            assert proxy.url.startswith("http://127.0.0.1:") and proxy.port
            key = proxy.confdir / "mitmproxy-ca.pem"
            assert stat.S_IMODE(key.stat().st_mode) == 0o600
            assert len(base64.b64decode(proxy.spki_pin)) == 32
            opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": proxy.url}))
            assert opener.open(f"{server.base_url}/hello", timeout=10).read() == b"hi"
            (hop,) = proxy.recorder.hops()
            assert hop.path == "/hello" and hop.status == 200
            confdir = proxy.confdir
        assert not confdir.exists()
    finally:
        server.stop()


def test_url_before_start_is_a_clear_error() -> None:
    try:
        CaptureProxy().url
    except ProxyStartError as exc:
        assert "not running" in str(exc)
    else:
        raise AssertionError("expected ProxyStartError")
