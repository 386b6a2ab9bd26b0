"""Capture suites: record flows from the mock fleet into bundles, then read the bundles in a real browser.

One session browser (pytest-playwright's, through the session's capture
proxy) drives the flows; a second browser without any proxy opens the HTML
pages the harness writes, checks what a person would read, and saves a
screenshot under ``reports/screenshots/``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from playwright.sync_api import Browser, Page

from sso_harness.browser.launch import launch_args
from sso_harness.browser.login import Credentials, LoginDriver
from sso_harness.trace.recording import FlowRecording
from sso_harness.apps.capture_service import Plan, StopRequest, bundle_flow, collect_leftovers, drive
from sso_harness.report.redact import Redactor

from .capture_support import SCREENSHOTS, Captured

CaptureFlow = Callable[..., Captured]


@pytest.fixture
def capture_flow(browser: Browser, sso_proxy, mock_fleet, tmp_path: Path) -> Iterator[CaptureFlow]:  # type: ignore[no-untyped-def]
    """``capture_flow(name, start_url, login=..., credentials=..., ...)`` records one flow into ``tmp_path/name.zip``."""
    contexts = []

    def run(
        name: str,
        start_url: str,
        *,
        login: LoginDriver | None = None,
        credentials: Credentials | None = None,
        until: Callable[[str], bool] | None = None,
        before_login: Callable[[Page], None] | None = None,
        trusted_certs: Sequence[x509.Certificate] = (),
        redactor: Redactor | None = None,
        route: tuple[str, Callable[..., Any]] | None = None,
        timeout: float = 20.0,
    ) -> Captured:
        context = browser.new_context()
        contexts.append(context)
        context.tracing.start(screenshots=True, snapshots=True)
        if route is not None:
            context.route(*route)
        page = context.new_page()
        recording = FlowRecording(sso_proxy.recorder, trusted_certs=trusted_certs)
        stopped = drive(page, Plan(start_url, until=until, login=login, credentials=credentials, timeout_s=timeout,
                                   before_login=before_login), StopRequest())
        leftovers = collect_leftovers(page, context)
        facts = {"url": start_url, "host": start_url.split("/")[2], "stopped_because": stopped, "login_driver": "test"}
        path, findings, _ = bundle_flow(
            recording, leftovers, out=tmp_path / f"{name}.zip", redactor=redactor or Redactor(), argv=["capture", start_url],
            capture_facts=facts, pages=[], typed=(credentials.password,) if credentials else (),
        )
        trace = recording.last_trace
        assert trace is not None
        sso_proxy.recorder.discard_before(sso_proxy.recorder.mark())
        return Captured(path, stopped, findings, trace)

    yield run
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def viewer(playwright) -> Iterator[Browser]:  # type: ignore[no-untyped-def]
    """A browser with no proxy, for reading the pages the harness wrote (as a support engineer would)."""
    browser = playwright.chromium.launch(**launch_args(proxy_url=None, spki_pin=None))
    yield browser
    browser.close()


@pytest.fixture
def look_at(viewer: Browser) -> Iterator[Callable[..., Page]]:
    """``look_at(url, screenshot_name)`` opens a page in the viewer and saves a full-page screenshot."""
    contexts = []

    def open_page(url: str, name: str | None = None, *, width: int = 1280) -> Page:
        context = viewer.new_context(viewport={"width": width, "height": 900})
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(url)
        page.wait_for_load_state("load")
        assert not errors, f"script errors on {url}: {errors}"
        if name:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
        return page

    yield open_page
    for context in contexts:
        context.close()
