"""Issue item 8: ``sso-harness proxy`` as printed works for Chromium: its flags reach the proxy and trust the run's CA.

The command runs as a subprocess, as an engineer starts it. Chromium is
launched with exactly the flags it prints (profile folder, proxy, loopback
through the proxy, the CA's SPKI pin). An HTTPS page proves the pin: with
``--loopback-only`` the proxy answers a non-loopback host itself, over TLS
with a certificate from this run's CA, which Chromium accepts only through
the pin. A page of a loopback site is recorded as a hop; Ctrl-C writes the
bundle.
"""

from __future__ import annotations

import json
import shlex
import signal
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from sso_harness.browser.launch import launch_args
from sso_harness.mocks.web.http import MockServer, Response

pytestmark = pytest.mark.e2e


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_chromium_with_the_printed_flags_is_recorded_and_ctrl_c_writes_the_bundle(playwright, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    site = MockServer(lambda req: Response(body=b"<h1>your app</h1>")).start()
    out = tmp_path / "mine.zip"
    proc = subprocess.Popen([sys.executable, "-m", "sso_harness.apps.cli.main", "proxy", "--port", str(_free_port()),
                             "--out", str(out), "--loopback-only"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    printed: list[str] = []
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            printed.append(line)
            if "press Ctrl-C" in line:
                break
        flags = shlex.split(next(line for line in printed if line.strip().startswith("chromium --")))[1:]
        profile = next(f.split("=", 1)[1] for f in flags if f.startswith("--user-data-dir="))
        base = launch_args(proxy_url=None, spki_pin=None)
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=base["executable_path"], headless=True,
            args=[f for f in flags if not f.startswith("--user-data-dir=")])
        try:
            page = context.new_page()
            page.goto(site.base_url + "/dashboard")
            assert page.locator("h1").inner_text() == "your app"
            # A fetch over TLS rejects on a certificate error; it resolves only if the pin made the run's CA trusted.
            fetched = page.evaluate("() => fetch('https://sso-harness-pin-check.example/', {mode: 'no-cors'})"
                                    ".then(() => 'ok', e => String(e))")
            assert fetched == "ok"
        finally:
            context.close()
    finally:
        proc.send_signal(signal.SIGINT)
        rest, _ = proc.communicate(timeout=60)
        site.stop()
    assert proc.returncode == 0, "".join(printed) + rest
    with zipfile.ZipFile(out) as z:
        trace = json.loads(z.read("trace.json"))
    assert trace["blocked_hosts"].get("sso-harness-pin-check.example", 0) >= 1
    assert any(h["url"] == site.base_url + "/dashboard" and h["status"] == 200 and not h["back_channel"] for h in trace["hops"])
