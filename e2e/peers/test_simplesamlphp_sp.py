"""Our mock IdP, SimpleSAMLphp 1.19's ``saml:SP`` as its SP: SP-initiated sign-in.

SimpleSAMLphp writes the AuthnRequest and judges our Response by its own
rules; its test page (``core/authenticate.php``) then shows what it
accepted, which must agree with the trace.
"""

from __future__ import annotations

import pytest

from sso_harness.browser.journeys import origin_of, sp_initiated_saml
from sso_harness.expect import expect

pytestmark = [pytest.mark.e2e, pytest.mark.peers]


def test_sp_initiated_login_at_simplesamlphps_sp_through_the_mock_idp(page, sso_capture, ssp_sp_target) -> None:
    t = ssp_sp_target
    sp, user, idp = t.sps[0], t.users[0], origin_of(t.idp.entity_id)
    sso_capture.trusted_certs = list(t.idp.signing_certs)

    trace = sp_initiated_saml(page, sso_capture, start_url=sp.sign_on_url, login=t.login,
                              credentials=user.credentials, until=sp.landing_url)

    e = expect(trace)
    e.saml_response.issuer == t.idp.entity_id
    e.saml_response.name_id == user.name_id
    e.saml_response.name_id_format == t.name_id_format
    for name, values in user.claims.items():
        e.saml_response.attribute(name) == values
    e.saml_response.audience == sp.entity_id
    e.saml_response.destination == sp.acs_url
    e.saml_response.is_trusted()
    e.saml_response.is_valid_at()
    e.response_answers_request()
    e.relay_state.round_trips()
    # SimpleSAMLphp's AuthnRequest names itself and the ACS its metadata publishes.
    assert trace.authn_request.issuer == sp.entity_id
    assert trace.authn_request.acs_url == sp.acs_url
    e.redirect_chain.follows([
        f"GET {sp.landing_url}",  # authenticate.php?as=peer-sp: not signed in
        f"GET {idp}/sso",  # AuthnRequest, HTTP-Redirect
        f"GET {idp}/login",
        f"POST {idp}/login",
        f"POST {sp.acs_url}",  # Response, HTTP-POST; SimpleSAMLphp answers 303
        f"GET {sp.landing_url}",  # the test page, signed in
    ])

    # SimpleSAMLphp shows what it accepted: the same identity as the trace.
    attributes = page.locator("#table_with_attributes").first.inner_text()  # the second such table is the Subject
    for values in user.claims.values():
        for value in values:
            assert value in attributes
    assert user.name_id in page.locator("body").inner_text()
