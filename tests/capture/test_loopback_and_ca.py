"""The capture proxy's promises: loopback only, and a CA key per run, 0600, gone at exit.

Sockets are read from ``/proc`` while the proxy runs (``listening``), so
the test sees what the kernel sees, not what the code meant to bind.
"""

from __future__ import annotations

import hashlib
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from sso_harness.capture.proxy import CaptureProxy

from .listening import listeners, listeners_on, not_loopback


def _key_files(confdir: Path) -> list[Path]:
    return [p for p in confdir.iterdir() if p.name.startswith("mitmproxy-ca") and "cert" not in p.name]


def test_the_proxy_listens_on_127_0_0_1_only() -> None:
    with CaptureProxy() as proxy:
        assert proxy.port is not None
        mine = listeners()
        assert [(l.address, l.port) for l in mine if l.port == proxy.port] == [("127.0.0.1", proxy.port)]
        assert not_loopback(mine) == []
        assert not_loopback(listeners_on(proxy.port)) == []  # no wildcard or IPv6 twin either


def test_the_ca_key_is_per_run_owner_only_and_removed_by_stop() -> None:
    seen: list[tuple[str, str]] = []
    for _ in range(2):
        proxy = CaptureProxy().start()
        try:
            confdir = proxy.confdir
            assert stat.S_IMODE(confdir.stat().st_mode) == 0o700
            keys = _key_files(confdir)
            assert {k.name for k in keys} >= {"mitmproxy-ca.pem"}
            for key in keys:
                assert stat.S_IMODE(key.stat().st_mode) == 0o600, key.name
            seen.append((proxy.spki_pin, hashlib.sha256((confdir / "mitmproxy-ca.pem").read_bytes()).hexdigest()))
        finally:
            proxy.stop()
        assert not confdir.exists()
    (first_pin, first_key), (second_pin, second_key) = seen
    assert first_pin != second_pin and first_key != second_key  # a new CA each run


_FORGETFUL = """
import sys
from sso_harness.capture.proxy import CaptureProxy
proxy = CaptureProxy().start()
print(proxy.confdir, flush=True)
if sys.argv[1] == "raise":
    raise RuntimeError("the run failed before stop()")
"""


@pytest.mark.parametrize("ending", ["return", "raise"])
def test_the_ca_key_is_removed_at_exit_even_without_stop(ending: str) -> None:
    done = subprocess.run([sys.executable, "-c", _FORGETFUL, ending], capture_output=True, text=True, timeout=120,
                          check=False)
    confdir = Path(done.stdout.splitlines()[0])
    assert confdir.name.startswith("sso-harness-ca-"), done.stderr
    assert (done.returncode != 0) == (ending == "raise")
    assert not confdir.exists(), "the CA private key outlived the process"
