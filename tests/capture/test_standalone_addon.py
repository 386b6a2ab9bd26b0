"""`mitmdump -s flows/apps/capture_service/mitmdump_script.py` records through a real mitmdump and writes the trace on exit."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

from sso_harness.mocks.web.http import MockServer, Response

ADDON = Path(__file__).resolve().parents[2] / "flows" / "apps" / "capture_service" / "mitmdump_script.py"
MITMDUMP = Path(sys.executable).with_name("mitmdump")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_mitmdump_script_writes_a_redacted_trace(tmp_path: Path) -> None:
    server = MockServer(lambda req: Response(body=b"ok", content_type="text/plain")).start()
    port, out = _free_port(), tmp_path / "trace.json"
    proc = subprocess.Popen(
        [str(MITMDUMP), "--listen-host", "127.0.0.1", "--listen-port", str(port), "--set", f"confdir={tmp_path / 'ca'}",
         "-s", str(ADDON), "--set", f"sso_trace_out={out}"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        # Wait for mitmdump's own "proxy listening" line: readiness, not a timer.
        for line in proc.stdout:  # type: ignore[union-attr]
            if b"listening at" in line:
                break
        else:
            raise AssertionError("mitmdump exited before listening")
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": f"http://127.0.0.1:{port}"}))
        body = opener.open(f"{server.base_url}/cb?code=PlantedCode123&state=s", timeout=10).read()
        assert body == b"ok"
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)
        server.stop()
    data = json.loads(out.read_text())
    assert data["schema"] == "sso-harness/trace"
    (hop,) = [h for h in data["hops"] if h["url"].startswith(server.base_url)]
    assert hop["status"] == 200 and "PlantedCode123" not in out.read_text()
