"""The sso-harness pytest plugin: fixtures and options.

Layered like pytest-playwright's own fixtures:

    sso_proxy (session)  -> browser_type_launch_args (session, overridden)
    sso_mock_fleet (session) -> mock_fleet (per test, reset)
    page (pytest-playwright) -> sso_capture (per test: the flow's recording)

``sso_capture`` attaches the decoded messages, the hop table and a final
screenshot to the Allure report after each test.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from flows.browser.launch import launch_args
from flows.capture import CaptureProxy, Recorder
from flows.capture.recording import FlowRecording
from flows.report.summary import Outcome, write_summary

__all__ = ["pytest_addoption", "pytest_configure"]


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("sso-harness")
    group.addoption("--sso-summary", default=None, metavar="PATH", help="write a Markdown run summary to PATH")
    group.addoption(
        "--sso-allow-egress",
        action="store_true",
        default=False,
        help="let the browser reach non-loopback hosts (real tenants); by default they are answered locally and blocked",
    )


def pytest_configure(config: pytest.Config) -> None:
    # Registered after the entry-point plugins, so these fixtures take
    # precedence over pytest-playwright's of the same name.
    if not config.pluginmanager.has_plugin("sso_harness_fixtures"):
        config.pluginmanager.register(_Fixtures(), "sso_harness_fixtures")
    if config.getoption("--sso-summary", None) and not config.pluginmanager.has_plugin("sso_harness_summary"):
        config.pluginmanager.register(_Summary(Path(config.getoption("--sso-summary"))), "sso_harness_summary")


class _Fixtures:
    @pytest.fixture(scope="session")
    def sso_proxy(self, pytestconfig: pytest.Config) -> Iterator[CaptureProxy]:
        """This worker's capture proxy (one per process, see flows.capture.proxy)."""
        recorder = Recorder(loopback_only=not pytestconfig.getoption("--sso-allow-egress"))
        with CaptureProxy(recorder) as proxy:
            yield proxy

    @pytest.fixture(scope="session")
    def browser_type_launch_args(self, pytestconfig: pytest.Config, sso_proxy: CaptureProxy) -> dict[str, Any]:
        base: dict[str, Any] = {}
        if pytestconfig.getoption("--headed", False):
            base["headless"] = False
        slowmo = pytestconfig.getoption("--slowmo", 0)
        if slowmo:
            base["slow_mo"] = slowmo
        return launch_args(proxy_url=sso_proxy.url, spki_pin=sso_proxy.spki_pin, base=base)

    @pytest.fixture(scope="session")
    def sso_mock_fleet(self):  # type: ignore[no-untyped-def]
        from mocks.fleet import SamlFleet

        with SamlFleet() as fleet:
            yield fleet

    @pytest.fixture
    def mock_fleet(self, sso_mock_fleet):  # type: ignore[no-untyped-def]
        """The session's mock fleet, reset to a clean state for this test."""
        sso_mock_fleet.reset()
        yield sso_mock_fleet
        sso_mock_fleet.reset()

    @pytest.fixture
    def sso_capture(self, sso_proxy: CaptureProxy, page) -> Iterator[FlowRecording]:  # type: ignore[no-untyped-def]
        """The recording of this test's flow; ``.trace()`` decodes it."""
        recording = FlowRecording(sso_proxy.recorder)
        yield recording
        _attach(recording, page)


def _attach(recording: FlowRecording, page) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import Error as PlaywrightError

    from flows.report.allure_attach import attach_screenshot, attach_trace

    trace = recording.last_trace or recording.trace()
    attach_trace(trace)
    try:
        attach_screenshot(page.screenshot(full_page=True))
    except PlaywrightError:
        pass  # the page may already be closed; the trace is still attached


class _Summary:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.outcomes: list[Outcome] = []
        self._durations: dict[str, float] = {}

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self._durations[report.nodeid] = self._durations.get(report.nodeid, 0.0) + report.duration
        failed = report.failed
        if report.when == "call" or (report.when in ("setup", "teardown") and (failed or report.skipped)):
            result = "failed" if failed and report.when == "call" else "error" if failed else report.outcome
            first = ""
            if failed:
                first = str(getattr(report.longrepr, "reprcrash", None) and report.longrepr.reprcrash.message or report.longreprtext.splitlines()[-1:])  # type: ignore[union-attr]
                first = first.splitlines()[0][:200] if first else ""
            self.outcomes = [o for o in self.outcomes if o.test != report.nodeid]
            self.outcomes.append(Outcome(report.nodeid, result, self._durations[report.nodeid], first))

    @pytest.hookimpl
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if hasattr(session.config, "workerinput"):
            return  # xdist workers: the controller writes the summary
        write_summary(self.path, self.outcomes)
