"""What the plugin leaves in the Allure results: the flow's attachments on the test, environment, categories.

Black-box through pytester in a subprocess (mitmproxy allows one running
master per process). One run, two flows through the mock fleet: one signs
in, one gets a Response for another audience.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from sso_harness.plugin.allure_categories import CAUSES
from sso_harness.plugin.allure_environment import parse_properties
from sso_harness.report.allure_attach import TIMELINE_NAME

INNER = '''
from sso_harness.browser.journeys import sp_initiated_saml
from sso_harness.browser.login import Credentials, FormLogin
from sso_harness.expect import expect

LOGIN = FormLogin(username="input[name=username]", password="input[name=password]", submit="#signin")


def _sign_in(page, mock_fleet, sso_capture):
    sso_capture.trusted_certs = [mock_fleet.idp.settings.signing.cert]
    user = mock_fleet.users["b.simon@contoso.com"]
    return sp_initiated_saml(page, sso_capture, start_url=mock_fleet.sp.settings.base_url + "/protected/",
                             login=LOGIN, credentials=Credentials(user.username, user.password))


def test_signs_in(page, mock_fleet, sso_capture):
    expect(_sign_in(page, mock_fleet, sso_capture)).saml_response.audience == mock_fleet.sp.settings.entity_id


def test_wrong_audience(page, mock_fleet, sso_capture, inject_fault):
    inject_fault(mock_fleet.idp, audience="https://evil.example/sp")
    expect(_sign_in(page, mock_fleet, sso_capture)).saml_response.audience == mock_fleet.sp.settings.entity_id
'''

FLOW_ATTACHMENTS = ["SAML AuthnRequest", "SAML Response", "hops", "trace.json (redacted)"]


def _results(folder: Path) -> dict[str, dict[str, Any]]:
    found = [json.loads(p.read_text()) for p in folder.glob("*-result.json")]
    return {r["name"].split("[")[0]: r for r in found}


def _names(attachments: list[dict[str, Any]]) -> list[str]:
    return [a["name"] for a in attachments]


@pytest.mark.e2e
def test_flow_attachments_environment_and_categories(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_inner=INNER)
    out = Path(pytester.path)
    results = out / "reports" / "allure-results"
    run = pytester.runpytest_subprocess("-p", "no:cacheprovider", f"--output={out / 'pw'}", f"--alluredir={results}")
    run.assert_outcomes(passed=1, failed=1)
    tests = _results(results)

    # On the test itself, in reading order: the timeline, the decoded messages, hops, trace; HAR and screenshot last.
    for name, failed in (("test_signs_in", False), ("test_wrong_audience", True)):
        attachments = tests[name]["attachments"]
        names = _names(attachments)
        assert names[0] == TIMELINE_NAME and attachments[0]["type"] == "text/html"
        assert [next(i for i, n in enumerate(names) if n.startswith(w)) for w in FLOW_ATTACHMENTS] == [1, 2, 3, 4]
        assert names[5:] == (["trace.har (redacted)", "final page"] if failed else ["final page"])
        assert "SAMLResponse" in (results / attachments[0]["source"]).read_text()  # the timeline page itself
    # ... and nowhere among the fixtures' set-up and tear-down stages.
    containers = [json.loads(p.read_text()) for p in results.glob("*-container.json")]
    stages = [s for c in containers for s in (*c.get("befores", []), *c.get("afters", []))]
    assert not [a for s in stages for a in s.get("attachments", []) if a["name"] in (TIMELINE_NAME, "hops")]

    env = parse_properties((results / "environment.properties").read_text(encoding="latin-1"))
    assert env["Target"] == "mocks" and env["IdP.kind"] and env["SPs"]
    assert re.fullmatch(r"chromium \d+(\.\d+)+ \(.+\)", env["Browser"]), env["Browser"]
    assert {"Playwright", "pytest", "sso-harness", "Python"} <= set(env)

    # The failure's message starts with its code, and exactly one SSO category takes it.
    message = tests["test_wrong_audience"]["statusDetails"]["message"]
    assert message.startswith("sso_harness.expect.ExpectationFailed: expect.audience: ")
    written = json.loads((results / "categories.json").read_text())
    assert [c["name"] for c in written] == [c.name for c in CAUSES]
    assert [c["name"] for c in written if re.fullmatch(c["messageRegex"], message)] == ["Audience / recipient"]
