"""One SP-initiated flow of the embedded mocks, in a browser the harness did not launch.

A Playwright server (``launchServer``, Debian's Chromium) listens on
loopback; a pytest run of the plugin connects to it with
``--sso-browser-endpoint`` and walks the flow. The run's own test checks
that the browser's context went through the capture proxy (hops recorded,
the SAML Response decoded) and that the server, launched without this run's
CA pin, got contexts that ignore certificate errors, with the warning.
The trust probe that decides this is checked against two local browsers,
one launched with the pin and one without.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from sso_harness.browser.launch import launch_args
from sso_harness.plugin.remote_browser import trusts_proxy_ca

from .server import ServerMissing, playwright_server

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

    from sso_harness.capture import CaptureProxy

pytestmark = pytest.mark.e2e

INNER_TEST = '''
from sso_harness.expect import expect
from sso_harness.plugin.remote_browser import PROBE_HOST, trusts_proxy_ca


def test_sp_initiated_in_a_remote_browser(sp_initiated, mock_fleet, page, sso_proxy, browser, connect_options,
                                          browser_context_args, pytestconfig):
    assert connect_options == {"endpoint": pytestconfig.getoption("--sso-browser-endpoint")}
    assert browser_context_args["proxy"] == {"server": sso_proxy.url}
    # launchServer knows nothing of this run's CA: the contexts ignore certificate errors.
    assert browser_context_args["ignore_https_errors"] is True and not trusts_proxy_ca(browser, sso_proxy)

    trace = sp_initiated()
    assert len(trace) >= 6 and trace.decode_errors == []
    assert trace.saml_response.issuer == mock_fleet.idp.settings.entity_id
    e = expect(trace)
    e.saml_response.name_id == "b.simon@contoso.com"
    e.saml_response.is_trusted()
    e.response_answers_request()
    assert page.locator("#user").inner_text() == "b.simon@contoso.com"
    assert PROBE_HOST not in sso_proxy.recorder.blocked  # the trust probe leaves no trace
'''


@pytest.fixture(scope="module")
def ws_endpoint() -> Iterator[str]:
    try:
        with playwright_server() as endpoint:
            yield endpoint
    except ServerMissing as exc:
        pytest.fail(str(exc))


def test_an_sp_initiated_flow_runs_in_a_remote_browser_through_the_capture_proxy(ws_endpoint: str,
                                                                                   tmp_path: Path) -> None:
    assert ws_endpoint.startswith("ws://127.0.0.1:")
    (tmp_path / "test_remote_flow.py").write_text(INNER_TEST)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:randomly", "-q", "-rw",
         "--sso-browser-endpoint", ws_endpoint, "test_remote_flow.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "1 passed" in run.stdout
    assert "RemoteTrustWarning" in run.stdout and "run-server --unsafe" in run.stdout


def test_the_trust_probe_tells_a_pinned_browser_from_an_unpinned_one(browser: Browser, playwright: Playwright,
                                                                      sso_proxy: CaptureProxy) -> None:
    # ``browser`` is launched locally, with this run's pin; the other one without it.
    assert trusts_proxy_ca(browser, sso_proxy)
    unpinned = playwright.chromium.launch(**launch_args(proxy_url=sso_proxy.url, spki_pin=None))
    try:
        assert not trusts_proxy_ca(unpinned, sso_proxy)
    finally:
        unpinned.close()
