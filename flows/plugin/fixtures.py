"""The harness's fixtures (registered by :mod:`sso_harness.plugin.hooks`).

Module-level so the plugin can register this module after the entry-point
plugins, which makes ``browser_type_launch_args`` here take precedence over
pytest-playwright's.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import pytest
from pluggy import Result

from sso_harness.browser.launch import launch_args
from sso_harness.capture import CaptureProxy
from sso_harness.capture.lanes import LaneRouter
from sso_harness.trace.recording import FlowRecording

if TYPE_CHECKING:  # the fleet and Playwright are imported when a test asks for them, not when the plugin loads
    from playwright.sync_api import Page

    from sso_harness.mocks.base.faults import ResponseFaults
    from sso_harness.mocks.fleet import MockFleet
    from sso_harness.mocks.web.app import MockApp
    from sso_harness.mocks.web.background import BackgroundStart


class FaultInjector(Protocol):
    """What the ``inject_fault`` fixture hands a test (see that fixture for the forms it accepts)."""

    def __call__(
        self,
        mock: str | MockApp,
        faults: ResponseFaults | Mapping[str, Any] | None = None,
        *,
        app: str | None = None,
        once: bool = False,
        **fields: Any,
    ) -> ResponseFaults: ...


@pytest.fixture(scope="session")
def sso_proxy(pytestconfig: pytest.Config) -> Iterator[CaptureProxy]:
    """This worker's capture proxy (one per process, see sso_harness.capture.proxy)."""
    # A LaneRouter records like a Recorder, and keeps concurrent flows apart (--sso-concurrency).
    recorder = LaneRouter(loopback_only=not pytestconfig.getoption("--sso-allow-egress"))
    with CaptureProxy(recorder, listen_port=int(pytestconfig.getoption("--sso-proxy-port", 0) or 0)) as proxy:
        yield proxy

@pytest.fixture(scope="session")
def browser_type_launch_args(pytestconfig: pytest.Config, sso_proxy: CaptureProxy, request: pytest.FixtureRequest) -> dict[str, Any]:
    if any("sso_mock_fleet" in getattr(item, "fixturenames", ()) for item in request.session.items):
        # The browser launches right after this: start the fleet beside it, not after it (start-up time).
        request.getfixturevalue("_sso_fleet_start").begin()
    base: dict[str, Any] = {}
    if pytestconfig.getoption("--headed", False):
        base["headless"] = False
    slowmo = pytestconfig.getoption("--slowmo", 0)
    if slowmo:
        base["slow_mo"] = slowmo
    from sso_harness.plugin.browser_flags import selected_channel

    remote = pytestconfig.getoption("--sso-browser-endpoint", None) is not None  # sso_harness.plugin.remote_browser
    return launch_args(proxy_url=sso_proxy.url, spki_pin=sso_proxy.spki_pin, base=base, channel=selected_channel(pytestconfig),
                       remote=remote)

@pytest.fixture(scope="session")
def _sso_fleet_start(sso_proxy: CaptureProxy) -> Iterator[BackgroundStart[MockFleet]]:
    """This worker's mock fleet start: begun beside the browser launch when the session uses the
    fleet (see ``browser_type_launch_args``), else by ``sso_mock_fleet``; stops the fleet at the end."""
    from sso_harness.mocks.fleet_start import background_fleet

    start = background_fleet(sso_proxy.url)
    yield start
    start.stop()

@pytest.fixture(scope="session")
def sso_mock_fleet(_sso_fleet_start: BackgroundStart[MockFleet]) -> MockFleet:
    """This worker's mock fleet (every mock, ephemeral ports), started once.

    The mocks' own back-channel calls (a client redeeming its code) go
    through the capture proxy, so they are part of the trace.
    """
    return _sso_fleet_start.result()

@pytest.fixture
def mock_fleet(sso_mock_fleet: MockFleet) -> Iterator[MockFleet]:
    """The session's mock fleet, reset to a clean state for this test."""
    sso_mock_fleet.reset()
    yield sso_mock_fleet
    sso_mock_fleet.reset()

@pytest.fixture
def inject_fault(mock_fleet: MockFleet) -> Iterator[FaultInjector]:
    """Inject faults into a mock for this test; they are cleared afterwards.

    ``inject_fault("entra", audience="https://evil.example", app=app_id, once=True)``
    or ``inject_fault(mock_fleet.idp, ResponseFaults(sign_nothing=True))``;
    a dict is read like the admin API's JSON.
    """
    from sso_harness.mocks.base.faults import ResponseFaults, faults_from_json

    touched: list[MockApp] = []

    def inject(
        mock: str | MockApp,
        faults: ResponseFaults | Mapping[str, Any] | None = None,
        *,
        app: str | None = None,
        once: bool = False,
        **fields: Any,
    ) -> ResponseFaults:
        target = mock_fleet.mocks[mock] if isinstance(mock, str) else mock
        if faults is None:
            chosen = faults_from_json(fields)
        elif isinstance(faults, ResponseFaults):
            chosen = faults
        elif isinstance(faults, Mapping):
            chosen = faults_from_json(faults)
        else:  # callers without a type checker can pass anything
            raise TypeError("faults are ResponseFaults, a dict, or keyword fields")
        target.inject(chosen, app=app, once=once)
        touched.append(target)
        return chosen

    yield inject
    for target in touched:
        target.faults.clear()

