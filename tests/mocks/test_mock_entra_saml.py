"""The Entra-like IdP's SAML side over plain HTTP: sign-in pages, responses, AADSTS errors."""

from __future__ import annotations

import base64
import datetime as dt
import re
import zlib
from urllib.parse import parse_qs, urlsplit

import pytest

from sso_harness.protocols.xml import dsig as xmldsig
from sso_harness.protocols.saml import parse_saml
from sso_harness.mocks.entra import CLAIM_URI, NAMEID_EMAIL, NAMEID_PERSISTENT, totp
from sso_harness.mocks.fleet import MockFleet
from sso_harness.mocks.base.faults import ResponseFaults
from sso_harness.mocks.scenario import IDS
from .mock_saml_helpers import authn_request, decode_response, sso_url
from .mock_walker import Page, Walker, entra_sign_in, hidden_fields

SIMON = ("b.simon@contoso.com", "Pa55w.rd-simon")


def _atlassian_app(f: MockFleet):  # type: ignore[no-untyped-def]
    return f.entra.enterprise_app(IDS.atlassian_app)[1]


def _to_entra(w: Walker, f: MockFleet) -> Page:
    """SP-initiated from the Atlassian instance: the Entra username page."""
    page = w.get(f.atlassian.instance_url("contoso"))
    assert page.status == 302
    return w.get(page.location)  # type: ignore[arg-type]


def _request(w: Walker, f: MockFleet, **kwargs) -> Page:  # type: ignore[no-untyped-def]
    issuer = kwargs.pop("issuer", f.atlassian.entity_id)
    xml = authn_request(issuer, **kwargs)
    return w.get(sso_url(f.entra.saml_url(f.tenant_id), xml, kwargs.get("relay")))


def _aadsts(page: Page) -> int:
    match = re.search(r'id="service_exception_message"[^>]*data-aadsts="(\d+)"', page.text)
    assert match, page.text[:600]
    return int(match.group(1))


def _signed_in_response(w: Walker, f: MockFleet, user: tuple[str, str] = SIMON, **kwargs):  # type: ignore[no-untyped-def]
    page = _request(w, f, **kwargs) if kwargs else _to_entra(w, f)
    page = entra_sign_in(w, page, *user)
    fields = hidden_fields(page)
    return page, fields


def test_sp_initiated_sign_in_lands_on_the_atlassian_instance(clean: MockFleet, walker: Walker) -> None:
    page = _to_entra(walker, clean)
    assert "$Config" in page.text and '"pgid":"ConvergedSignIn"' in page.text
    page = entra_sign_in(walker, page, *SIMON)
    assert 'name="hiddenform"' in page.text and page.form().action == clean.atlassian.acs_url
    landed = walker.follow(walker.auto_post(page))
    assert landed.url == clean.atlassian.instance_url("contoso")
    assert "<span id='user'>b.simon@contoso.com</span>" in landed.text


def test_the_response_has_entra_shape(clean: MockFleet, walker: Walker) -> None:
    page = _to_entra(walker, clean)
    request_xml = zlib.decompress(base64.b64decode(parse_qs(urlsplit(page.url).query)["SAMLRequest"][0]), -15)
    request_id = re.search(rb'ID="([^"]+)"', request_xml).group(1).decode()  # type: ignore[union-attr]
    page = entra_sign_in(walker, page, *SIMON)
    raw = base64.b64decode(hidden_fields(page)["SAMLResponse"])
    assert not raw.startswith(b"<?xml") and b"\n" not in raw  # one line, no declaration
    cert = clean.entra.signing_key(IDS.atlassian_app).cert
    response = decode_response(hidden_fields(page)["SAMLResponse"], [cert])
    tid = clean.tenant_id
    assert response.issuer == f"https://sts.windows.net/{tid}/"
    assert response.destination == clean.atlassian.acs_url and response.in_response_to == request_id
    assert response.trusted
    assertion = response.assertion
    assert assertion is not None and assertion.signed
    assert [s.covers for s in response.signatures] == ["Assertion"]  # Entra's default: the assertion only
    assert response.signatures[0].algorithm == xmldsig.RSA_SHA256
    assert assertion.name_id.value == "b.simon@contoso.com" and assertion.name_id.format == NAMEID_EMAIL  # type: ignore[union-attr]
    assert assertion.audiences == (clean.atlassian.entity_id,)
    assert assertion.recipient == clean.atlassian.acs_url
    assert assertion.session_index == assertion.id
    assert assertion.authn_context_class_ref == "urn:oasis:names:tc:SAML:2.0:ac:classes:Password"
    assert assertion.not_before == assertion.issue_instant - dt.timedelta(minutes=5)  # type: ignore[operator]
    assert assertion.not_on_or_after == assertion.issue_instant + dt.timedelta(minutes=60)  # type: ignore[operator]
    names = list(assertion.attributes)
    assert names[:5] == [CLAIM_URI[k] for k in ("tenantid", "objectidentifier", "displayname", "identityprovider", "authnmethodsreferences")]
    assert names[5:] == [CLAIM_URI[k] for k in ("givenname", "surname", "emailaddress", "name")]
    assert assertion.attributes[CLAIM_URI["tenantid"]] == (tid,)
    assert assertion.attributes[CLAIM_URI["identityprovider"]] == (f"https://sts.windows.net/{tid}/",)


