"""Federated domains (Entra -> JumpCloud -> Entra) and the JumpCloud-like IdP on its own."""

from __future__ import annotations

import base64
import zlib
from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

from sso_harness.protocols.saml import parse_saml
from sso_harness.mocks.entra.federation import FEDERATION_SP
from sso_harness.mocks.fleet import MockFleet
from sso_harness.mocks.base.faults import ResponseFaults
from sso_harness.mocks.saml.metadata import cert_b64
from sso_harness.mocks.scenario import IDS
from .mock_saml_helpers import decode_response
from .mock_walker import Page, Walker, hidden_fields

ALEX = ("alex.wilber@fabrikam.com", "Pa55w.rd-alex")


def _to_jumpcloud(w: Walker, f: MockFleet) -> Page:
    page = w.get(f.atlassian.instance_url("contoso"))
    entra = w.get(page.location)  # type: ignore[arg-type]
    away = w.submit(entra.form(), loginfmt=ALEX[0])
    assert away.status == 302
    return away


def _jumpcloud_login(w: Walker, page: Page, email: str, password: str) -> Page:
    login = w.follow(page)
    assert "JumpCloud User Login" in login.text, login.text[:300]
    return w.submit(login.form(), email=email, password=password)


def test_a_federated_user_is_sent_to_jumpcloud_with_an_authn_request(clean: MockFleet, walker: Walker) -> None:
    away = _to_jumpcloud(walker, clean)
    assert away.location.startswith(clean.jumpcloud.sso_url("office365") + "?SAMLRequest=")  # type: ignore[union-attr]
    query = parse_qs(urlsplit(away.location).query)  # type: ignore[arg-type]
    xml = zlib.decompress(base64.b64decode(query["SAMLRequest"][0]), -15)
    request = parse_saml(xml)
    assert request.issuer == FEDERATION_SP and request.acs_url == f"{clean.entra.base_url}/login.srf"  # type: ignore[union-attr]
    assert request.destination == clean.jumpcloud.sso_url("office365")  # type: ignore[union-attr]
    assert query["RelayState"][0]  # the Entra flow's ctx comes back with the Response


def test_the_federated_round_trip_finishes_the_entra_sign_in(clean: MockFleet, walker: Walker) -> None:
    back = _jumpcloud_login(walker, _to_jumpcloud(walker, clean), *ALEX)
    assert back.form().action == f"{clean.entra.base_url}/login.srf"
    idp_response = decode_response(hidden_fields(back)["SAMLResponse"], [clean.jumpcloud.signing.cert])
    assert idp_response.trusted and idp_response.assertion.attributes["IDPEmail"] == (ALEX[0],)  # type: ignore[union-attr]
    kmsi = walker.auto_post(back)
    assert "KmsiDescription" in kmsi.text
    done = walker.submit(kmsi.form(), LoginOptions="Yes")
    response = decode_response(hidden_fields(done)["SAMLResponse"], [clean.entra.signing_key(IDS.atlassian_app).cert])
    assert response.trusted and response.assertion.name_id.value == ALEX[0]  # type: ignore[union-attr]
    idp_claim = response.assertion.attributes["http://schemas.microsoft.com/identity/claims/identityprovider"]  # type: ignore[union-attr]
    assert idp_claim == (clean.jumpcloud.app("office365").idp_entity_id,)  # type: ignore[union-attr]
    landed = walker.follow(walker.auto_post(done))
    assert "alex.wilber@fabrikam.com" in landed.text


def _domain(f: MockFleet):  # type: ignore[no-untyped-def]
    return f.entra.tenant(f.tenant_id).federated_domains[0]


def _replace_domain(f: MockFleet, **changes: str) -> None:
    tenant = f.entra.tenant(f.tenant_id)
    f.entra.update_tenant(replace(tenant, federated_domains=(replace(_domain(f), **changes),)))


def test_a_response_signed_with_another_certificate_is_aadsts50008(clean: MockFleet, walker: Walker) -> None:
    _replace_domain(clean, signing_certificate=cert_b64(clean.rogue.cert))
    back = _jumpcloud_login(walker, _to_jumpcloud(walker, clean), *ALEX)
    page = walker.auto_post(back)
    assert 'data-aadsts="50008"' in page.text and "signature" in page.text


