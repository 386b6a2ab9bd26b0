"""A tutorial's own browser session, for running outside pytest.

The capture proxy (in-process mitmproxy, its own CA), Debian Chromium
launched through it with the CA's SPKI pin, one browser context, and, for
the emulation, a fresh mock fleet whose own back-channel calls (a client
redeeming its code) also go through the proxy. Everything stops on exit,
in reverse order, even after a failure.
"""

from __future__ import annotations

from contextlib import ExitStack
from types import TracebackType
from typing import TYPE_CHECKING

from sso_harness.browser.launch import launch_args
from sso_harness.capture import CaptureProxy, Recorder

if TYPE_CHECKING:  # both are started in _start, imported there
    from playwright.sync_api import BrowserContext

    from sso_harness.mocks.fleet import MockFleet

__all__ = ["TutorialSession"]


class TutorialSession:
    def __init__(self, *, emulation: bool, allow_egress: bool = False, headless: bool = True) -> None:
        self.emulation = emulation
        self.allow_egress = allow_egress
        self.headless = headless
        self._stack = ExitStack()
        self.proxy: CaptureProxy | None = None
        self._fleet: MockFleet | None = None
        self._context: BrowserContext | None = None

    def __enter__(self) -> "TutorialSession":
        try:
            self._start()
        except BaseException:
            self._stack.close()
            raise
        return self

    def _start(self) -> None:
        from playwright.sync_api import sync_playwright

        proxy = self._stack.enter_context(CaptureProxy(Recorder(loopback_only=not self.allow_egress)))
        self.proxy = proxy
        playwright = self._stack.enter_context(sync_playwright())
        browser = playwright.chromium.launch(**launch_args(proxy_url=proxy.url, spki_pin=proxy.spki_pin, base={"headless": self.headless}))
        self._stack.callback(browser.close)
        if self.emulation:
            from sso_harness.mocks.fleet import MockFleet

            self._fleet = self._stack.enter_context(MockFleet(outbound_proxy=proxy.url))
        self._context = browser.new_context()
        self._stack.callback(self._context.close)

    @property
    def fleet(self) -> MockFleet | None:
        """The running mock fleet of an emulation session; None when the session is for a real target."""
        return self._fleet

    @property
    def context(self) -> BrowserContext:
        """The session's browser context (inside the ``with`` block only)."""
        assert self._context is not None, "the session is not started"
        return self._context

    @property
    def recorder(self) -> Recorder:
        assert self.proxy is not None
        return self.proxy.recorder

    @property
    def proxy_url(self) -> str:
        assert self.proxy is not None
        return self.proxy.url

    @property
    def cafile(self) -> str:
        assert self.proxy is not None
        return str(self.proxy.ca_cert_path)

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        self._stack.close()
