"""Driving the browser for one capture: open the URL, sign in, wait for the landing URL.

Stops on the first of: the landing URL (``--until``, by default the start
URL's origin once the browser has left it and come back), an IdP error
page (an ``AADSTS`` code on screen), a refused sign-in, the timeout, or a
stop request (Ctrl-C). It never raises for those: the reason is returned
(:func:`drive`) or the :class:`Outcome` with its kind (:func:`drive_outcome`),
and the caller writes the bundle whatever happened.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Frame, Page

from sso_harness.browser.login import Credentials, LoginDriver
from sso_harness.apps.capture_service.until import UrlTest
from sso_harness.protocols.catalogues import find_codes

__all__ = ["Plan", "StopRequest", "Outcome", "OutcomeKind", "drive", "drive_outcome", "page_text", "error_on_page"]

SLICE_MS = 400

OutcomeKind = Literal["arrived", "error-page", "start-failed", "sign-in-failed", "timeout", "closed", "stopped"]


@dataclass(frozen=True)
class Outcome:
    """Why the drive stopped: ``kind`` for code, ``reason`` in words.

    ``arrived``: the landing URL was reached; ``error-page``: the IdP showed
    an error code; ``start-failed``: the start URL could not be opened;
    ``sign-in-failed``: the login driver could not get through;
    ``timeout``; ``closed``: the window was closed; ``stopped``: a stop
    request (Ctrl-C). :attr:`completed` is False for the kinds that mean
    the sign-in did not finish for a reason the harness can name.
    """

    kind: OutcomeKind
    reason: str

    @property
    def completed(self) -> bool:
        return self.kind not in ("start-failed", "sign-in-failed", "timeout", "closed")


@dataclass
class StopRequest:
    """Set from a signal handler (Ctrl-C) or another thread; :func:`drive` notices between steps."""

    _event: threading.Event = field(default_factory=threading.Event)
    reason: str = "interrupted (Ctrl-C)"

    def request(self, reason: str | None = None) -> None:
        if reason:
            self.reason = reason
        self._event.set()

    @property
    def requested(self) -> bool:
        return self._event.is_set()


@dataclass(frozen=True)
class Plan:
    start_url: str
    until: UrlTest | None = None
    login: LoginDriver | None = None
    credentials: Credentials | None = None
    timeout_s: float = 120.0
    before_login: Callable[[Page], None] | None = None
    """A step to take after opening the start URL (e.g. click "Test connection"), before signing in."""


def page_text(page: Page) -> str:
    try:
        return str(page.evaluate("() => document.body ? document.body.innerText : ''"))
    except PlaywrightError:
        return ""


def error_on_page(page: Page) -> str | None:
    codes = find_codes(page_text(page))
    return f"the IdP showed an error page (AADSTS{codes[0]})" if codes else None


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _round_trip(page: Page, start_url: str) -> UrlTest:
    """Default landing test: back on the start URL's origin after having left it."""
    origin = _origin(start_url)
    left = {"yes": False}

    def on_navigate(frame: Frame) -> None:
        if frame == page.main_frame and _origin(frame.url) != origin:
            left["yes"] = True

    page.on("framenavigated", on_navigate)
    return lambda url: left["yes"] and _origin(url) == origin


def drive(page: Page, plan: Plan, stop: StopRequest, *, clock: Callable[[], float] = time.monotonic) -> str:
    """Run the plan; return why it stopped, in words."""
    return drive_outcome(page, plan, stop, clock=clock).reason


def _unreachable(page: Page, exc: PlaywrightError) -> bool:
    """Whether a failed ``goto`` means the start URL could not be opened at all (a network error page,
    nothing loaded), not that an SSO page moved on before its load event (``net::ERR_ABORTED``)."""
    first = str(exc).split("\n", 1)[0]
    if not page.url or page.url == "about:blank" or page.url.startswith("chrome-error://"):
        return True
    return "net::ERR_" in first and "net::ERR_ABORTED" not in first


def drive_outcome(page: Page, plan: Plan, stop: StopRequest, *, clock: Callable[[], float] = time.monotonic) -> Outcome:
    """Run the plan; return why it stopped."""
    deadline = clock() + plan.timeout_s
    arrived = plan.until or _round_trip(page, plan.start_url)

    def remaining() -> float:
        """Milliseconds left before the deadline, at least 1 (Playwright reads 0 as no timeout)."""
        return max(1.0, (deadline - clock()) * 1000)

    try:
        first = page.goto(plan.start_url, timeout=remaining())
        if first is not None and (first.status >= 500 or first.status in (404, 410)):
            # Through the capture proxy an unreachable host is a 502 from the proxy; a 5xx or a
            # missing page from the server itself stops the flow just the same.
            return Outcome("start-failed", f"the start URL could not be opened: {first.url} answered {first.status}")
    except PlaywrightError as exc:
        if "Timeout" in type(exc).__name__ or "Timeout" in str(exc).split("\n", 1)[0]:
            return Outcome("timeout", f"timeout ({plan.timeout_s:.0f} s) while opening the start URL")
        if _unreachable(page, exc):
            return Outcome("start-failed", f"the start URL could not be opened: {str(exc).splitlines()[0]}")
    if plan.before_login is not None and not stop.requested:
        plan.before_login(page)
    shown = error_on_page(page)
    if shown:
        return Outcome("error-page", shown)
    if plan.login is not None and plan.credentials is not None and not arrived(page.url) and not stop.requested:
        try:
            plan.login.sign_in(page, plan.credentials)
        except (AssertionError, PlaywrightError) as exc:
            shown = error_on_page(page)
            if shown:
                return Outcome("error-page", shown)
            return Outcome("sign-in-failed", f"sign-in did not complete: {str(exc).splitlines()[0]}")
    while not stop.requested:
        if page.is_closed():
            return Outcome("closed", "the browser window was closed")
        if arrived(page.url):
            try:
                page.wait_for_load_state("load", timeout=min(remaining(), 10_000))
            except PlaywrightError:
                pass
            return Outcome("arrived", "the landing URL was reached")
        shown = error_on_page(page)
        if shown:
            return Outcome("error-page", shown)
        if clock() >= deadline:
            return Outcome("timeout", f"timeout ({plan.timeout_s:.0f} s) before the landing URL")
        try:
            page.wait_for_url(arrived, timeout=min(SLICE_MS, remaining()))
        except PlaywrightError:
            continue
    return Outcome("stopped", stop.reason)
