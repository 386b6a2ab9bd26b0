"""mitmproxy running in-process, on loopback, with a CA of its own per run.

Playwright's sync API owns the main thread, so the proxy's asyncio loop runs
in a daemon thread. mitmproxy keeps the running master in a module global
(``ctx.master``), so there is one proxy per process; pytest-xdist workers are
processes, so each gets its own.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
import shutil
import stat
import tempfile
import threading
import weakref
from collections.abc import Callable, Coroutine
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from mitmproxy import master as mitm_master
from mitmproxy.addons import core, disable_h2c, next_layer, proxyserver, tlsconfig
from mitmproxy.addons.errorcheck import ErrorCheck
from mitmproxy.options import Options
from mitmproxy.tools.dump import DumpMaster

from sso_harness.capture.recorder import Recorder

__all__ = ["CaptureProxy", "ProxyStartError"]

T = TypeVar("T")


class ProxyStartError(RuntimeError):
    """The proxy did not come up (port, CA or event-loop failure)."""


class CaptureProxy:
    """Start/stop the capture proxy; use as a context manager.

    After :meth:`start`, :attr:`url` is ``http://127.0.0.1:<port>`` and
    :attr:`spki_pin` is the base64 SHA-256 of this run's CA public key, for
    Chromium's ``--ignore-certificate-errors-spki-list``: the browser trusts
    this CA and nothing else is added to any trust store. The confdir (which
    holds the CA private key, mode 0600) is deleted by :meth:`stop`, and at
    interpreter exit when :meth:`stop` was never reached (an exception, a
    forgotten stop): a CA key must not outlive its run.
    """

    def __init__(self, recorder: Recorder | None = None, *, start_timeout: float = 15.0, lean: bool = True,
                 listen_port: int = 0) -> None:
        self.recorder = recorder or Recorder()
        self._listen_port = listen_port  # 0: any free port
        self.lean = lean
        self._start_timeout = start_timeout
        self._confdir: Path | None = None
        self._remove_confdir: weakref.finalize[[Path], CaptureProxy] | None = None
        self._master: mitm_master.Master | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._failure: BaseException | None = None
        self.port: int | None = None

    @property
    def url(self) -> str:
        if self.port is None:
            raise ProxyStartError("the capture proxy is not running")
        return f"http://127.0.0.1:{self.port}"

    @property
    def confdir(self) -> Path:
        if self._confdir is None:
            raise ProxyStartError("the capture proxy is not running")
        return self._confdir

    @property
    def ca_cert_path(self) -> Path:
        return self.confdir / "mitmproxy-ca-cert.pem"

    @property
    def spki_pin(self) -> str:
        cert = x509.load_pem_x509_certificate(self.ca_cert_path.read_bytes())
        spki = cert.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return base64.b64encode(hashlib.sha256(spki).digest()).decode()

    def start(self) -> "CaptureProxy":
        self._confdir = Path(tempfile.mkdtemp(prefix="sso-harness-ca-"))
        # runs on stop(), on garbage collection, or at interpreter exit, whichever comes first
        self._remove_confdir = weakref.finalize(self, _remove_tree, self._confdir)
        self._thread = threading.Thread(target=self._serve, name="sso-harness-proxy", daemon=True)
        self._thread.start()
        if not self._ready.wait(self._start_timeout):
            self.stop()
            raise ProxyStartError(f"the capture proxy did not start within {self._start_timeout:.0f}s")
        if self._failure is not None:
            failure = self._failure
            self.stop()
            raise ProxyStartError(f"the capture proxy failed to start: {failure}") from failure
        self._restrict_key_files()
        return self

    def stop(self) -> None:
        master, thread = self._master, self._thread
        if master is not None and thread is not None and thread.is_alive():
            master.event_loop.call_soon_threadsafe(master.shutdown)
            thread.join(timeout=10)
        self._master = None
        self._thread = None
        self.port = None
        if self._remove_confdir is not None:
            self._remove_confdir()
            self._remove_confdir = None
        self._confdir = None

    def in_loop(self, work: Callable[[mitm_master.Master], Coroutine[Any, Any, T]], *, timeout: float = 15.0) -> T:
        """Run ``work(master)`` on the proxy's event loop and return its result (changing options or
        listeners of the running proxy, see :mod:`sso_harness.capture.lanes`); raises what it raises."""
        master = self._master
        if master is None or self.port is None:
            raise ProxyStartError("the capture proxy is not running")
        return asyncio.run_coroutine_threadsafe(work(master), master.event_loop).result(timeout)

    def __enter__(self) -> "CaptureProxy":
        return self.start()

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()

    # -- internals -------------------------------------------------------
    def _serve(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as exc:  # reported to start(); the thread must not die silently
            self._failure = exc
            self._ready.set()

    async def _main(self) -> None:
        asyncio.get_running_loop().set_exception_handler(_quiet_cancellations)
        opts = Options(
            listen_host="127.0.0.1",
            listen_port=self._listen_port,
            confdir=str(self._confdir),
        )
        master = _lean_master(opts) if self.lean else DumpMaster(opts, with_termlog=False, with_dumper=False)
        # Lazy upstream connections let the recorder answer blocked HTTPS hosts
        # itself; eager ones would fail the CONNECT before our hook runs.
        master.options.update(connection_strategy="lazy", ssl_insecure=False)  # type: ignore[no-untyped-call]  # mitmproxy leaves OptManager.update unannotated
        master.addons.add(self.recorder, _ReadySignal(self))  # type: ignore[no-untyped-call]  # mitmproxy leaves AddonManager.add unannotated
        self._master = master
        await master.run()

    def _restrict_key_files(self) -> None:
        # mitmproxy writes its CA files under the process umask; the private
        # key must be readable by us alone.
        for path in self.confdir.glob("mitmproxy-ca*.p*"):
            if path.name.endswith((".pem", ".p12")) and "cert" not in path.name:
                os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)


def _remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def _quiet_cancellations(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    # Stopping the proxy cancels the tasks of connections a client left open
    # (keep-alive); asyncio then reports each cancellation as an error. That
    # is an orderly shutdown, not a failure; anything else is still reported.
    if isinstance(context.get("exception"), asyncio.CancelledError):
        return
    loop.default_exception_handler(context)


def _lean_master(opts: Options) -> mitm_master.Master:
    """A master with only the addons a capture needs.

    mitmdump's default set has about thirty addons (playback, maps, export,
    sticky cookies...), and every hook of every flow visits each of them.
    Recording needs the core, the proxy server, protocol detection, TLS
    interception and HTTP/2 hygiene; the rest is per-hop overhead.
    """
    m = mitm_master.Master(opts, with_termlog=False)
    server = proxyserver.Proxyserver()  # type: ignore[no-untyped-call]  # mitmproxy leaves Proxyserver.__init__ unannotated
    m.addons.add(core.Core(), server, next_layer.NextLayer(), tlsconfig.TlsConfig(),  # type: ignore[no-untyped-call]  # mitmproxy leaves AddonManager.add unannotated
                 disable_h2c.DisableH2C(), ErrorCheck())
    return m


class _ReadySignal:
    """Reads the bound port once mitmproxy's servers are listening."""

    def __init__(self, owner: CaptureProxy) -> None:
        self._owner = owner

    def running(self) -> None:
        from mitmproxy import ctx

        addrs = ctx.master.addons.get("proxyserver").listen_addrs()  # type: ignore[no-untyped-call]  # mitmproxy leaves AddonManager.get unannotated
        if addrs:
            self._owner.port = addrs[0][1]
        self._owner._ready.set()
