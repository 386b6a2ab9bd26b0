"""SP-initiated SAML login through the mock IdP and SP, end to end.

A real Chromium walks the flow through the capture proxy; the assertions
run on the decoded trace, and the SP's own page is checked as a witness.
"""

from __future__ import annotations

import pytest

from sso_harness.expect import ExpectationFailed, expect
from sso_harness.mocks.base.directory import CLAIM
from sso_harness.mocks.base.faults import ResponseFaults
from sso_harness.mocks.saml.idp import EMAIL_FORMAT

pytestmark = pytest.mark.e2e

START_PATH = "/protected/reports?quarter=q3"


def test_sp_initiated_login_delivers_the_expected_identity(sp_initiated, mock_fleet, page) -> None:
    trace = sp_initiated(START_PATH)
    sp, idp = mock_fleet.sp.settings, mock_fleet.idp.settings
    e = expect(trace)

    e.saml_response.name_id == "b.simon@contoso.com"
    e.saml_response.name_id_format == EMAIL_FORMAT
    e.saml_response.attribute(CLAIM["givenname"]) == ["B."]
    e.saml_response.attribute(CLAIM["surname"]) == ["Simon"]
    e.saml_response.attribute(CLAIM["groups"]) == ["sso-testers", "atlassian-users"]
    e.relay_state == START_PATH
    e.response_answers_request()
    e.saml_response.destination == sp.acs_url
    e.saml_response.recipient == sp.acs_url
    e.saml_response.audience == sp.entity_id
    e.saml_response.issuer == idp.entity_id
    e.saml_response.is_trusted()
    e.saml_response.is_valid_at()
    e.redirect_chain.follows(
        [
            f"GET {sp.base_url}/protected/reports",  # SP: not signed in
            f"GET {idp.base_url}/sso",  # IdP: AuthnRequest over HTTP-Redirect
            f"GET {idp.base_url}/login",  # IdP: sign-in form
            f"POST {idp.base_url}/login",  # IdP: credentials, auto-post page
            f"POST {sp.acs_url}",  # SP: Response over HTTP-POST
            f"GET {sp.base_url}/protected/reports",  # SP: landing page, signed in
        ]
    )
    # The SP agrees with the trace about who signed in.
    assert page.locator("#user").inner_text() == "b.simon@contoso.com"
    assert trace.authn_request.acs_url in (None, sp.acs_url)


def test_a_different_name_id_fails_the_name_id_expectation(sp_initiated, mock_fleet, page) -> None:
    mock_fleet.idp.inject(ResponseFaults(name_id="mallory@contoso.com"))
    trace = sp_initiated(START_PATH)

    with pytest.raises(ExpectationFailed) as failure:
        expect(trace).saml_response.name_id == "b.simon@contoso.com"
    message = str(failure.value)
    assert "SAML Response NameID" in message
    assert "expected: 'b.simon@contoso.com'" in message and "seen:     'mallory@contoso.com'" in message
    assert f"POST 127.0.0.1:{mock_fleet.sp.settings.base_url.rsplit(':', 1)[1]}/acs" in message
    # Validly signed for another user: the SP lets Mallory in, which is what the expectation is for.
    expect(trace).saml_response.is_trusted()
    assert page.locator("#user").inner_text() == "mallory@contoso.com"


def test_a_wrong_audience_fails_the_audience_expectation(sp_initiated, mock_fleet, page) -> None:
    mock_fleet.idp.inject(ResponseFaults(audience="https://evil.example/sp"))
    trace = sp_initiated(START_PATH)

    with pytest.raises(ExpectationFailed) as failure:
        expect(trace).saml_response.audience == mock_fleet.sp.settings.entity_id
    assert "SAML Response Audience" in str(failure.value)
    assert "'https://evil.example/sp'" in str(failure.value)
    assert page.locator("li[data-check=audience]").count() == 1  # the SP refused for the same reason


def test_an_unsigned_assertion_fails_the_trust_expectation(sp_initiated, mock_fleet, page) -> None:
    mock_fleet.idp.inject(ResponseFaults(sign_nothing=True))
    trace = sp_initiated(START_PATH)

    with pytest.raises(ExpectationFailed) as failure:
        expect(trace).saml_response.is_trusted()
    assert "carry no signature" in str(failure.value)
    expect(trace).saml_response.name_id == "b.simon@contoso.com"  # the values are there, just not trustworthy
    assert page.locator("li[data-check=signature]").count() == 1


def test_an_expired_assertion_fails_the_validity_expectation(sp_initiated, mock_fleet, page) -> None:
    mock_fleet.idp.inject(ResponseFaults(expired=True))
    trace = sp_initiated(START_PATH)

    with pytest.raises(ExpectationFailed) as failure:
        expect(trace).saml_response.is_valid_at()
    assert "NotOnOrAfter" in str(failure.value)
    expect(trace).saml_response.is_trusted()  # still properly signed
    assert page.locator("li[data-check='time window']").count() >= 1
