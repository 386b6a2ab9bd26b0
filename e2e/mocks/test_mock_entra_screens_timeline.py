"""The Entra driver's screen sequence reaches the flow's recording, its HTML timeline and its trace JSON.

A five-screen scripted sign-in (picker, password, method choice, TOTP,
"Stay signed in?") runs through the shared SP-initiated journey; the
recording then holds the screens, the timeline page shows them above the
hops (rendered in the browser, screenshot kept as evidence), and the trace
JSON carries them in its metadata.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sso_harness.browser.entra import EntraLogin
from sso_harness.browser.journeys import sp_initiated_saml
from sso_harness.browser.login import Credentials
from sso_harness.diagnose import diagnose
from sso_harness.report.html import write_flow_timeline
from sso_harness.report.redact import Redactor
from sso_harness.report.trace_json import dump_trace

pytestmark = pytest.mark.e2e

DIEGO = Credentials("diego.siciliani@contoso.com", "Pa55w.rd-diego")
SCRIPT = ["account_picker", "password", "method_choice", "totp", "kmsi"]


def test_the_screens_the_driver_saw_are_on_the_timeline(page, mock_fleet, sso_capture, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    mock_fleet.entra.signin.scripts.set(DIEGO.username, SCRIPT)
    trace = sp_initiated_saml(page, sso_capture, start_url=mock_fleet.atlassian.instance_url("contoso"),
                              login=EntraLogin(totp_secret="JBSWY3DPEHPK3PXP"), credentials=DIEGO)
    screens = [s for s in sso_capture.signin_screens if s != "auto_post"]
    assert screens == SCRIPT
    # Screens that post back to the same sign-in URL are pages of one sign-in, not a redirect loop.
    assert "redirect-loop" not in {f.rule for f in diagnose(trace)}
    path = write_flow_timeline(trace, tmp_path / "timeline.html", Redactor(), title="five screens",
                               signin_screens=sso_capture.signin_screens)
    html = path.read_text(encoding="utf-8")
    page.set_content(html)  # no navigation: nothing more goes through the capture proxy
    strip = page.locator("#signin-screens")
    assert strip.is_visible()
    assert [t.strip() for t in strip.locator(".scr").all_inner_texts() if t.strip() != "auto_post"] == SCRIPT
    page.locator("#timeline").scroll_into_view_if_needed()
    (tmp_path / "timeline.png").write_bytes(page.screenshot(full_page=False))  # the strip, then the first hops
    metadata = json.loads(dump_trace(trace, Redactor(), metadata={"signin_screens": sso_capture.signin_screens}))["metadata"]
    assert [s for s in metadata["signin_screens"] if s != "auto_post"] == SCRIPT
