"""``sso-harness proxy`` as a user runs it: a subprocess, a request through it, Ctrl-C, a bundle."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import signal
import socket
import subprocess
import sys
import urllib.request
import zipfile
from pathlib import Path
from urllib.parse import urlencode

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from sso_harness.apps.capture_service.proxy_help import ProxyAddress, browser_instructions, chromium_flags, firefox_prefs
from sso_harness.mocks.web.http import MockServer, Response

PASSWORD = "Planted-ProxyPa55-2291"
COOKIE = "PlantedProxyCookie-8e1f"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pin(pem: bytes) -> str:
    spki = x509.load_pem_x509_certificate(pem).public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(hashlib.sha256(spki).digest()).decode()


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_proxy_records_until_stopped_and_writes_a_redacted_bundle(tmp_path: Path, stop: signal.Signals) -> None:
    server = MockServer(lambda req: Response(body=b"signed in").set_cookie("sp_session", "s1")).start()
    port, out = _free_port(), tmp_path / "proxy.zip"
    proc = subprocess.Popen([sys.executable, "-m", "sso_harness.apps.cli.main", "proxy", "--port", str(port), "--out", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    printed: list[str] = []
    try:
        assert proc.stdout is not None
        for line in proc.stdout:  # the instructions end with the Ctrl-C line: the proxy is listening by then
            printed.append(line)
            if "press Ctrl-C" in line:
                break
        else:
            raise AssertionError("the proxy exited early:\n" + "".join(printed))
        text = "".join(printed)
        assert f"proxy: http://127.0.0.1:{port}" in text
        ca = Path(re.search(r"CA certificate of this run: (\S+)", text).group(1))  # type: ignore[union-attr]
        assert f"--ignore-certificate-errors-spki-list={_pin(ca.read_bytes())}" in text  # the pin is this CA's
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": f"http://127.0.0.1:{port}"}))
        login = urllib.request.Request(server.base_url + "/login", method="POST",
                                       data=urlencode({"username": "b.simon", "password": PASSWORD}).encode(),
                                       headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"idp={COOKIE}"})
        assert opener.open(login, timeout=10).read() == b"signed in"
    finally:
        proc.send_signal(stop)
        rest, _ = proc.communicate(timeout=60)
        server.stop()
    assert proc.returncode == 0, "".join(printed) + rest
    assert f"bundle: {out}" in rest and not ca.exists()  # the CA (and its key) went with the proxy
    with zipfile.ZipFile(out) as z:
        trace = json.loads(z.read("trace.json"))
        everything = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    (hop,) = [h for h in trace["hops"] if h["url"].startswith(server.base_url)]
    assert hop["method"] == "POST" and hop["status"] == 200 and hop["request_form"]["password"] == "[redacted]"
    assert PASSWORD not in everything and COOKIE not in everything


def test_a_port_in_use_is_refused_in_one_line(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "sso_harness.apps.cli.main", "proxy", "--port", str(port),
                               "--out", str(tmp_path / "x.zip")], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and done.stderr.startswith("sso-harness proxy: ")
    assert not (tmp_path / "x.zip").exists()


def test_instructions_name_both_browsers_and_the_trust_stores(tmp_path: Path) -> None:
    address = ProxyAddress(8123, tmp_path / "ca.pem", "cGluCg==")
    flags = chromium_flags(address, tmp_path / "chrome")
    assert "--proxy-server=http://127.0.0.1:8123" in flags and f"--user-data-dir={tmp_path / 'chrome'}" in flags
    assert "--proxy-bypass-list=<-loopback>" in flags
    assert 'user_pref("network.proxy.ssl_port", 8123);' in firefox_prefs(address)
    text = browser_instructions(address, chrome_profile=tmp_path / "chrome", firefox_profile=tmp_path / "ff")
    for needle in ("firefox -no-remote -profile", "certutil -A -d sql:", "update-ca-certificates", "add-trusted-cert",
                   "certutil -addstore", "--ignore-certificate-errors-spki-list=cGluCg=="):
        assert needle in text, needle
