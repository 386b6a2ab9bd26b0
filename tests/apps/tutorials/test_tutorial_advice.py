"""Advice printed once and only where it applies; emulation-only labels and counts; the domain rule."""

from __future__ import annotations

import json

import pytest

from sso_harness.apps.tutorials import CheckResult, Evidence, TutorialResult, render_checklist
from sso_harness.apps.tutorials.errors import SpecError
from sso_harness.apps.tutorials.predicates import describe, holds
from sso_harness.apps.tutorials.runner import evaluate
from sso_harness.apps.tutorials.spec import HintCondition
from sso_harness.apps.tutorials.spec_load import parse_spec
from .test_tutorial_checks import FakeLane, check
from .tutorial_builders import oauth_trace, outcome

SECRET_ID = {"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret provided.", "error_codes": [7000215]}


def test_the_flows_story_is_told_with_its_first_failure_and_pointed_to_after() -> None:
    o = outcome(oauth_trace(token_status=401, token_answer=SECRET_ID))
    first = evaluate(check("oauth.token_response.access_token_present", "equals", True), o, {}, FakeLane())
    later = evaluate(check("oauth.token_response.refresh_token_present", "equals", True), o, {}, FakeLane(), story_told=True)
    assert "The IdP reported AADSTS7000215 InvalidClientSecret" in first.message and "Usual fix:" in first.message
    assert later.message.splitlines() == ["Expected equal to true, saw false (at #1 POST 127.0.0.1:6100/common/oauth2/v2.0/token).",
                                          "Why the flow ended: see above (AADSTS7000215 InvalidClientSecret)."]


def test_a_hint_is_shown_only_when_its_condition_holds() -> None:
    when = (HintCondition("oauth.token_response.access_token_present", "equals", True),)
    refused = outcome(oauth_trace(token_status=401, token_answer=SECRET_ID))
    result = evaluate(check("oauth.token_response.refresh_token_present", "equals", True, hint="Add offline_access.", hint_when=when),
                      refused, {}, FakeLane())
    assert result.status == "failed" and "Add offline_access." not in result.message
    granted = outcome(oauth_trace(token_answer={"access_token": "a", "token_type": "Bearer", "scope": "openid"}))
    result = evaluate(check("oauth.token_response.refresh_token_present", "equals", True, hint="Add offline_access.", hint_when=when),
                      granted, {}, FakeLane())
    assert result.status == "failed" and "Add offline_access." in result.message


def test_a_hint_applies_when_any_of_its_conditions_holds() -> None:
    refused = outcome(oauth_trace(token_status=401, token_answer=SECRET_ID))
    when = (HintCondition("oauth.token_response.access_token_present", "equals", True), HintCondition("flow.error_codes", "contains", 7000215))
    result = evaluate(check("oauth.token_response.access_token_present", "equals", True, hint="Use the Value.", hint_when=when),
                      refused, {}, FakeLane())
    assert "Use the Value." in result.message


SPEC = """\
name: t
title: T
sp: {name: s}
flows: [{id: f, start: "http://127.0.0.1:1/", sign_in: false}]
checks:
  - {claim: c, flow: f, probe: final.url, equals: x, hint: h, hint_when: %s}
"""


def test_hint_when_is_read_as_one_condition_or_a_list() -> None:
    one = parse_spec(SPEC % "{probe: flow.completed, equals: true}").checks[0]
    assert one.hint_when == (HintCondition("flow.completed", "equals", True),)
    two = parse_spec(SPEC % "[{probe: flow.completed, equals: true}, {probe: flow.error_codes, contains: 50011}]").checks[0]
    assert [c.probe for c in two.hint_when] == ["flow.completed", "flow.error_codes"]


@pytest.mark.parametrize(("when", "words"), [
    ("{probe: flow.nope, equals: true}", "checks[0].hint_when.probe: unknown probe 'flow.nope'"),
    ("{probe: flow.completed}", "checks[0].hint_when: a condition has exactly one operator"),
    ("[]", "checks[0].hint_when: an empty list"),
    ("{probe: page.text, equals: x}", "checks[0].hint_when.selector: the probe page.text needs selector"),
])
def test_a_mistake_in_hint_when_is_located(when: str, words: str) -> None:
    with pytest.raises(SpecError) as failure:
        parse_spec(SPEC % when, source="t.yaml")
    assert words in str(failure.value)


@pytest.mark.parametrize(("url", "rule", "expected"), [
    ("https://signin-cn-shanghai.alibabacloudsso.com/d-1/portal", "*.alibabacloudsso.com", True),
    ("https://a.b.alibabacloudsso.com/", "*.alibabacloudsso.com", True),
    ("https://alibabacloudsso.com/", "*.alibabacloudsso.com", False),
    ("https://evilalibabacloudsso.com/", "*.alibabacloudsso.com", False),
    ("https://alibabacloudsso.com.evil.example/", "*.alibabacloudsso.com", False),
    ("https://console.example.com/", "*.alibabacloudsso.com", False),
    ("http://127.0.0.1:4100/d-1/portal", "127.0.0.1", True),
    ("http://127.0.0.2:4100/", "127.0.0.1", False),
    ("javascript:alert(1)", "*.alibabacloudsso.com", False),
    (None, "127.0.0.1", False),
])
def test_in_domain_is_a_domain_rule_on_the_host(url: object, rule: str, expected: bool) -> None:
    assert holds("in_domain", url, rule) is expected
    assert describe("in_domain", rule) == f"a URL in the domain {rule!r}"


def _target_result() -> TutorialResult:
    return TutorialResult("t", "T", "g.md", "contoso", False, (
        CheckResult("ran", "f", "passed", Evidence("#1 GET h/", "x")),
        CheckResult("own pages", "f", "not_checked", message="not checked: needs the emulation (x)", reason="emulation_only"),
        CheckResult("variant", "g", "not_checked", message="not checked: needs the emulation (flow 'g' ...)", reason="variant"),
        CheckResult("value", "f", "not_checked", message="not checked: the target does not provide sp.x", reason="missing"),
        CheckResult("never", "h", "not_checked", message="not checked: needs the emulation by design: a rollover", reason="by_design"),
    ))


def test_a_target_run_labels_emulation_only_claims_and_counts_what_ran() -> None:
    text = render_checklist(_target_result())
    assert "  – [emulation only] own pages\n" in text and "  – [emulation only] variant\n" in text and "  – value\n" in text
    assert "  – [emulation only by design] never\n      not checked: needs the emulation by design: a rollover\n" in text
    assert text.rstrip().endswith("on target contoso: 1 of 5 checks ran; 3 emulation-only (1 by design), 1 not checked for want of "
                                  "a value (each – line says why)")
    result = _target_result()
    data = json.loads(json.dumps(result.to_json()))
    assert data["counts"] == {"checks": 5, "ran": 1, "passed": 1, "failed": 0, "emulation_only": 3, "by_design": 1, "not_checked": 1}
    assert [(c["emulation_only"], c["not_checked_reason"]) for c in data["checks"]] == [
        (False, None), (True, "emulation_only"), (True, "variant"), (False, "missing"), (True, "by_design")]
    assert result.open_count == 3  # by design is not among the claims a real tenant could still show
