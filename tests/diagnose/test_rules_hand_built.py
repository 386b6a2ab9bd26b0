"""Diagnosis rules on hand-built traces: the cases the mock fleet cannot produce through a browser,
and the edges of the others. (The mock-fault versions run in e2e/capture/test_capture_diagnosis.py.)"""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path

import pytest

from sso_harness.diagnose import Finding, PageText, SpExpectations, diagnose, diagnose_evidence
from sso_harness.diagnose.evidence import Evidence
from sso_harness.trace.trace import Trace
from sso_harness.mocks.saml.response_builder import StatusSpec

from .builders import IDP, NOW, SP, authn_request_url, hop, keypair, signed_response


def _rules(findings: list[Finding]) -> list[str]:
    return [f.rule for f in findings]


def _one(findings: list[Finding], rule: str) -> Finding:
    found = [f for f in findings if f.rule == rule]
    assert len(found) == 1, [f.line() for f in findings]
    return found[0]


def _saml_flow(response: str, *, relay_back: str | None = "/app/start", trusted=(), at: float = 2.0) -> Trace:  # type: ignore[no-untyped-def]
    form = {"SAMLResponse": response} | ({"RelayState": relay_back} if relay_back is not None else {})
    hops = [hop(0, "GET", authn_request_url(), 302, resp_headers=(("Location", f"{IDP}/login"),)),
            hop(1, "POST", f"{SP}/acs", 302, at=at, form=form, headers=(("Sec-Fetch-Site", "cross-site"),))]
    return Trace.from_hops(hops, trusted_certs=list(trusted), now=NOW)


# -- cookies ----------------------------------------------------------------------------------------------------------
def test_same_site_none_without_secure_is_rejected() -> None:
    trace = Trace.from_hops([hop(0, "GET", f"{SP}/start", 302, resp_headers=(
        ("Set-Cookie", "sp_state=a1b2c3d4e5; Path=/; SameSite=None"), ("Location", f"{IDP}/sso")))])
    finding = _one(diagnose(trace), "cookie-rejected")
    assert finding.severity == "error" and finding.hop == 0 and "'sp_state'" in finding.what and "Secure" in finding.change


def test_a_secure_cookie_over_plain_http_from_a_real_host_is_rejected_but_not_on_loopback() -> None:
    headers = (("Set-Cookie", "sid=a1b2c3d4e5; Path=/; Secure; SameSite=None"),)
    remote = Trace.from_hops([hop(0, "GET", "http://sp.example.com/start", resp_headers=headers)])
    local = Trace.from_hops([hop(0, "GET", "http://127.0.0.1:5000/start", resp_headers=headers)])
    assert "plain HTTP" in _one(diagnose(remote), "cookie-rejected").what
    assert diagnose(local) == []


@pytest.mark.parametrize(("attrs", "later", "dropped"), [
    ("SameSite=Lax", 5.0, True),          # Lax never rides a cross-site POST
    ("SameSite=Strict", 5.0, True),
    ("", 30.0, False),                     # no SameSite: Chromium's two-minute Lax-allowing-unsafe grace
    ("", 300.0, True),
    ("SameSite=None; Secure", 300.0, False),
])
def test_a_cookie_dropped_on_the_idps_cross_site_post(attrs: str, later: float, dropped: bool) -> None:
    hops = [
        hop(0, "GET", f"{SP}/app", 302, resp_headers=(("Set-Cookie", f"sp_login=f00dfeed42; Path=/; {attrs}".rstrip("; ")),
                                                       ("Location", f"{IDP}/sso"))),
        hop(1, "GET", f"{IDP}/sso", 200, at=1.0, headers=(("Sec-Fetch-Site", "cross-site"),)),
        hop(2, "POST", f"{SP}/acs", 302, at=later, form={"x": "1"}, headers=(("Sec-Fetch-Site", "cross-site"),)),
    ]
    found = [f for f in diagnose(Trace.from_hops(hops)) if f.rule == "cookie-dropped"]
    if dropped:
        assert len(found) == 1 and found[0].hop == 2 and "'sp_login'" in found[0].what and "SameSite=None; Secure" in found[0].change
    else:
        assert found == []


def test_a_cookie_that_was_sent_is_not_reported() -> None:
    hops = [hop(0, "GET", f"{SP}/app", 302, resp_headers=(("Set-Cookie", "sp_login=f00dfeed42; Path=/; SameSite=Lax"),)),
            hop(1, "POST", f"{SP}/acs", 302, at=9.0, form={"x": "1"},
                headers=(("Sec-Fetch-Site", "cross-site"), ("Cookie", "sp_login=f00dfeed42")))]
    assert diagnose(Trace.from_hops(hops)) == []