@pytest.mark.parametrize(
    ("signing", "algorithm", "covered"),
    [("response", "sha256", ["Response"]), ("both", "sha1", ["Assertion", "Response"]), ("assertion", "sha1", ["Assertion"])],
)
def test_what_is_signed_and_how_follows_the_app(clean: MockFleet, walker: Walker, signing: str, algorithm: str, covered: list[str]) -> None:
    clean.entra.configure_app(IDS.atlassian_app, signing=signing, signing_algorithm=algorithm)
    _, fields = _signed_in_response(walker, clean)
    response = decode_response(fields["SAMLResponse"], [clean.entra.signing_key(IDS.atlassian_app).cert])
    assert sorted(s.covers for s in response.signatures) == covered
    expected = xmldsig.RSA_SHA1 if algorithm == "sha1" else xmldsig.RSA_SHA256
    assert all(s.valid and s.algorithm == expected for s in response.signatures)


def test_an_unknown_issuer_is_aadsts700016_on_the_error_page(clean: MockFleet, walker: Walker) -> None:
    page = _request(walker, clean, issuer="https://unknown.example/sp")
    assert _aadsts(page) == 700016
    assert "Application with identifier 'https://unknown.example/sp' was not found in the directory" in page.text
    assert "id='requestId'" in page.text and "id='correlationId'" in page.text and '"pgid":"ConvergedError"' in page.text


def test_a_reply_url_that_is_not_registered_is_aadsts50011(clean: MockFleet, walker: Walker) -> None:
    page = _request(walker, clean, acs="https://evil.example/acs")
    assert _aadsts(page) == 50011
    assert "https://evil.example/acs" in page.text and IDS.atlassian_app in page.text


def test_a_request_id_starting_with_a_digit_is_aadsts7500529(clean: MockFleet, walker: Walker) -> None:
    assert _aadsts(_request(walker, clean, request_id="1abc")) == 7500529


def test_a_missing_or_unreadable_saml_request_is_refused(clean: MockFleet, walker: Walker) -> None:
    assert _aadsts(walker.get(clean.entra.saml_url(clean.tenant_id))) == 750054
    assert _aadsts(walker.get(clean.entra.saml_url(clean.tenant_id) + "?SAMLRequest=not-base64!!")) == 75005


def test_an_unknown_tenant_is_aadsts90002(clean: MockFleet, walker: Walker) -> None:
    xml = authn_request(clean.atlassian.entity_id)
    assert _aadsts(walker.get(sso_url(clean.entra.saml_url("nowhere.example"), xml))) == 90002


def test_a_subject_in_the_request_gets_a_requester_error_response(clean: MockFleet, walker: Walker) -> None:
    page = _request(walker, clean, subject="b.simon@contoso.com")
    assert page.form().action == clean.atlassian.acs_url
    response = decode_response(hidden_fields(page)["SAMLResponse"])
    assert response.status.code.endswith(":Requester")  # type: ignore[union-attr]
    assert response.status.sub_codes[0].endswith(":RequestUnsupported")  # type: ignore[union-attr]
    message = response.status.message or ""  # type: ignore[union-attr]
    assert "AADSTS75006" in message and "AADSTS90011" in message and "Trace ID:" in message
    assert response.assertion is None


def test_an_unsupported_name_id_policy_is_aadsts75016(clean: MockFleet, walker: Walker) -> None:
    page = _request(walker, clean, name_id_format="urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName")
    response = decode_response(hidden_fields(page)["SAMLResponse"])
    assert "AADSTS75016" in (response.status.message or "")  # type: ignore[union-attr]


