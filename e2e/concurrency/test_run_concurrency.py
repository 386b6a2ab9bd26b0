"""``sso-harness run --concurrency 2``: the packaged suite's flows in one pool, reported as a one-at-a-time run reports them.

A real ``sso-harness run`` process on three flows of the embedded mock target
(SAML, and OAuth with its back-channel call). Compared with what a run
writes for every flow: the same node ids and outcomes in JUnit, a timeline
per flow, each flow's own trace in its timeline.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

KEYWORD = "mitel or jira or atlassian-sp"


def test_run_with_concurrency_reports_every_flow_as_its_own(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    done = subprocess.run([sys.executable, "-m", "sso_harness", "run", "--concurrency", "2", "-k", KEYWORD,
                           "--reports", str(reports)], capture_output=True, text=True, cwd=tmp_path, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    cases = {c.get("name"): c for c in ET.parse(reports / "junit.xml").getroot().iter("testcase")}
    assert set(cases) == {"test_flow[atlassian-sp_initiated-user0-chromium]", "test_flow[mitel-sp_initiated-user0-chromium]",
                          "test_flow[jira-oauth_code-user0-chromium]"}
    assert all(c.find("failure") is None and c.find("error") is None for c in cases.values())
    timelines = {p.name: p.read_text(encoding="utf-8") for p in (reports / "timelines").glob("*.html")}
    assert len(timelines) == 3
    for name, page in timelines.items():
        # Each flow's timeline holds its own SP's traffic, not its neighbour's.
        sp = next(sp for sp in ("atlassian", "mitel", "jira") if sp in name)
        others = {"atlassian": "/site/contoso", "mitel": "/portal", "jira": "/secure/admin/oauth2"}
        assert others[sp] in page and not any(path in page for s, path in others.items() if s != sp), name
    jira = next(page for name, page in timelines.items() if "jira" in name)
    assert "/oauth2/v2.0/token" in jira  # the RP's back-channel redemption, in the lane of the browser that sent the code
    results = list((reports / "allure-results").glob("*-result.json"))
    assert len(results) == 3 and all('"final page"' in r.read_text() for r in results)
