"""``sso-harness proxy`` (the capture service's proxy session) listens on 127.0.0.1 only,
and its CA directory is gone when the session ends."""

from __future__ import annotations

import io
import re
import threading
from pathlib import Path

from sso_harness.apps.capture_service.proxy_session import ProxyOptions, run_proxy

from ...capture.listening import listeners, loopback_problems


class _Announced(io.StringIO):
    """The session's console; ``ready`` is set once it printed the browser instructions."""

    def __init__(self) -> None:
        super().__init__()
        self.ready = threading.Event()

    def flush(self) -> None:
        super().flush()
        if "127.0.0.1" in self.getvalue():
            self.ready.set()


def test_the_proxy_session_listens_on_loopback_only(tmp_path: Path) -> None:
    out, stop = _Announced(), threading.Event()
    before = {l.port for l in listeners()}
    failure: list[BaseException] = []

    def session() -> None:
        try:
            run_proxy(ProxyOptions(out=tmp_path / "bundle.zip"), out=out, stop=stop)
        except BaseException as exc:  # reported below, on the test's thread
            failure.append(exc)
            out.ready.set()

    worker = threading.Thread(target=session, name="proxy-session")
    worker.start()
    try:
        assert out.ready.wait(120), "the proxy session never announced itself"
        assert failure == []
        new_ports = {l.port for l in listeners()} - before
        assert new_ports, "the session listens nowhere"
        assert loopback_problems({f"port {p}": f"http://127.0.0.1:{p}" for p in new_ports}) == []
        confdirs = set(re.findall(r"(/\S*sso-harness-ca-[^/\s]+)", out.getvalue()))
    finally:
        stop.set()
        worker.join(120)
    assert failure == [] and not worker.is_alive()
    for confdir in confdirs:
        assert not Path(confdir).exists()