def test_a_user_not_assigned_to_the_app_is_aadsts50105(clean: MockFleet, walker: Walker) -> None:
    page = entra_sign_in(walker, _to_entra(walker, clean), "adele.vance@contoso.com", "Pa55w.rd-adele")
    assert _aadsts(page) == 50105
    assert "to block users unless they are specifically granted ('assigned') access" in page.text
    clean.entra.configure_app(IDS.atlassian_app, assignment_required=False)
    page = entra_sign_in(Walker(), _to_entra(Walker(), clean), "adele.vance@contoso.com", "Pa55w.rd-adele")
    assert _aadsts_or_none(page) is None


def _aadsts_or_none(page: Page) -> int | None:
    match = re.search(r'data-aadsts="(\d+)"', page.text)
    return int(match.group(1)) if match else None


def test_a_user_of_another_tenant_is_aadsts50020(clean: MockFleet, walker: Walker) -> None:
    page = entra_sign_in(walker, _to_entra(walker, clean), "megan.bowen@northwindtraders.com", "Pa55w.rd-megan")
    assert _aadsts(page) == 50020
    assert "does not exist in tenant 'Contoso'" in page.text


def test_a_requested_authn_context_the_user_did_not_use_is_aadsts75011(clean: MockFleet, walker: Walker) -> None:
    x509 = "urn:oasis:names:tc:SAML:2.0:ac:classes:X509"
    page = entra_sign_in(walker, _request(walker, clean, classes=(x509,)), *SIMON)
    assert _aadsts(page) == 75011
    assert "Authentication method 'Password, ProtectedTransport'" in page.text and "'X509'" in page.text


def test_password_protected_transport_is_met_by_a_password(clean: MockFleet, walker: Walker) -> None:
    ppt = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
    page = entra_sign_in(walker, _request(walker, clean, classes=(ppt,)), *SIMON)
    assert "SAMLResponse" in hidden_fields(page)


def test_an_empty_name_id_source_is_aadsts501241_and_upn_fixes_it(clean: MockFleet, walker: Walker) -> None:
    # Lee Gu has no mail (no Microsoft 365 licence): the Atlassian guide's second mapping is needed.
    page = entra_sign_in(walker, _to_entra(walker, clean), "lee.gu@contoso.com", "Pa55w.rd-lee")
    assert _aadsts(page) == 501241
    clean.entra.configure_app(IDS.atlassian_app, name_id_source="user.userprincipalname")
    w = Walker()
    page = entra_sign_in(w, _to_entra(w, clean), "lee.gu@contoso.com", "Pa55w.rd-lee")
    response = decode_response(hidden_fields(page)["SAMLResponse"])
    assert response.assertion.name_id.value == "lee.gu@contoso.com"  # type: ignore[union-attr]
    assert CLAIM_URI["emailaddress"] not in response.assertion.attributes  # type: ignore[union-attr]


def test_a_wrong_password_stays_on_the_password_page_with_aadsts50126(clean: MockFleet, walker: Walker) -> None:
    page = walker.submit(_to_entra(walker, clean).form(), loginfmt="b.simon@contoso.com")
    page = walker.submit(page.form(), passwd="wrong")
    assert 'id="passwordError"' in page.text and 'data-aadsts="50126"' in page.text and 'name="passwd"' in page.text
    assert any(e.error_code == 50126 and e.user == "b.simon@contoso.com" for e in clean.entra.ctx.log.events())


def test_an_unknown_username_stays_on_the_username_page(clean: MockFleet, walker: Walker) -> None:
    page = walker.submit(_to_entra(walker, clean).form(), loginfmt="nobody@contoso.com")
    assert 'id="usernameError"' in page.text and 'data-aadsts="50034"' in page.text and "has-error" in page.text


