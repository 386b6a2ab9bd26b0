"""Entra emulation gaps of issue #14: user realm discovery (ActiveLogOnUri), SAML SLO through the
federated IdP's LogOffUri, the v2 discovery's kerberos_endpoint, and group overage (SAML and JWT)."""

from __future__ import annotations

import base64
import json
import zlib
from dataclasses import replace
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from sso_harness.mocks.entra import CLAIM_URI
from sso_harness.mocks.entra.claims import GROUPS_LINK, group_membership_url
from sso_harness.mocks.fleet import MockFleet
from sso_harness.mocks.scenario import IDS
from .mock_saml_helpers import decode_response, sso_url
from .mock_walker import Page, Walker, entra_sign_in, hidden_fields

ALEX = ("alex.wilber@fabrikam.com", "Pa55w.rd-alex")
MANY = ("many.groups@contoso.com", "Pa55w.rd-many")


def _get_json(w: Walker, url: str) -> dict[str, object]:
    page = w.get(url)
    assert page.status == 200, page.text[:300]
    body = json.loads(page.text)
    assert isinstance(body, dict)
    return body


def _domain(f: MockFleet):  # type: ignore[no-untyped-def]
    return f.entra.tenant(f.tenant_id).federated_domains[0]


def _replace_domain(f: MockFleet, **changes: str) -> None:
    tenant = f.entra.tenant(f.tenant_id)
    f.entra.update_tenant(replace(tenant, federated_domains=(replace(_domain(f), **changes),)))


# -- user realm discovery ---------------------------------------------------------------------------------
def test_a_federated_user_realm_advertises_the_active_log_on_uri(clean: MockFleet, walker: Walker) -> None:
    body = _get_json(walker, f"{clean.entra.base_url}/common/userrealm/{ALEX[0]}?api-version=1.0")
    assert body["account_type"] == "Federated" and body["domain_name"] == "fabrikam.com"
    assert body["federation_active_auth_url"] == _domain(clean).active_logon_uri
    assert body["cloud_audience_urn"] == "urn:federation:MicrosoftOnline" and body["cloud_instance_name"] == "microsoftonline.com"
    assert "federation_protocol" not in body  # SAMLP: no public source names the value


def test_a_wsfed_domain_says_wstrust(clean: MockFleet, walker: Walker) -> None:
    _replace_domain(clean, preferred_authentication_protocol="WSFED", active_logon_uri="https://sts.fabrikam.example/adfs/services/trust/2005/usernamemixed")
    body = _get_json(walker, f"{clean.entra.base_url}/common/UserRealm/{ALEX[0]}?api-version=1.0")
    assert body["federation_protocol"] == "WSTrust"
    assert body["federation_active_auth_url"] == "https://sts.fabrikam.example/adfs/services/trust/2005/usernamemixed"


@pytest.mark.parametrize(("user", "kind"), [("b.simon@contoso.com", "Managed"), ("someone@unknown.example", "Unknown")])
def test_managed_and_unknown_realms(clean: MockFleet, walker: Walker, user: str, kind: str) -> None:
    body = _get_json(walker, f"{clean.entra.base_url}/common/userrealm/{user}?api-version=1.0")
    assert body["account_type"] == kind and "federation_active_auth_url" not in body


# -- v2 discovery ------------------------------------------------------------------------------------------
def test_v2_discovery_lists_kerberos_endpoint_as_the_real_document_does(clean: MockFleet, walker: Walker) -> None:
    # entra.md §2 quotes a real v2 openid-configuration (azure-sdk-for-js recording) that has kerberos_endpoint.
    body = _get_json(walker, clean.entra.discovery_url(clean.tenant_id))
    assert body["kerberos_endpoint"] == f"{clean.entra.base_url}/{clean.tenant_id}/kerberos"


# -- SAML single logout of a federated user ---------------------------------------------------------------
def _federated_sign_in(w: Walker, f: MockFleet) -> None:
    page = w.get(f.atlassian.instance_url("contoso"))
    away = w.submit(w.get(page.location).form(), loginfmt=ALEX[0])  # type: ignore[arg-type]
    login = w.follow(away)
    back = w.submit(login.form(), email=ALEX[0], password=ALEX[1])
    done = w.submit(w.auto_post(back).form(), LoginOptions="No")
    assert "SAMLResponse" in hidden_fields(done)


def _logout_request(f: MockFleet) -> bytes:
    return (
        f'<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" '
        f'ID="_lo2" Version="2.0" IssueInstant="2024-01-01T00:00:00Z"><saml:Issuer>{f.atlassian.entity_id}</saml:Issuer>'
        f"<saml:NameID>{ALEX[0]}</saml:NameID></samlp:LogoutRequest>"
    ).encode()


def test_saml_slo_of_a_federated_user_goes_through_the_log_off_uri(clean: MockFleet, walker: Walker) -> None:
    clean.entra.configure_app(IDS.atlassian_app, logout_url=f"{clean.atlassian.base_url}/logout")
    _federated_sign_in(walker, clean)
    out = walker.get(sso_url(clean.entra.saml_url(clean.tenant_id), _logout_request(clean), "rs"))
    assert out.status == 302 and out.location == _domain(clean).logoff_uri == clean.jumpcloud.logout_url
    assert "id='signed-out'" in walker.get(out.location).text  # type: ignore[arg-type]
    page = walker.get(clean.atlassian.instance_url("contoso"))
    assert "loginfmt" in walker.get(page.location).text  # type: ignore[arg-type]  # the Entra session is gone too


