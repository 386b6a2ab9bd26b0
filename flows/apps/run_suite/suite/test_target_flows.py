"""Every flow the selected target lists, for each test user, checked against its expectations.

Run by ``sso-harness run`` (see ``sso_harness.apps.run_suite``). The target
is ``--sso-target`` from ``--sso-targets-file``, by default the embedded mocks.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from sso_harness.capture import CaptureProxy
from sso_harness.plugin.target_option import selected_target
from sso_harness.targets import Target
from sso_harness.targets.runner import FlowCase, cases_of, play_case
from sso_harness.trace.recording import FlowRecording

pytestmark = pytest.mark.e2e


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "flow_case" in metafunc.fixturenames:
        cases = cases_of(selected_target(metafunc.config))
        metafunc.parametrize("flow_case", cases, ids=[c.id for c in cases])


def test_flow(flow_case: FlowCase, sso_flow_target: Target, page: Page, sso_capture: FlowRecording,
              sso_proxy: CaptureProxy, tmp_path: Path) -> None:
    play_case(page, sso_capture, sso_flow_target, flow_case, proxy_url=sso_proxy.url,
              cafile=str(sso_proxy.ca_cert_path), screenshot_dir=tmp_path)