def test_a_user_with_an_authenticator_gets_the_code_page(clean: MockFleet, walker: Walker) -> None:
    page = walker.submit(_to_entra(walker, clean).form(), loginfmt="diego.siciliani@contoso.com")
    page = walker.submit(page.form(), passwd="Pa55w.rd-diego")
    assert 'name="otc"' in page.text and '"pgid":"ConvergedTFA"' in page.text
    page = walker.submit(page.form(), otc="000000")
    assert 'id="idSpan_SAOTCC_Error_OTC"' in page.text
    page = walker.submit(page.form(), otc=totp("JBSWY3DPEHPK3PXP", dt.datetime.now(dt.timezone.utc)))
    assert "KmsiDescription" in page.text
    page = walker.submit(page.form(), LoginOptions="No")
    response = decode_response(hidden_fields(page)["SAMLResponse"])
    amr = response.assertion.attributes[CLAIM_URI["authnmethodsreferences"]]  # type: ignore[union-attr]
    assert "http://schemas.microsoft.com/claims/multipleauthn" in amr


def test_stay_signed_in_yes_sets_a_persistent_session_that_skips_the_pages(clean: MockFleet, walker: Walker) -> None:
    page = walker.submit(_to_entra(walker, clean).form(), loginfmt=SIMON[0])
    page = walker.submit(page.form(), passwd=SIMON[1])
    kmsi = walker.submit(page.form(), LoginOptions="Yes")
    persistent = [c for c in walker.jar if c.name == "entra_ESTSAUTHPERSISTENT"]
    assert persistent and persistent[0].expires is not None
    again = _to_entra(walker, clean)  # a second SP-initiated login: no pages
    assert 'name="hiddenform"' in again.text and "loginfmt" not in again.text
    assert kmsi.form().action == again.form().action


def test_stay_signed_in_no_keeps_a_session_cookie(clean: MockFleet, walker: Walker) -> None:
    entra_sign_in(walker, _to_entra(walker, clean), *SIMON, kmsi="No")
    session = [c for c in walker.jar if c.name == "entra_ESTSAUTH"]
    assert session and session[0].expires is None
    assert not [c for c in walker.jar if c.name == "entra_ESTSAUTHPERSISTENT"]


def test_force_authn_asks_again_despite_the_session(clean: MockFleet, walker: Walker) -> None:
    entra_sign_in(walker, _to_entra(walker, clean), *SIMON)
    assert "loginfmt" in _request(walker, clean, force_authn=True, request_id="_req-force").text


def test_the_launcher_signs_in_idp_initiated_with_the_relay_state(clean: MockFleet, walker: Walker) -> None:
    page = walker.get(clean.entra.user_access_url(clean.tenant_id, IDS.atlassian_app))
    page = entra_sign_in(walker, page, *SIMON)
    fields = hidden_fields(page)
    assert fields["RelayState"] == clean.atlassian.instance_url("contoso")
    assert decode_response(fields["SAMLResponse"]).in_response_to is None
    landed = walker.follow(walker.auto_post(page))
    assert landed.url == clean.atlassian.instance_url("contoso") and "b.simon@contoso.com" in landed.text


def test_the_launcher_sends_sp_mode_apps_to_their_sign_on_url(clean: MockFleet, walker: Walker) -> None:
    page = walker.get(clean.entra.user_access_url(clean.tenant_id, IDS.mitel_app))
    assert page.status == 302 and page.location == clean.mitel.app_url("portal")
    forced = walker.get(clean.entra.user_access_url(clean.tenant_id, IDS.mitel_app) + "&mode=idp")
    assert "loginfmt" in forced.text  # "Test this application", IdP-initiated


def test_default_name_id_format_follows_the_request_and_sp_name_qualifier_is_echoed(clean: MockFleet, walker: Walker) -> None:
    clean.entra.configure_app(IDS.atlassian_app, name_id_format=None, group_claims=True)
    _, fields = _signed_in_response(walker, clean, name_id_format=NAMEID_PERSISTENT, sp_name_qualifier="atl-qualifier")
    assertion = decode_response(fields["SAMLResponse"]).assertion
    assert assertion.name_id.format == NAMEID_PERSISTENT and assertion.name_id.sp_name_qualifier == "atl-qualifier"  # type: ignore[union-attr]
    assert assertion.attributes[CLAIM_URI["groups"]] == (IDS.group_sso_testers, IDS.group_atlassian)  # type: ignore[union-attr]


def test_an_injected_aadsts_error_shows_on_the_error_page(clean: MockFleet, walker: Walker) -> None:
    clean.entra.inject(ResponseFaults(aadsts=50105), app=IDS.atlassian_app, once=True)
    page = entra_sign_in(walker, _to_entra(walker, clean), *SIMON)
    assert _aadsts(page) == 50105
    again = _to_entra(walker, clean)  # once: the next response is normal
    assert "SAMLResponse" in hidden_fields(again)


