"""SimpleSAMLphp 1.19 as the IdP, our mock SP as its SP: SP-initiated and IdP-initiated.

Real software we did not write signs the Responses; the same journeys,
login driver protocol and expectations as the mock lane read them. The
target (``ssp_idp_target``) is the only description of the peer.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sso_harness.browser.drivers import SignInRefused, SimpleSamlPhpLogin
from sso_harness.browser.journeys import idp_initiated_saml, origin_of, sp_initiated_saml
from sso_harness.browser.login import Credentials, LoginPageNotRecognised
from sso_harness.expect import Subject, expect
from sso_harness.apps.peers import PeerTarget

pytestmark = [pytest.mark.e2e, pytest.mark.peers]


def _identity_is_as_configured(target: PeerTarget, trace) -> None:  # type: ignore[no-untyped-def]
    sp, user = target.sps[0], target.users[0]
    e = expect(trace)
    e.saml_response.issuer == target.idp.entity_id
    e.saml_response.name_id == user.name_id
    e.saml_response.name_id_format == target.name_id_format
    for name, values in user.claims.items():
        e.saml_response.attribute(name) == values
    e.saml_response.audience == sp.entity_id
    e.saml_response.destination == sp.acs_url
    e.saml_response.recipient == sp.acs_url
    e.saml_response.status == "urn:oasis:names:tc:SAML:2.0:status:Success"
    e.saml_response.is_trusted()
    e.saml_response.is_valid_at()


def test_sp_initiated_login_at_simplesamlphp_reaches_the_mock_sp(page, sso_capture, ssp_idp_target) -> None:
    t = ssp_idp_target
    sp, user, idp = t.sps[0], t.users[0], origin_of(t.idp.entity_id)
    sso_capture.trusted_certs = list(t.idp.signing_certs)

    trace = sp_initiated_saml(page, sso_capture, start_url=sp.sign_on_url, login=t.login,
                              credentials=user.credentials, until=sp.landing_url)

    _identity_is_as_configured(t, trace)
    e = expect(trace)
    e.response_answers_request()
    e.relay_state == sp.relay_state
    e.redirect_chain.follows([
        f"GET {sp.landing_url}",  # the SP: not signed in
        f"GET {idp}/saml2/idp/SSOService.php",  # AuthnRequest, HTTP-Redirect
        f"GET {idp}/module.php/core/loginuserpass.php",  # exampleauth's sign-in page
        f"POST {idp}/module.php/core/loginuserpass.php",  # credentials; answers with the POST-binding form
        f"POST {sp.acs_url}",  # Response, HTTP-POST
        f"GET {sp.landing_url}",  # back where the user started, signed in
    ])
    e.redirect_chain.ends_at(sp.landing_url)
    assert page.locator("#user").inner_text() == user.name_id  # the SP agrees with the trace


def test_idp_initiated_launch_at_simplesamlphp_reaches_the_mock_sp(page, sso_capture, ssp_idp_target) -> None:
    t = ssp_idp_target
    sp, user, idp = t.sps[0], t.users[0], origin_of(t.idp.entity_id)
    sso_capture.trusted_certs = list(t.idp.signing_certs)

    trace = idp_initiated_saml(page, sso_capture, launch_url=t.launch_url(sp), sp_url=sp.sign_on_url,
                               login=t.login, credentials=user.credentials)

    _identity_is_as_configured(t, trace)
    e = expect(trace)
    e.saml_response.in_response_to == None  # noqa: E711 - unsolicited: answers no request
    # No AuthnRequest to compare with: the RelayState is the one the launcher was given.
    response_hop = trace.saml_response_hop
    Subject("RelayState returned with the Response", response_hop.saml.relay_state, response_hop.label, trace).equals(sp.relay_state)
    e.redirect_chain.follows([
        f"GET {idp}/saml2/idp/SSOService.php",  # the launcher: spentityid + RelayState
        f"GET {idp}/module.php/core/loginuserpass.php",
        f"POST {idp}/module.php/core/loginuserpass.php",
        f"POST {sp.acs_url}",
        f"GET {sp.landing_url}",  # the SP follows the RelayState
    ])
    (exchange,) = [x for x in trace.exchanges if x.kind == "saml.sso"]
    assert exchange.request_hop is None and "unsolicited" in exchange.notes[0]
    assert page.locator("#user").inner_text() == user.name_id


def test_a_wrong_password_is_refused_with_simplesamlphps_own_words(page, sso_capture, ssp_idp_target) -> None:
    t = ssp_idp_target
    sp, user = t.sps[0], t.users[0]

    with pytest.raises(SignInRefused) as refused:
        sp_initiated_saml(page, sso_capture, start_url=sp.sign_on_url, login=t.login,
                          credentials=Credentials(user.username, user.password + "-wrong"))

    assert "Incorrect username or password" in str(refused.value)
    assert "/module.php/core/loginuserpass.php" in str(refused.value)
    # Nothing was asserted to the SP.
    assert not [h for h in sso_capture.trace() if h.saml is not None and h.saml.parameter == "SAMLResponse"]


def test_a_page_that_is_not_the_login_page_fails_with_url_selector_and_screenshot(page, ssp_idp_target, tmp_path: Path) -> None:
    driver = SimpleSamlPhpLogin(timeout_ms=800, screenshot_dir=tmp_path)
    sources_page = origin_of(ssp_idp_target.idp.entity_id) + "/module.php/core/authenticate.php"
    page.goto(sources_page)  # SimpleSAMLphp's list of authentication sources: no sign-in form

    with pytest.raises(LoginPageNotRecognised) as failure:
        driver.sign_in(page, ssp_idp_target.users[0].credentials)

    assert failure.value.url == sources_page
    assert failure.value.selector == "input[name=username]"
    assert failure.value.screenshot is not None and failure.value.screenshot.stat().st_size > 0
