"""The single-file Allure report opens from ``file://`` and shows the flow's timeline on the test.

One small run through pytester (a subprocess: mitmproxy allows one running
master per process), then ``sso-harness report`` with the real Allure
command line, then the report opened from its file in Chromium, as a CI
artifact is: the failed test's page lists the timeline among the test
body's attachments, and the category names the cause. The screenshot is
saved under ``reports/screenshots/`` for a person to look at.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page

from sso_harness.report.allure_attach import TIMELINE_NAME
from sso_harness.report.html.allure_cli import ensure_allure

pytestmark = pytest.mark.e2e

SCREENSHOTS = Path(__file__).resolve().parents[2] / "reports" / "screenshots"

INNER = '''
from sso_harness.browser.journeys import sp_initiated_saml
from sso_harness.browser.login import Credentials, FormLogin
from sso_harness.expect import expect

LOGIN = FormLogin(username="input[name=username]", password="input[name=password]", submit="#signin")


def test_wrong_audience(page, mock_fleet, sso_capture, inject_fault):
    inject_fault(mock_fleet.idp, audience="https://evil.example/sp")
    user = mock_fleet.users["b.simon@contoso.com"]
    trace = sp_initiated_saml(page, sso_capture, start_url=mock_fleet.sp.settings.base_url + "/protected/",
                              login=LOGIN, credentials=Credentials(user.username, user.password))
    expect(trace).saml_response.audience == mock_fleet.sp.settings.entity_id
'''


def test_single_file_report_from_file_url_lists_the_timeline_on_the_test(pytester: pytest.Pytester, page: Page) -> None:
    exe, why = ensure_allure(say=lambda _: None)
    if exe is None:
        pytest.skip(f"no Allure command line: {why}")
    pytester.makepyfile(test_inner=INNER)
    reports = Path(pytester.path) / "reports"
    pytester.runpytest_subprocess("-p", "no:cacheprovider", f"--output={reports / 'pw'}",
                                  f"--alluredir={reports / 'allure-results'}").assert_outcomes(failed=1)
    done = subprocess.run([sys.executable, "-m", "sso_harness.apps.cli.report", "--reports", str(reports)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 1, done.stdout + done.stderr  # the one flow failed
    single = reports / "allure-report.html"
    assert f"opens from file://): {single}" in done.stdout

    page.goto(single.as_uri() + "#suites")
    page.locator(".node__title", has_text="test_inner").first.click()
    page.locator(".node__title", has_text="test_wrong_audience").first.click()
    result = page.locator(".test-result")
    result.wait_for()
    body = result.locator(".attachment-row")
    assert body.first.get_attribute("data-type") == "text/html"
    assert body.first.inner_text().splitlines()[0].strip() == TIMELINE_NAME  # listed first, on the test itself
    assert "Audience / recipient" in result.inner_text()  # the category, from the failure's code
    body.first.click()  # the timeline opens inline, diagnosis and all
    timeline = page.frame_locator(".test-result iframe").locator("body")
    assert "Diagnosis" in timeline.inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "allure-single-file-timeline.png"))