def test_an_injected_status_sends_a_non_success_response(clean: MockFleet, walker: Walker) -> None:
    clean.entra.inject(ResponseFaults(status="Responder", sub_status="AuthnFailed", status_message="AADSTS50126: nope"))
    _, fields = _signed_in_response(walker, clean)
    response = decode_response(fields["SAMLResponse"], [clean.entra.signing_key(IDS.atlassian_app).cert])
    assert response.status.code == "urn:oasis:names:tc:SAML:2.0:status:Responder"  # type: ignore[union-attr]
    assert response.status.sub_codes == ("urn:oasis:names:tc:SAML:2.0:status:AuthnFailed",)  # type: ignore[union-attr]
    assert response.assertion is None and response.trusted


def test_single_logout_answers_with_a_signed_logout_response(clean: MockFleet, walker: Walker) -> None:
    logout = f"{clean.atlassian.base_url}/logout"
    clean.entra.configure_app(IDS.atlassian_app, logout_url=logout)
    entra_sign_in(walker, _to_entra(walker, clean), *SIMON)
    request = (
        f'<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" '
        f'ID="_lo1" Version="2.0" IssueInstant="2024-01-01T00:00:00Z"><saml:Issuer>{clean.atlassian.entity_id}</saml:Issuer>'
        "<saml:NameID>b.simon@contoso.com</saml:NameID></samlp:LogoutRequest>"
    ).encode()
    page = walker.get(sso_url(clean.entra.saml_url(clean.tenant_id), request, "after-logout"))
    assert page.status == 302 and page.location.startswith(logout + "?SAMLResponse=")  # type: ignore[union-attr]
    query = parse_qs(urlsplit(page.location).query)  # type: ignore[arg-type]
    assert query["RelayState"] == ["after-logout"] and "Signature" in query and "SigAlg" in query
    xml = zlib.decompress(base64.b64decode(query["SAMLResponse"][0]), -15)
    message = parse_saml(xml)
    assert message.kind == "saml.logout_response" and b'InResponseTo="_lo1"' in xml
    assert "loginfmt" in _to_entra(walker, clean).text  # the SSO session is gone


def test_my_apps_lists_the_tiles(clean: MockFleet, walker: Walker) -> None:
    page = walker.get(f"{clean.entra.base_url}/myapps?tenantId={clean.tenant_id}")
    assert page.text.count("class='app-tile'") == 3 and IDS.mitel_app in page.text


def test_get_credential_type_does_home_realm_discovery(clean: MockFleet, walker: Walker) -> None:
    import json

    url = f"{clean.entra.base_url}/common/GetCredentialType"
    ask = lambda name: json.loads(walker.send(url, json.dumps({"username": name}).encode(), {"Content-Type": "application/json"}).text)  # noqa: E731
    assert ask("b.simon@contoso.com")["IfExistsResult"] == 0
    assert ask("nobody@contoso.com")["IfExistsResult"] == 1
    federated = ask("alex.wilber@fabrikam.com")
    assert federated["Credentials"]["FederationRedirectUrl"] == clean.jumpcloud.sso_url("office365")


def test_the_error_lookup_explains_a_code(clean: MockFleet, walker: Walker) -> None:
    page = walker.get(f"{clean.entra.base_url}/error?code=50011")
    assert page.status == 200 and "InvalidReplyTo" in page.text


def test_required_verification_certificates_refuse_unsigned_requests(clean: MockFleet, walker: Walker) -> None:
    from sso_harness.mocks.saml.redirect import redirect_url

    sp_key = clean.entra.ctx.keys.get("atlassian-request-signing", "Atlassian request signing")
    clean.entra.configure_app(IDS.atlassian_app, verification_certificates=("atlassian-request-signing",))
    xml = authn_request(clean.atlassian.entity_id, acs=clean.atlassian.acs_url)
    endpoint = clean.entra.saml_url(clean.tenant_id)
    assert _aadsts(walker.get(redirect_url(endpoint, "SAMLRequest", xml, "rs"))) == 76021
    assert _aadsts(walker.get(redirect_url(endpoint, "SAMLRequest", xml, "rs", key=clean.rogue.key))) == 76021
    signed = walker.get(redirect_url(endpoint, "SAMLRequest", xml, "rs", key=sp_key.key))
    assert signed.status == 200 and "loginfmt" in signed.text
