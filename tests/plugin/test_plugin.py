"""The pytest plugin, black-box through pytester in a subprocess.

A subprocess, because mitmproxy allows one running master per process and
the outer session may already run one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

INNER = '''
def test_deliberately_fails(page, sso_capture, mock_fleet):
    page.goto(mock_fleet.sp.settings.base_url + "/whoami")
    assert page.title() == "Signed in", "deliberate failure: nobody is signed in"

def test_records_its_own_hops(page, sso_capture, mock_fleet):
    page.goto(mock_fleet.sp.settings.base_url + "/whoami")
    trace = sso_capture.trace()
    assert [h.hop.path for h in trace.redirect_chain] == ["/whoami"]
    assert trace.final_hop.hop.status == 401
'''


@pytest.mark.e2e
def test_plugin_keeps_artifacts_for_failures_and_writes_a_summary(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_inner=INNER)
    out = Path(pytester.path)
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider",
        f"--output={out / 'pw'}",
        "--tracing=retain-on-failure",
        f"--sso-summary={out / 'summary.md'}",
        f"--alluredir={out / 'allure'}",
    )
    result.assert_outcomes(passed=1, failed=1)
    traces = sorted(p.parent.name for p in (out / "pw").rglob("trace.zip"))
    assert len(traces) == 1 and "deliberately-fails" in traces[0]
    summary = (out / "summary.md").read_text()
    assert "Result: 1 failed, 1 passed" in summary
    assert "deliberate failure: nobody is signed in" in summary
    attachments = {p.suffix for p in (out / "allure").glob("*-attachment.*")}
    assert {".csv", ".png", ".json"} <= attachments
    names = " ".join(p.read_text() for p in (out / "allure").glob("*-result.json"))  # attached to the tests themselves
    assert names.count("trace.har (redacted)") == 1  # the HAR only for the failed test
