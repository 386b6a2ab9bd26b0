"""Every flow the selected target lists, for each test user, checked against its expectations.

Run by ``sso-harness run`` (see ``sso_harness.apps.run_suite``). The target
is ``--sso-target`` from ``--sso-targets-file``, by default the embedded mocks.
"""

from __future__ import annotations


import pytest
from playwright.sync_api import Page

from sso_harness.capture import CaptureProxy
from sso_harness.plugin.concurrency import concurrent_flows
from sso_harness.plugin.target_option import selected_target
from sso_harness.targets import Target
from sso_harness.targets.runner import FlowCase, FlowResult, cases_of, play_flow
from sso_harness.trace.recording import FlowRecording

pytestmark = pytest.mark.e2e


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "flow_case" in metafunc.fixturenames:
        cases = cases_of(selected_target(metafunc.config))
        metafunc.parametrize("flow_case", cases, ids=[c.id for c in cases])


def test_flow(flow_case: FlowCase, browser_name: str, request: pytest.FixtureRequest) -> None:
    # browser_name keeps the ids pytest-playwright gives (...-chromium) whichever fixtures the flow takes.
    pool = concurrent_flows(request)  # --sso-concurrency N: the flow runs in the worker's pool, N at a time
    result = pool.play(flow_case, request) if pool is not None else _play_alone(flow_case, request)
    if result is not None and result.signed_in is not None:  # the verdict and its conditions, in the flow's report
        import allure

        allure.dynamic.label("signed_in", "yes" if result.signed_in.signed_in else "no")  # type: ignore[no-untyped-call]  # allure-pytest is untyped
        allure.attach(result.signed_in.explain(), name="signed in", attachment_type=allure.attachment_type.TEXT)


def _play_alone(flow_case: FlowCase, request: pytest.FixtureRequest) -> FlowResult:
    target: Target = request.getfixturevalue("sso_flow_target")
    page: Page = request.getfixturevalue("page")
    capture: FlowRecording = request.getfixturevalue("sso_capture")
    proxy: CaptureProxy = request.getfixturevalue("sso_proxy")
    return play_flow(page, capture, target, flow_case, proxy_url=proxy.url, cafile=str(proxy.ca_cert_path),
                     screenshot_dir=request.getfixturevalue("tmp_path"))
