"""Directory variety (issue #14 item 3): claim sources resolve per user, so a wrong source shows.

Nestor Wilke's UPN is on the initial domain and his mail on the vanity domain;
Grady Archie has no mail; Joni Sherman is a B2B guest (``#EXT#`` UPN) from
Northwind; Alex Wilber and Nestor carry an onPremisesImmutableId.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from sso_harness.mocks.entra import CLAIM_URI, NAMEID_EMAIL, NAMEID_PERSISTENT, DEFAULT_CLAIMS
from sso_harness.mocks.entra.claims import PASSWORD, name_id_for, saml_attributes, sts_issuer, user_value
from sso_harness.mocks.entra.errors import AadstsError
from sso_harness.mocks.fleet import MockFleet
from sso_harness.mocks.scenario import IDS, JONI_GUEST_UPN, JONI_MAIL, NESTOR_MAIL, NESTOR_UPN
from .mock_saml_helpers import decode_response
from .mock_walker import Page, Walker, entra_sign_in, hidden_fields

NESTOR = (NESTOR_UPN, "Pa55w.rd-nestor")
GROUPS = "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups"


def _to_entra(w: Walker, f: MockFleet) -> Page:
    page = w.get(f.atlassian.instance_url("contoso"))
    return w.get(page.location)  # type: ignore[arg-type]


def _response(f: MockFleet, user: tuple[str, str]):  # type: ignore[no-untyped-def]
    w = Walker()
    page = entra_sign_in(w, _to_entra(w, f), *user)
    fields = hidden_fields(page)
    assert "SAMLResponse" in fields, page.text[:800]
    return w, page, decode_response(fields["SAMLResponse"], [f.entra.signing_key(IDS.atlassian_app).cert])


# -- the directory itself ----------------------------------------------------------------------
def test_the_directory_has_users_whose_claim_sources_differ(clean: MockFleet) -> None:
    tenant = clean.entra.tenant(clean.tenant_id)
    users = tenant.users
    assert any(u.mail and u.mail.lower() != u.upn.lower() for u in users)
    assert any(not u.mail and not u.is_guest for u in users)
    assert any(u.is_guest and "#EXT#" in u.upn for u in users)
    assert any(u.immutable_id for u in users)
    assert all(u.groups for u in users if u.upn in (NESTOR_UPN, JONI_GUEST_UPN))
    # The defaults existing tests rely on are unchanged: B.Simon's mail is still her UPN.
    simon = tenant.user("b.simon@contoso.com")
    assert simon is not None and simon.mail == simon.upn


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("user.mail", NESTOR_MAIL),
        ("user.userprincipalname", NESTOR_UPN),
        ("user.onpremisesimmutableid", "bmVzdG9yLndpbGtl"),
        ("user.objectid", "5f7a9c1e-3b5d-4f7a-9c1e-3b5d7f9a1c90"),
    ],
)
def test_each_source_resolves_to_the_users_own_value(clean: MockFleet, source: str, expected: str) -> None:
    tenant = clean.entra.tenant(clean.tenant_id)
    nestor = tenant.user(NESTOR_UPN)
    assert nestor is not None and user_value(nestor, tenant, source) == expected


def test_a_user_without_mail_has_no_mail_value_and_no_name_id_from_it(clean: MockFleet) -> None:
    tenant = clean.entra.tenant(clean.tenant_id)
    grady = tenant.user("grady.archie@contoso.com")
    assert grady is not None and user_value(grady, tenant, "user.mail") == ""
    app = replace(clean.entra.enterprise_app(IDS.atlassian_app)[1], name_id_source="user.mail")
    with pytest.raises(AadstsError) as err:
        name_id_for(app, grady, tenant, None, lambda: "_t")
    assert err.value.code == 501241
    attrs = saml_attributes(app, grady, tenant, PASSWORD, sts_issuer(tenant.tenant_id))
    assert CLAIM_URI["emailaddress"] not in attrs and attrs[CLAIM_URI["name"]] == ("grady.archie@contoso.com",)


def test_an_unknown_source_is_refused_rather_than_guessed(clean: MockFleet) -> None:
    tenant = clean.entra.tenant(clean.tenant_id)
    with pytest.raises(ValueError, match="unknown source attribute"):
        user_value(tenant.users[0], tenant, "user.email")


# -- over HTTP: the SP that expects mail, and the misconfigured one -----------------------------
def test_an_sp_expecting_mail_gets_mail_and_lands(clean: MockFleet) -> None:
    w, page, response = _response(clean, NESTOR)
    assert response.trusted
    assert response.assertion.name_id.value == NESTOR_MAIL  # type: ignore[union-attr]
    assert response.assertion.name_id.format == NAMEID_EMAIL  # type: ignore[union-attr]
    attrs = response.assertion.attributes  # type: ignore[union-attr]
    assert attrs[CLAIM_URI["emailaddress"]] == (NESTOR_MAIL,) and attrs[CLAIM_URI["name"]] == (NESTOR_UPN,)
    landed = w.follow(w.auto_post(page))
    assert landed.url == clean.atlassian.instance_url("contoso") and NESTOR_MAIL in landed.text


def test_a_name_id_from_the_upn_gives_the_upn_and_the_sp_finds_no_account(clean: MockFleet) -> None:
    clean.entra.configure_app(IDS.atlassian_app, name_id_source="user.userprincipalname")
    w, page, response = _response(clean, NESTOR)
    assert response.assertion.name_id.value == NESTOR_UPN  # type: ignore[union-attr]
    refused = w.auto_post(page)
    assert refused.status != 302 and "no Atlassian account has the email address" in refused.text
    assert NESTOR_UPN in refused.text


def test_a_persistent_name_id_from_the_immutable_id(clean: MockFleet) -> None:
    clean.entra.configure_app(IDS.atlassian_app, name_id_source="user.onpremisesimmutableid", name_id_format=NAMEID_PERSISTENT)
    _, _, response = _response(clean, NESTOR)
    assert response.assertion.name_id.value == "bmVzdG9yLndpbGtl"  # type: ignore[union-attr]
    assert response.assertion.name_id.format == NAMEID_PERSISTENT  # type: ignore[union-attr]


def test_the_group_claim_only_when_the_app_asks_for_it(clean: MockFleet) -> None:
    _, _, plain = _response(clean, NESTOR)
    assert GROUPS not in plain.assertion.attributes  # type: ignore[union-attr]
    clean.entra.configure_app(IDS.atlassian_app, group_claims=True)
    _, _, grouped = _response(clean, NESTOR)
    assert grouped.assertion.attributes[GROUPS] == (IDS.group_atlassian, IDS.group_sso_testers)  # type: ignore[union-attr]
    assert CLAIM_URI["groups"] == GROUPS


# -- the guest -----------------------------------------------------------------------------------
def test_a_guest_signs_in_at_home_and_gets_the_guest_objects_claims(clean: MockFleet) -> None:
    _, _, response = _response(clean, (JONI_MAIL, "Pa55w.rd-joni"))
    attrs = response.assertion.attributes  # type: ignore[union-attr]
    assert response.assertion.name_id.value == JONI_MAIL  # type: ignore[union-attr]  # Atlassian's NameID is user.mail
    assert attrs[CLAIM_URI["name"]] == (JONI_GUEST_UPN,)
    assert attrs[CLAIM_URI["tenantid"]] == (clean.tenant_id,)
    assert attrs[CLAIM_URI["identityprovider"]] == (sts_issuer(IDS.northwind),)


def test_a_guest_with_a_name_id_from_the_upn_gets_the_ext_upn(clean: MockFleet) -> None:
    clean.entra.configure_app(IDS.atlassian_app, name_id_source="user.userprincipalname")
    _, _, response = _response(clean, (JONI_MAIL, "Pa55w.rd-joni"))
    assert response.assertion.name_id.value == JONI_GUEST_UPN  # type: ignore[union-attr]


def test_the_guest_object_cannot_sign_in_by_its_ext_upn(clean: MockFleet, walker: Walker) -> None:
    page = walker.submit(_to_entra(walker, clean).form(), loginfmt=JONI_GUEST_UPN)
    assert 'data-aadsts="50034"' in page.text


def test_an_uninvited_user_of_another_tenant_is_still_aadsts50020(clean: MockFleet, walker: Walker) -> None:
    page = entra_sign_in(walker, _to_entra(walker, clean), "megan.bowen@northwindtraders.com", "Pa55w.rd-megan")
    assert 'data-aadsts="50020"' in page.text


def test_default_claims_keep_their_sources() -> None:
    assert [c.source for c in DEFAULT_CLAIMS] == ["user.givenname", "user.surname", "user.mail", "user.userprincipalname"]


def test_a_guest_gets_tokens_of_the_resource_tenant_from_its_endpoint(clean: MockFleet) -> None:
    import json
    from urllib.parse import parse_qs, urlencode, urlsplit

    from sso_harness.protocols.jose import decode_jwt

    w = Walker()
    query = {"client_id": IDS.jira_client, "response_type": "code", "redirect_uri": clean.jira.redirect_url,
             "scope": "openid profile email User.Read", "state": "s"}
    page = entra_sign_in(w, w.get(clean.entra.authorize_url(clean.tenant_id) + "?" + urlencode(query)), JONI_MAIL, "Pa55w.rd-joni")
    code = parse_qs(urlsplit(page.location).query)["code"][0]  # type: ignore[arg-type]
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": clean.jira.redirect_url,
            "client_id": IDS.jira_client, "client_secret": IDS.jira_secret_value}
    body = json.loads(w.send(clean.entra.token_url(clean.tenant_id), form).text)
    claims = decode_jwt(body["id_token"]).claims
    assert claims["tid"] == clean.tenant_id and claims["preferred_username"] == JONI_GUEST_UPN
    assert claims["email"] == JONI_MAIL and claims["idp"] == sts_issuer(IDS.northwind)
