"""Start a loopback service on a background thread while the caller launches the browser.

A fleet's start is Python work in this process (importing pysaml2, generating
keys, building the apps); a browser launch is mostly other processes starting
(Playwright's driver, Chromium). Overlapping the two makes start-up cost the
longer of them instead of their sum, which is where the harness's start-up
went (``sso-harness bench``, start-up row).

:class:`BackgroundStart` takes a *build* callable that imports, constructs
and starts the service, so even the import happens off the caller's thread:
pass a function that imports inside its body. :meth:`~BackgroundStart.begin`
is idempotent; :meth:`~BackgroundStart.result` begins if nobody has, waits
and hands back the running service, or raises what the start raised.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from sso_harness.mocks.web.servers import LoopbackService

__all__ = ["BackgroundStart"]

S = TypeVar("S", bound=LoopbackService)


class BackgroundStart(Generic[S]):
    """One service's start, run at most once on a daemon thread; :meth:`stop` stops what started."""

    def __init__(self, build: Callable[[], S], *, name: str = "sso-harness-background-start") -> None:
        self._build = build
        self._name = name
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._service: S | None = None
        self._error: BaseException | None = None

    @property
    def begun(self) -> bool:
        return self._thread is not None

    def begin(self) -> None:
        """Start building on the background thread, unless that already happened."""
        with self._lock:
            if self._thread is None:
                # Daemon: an interpreter exiting mid-start must not wait for it; stop() joins it otherwise.
                self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                self._thread.start()

    def result(self) -> S:
        """The started service: begins if needed, waits for the start, re-raises its error."""
        self.begin()
        assert self._thread is not None  # begin() set it
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._service is not None  # the thread ended without an error, so build() returned
        return self._service

    def stop(self) -> None:
        """Wait for a begun start to end, then stop the service if it started; safe when never begun."""
        thread = self._thread
        if thread is not None:
            thread.join()
        service, self._service = self._service, None
        if service is not None:
            service.stop()

    def _run(self) -> None:
        try:
            self._service = self._build()
        except BaseException as exc:  # handed to result(); a background thread must not die silently
            self._error = exc
