"""A claim against a flow's outcome: passed, failed with a message a person understands, or not checked."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sso_harness.apps.tutorials import (
    NEEDS_EMULATION,
    CheckResult,
    Evidence,
    TutorialResult,
    render_checklist,
)
from sso_harness.apps.tutorials.runner import evaluate
from sso_harness.apps.tutorials.spec import CheckSpec
from .tutorial_builders import oauth_trace, outcome, saml_response, sp_initiated_trace


@dataclass
class FakeLane:
    emulation: bool = True
    name: str = "mocks"
    proxy_url: str = "http://127.0.0.1:9"
    fleet: Any = None
    overrides: dict[str, str] = field(default_factory=dict)


def check(probe: str, op: str, expected: object, **kw: Any) -> CheckSpec:
    return CheckSpec(claim=kw.pop("claim", "a claim"), flow="f", probe=probe, op=op, expected=expected, **kw)


def test_a_holding_claim_passes_with_its_evidence(idp_keys) -> None:  # type: ignore[no-untyped-def]
    o = outcome(sp_initiated_trace(idp_keys, saml_response(idp_keys)))
    result = evaluate(check("saml.response.name_id", "equals", "{user.email}"), o, {"user.email": "b.simon@contoso.com"}, FakeLane())
    assert result.status == "passed" and result.passed is True
    assert result.evidence == Evidence("#2 POST 127.0.0.1:5100/acs", "b.simon@contoso.com")


def test_a_failing_claim_says_expected_seen_where_and_the_guides_hint(idp_keys) -> None:  # type: ignore[no-untyped-def]
    o = outcome(sp_initiated_trace(idp_keys, saml_response(idp_keys, name_id="6b4c1f7e-object-id")))
    spec = check("saml.response.name_id", "equals", "{user.email}", hint="Set the NameID source to {user.source}.")
    result = evaluate(spec, o, {"user.email": "b.simon@contoso.com", "user.source": "user.mail"}, FakeLane())
    assert result.status == "failed" and result.passed is False
    assert result.message.splitlines()[:2] == [
        "Expected equal to 'b.simon@contoso.com', saw '6b4c1f7e-object-id' (at #2 POST 127.0.0.1:5100/acs).",
        "Set the NameID source to user.mail.",
    ]


def test_an_error_the_idp_reported_is_explained_from_the_catalogue() -> None:
    answer = {"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret provided.", "error_codes": [7000215]}
    o = outcome(oauth_trace(token_status=401, token_answer=answer))
    result = evaluate(check("oauth.token_response.access_token_present", "equals", True), o, {}, FakeLane())
    assert result.status == "failed"
    assert "Expected equal to true, saw false" in result.message
    assert "AADSTS7000215 InvalidClientSecret (at #1 POST 127.0.0.1:6100/common/oauth2/v2.0/token)" in result.message
    assert "secret's ID" in result.message  # the catalogue's meaning


def test_nothing_to_look_at_is_a_failure_that_says_what_was_missing_and_why() -> None:
    o = outcome(None, final_url="http://127.0.0.1:6100/kmsi", refusal="AADSTS501241: Mandatory Input 'mail' missing from transformation.")
    result = evaluate(check("saml.response.name_id", "equals", "x"), o, {}, FakeLane())
    assert result.status == "failed" and result.evidence is not None and result.evidence.value is None
    lines = result.message.splitlines()
    assert lines[0] == "Expected equal to 'x', but the flow recorded no trace."
    assert lines[1].startswith("The IdP reported AADSTS501241 MandatoryNameIdMissing")


def test_an_unknown_code_falls_back_to_the_idps_own_words() -> None:
    o = outcome(None, refusal="AADSTS99999999: Something new went wrong.")
    result = evaluate(check("flow.completed", "equals", True), o, {}, FakeLane())
    assert "error code 99999999" in result.message and "The IdP stopped the sign-in: AADSTS99999999: Something new" in result.message


def test_on_a_real_target_emulation_only_claims_and_missing_values_are_not_checked() -> None:
    o = outcome(oauth_trace())
    lane = FakeLane(emulation=False, name="contoso")
    only = evaluate(check("oauth.token_response.scope", "contains", "x", emulation_only=True), o, {}, lane)
    assert only.status == "not_checked" and only.passed is None and only.message.startswith(NEEDS_EMULATION)
    missing = evaluate(check("final.url", "starts_with", "{sp.portal_url}"), o, {}, lane)
    assert missing.status == "not_checked"
    assert "the target does not provide sp.portal_url" in missing.message and "--set sp.portal_url=VALUE" in missing.message


def test_in_the_emulation_a_missing_value_is_a_spec_failure() -> None:
    result = evaluate(check("final.url", "equals", "{flows.meta.entity_id}"), outcome(None), {}, FakeLane())
    assert result.status == "failed" and "{flows.meta.entity_id}" in result.message


def _result() -> TutorialResult:
    return TutorialResult(
        "my-guide", "My guide", "guide.md", "mocks", True,
        (
            CheckResult("NameID is the email", "f", "passed", Evidence("#2 POST 127.0.0.1:5100/acs", "b@x")),
            CheckResult("Secret value accepted", "g", "failed", Evidence("#8 POST h/token", False), "Expected equal to true, saw false.\nUse the Value."),
            CheckResult("Portal page", "h", "not_checked", message=f"{NEEDS_EMULATION} (x)"),
        ),
        seconds=1.25,
    )


def test_the_checklist_marks_each_claim_with_evidence_and_reasons() -> None:
    text = render_checklist(_result())
    assert "  ✓ NameID is the email\n      evidence: #2 POST 127.0.0.1:5100/acs → 'b@x'" in text
    assert "  ✗ Secret value accepted\n      evidence: #8 POST h/token → false\n      Expected equal to true, saw false.\n      Use the Value." in text
    assert "  – Portal page\n      not checked: needs the emulation (x)" in text
    assert text.rstrip().endswith("3 claims: 1 ✓, 1 ✗, 1 not checked (1.2 s)")


def test_the_json_shape_is_tutorial_and_checks_with_claim_passed_evidence() -> None:
    data = json.loads(json.dumps(_result().to_json()))
    assert data["tutorial"] == "my-guide" and data["passed"] is False
    first, second, third = data["checks"]
    assert first["claim"] == "NameID is the email" and first["passed"] is True
    assert first["evidence"] == {"hop": "#2 POST 127.0.0.1:5100/acs", "value": "b@x"}
    assert second["passed"] is False and second["message"].startswith("Expected")
    assert third["passed"] is None and third["evidence"] is None and third["status"] == "not_checked"


def test_a_run_fails_only_on_failed_claims() -> None:
    ok = TutorialResult("t", "T", "", "x", False, (CheckResult("c", "f", "not_checked"), CheckResult("d", "f", "passed")))
    assert ok.ok and not _result().ok and [c.claim for c in _result().failed()] == ["Secret value accepted"]
