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