@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, Result[pytest.TestReport], None]:
    # Keep each phase's report on the item, so fixtures can tell a failed test at teardown.
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"sso_report_{report.when}", report)
    flow = item.stash.get(_FLOW, None)
    if report.when == "call" and flow is not None:
        # Attached here, not in sso_capture's teardown: the test is still Allure's current item, so the
        # attachments sit on the test itself (not among the fixtures' teardown stages), and the page is open.
        try:
            _report_flow(flow, failed=report.failed)
        except Exception as exc:  # a reporting fault must not hide the test's own result
            item.warn(pytest.PytestWarning(f"sso-harness could not attach the flow to the report: {exc!r}"))


@dataclass(frozen=True)
class _Flow:
    """What the call-phase report needs from ``sso_capture``."""

    recording: FlowRecording
    page: Page | bytes
    """The page to screenshot, or the screenshot itself (a concurrent flow's, taken before its context closed)."""
    request: pytest.FixtureRequest


_FLOW = pytest.StashKey[_Flow]()


def _report_flow(flow: _Flow, *, failed: bool) -> None:
    """The flow's attachments in reading order (see :mod:`sso_harness.report.allure_attach`)."""
    from sso_harness.report.allure_attach import attach_timeline

    attach_timeline(_write_timeline(flow.recording, flow.request))
    _attach(flow.recording, flow.page, failed=failed, redact=not flow.request.config.getoption("--sso-no-redact", False))


@pytest.fixture
def sso_capture(sso_proxy: CaptureProxy, page: Page, request: pytest.FixtureRequest) -> Iterator[FlowRecording]:
    """The recording of this test's flow; ``.trace()`` decodes it.

    When the test body ends, the HTML timeline, the decoded messages, the hop
    table, the trace JSON and a final screenshot are attached to the test in
    the Allure report; for a failed test, the HAR too (all redacted, unless
    ``--sso-no-redact``: then nothing is, and the attachments' names say so). The
    timeline is also written under ``reports/``. Playwright's own trace is
    kept on failure by pytest-playwright (``--tracing=retain-on-failure``).
    """
    recording = FlowRecording(sso_proxy.recorder)
    request.node.stash[_FLOW] = _Flow(recording, page, request)
    yield recording
    del request.node.stash[_FLOW]
    # The flow is reported; its hops need not stay in memory for the rest of the session.
    sso_proxy.recorder.discard_before(sso_proxy.recorder.mark())


def _write_timeline(recording: FlowRecording, request: pytest.FixtureRequest) -> Path:
    """This flow's HTML timeline, next to the Allure results (linked from ``sso-harness report``); its path."""
    from sso_harness.report.html import timeline_path, write_flow_timeline
    from sso_harness.report.redact import Redactor

    results = request.config.getoption("--alluredir", None)
    reports = Path(results).parent if results else Path(request.config.rootpath) / "reports"
    trace = recording.last_trace or recording.trace()
    redact = not request.config.getoption("--sso-no-redact", False)
    written = write_flow_timeline(trace, timeline_path(reports, request.node.nodeid), Redactor(enabled=redact),
                                  title=request.node.nodeid, signin_screens=recording.signin_screens)
    if redact:  # every value the session knows (the typed password, ctx, flowToken...), not only this trace's
        from sso_harness.protocols.secrets import secret_book
        from sso_harness.report.gate import scrub_file
        from sso_harness.report.html.scrub import SecretValues

        scrub_file(written, SecretValues.from_book(secret_book()))
    return written


def _attach(recording: FlowRecording, page: Page | bytes, *, failed: bool, redact: bool = True) -> None:
    from playwright.sync_api import Error as PlaywrightError

    from sso_harness.report.allure_attach import attach_har, attach_screenshot, attach_trace
    from sso_harness.report.redact import Redactor

    trace = recording.last_trace or recording.trace()
    redactor = Redactor(enabled=redact)  # --sso-no-redact opts out here too, and the attachments' names say so
    attach_trace(trace, redactor, metadata={"signin_screens": list(recording.signin_screens)} if recording.signin_screens else None)
    if failed:
        attach_har(trace, redactor)
    try:
        attach_screenshot(page if isinstance(page, bytes) else page.screenshot(full_page=True))
    except PlaywrightError:
        pass  # the page may already be closed; the trace is still attached