def test_an_issuer_other_than_the_issuer_uri_is_aadsts50107(clean: MockFleet, walker: Walker) -> None:
    _replace_domain(clean, issuer_uri="https://other-idp.example/")
    page = walker.auto_post(_jumpcloud_login(walker, _to_jumpcloud(walker, clean), *ALEX))
    assert 'data-aadsts="50107"' in page.text


def test_an_expired_federated_assertion_is_refused(clean: MockFleet, walker: Walker) -> None:
    clean.jumpcloud.inject(ResponseFaults(expired=True), app="office365")
    page = walker.auto_post(_jumpcloud_login(walker, _to_jumpcloud(walker, clean), *ALEX))
    assert 'data-aadsts="50008"' in page.text and "time window" in page.text


def test_jumpcloud_refuses_a_user_outside_the_apps_groups(clean: MockFleet, walker: Walker) -> None:
    page = _jumpcloud_login(walker, _to_jumpcloud(walker, clean), "pat.outsider@fabrikam.com", "Pa55w.rd-pat")
    assert page.status == 403 and "id='access-denied'" in page.text


def test_jumpcloud_wrong_password_stays_on_its_login_page(clean: MockFleet, walker: Walker) -> None:
    page = _jumpcloud_login(walker, _to_jumpcloud(walker, clean), ALEX[0], "wrong")
    assert page.status == 401 and "id='login-error'" in page.text and "SAMLResponse" not in page.text


def test_jumpcloud_refuses_a_request_from_another_sp(clean: MockFleet, walker: Walker) -> None:
    from .mock_saml_helpers import authn_request, sso_url

    page = walker.get(sso_url(clean.jumpcloud.sso_url("office365"), authn_request("https://stranger.example/sp")))
    assert page.status == 400 and "https://stranger.example/sp" in page.text


def test_jumpcloud_serves_an_sp_directly_sp_and_idp_initiated(clean: MockFleet, walker: Walker) -> None:
    app = clean.jumpcloud.app("atlassian-cloud")
    assert app is not None
    clean.atlassian.configure_idp(app.idp_entity_id, clean.jumpcloud.sso_url(app.slug), [clean.jumpcloud.signing.cert])
    start = walker.get(clean.atlassian.instance_url("contoso"))
    assert start.location.startswith(clean.jumpcloud.sso_url(app.slug))  # type: ignore[union-attr]
    posted = _jumpcloud_login(walker, start, "b.simon@contoso.com", "Pa55w.rd-jc-simon")
    landed = walker.follow(walker.auto_post(posted))
    assert landed.url == clean.atlassian.instance_url("contoso") and "b.simon@contoso.com" in landed.text
    # IdP-initiated from the user console: the JumpCloud session answers at once.
    console = walker.get(f"{clean.jumpcloud.base_url}/userconsole")
    assert "data-app='atlassian-cloud'" in console.text
    launched = walker.get(clean.jumpcloud.sso_url(app.slug))
    assert decode_response(hidden_fields(launched)["SAMLResponse"]).in_response_to is None
    assert walker.auto_post(launched).status == 302


def test_jumpcloud_metadata_names_the_app_entity_and_certificate(clean: MockFleet, walker: Walker) -> None:
    page = walker.get(clean.jumpcloud.metadata_url("office365"))
    assert page.status == 200 and clean.jumpcloud.app("office365").idp_entity_id in page.text  # type: ignore[union-attr]
    assert cert_b64(clean.jumpcloud.signing.cert) in page.text


# -- Microsoft's published rules for a SAML 2.0 IdP (issue #14): persistent NameID = ImmutableID, IDPEmail = UPN --
def test_the_home_idp_sends_the_immutable_id_as_a_persistent_name_id(clean: MockFleet, walker: Walker) -> None:
    back = _jumpcloud_login(walker, _to_jumpcloud(walker, clean), *ALEX)
    idp_response = decode_response(hidden_fields(back)["SAMLResponse"], [clean.jumpcloud.signing.cert])
    name_id = idp_response.assertion.name_id  # type: ignore[union-attr]
    assert name_id.value == "YWxleC53aWxiZXI=" and name_id.format == "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"  # type: ignore[union-attr]