# -- redirect loop ----------------------------------------------------------------------------------------------------
def test_a_redirect_loop_is_named_at_the_first_visit_over_the_limit() -> None:
    hops = []
    for i in range(0, 10, 2):
        hops.append(hop(i, "GET", f"{SP}/app?state=s{i}&page=home", 302, resp_headers=(("Location", f"{IDP}/authorize?state=s{i}"),)))
        hops.append(hop(i + 1, "GET", f"{IDP}/authorize?state=s{i}&client_id=c", 302, resp_headers=(("Location", f"{SP}/app"),)))
    findings = [f for f in diagnose(Trace.from_hops(hops)) if f.rule == "redirect-loop"]
    assert [f.hop for f in findings] == [6, 7]  # the 4th visit of each URL; state values vary, the URL does not
    assert "5 times" in findings[0].what and "/app" in findings[0].what


def test_three_visits_are_not_a_loop() -> None:
    hops = [hop(i, "GET", f"{SP}/app", 302, resp_headers=(("Location", f"{SP}/app"),)) for i in range(3)]
    assert "redirect-loop" not in _rules(diagnose(Trace.from_hops(hops)))


# -- certificates and time --------------------------------------------------------------------------------------------
def test_an_expired_signing_certificate(tmp_path: Path) -> None:
    old = keypair(tmp_path, "old-idp-signing", born=NOW - dt.timedelta(days=400), days=365)
    findings = diagnose(_saml_flow(signed_response(old), trusted=[old.cert]))
    finding = _one(findings, "certificate-expired")
    assert finding.severity == "error" and finding.hop == 1 and "expired on 2026-10-18" in finding.what


def test_a_certificate_expiring_soon_is_a_warning(tmp_path: Path) -> None:
    soon = keypair(tmp_path, "soon-idp-signing", days=12)
    findings = diagnose(_saml_flow(signed_response(soon), trusted=[soon.cert]))
    assert _one(findings, "certificate-expiring").severity == "warning" and "in 12 days" in _one(findings, "certificate-expiring").what
    assert "error" not in {f.severity for f in findings}


def test_an_assertion_that_expired_before_it_arrived(tmp_path: Path) -> None:
    keys = keypair(tmp_path, "idp")
    response = signed_response(keys, lifetime=dt.timedelta(seconds=30))
    finding = _one(diagnose(_saml_flow(response, trusted=[keys.cert], at=45.0)), "assertion-window")
    assert "already expired when it arrived" in finding.what and "15 s late" in finding.what


def test_a_signature_by_an_untrusted_key_is_a_missed_rollover(tmp_path: Path) -> None:
    old, new = keypair(tmp_path, "idp-2025"), keypair(tmp_path, "idp-2026")
    finding = _one(diagnose(_saml_flow(signed_response(new), trusted=[old.cert])), "missed-rollover")
    assert "CN=idp-2026" in finding.what and "1 trusted certificate" in finding.what


def test_a_tampered_assertion_is_not_taken_for_a_missed_rollover(tmp_path: Path) -> None:
    # The rule keys on the signature's failure code (dsig.untrusted_key), not on its reason text.
    keys = keypair(tmp_path, "idp")
    xml = base64.b64decode(signed_response(keys)).replace(b">b.simon@contoso.com<", b">mallory@contoso.com<")
    trace = _saml_flow(base64.b64encode(xml).decode(), trusted=[keys.cert])
    assert trace.saml_response.signatures[0].failure == "dsig.digest_mismatch"
    assert "missed-rollover" not in _rules(diagnose(trace))


def test_without_trusted_certificates_signatures_are_only_noted(tmp_path: Path) -> None:
    findings = diagnose(_saml_flow(signed_response(keypair(tmp_path, "idp"))))
    assert [(f.rule, f.severity) for f in findings] == [("signature-unchecked", "info")]


# -- SAML values ------------------------------------------------------------------------------------------------------
def test_relay_state_and_acs_against_the_request(tmp_path: Path) -> None:
    keys = keypair(tmp_path, "idp")
    changed = diagnose(_saml_flow(signed_response(keys), relay_back="/elsewhere", trusted=[keys.cert]))
    assert "RelayState changed" in _one(changed, "relay-state").what
    dropped = diagnose(_saml_flow(signed_response(keys), relay_back=None, trusted=[keys.cert]))
    assert "came back without it" in _one(dropped, "relay-state").what