def test_saml_slo_through_a_wsfed_domain_comes_back_to_the_logout_response(clean: MockFleet, walker: Walker) -> None:
    logout = f"{clean.atlassian.base_url}/logout"
    clean.entra.configure_app(IDS.atlassian_app, logout_url=logout)
    _replace_domain(clean, preferred_authentication_protocol="WSFED", passive_logon_uri=clean.jumpcloud.wsfed_url("office365"))
    _federated_sign_in(walker, clean)
    out = walker.get(sso_url(clean.entra.saml_url(clean.tenant_id), _logout_request(clean), "rs"))
    query = {k: v[0] for k, v in parse_qs(urlsplit(out.location).query).items()}  # type: ignore[arg-type]
    assert out.location.startswith(clean.jumpcloud.logout_url + "?") and query["wa"] == "wsignout1.0"  # type: ignore[union-attr]
    assert query["wreply"].startswith(logout + "?SAMLResponse=")
    xml = zlib.decompress(base64.b64decode(parse_qs(urlsplit(query["wreply"]).query)["SAMLResponse"][0]), -15)
    assert b'InResponseTo="_lo2"' in xml


# -- group overage ------------------------------------------------------------------------------------------
def _groups(n: int) -> tuple[str, ...]:
    return (IDS.group_atlassian,) + tuple(f"00000000-0000-4000-9000-{i:012d}" for i in range(1, n))


def _add_many_groups_user(f: MockFleet, n: int) -> str:
    tenant = f.entra.tenant(f.tenant_id)
    user = replace(tenant.users[0], upn=MANY[0], password=MANY[1], object_id="a1b2c3d4-0000-4000-8000-000000000201",
                   mail=MANY[0], totp_secret=None, groups=_groups(n))
    f.entra.update_tenant(replace(tenant, users=tenant.users + (user,)))
    return user.object_id


def _saml_groups(w: Walker, f: MockFleet) -> dict[str, tuple[str, ...]]:
    page = w.get(f.atlassian.instance_url("contoso"))
    done = entra_sign_in(w, w.get(page.location), *MANY)  # type: ignore[arg-type]
    assertion = decode_response(hidden_fields(done)["SAMLResponse"]).assertion
    assert assertion is not None
    return dict(assertion.attributes)


@pytest.mark.parametrize("n", [150, 151])
def test_saml_sends_groups_up_to_150_then_the_groups_link(clean: MockFleet, walker: Walker, n: int) -> None:
    oid = _add_many_groups_user(clean, n)
    clean.entra.configure_app(IDS.atlassian_app, group_claims=True)
    attributes = _saml_groups(walker, clean)
    if n <= 150:
        assert attributes[CLAIM_URI["groups"]] == _groups(n) and GROUPS_LINK not in attributes
    else:
        assert CLAIM_URI["groups"] not in attributes
        assert attributes[GROUPS_LINK] == (group_membership_url(clean.tenant_id, oid),)


def _claims(token: str) -> dict[str, object]:
    payload = token.split(".")[1]
    body = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert isinstance(body, dict)
    return body


def _authorize(w: Walker, f: MockFleet, **params: str) -> Page:
    query = {"client_id": IDS.jira_client, "redirect_uri": f.jira.redirect_url, "scope": "openid profile", "nonce": "n-1", **params}
    return entra_sign_in(w, w.get(f.entra.authorize_url(f.tenant_id) + "?" + urlencode(query)), *MANY)


def _code_flow_id_token(w: Walker, f: MockFleet) -> dict[str, object]:
    page = _authorize(w, f, response_type="code")
    code = parse_qs(urlsplit(page.location).query)["code"][0]  # type: ignore[arg-type]
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": f.jira.redirect_url,
            "client_id": IDS.jira_client, "client_secret": IDS.jira_secret_value}
    answer = w.send(f.entra.token_url(f.tenant_id), form)
    assert answer.status == 200, answer.text[:300]
    return _claims(json.loads(answer.text)["id_token"])


@pytest.mark.parametrize("n", [200, 201])
def test_a_jwt_carries_200_groups_then_the_overage_claim(clean: MockFleet, walker: Walker, n: int) -> None:
    oid = _add_many_groups_user(clean, n)
    clean.entra.configure_registration(IDS.jira_client, group_claims=True)
    claims = _code_flow_id_token(walker, clean)
    if n <= 200:
        assert claims["groups"] == list(_groups(n)) and "_claim_names" not in claims
    else:
        assert "groups" not in claims and claims["_claim_names"] == {"groups": "src1"}
        assert claims["_claim_sources"] == {"src1": {"endpoint": group_membership_url(clean.tenant_id, oid)}}


@pytest.mark.parametrize("n", [5, 6])
def test_an_implicit_id_token_says_hasgroups_from_six_groups(clean: MockFleet, walker: Walker, n: int) -> None:
    _add_many_groups_user(clean, n)
    clean.entra.configure_registration(IDS.jira_client, group_claims=True, id_tokens_enabled=True)
    page = _authorize(walker, clean, response_type="id_token", response_mode="fragment")
    assert page.status == 302 and "#" in page.location, page.text[:300]  # type: ignore[operator]
    fragment = {k: v[0] for k, v in parse_qs(urlsplit(page.location).fragment).items()}  # type: ignore[arg-type]
    claims = _claims(fragment["id_token"])
    if n <= 5:
        assert claims["groups"] == list(_groups(n)) and "hasgroups" not in claims
    else:
        assert claims["hasgroups"] is True and "groups" not in claims


def test_without_group_claims_a_jwt_has_no_groups(clean: MockFleet, walker: Walker) -> None:
    _add_many_groups_user(clean, 3)
    claims = _code_flow_id_token(walker, clean)
    assert not {"groups", "hasgroups", "_claim_names"} & set(claims)