def test_an_email_name_id_is_aadsts50008(clean: MockFleet, walker: Walker) -> None:
    clean.jumpcloud.configure_app("office365", name_id_field="email", name_id_format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress")
    page = walker.auto_post(_jumpcloud_login(walker, _to_jumpcloud(walker, clean), *ALEX))
    assert 'data-aadsts="50008"' in page.text and "persistent" in page.text


def test_an_idp_email_other_than_the_upn_is_aadsts50008(clean: MockFleet, walker: Walker) -> None:
    from sso_harness.mocks.jumpcloud import JcAttribute

    clean.jumpcloud.configure_app("office365", attributes=(JcAttribute("IDPEmail", "username"),))
    page = walker.auto_post(_jumpcloud_login(walker, _to_jumpcloud(walker, clean), *ALEX))
    assert 'data-aadsts="50008"' in page.text and "IDPEmail" in page.text and "alex.wilber&#x27;" in page.text


def test_a_missing_idp_email_is_aadsts50008(clean: MockFleet, walker: Walker) -> None:
    clean.jumpcloud.configure_app("office365", attributes=())
    page = walker.auto_post(_jumpcloud_login(walker, _to_jumpcloud(walker, clean), *ALEX))
    assert 'data-aadsts="50008"' in page.text and "IDPEmail" in page.text


def test_an_immutable_id_nobody_has_is_aadsts50008(clean: MockFleet, walker: Walker) -> None:
    tenant = clean.entra.tenant(clean.tenant_id)
    users = tuple(replace(u, immutable_id="c29tZW9uZS5lbHNl") if u.upn == ALEX[0] else u for u in tenant.users)
    clean.entra.update_tenant(replace(tenant, users=users))
    page = walker.auto_post(_jumpcloud_login(walker, _to_jumpcloud(walker, clean), *ALEX))
    assert 'data-aadsts="50008"' in page.text and "ImmutableID" in page.text


# -- JumpCloud MFA (TOTP) -------------------------------------------------------------------------
ISAIAH = ("isaiah.langer@fabrikam.com", "Pa55w.rd-isaiah")


def _to_jumpcloud_as(w: Walker, f: MockFleet, upn: str) -> Page:
    page = w.get(f.atlassian.instance_url("contoso"))
    entra = w.get(page.location)  # type: ignore[arg-type]
    return w.submit(entra.form(), loginfmt=upn)


def test_a_jumpcloud_user_with_mfa_is_asked_for_a_totp_code(clean: MockFleet, walker: Walker) -> None:
    from sso_harness.mocks.entra import totp
    from sso_harness.mocks.scenario import ISAIAH_TOTP

    mfa = _jumpcloud_login(walker, _to_jumpcloud_as(walker, clean, ISAIAH[0]), *ISAIAH)
    assert mfa.status == 200 and "id='totp-form'" in mfa.text and "name='otp'" in mfa.text and "id='totp-submit'" in mfa.text
    assert "SAMLResponse" not in mfa.text
    wrong = walker.submit(mfa.form(), otp="000000" if totp(ISAIAH_TOTP, clean.clock()) != "000000" else "111111")
    assert wrong.status == 401 and "id='totp-error'" in wrong.text
    back = walker.submit(wrong.form(), otp=totp(ISAIAH_TOTP, clean.clock()))
    assert back.form().action == f"{clean.entra.base_url}/login.srf"
    done = walker.submit(walker.auto_post(back).form(), LoginOptions="No")
    response = decode_response(hidden_fields(done)["SAMLResponse"], [clean.entra.signing_key(IDS.atlassian_app).cert])
    assert response.trusted and response.assertion.name_id.value == ISAIAH[0]  # type: ignore[union-attr]


def test_a_used_totp_step_cannot_be_replayed(clean: MockFleet, walker: Walker) -> None:
    from sso_harness.mocks.entra import totp
    from sso_harness.mocks.scenario import ISAIAH_TOTP

    mfa = _jumpcloud_login(walker, _to_jumpcloud_as(walker, clean, ISAIAH[0]), *ISAIAH)
    code = totp(ISAIAH_TOTP, clean.clock())
    assert "SAMLResponse" in walker.submit(mfa.form(), otp=code).text
    again = walker.submit(mfa.form(), otp=code)
    assert again.status == 400 and "unknown or already used" in again.text


# -- WS-Fed federation (PreferredAuthenticationProtocol WsFed) -------------------------------------
def _wsfed_domain(f: MockFleet) -> None:
    _replace_domain(f, preferred_authentication_protocol="WSFED", passive_logon_uri=f.jumpcloud.wsfed_url("office365"))


def test_a_wsfed_domain_sends_wsignin_to_the_passive_endpoint(clean: MockFleet, walker: Walker) -> None:
    _wsfed_domain(clean)
    away = _to_jumpcloud(walker, clean)
    assert away.location.startswith(clean.jumpcloud.wsfed_url("office365") + "?")  # type: ignore[union-attr]
    query = {k: v[0] for k, v in parse_qs(urlsplit(away.location).query).items()}  # type: ignore[arg-type]
    assert query["wa"] == "wsignin1.0" and query["wtrealm"] == FEDERATION_SP
    assert query["wreply"] == f"{clean.entra.base_url}/login.srf" and query["wctx"] and query["username"] == ALEX[0]


def test_the_wsfed_round_trip_finishes_the_entra_sign_in(clean: MockFleet, walker: Walker) -> None:
    from sso_harness.protocols.wsfed import WsFedSignInResponse, decode_wsfed

    _wsfed_domain(clean)
    back = _jumpcloud_login(walker, _to_jumpcloud(walker, clean), *ALEX)
    fields = hidden_fields(back)
    assert back.form().action == f"{clean.entra.base_url}/login.srf" and fields["wa"] == "wsignin1.0" and fields["wctx"]
    message = decode_wsfed(fields, trusted_certs=[clean.jumpcloud.signing.cert], now=clean.clock())
    assert isinstance(message, WsFedSignInResponse) and message.trusted and message.applies_to == FEDERATION_SP
    token = message.token
    assert token is not None and token.name_id is not None and token.name_id.value == "YWxleC53aWxiZXI="
    assert token.attributes["http://schemas.xmlsoap.org/claims/UPN"] == (ALEX[0],)
    done = walker.submit(walker.auto_post(back).form(), LoginOptions="Yes")
    response = decode_response(hidden_fields(done)["SAMLResponse"], [clean.entra.signing_key(IDS.atlassian_app).cert])
    assert response.trusted and response.assertion.name_id.value == ALEX[0]  # type: ignore[union-attr]
    idp = response.assertion.attributes["http://schemas.microsoft.com/identity/claims/identityprovider"]  # type: ignore[union-attr]
    assert idp == (clean.jumpcloud.app("office365").idp_entity_id,)  # type: ignore[union-attr]


def test_a_wsfed_token_signed_by_another_key_is_aadsts50008(clean: MockFleet, walker: Walker) -> None:
    _wsfed_domain(clean)
    clean.jumpcloud.inject(ResponseFaults(wrong_key=True), app="office365")
    page = walker.auto_post(_jumpcloud_login(walker, _to_jumpcloud(walker, clean), *ALEX))
    assert 'data-aadsts="50008"' in page.text


def test_a_wsfed_token_from_another_issuer_is_aadsts50107(clean: MockFleet, walker: Walker) -> None:
    _wsfed_domain(clean)
    _replace_domain(clean, issuer_uri="https://other-idp.example/")
    page = walker.auto_post(_jumpcloud_login(walker, _to_jumpcloud(walker, clean), *ALEX))
    assert 'data-aadsts="50107"' in page.text and clean.jumpcloud.app("office365").idp_entity_id in page.text  # type: ignore[union-attr]


def test_a_wsfed_upn_claim_other_than_the_upn_is_aadsts50008(clean: MockFleet, walker: Walker) -> None:
    from sso_harness.mocks.jumpcloud import JcAttribute

    _wsfed_domain(clean)
    clean.jumpcloud.configure_app("office365", wsfed_claims=(JcAttribute("http://schemas.xmlsoap.org/claims/UPN", "username"),))
    page = walker.auto_post(_jumpcloud_login(walker, _to_jumpcloud(walker, clean), *ALEX))
    assert 'data-aadsts="50008"' in page.text and "UPN" in page.text


def test_a_saml_response_to_a_wsfed_domain_is_aadsts50008(clean: MockFleet, walker: Walker) -> None:
    back = _jumpcloud_login(walker, _to_jumpcloud(walker, clean), *ALEX)  # the SAMLP round trip...
    _wsfed_domain(clean)  # ...while the admin switches the domain to WsFed
    page = walker.auto_post(back)
    assert 'data-aadsts="50008"' in page.text and "WSFED" in page.text


def test_an_expired_wsfed_token_is_aadsts50008(clean: MockFleet, walker: Walker) -> None:
    _wsfed_domain(clean)
    clean.jumpcloud.inject(ResponseFaults(expired=True), app="office365")
    page = walker.auto_post(_jumpcloud_login(walker, _to_jumpcloud(walker, clean), *ALEX))
    assert 'data-aadsts="50008"' in page.text and "expired" in page.text


# -- sign-out through LogOffUri ------------------------------------------------------------------------
def _signed_in_federated(w: Walker, f: MockFleet) -> None:
    back = _jumpcloud_login(w, _to_jumpcloud(w, f), *ALEX)  # SAMLP or WS-Fed, whichever the domain uses
    done = w.submit(w.auto_post(back).form(), LoginOptions="No")
    assert "SAMLResponse" in hidden_fields(done)


def test_a_federated_user_signs_out_through_the_log_off_uri(clean: MockFleet, walker: Walker) -> None:
    _signed_in_federated(walker, clean)
    target = clean.atlassian.instance_url("contoso")
    out = walker.get(f"{clean.entra.base_url}/{clean.tenant_id}/oauth2/v2.0/logout?post_logout_redirect_uri={target}")
    assert out.status == 302 and out.location == _domain(clean).logoff_uri == clean.jumpcloud.logout_url
    signed_out = walker.get(out.location)  # type: ignore[arg-type]
    assert "id='signed-out'" in signed_out.text
    # Both sessions are gone: Entra asks for the user name, JumpCloud for the password again.
    page = _to_jumpcloud(walker, clean)
    assert "JumpCloud User Login" in walker.follow(page).text


def test_a_wsfed_domain_signs_out_with_wsignout_and_comes_back(clean: MockFleet, walker: Walker) -> None:
    _wsfed_domain(clean)
    _signed_in_federated(walker, clean)
    target = clean.atlassian.instance_url("contoso")
    out = walker.get(f"{clean.entra.base_url}/{clean.tenant_id}/oauth2/v2.0/logout?post_logout_redirect_uri={target}")
    query = {k: v[0] for k, v in parse_qs(urlsplit(out.location).query).items()}  # type: ignore[arg-type]
    assert out.location.startswith(clean.jumpcloud.logout_url + "?") and query == {"wa": "wsignout1.0", "wreply": target}  # type: ignore[union-attr]
    back = walker.get(out.location)  # type: ignore[arg-type]
    assert back.status == 302 and back.location == target


def test_jumpcloud_logout_never_redirects_to_a_stranger(clean: MockFleet, walker: Walker) -> None:
    page = walker.get(f"{clean.jumpcloud.logout_url}?wa=wsignout1.0&wreply=https://evil.example/")
    assert page.status == 200 and "id='signed-out'" in page.text


def test_a_managed_user_signs_out_without_the_log_off_uri(clean: MockFleet, walker: Walker) -> None:
    from .mock_walker import entra_sign_in

    entra = walker.get(walker.get(clean.atlassian.instance_url("contoso")).location)  # type: ignore[arg-type]
    entra_sign_in(walker, entra, "b.simon@contoso.com", "Pa55w.rd-simon")
    target = clean.atlassian.instance_url("contoso")
    out = walker.get(f"{clean.entra.base_url}/{clean.tenant_id}/oauth2/v2.0/logout?post_logout_redirect_uri={target}")
    assert out.status == 302 and out.location == target