def test_expectations_from_a_target_name_the_expected_values(tmp_path: Path) -> None:
    keys = keypair(tmp_path, "idp")
    trace = _saml_flow(signed_response(keys), trusted=[keys.cert])
    findings = diagnose(trace, expected=SpExpectations(entity_id="urn:other:sp", name_id="bsimon"))
    assert "'urn:other:sp'" in _one(findings, "audience").what
    assert "expects 'bsimon'" in _one(findings, "name-id").what


def test_a_saml_status_and_its_aadsts_code(tmp_path: Path) -> None:
    status = StatusSpec("urn:oasis:names:tc:SAML:2.0:status:Requester", "urn:oasis:names:tc:SAML:2.0:status:RequestDenied",
                        "AADSTS50105: Your administrator has configured the application to block users")
    findings = diagnose(_saml_flow(signed_response(None, status=status)))
    assert _rules(findings)[:2] == ["aadsts", "saml-status"]
    assert "Requester / RequestDenied" in _one(findings, "saml-status").what
    assert "AADSTS50105" in _one(findings, "aadsts").what


# -- errors on pages, OAuth -------------------------------------------------------------------------------------------
def test_aadsts_on_a_page_with_a_known_and_an_unknown_code() -> None:
    trace = Trace.from_hops([hop(0, "GET", f"{IDP}/t/saml2?x=1")])
    findings = diagnose(trace, pages=[PageText(f"{IDP}/t/saml2?x=1", "Sorry\nAADSTS700016: Application not found\nAADSTS9999999: ?")])
    assert [f.hop for f in findings] == [0, 0]
    assert "AADSTS700016 UnauthorizedClient" in findings[0].what and "Application not found" in findings[0].what
    assert "not in the catalogue" in findings[1].what and "error?code=9999999" in findings[1].change


AUTHORIZE = f"{IDP}/oauth2/authorize?response_type=code&client_id=app-1&redirect_uri=https%3A%2F%2Fsp.example.com%2Fcb&state=st-123"


def test_state_lost_on_the_callback() -> None:
    trace = Trace.from_hops([hop(0, "GET", AUTHORIZE, 302), hop(1, "GET", f"{SP}/cb?code=c0de-abcdef")])
    finding = _one(diagnose(trace), "state")
    assert finding.hop == 1 and "state was lost" in finding.what and "'st-123'" in finding.what


def test_pkce_verifier_missing_and_redirect_uri_differing_at_the_token_request() -> None:
    authorize = AUTHORIZE + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"
    token = hop(2, "POST", f"{IDP}/oauth2/token", 200, browser=False,
                form={"grant_type": "authorization_code", "code": "c0de-abcdef", "redirect_uri": "https://sp.example.com/other",
                      "client_id": "app-1"}, resp_json={"access_token": "at-value-123", "token_type": "Bearer"})
    trace = Trace.from_hops([hop(0, "GET", authorize, 302), hop(1, "GET", f"{SP}/cb?code=c0de-abcdef&state=st-123"), token])
    findings = diagnose(trace)
    assert "no code_verifier" in _one(findings, "pkce").what and _one(findings, "pkce").hop == 2
    assert "redirect_uri differs" in _one(findings, "redirect-uri").what


def test_an_oauth_error_without_an_aadsts_code() -> None:
    trace = Trace.from_hops([hop(0, "GET", AUTHORIZE, 302), hop(1, "GET", f"{SP}/cb?error=access_denied&state=st-123")])
    finding = _one(diagnose(trace), "oauth-error")
    assert "error=access_denied" in finding.what and finding.hop == 1


def test_an_undecodable_message_is_a_warning() -> None:
    trace = Trace.from_hops([hop(0, "POST", f"{SP}/acs", 200, form={"SAMLResponse": "bm90IHhtbA=="})])
    assert _one(diagnose(trace), "undecodable").severity == "warning"


def test_a_broken_rule_is_reported_and_does_not_hide_the_others() -> None:
    def broken(_ev: Evidence):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    def fine(_ev: Evidence):  # type: ignore[no-untyped-def]
        yield Finding("fine", "warning", None, None, "w", "c")

    found = diagnose_evidence(Evidence(Trace.from_hops([])), rules=(("broken", broken), ("fine", fine)))
    assert [(f.rule, f.severity) for f in found] == [("fine", "warning"), ("diagnosis-internal", "info")]
    assert "RuntimeError: boom" in found[1].what
