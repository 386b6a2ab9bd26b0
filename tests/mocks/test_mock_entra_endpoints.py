"""The endpoints a real app uses besides v2 OAuth and SAML (issue #14 item 5), over plain HTTP.

v1 discovery and JWKS, v1 ``/oauth2/authorize`` and ``/oauth2/token`` (``resource`` instead of
``scope``; v1 issuer ``https://sts.windows.net/<tid>/``; ID tokens with ``upn`` and
``unique_name``), ``/wsfed`` sign-in and sign-out for a WS-Fed app, and discovery advertising
only what is served (no device-code endpoint).
"""

from __future__ import annotations

import json
from dataclasses import replace
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from sso_harness.protocols.jose import JwtExpectations, decode_jwks, decode_jwt, verify_jwt
from sso_harness.protocols.wsfed import WsFedSignInResponse, decode_wsfed
from sso_harness.mocks.entra import CLAIM_URI, EnterpriseApp, SigningCertificate
from sso_harness.mocks.fleet import MockFleet
from sso_harness.mocks.scenario import IDS, KEY_NAMES
from .mock_walker import Page, Walker, entra_sign_in, hidden_fields

SIMON = ("b.simon@contoso.com", "Pa55w.rd-simon")
GRAPH = "https://graph.microsoft.com"
WSFED_APP = "7d9f1b3d-5e7a-4c9e-b1d3-5f7a9c1e3bd4"
REALM = "urn:contoso:wsfed-portal"


def _get_json(w: Walker, url: str) -> tuple[Page, dict]:  # type: ignore[type-arg]
    page = w.get(url)
    return page, json.loads(page.text)


# -- discovery ---------------------------------------------------------------------------------
def test_v1_discovery_names_the_v1_endpoints_and_the_sts_issuer(clean: MockFleet, walker: Walker) -> None:
    tid, base = clean.tenant_id, clean.entra.base_url
    page, doc = _get_json(walker, f"{base}/{tid}/.well-known/openid-configuration")
    assert page.status == 200 and page.headers["cache-control"] == "max-age=86400, private"
    assert doc["issuer"] == f"https://sts.windows.net/{tid}/"
    assert doc["authorization_endpoint"] == f"{base}/{tid}/oauth2/authorize"
    assert doc["token_endpoint"] == f"{base}/{tid}/oauth2/token"
    assert doc["end_session_endpoint"] == f"{base}/{tid}/oauth2/logout"
    assert doc["jwks_uri"] == f"{base}/{tid}/discovery/keys"
    assert doc["subject_types_supported"] == ["pairwise"] and doc["id_token_signing_alg_values_supported"] == ["RS256"]
    _, common = _get_json(walker, f"{base}/common/.well-known/openid-configuration")
    assert common["issuer"] == "https://sts.windows.net/{tenantid}/"
    missing = walker.get(f"{base}/nowhere.example/.well-known/openid-configuration")
    assert missing.status == 400 and json.loads(missing.text)["error_codes"] == [90002]


@pytest.mark.parametrize("v1", [True, False])
def test_discovery_advertises_no_device_code_endpoint_it_does_not_serve(clean: MockFleet, walker: Walker, v1: bool) -> None:
    url = f"{clean.entra.base_url}/{clean.tenant_id}/.well-known/openid-configuration" if v1 else clean.entra.discovery_url(clean.tenant_id)
    _, doc = _get_json(walker, url)
    assert "device_authorization_endpoint" not in doc
    for name in ("authorization_endpoint", "token_endpoint", "jwks_uri", "end_session_endpoint"):
        assert doc[name].startswith(clean.entra.base_url)


def test_every_advertised_local_endpoint_answers(clean: MockFleet, walker: Walker) -> None:
    for url in (f"{clean.entra.base_url}/{clean.tenant_id}/.well-known/openid-configuration", clean.entra.discovery_url(clean.tenant_id)):
        _, doc = _get_json(walker, url)
        assert walker.get(doc["jwks_uri"]).status == 200
        assert walker.get(doc["authorization_endpoint"]).status != 404
        assert walker.send(doc["token_endpoint"], {}).status == 400  # Entra's JSON error, not a 404


def test_v1_keys_are_the_same_keys_without_the_v2_issuer(clean: MockFleet, walker: Walker) -> None:
    tid = clean.tenant_id
    page, v1 = _get_json(walker, f"{clean.entra.base_url}/{tid}/discovery/keys")
    _, v2 = _get_json(walker, clean.entra.jwks_url(tid))
    assert page.headers["cache-control"] == "max-age=86400, private"
    assert [k["kid"] for k in v1["keys"]] == [k["kid"] for k in v2["keys"]]
    assert all("issuer" not in k and k["kid"] == k["x5t"] and k["x5c"] for k in v1["keys"])
    assert decode_jwks(page.text.encode()).keys[0].usable
    assert walker.get(f"{clean.entra.base_url}/common/discovery/keys").status == 200


# -- v1 OAuth ----------------------------------------------------------------------------------
def _v1_authorize(w: Walker, f: MockFleet, **params: str) -> Page:
    query = {"client_id": IDS.jira_client, "response_type": "code", "redirect_uri": f.jira.redirect_url, "resource": GRAPH,
             "state": "st-v1", "nonce": "n-v1", **params}
    return w.get(f"{f.entra.base_url}/{f.tenant_id}/oauth2/authorize?" + urlencode({k: v for k, v in query.items() if v != ""}))


def _v1_token(w: Walker, f: MockFleet, **form: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    page = w.send(f"{f.entra.base_url}/{f.tenant_id}/oauth2/token", form)
    return page.status, json.loads(page.text)


def _v1_code(w: Walker, f: MockFleet, **params: str) -> str:
    page = entra_sign_in(w, _v1_authorize(w, f, **params), *SIMON)
    assert page.status == 302, page.text[:500]
    query = {k: v[0] for k, v in parse_qs(urlsplit(page.location).query).items()}  # type: ignore[arg-type]
    assert query["state"] == "st-v1"
    return query["code"]


def _redeem(w: Walker, f: MockFleet, code: str, **extra: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": f.jira.redirect_url,
            "client_id": IDS.jira_client, "client_secret": IDS.jira_secret_value, **extra}
    return _v1_token(w, f, **form)


def test_the_v1_code_flow_answers_in_v1_shape(clean: MockFleet, walker: Walker) -> None:
    tid = clean.tenant_id
    status, body = _redeem(walker, clean, _v1_code(walker, clean))
    assert status == 200, body
    assert body["resource"] == GRAPH and body["token_type"] == "Bearer"
    assert body["expires_in"] == "3599" and int(body["expires_on"]) - int(body["not_before"]) == 3599
    # v1 grants the permissions configured on the registration for the resource (the portal lists IMAP/POP under Graph).
    granted = "IMAP.AccessAsUser.All POP.AccessAsUser.All Mail.ReadWrite User.Read"
    assert body["scope"] == granted and body["refresh_token"]
    access = decode_jwt(body["access_token"])
    assert access.claims["aud"] == GRAPH and access.claims["iss"] == f"https://sts.windows.net/{tid}/" and access.claims["ver"] == "1.0"
    assert access.claims["scp"] == granted and access.claims["upn"] == SIMON[0]
    jwks = decode_jwks(walker.get(f"{clean.entra.base_url}/{tid}/discovery/keys").text.encode())
    expected = JwtExpectations(issuer=f"https://sts.windows.net/{tid}/", client_id=IDS.jira_client, nonce="n-v1")
    verdict = verify_jwt(body["id_token"], jwks, expected=expected)
    assert verdict.trusted, verdict.problems
    id_token = decode_jwt(body["id_token"])
    claims = id_token.claims
    assert claims["ver"] == "1.0" and claims["upn"] == SIMON[0] and claims["unique_name"] == SIMON[0]
    assert claims["amr"] == ["pwd"] and claims["tid"] == tid and claims["aud"] == IDS.jira_client
    assert "preferred_username" not in claims and id_token.header["x5t"] == id_token.header["kid"]


def test_the_v1_token_request_may_name_the_resource(clean: MockFleet, walker: Walker) -> None:
    code = _v1_code(walker, clean, resource="")
    status, body = _redeem(walker, clean, code, resource="https://outlook.office.com/")
    assert status == 200, body
    assert body["resource"] == "https://outlook.office.com/" and body["scope"] == "IMAP.AccessAsUser.All POP.AccessAsUser.All"
    assert decode_jwt(body["access_token"]).claims["aud"] == "https://outlook.office.com"


def test_v1_authorize_refuses_an_unknown_resource_on_the_redirect(clean: MockFleet, walker: Walker) -> None:
    page = _v1_authorize(walker, clean, resource="https://nothing.example")
    query = parse_qs(urlsplit(page.location).query)  # type: ignore[arg-type]
    assert query["error"] == ["invalid_resource"] and query["error_description"][0].startswith("AADSTS500011: ")


def test_v1_client_credentials_needs_a_resource(clean: MockFleet, walker: Walker) -> None:
    creds = {"grant_type": "client_credentials", "client_id": IDS.jira_client, "client_secret": IDS.jira_secret_value}
    status, body = _v1_token(walker, clean, **creds)
    assert status == 400 and body["error_codes"] == [90014] and "'resource'" in body["error_description"]
    status, body = _v1_token(walker, clean, **creds, resource=GRAPH)
    assert status == 200, body
    assert body["resource"] == GRAPH and isinstance(body["expires_in"], str) and "refresh_token" not in body
    claims = decode_jwt(body["access_token"]).claims
    assert claims["aud"] == GRAPH and claims["idtyp"] == "app" and claims["iss"] == f"https://sts.windows.net/{clean.tenant_id}/"


def test_the_v1_refresh_keeps_the_resource_and_the_secret_id_still_fails(clean: MockFleet, walker: Walker) -> None:
    _, body = _redeem(walker, clean, _v1_code(walker, clean))
    status, again = _v1_token(walker, clean, grant_type="refresh_token", refresh_token=body["refresh_token"],
                              client_id=IDS.jira_client, client_secret=IDS.jira_secret_value)
    assert status == 200 and again["resource"] == GRAPH and decode_jwt(again["access_token"]).claims["aud"] == GRAPH
    status, wrong = _redeem(walker, clean, _v1_code(Walker(), clean), client_secret=IDS.jira_secret_id)
    assert status == 401 and wrong["error_codes"] == [7000215]


def test_v1_id_token_from_the_front_channel(clean: MockFleet, walker: Walker) -> None:
    clean.entra.configure_registration(IDS.jira_client, id_tokens_enabled=True)
    page = entra_sign_in(walker, _v1_authorize(walker, clean, response_type="id_token", response_mode="form_post"), *SIMON)
    token = decode_jwt(hidden_fields(page)["id_token"])
    assert token.claims["iss"] == f"https://sts.windows.net/{clean.tenant_id}/" and token.claims["unique_name"] == SIMON[0]


def test_v1_logout_ends_the_session(clean: MockFleet, walker: Walker) -> None:
    _v1_code(walker, clean)
    out = walker.get(f"{clean.entra.base_url}/{clean.tenant_id}/oauth2/logout?post_logout_redirect_uri={clean.jira.redirect_url}")
    assert out.status == 302 and out.location == clean.jira.redirect_url
    assert "loginfmt" in _v1_authorize(walker, clean).text  # no SSO session any more


# -- WS-Fed apps -------------------------------------------------------------------------------
def _add_wsfed_app(f: MockFleet, reply: str, **changes: object) -> EnterpriseApp:
    tenant = f.entra.tenant(f.tenant_id)
    app = EnterpriseApp(WSFED_APP, "Contoso WS-Fed portal", (REALM,), (reply,), name_id_source="user.mail",
                        certificates=(SigningCertificate(KEY_NAMES["atlassian"]),), **changes)  # type: ignore[arg-type]
    f.entra.update_tenant(replace(tenant, enterprise_apps=(*tenant.enterprise_apps, app)))
    return app


def _wsfed(f: MockFleet, **params: str) -> str:
    return f"{f.entra.base_url}/{f.tenant_id}/wsfed?" + urlencode(params)


def test_wsfed_sign_in_posts_an_rstr_with_a_saml11_token_to_the_reply_url(clean: MockFleet, walker: Walker) -> None:
    reply = f"{clean.atlassian.base_url}/wsfed/reply"
    _add_wsfed_app(clean, reply)
    page = entra_sign_in(walker, walker.get(_wsfed(clean, wa="wsignin1.0", wtrealm=REALM, wctx="rm=0&id=abc")), *SIMON)
    form = page.form()
    assert form.action == reply and form.method == "POST"
    fields = hidden_fields(page)
    assert fields["wa"] == "wsignin1.0" and fields["wctx"] == "rm=0&id=abc"
    cert = clean.entra.signing_key(WSFED_APP).cert
    message = decode_wsfed(fields, trusted_certs=[cert], now=clean.clock())
    assert isinstance(message, WsFedSignInResponse) and message.trusted and message.problems == ()
    assert message.trust_version == "1.2" and message.applies_to == REALM and message.token_type == "urn:oasis:names:tc:SAML:1.0:assertion"
    token = message.token
    assert token is not None and token.saml_version == "1.1"  # type: ignore[union-attr]
    assert token.issuer == f"https://sts.windows.net/{clean.tenant_id}/" and token.audiences == (REALM,)
    assert token.name_id is not None and token.name_id.value == SIMON[0]
    assert token.attributes[CLAIM_URI["tenantid"]] == (clean.tenant_id,)
    assert token.attributes[CLAIM_URI["name"]] == (SIMON[0],)


def test_wsfed_refuses_an_unknown_realm_and_an_unregistered_reply(clean: MockFleet, walker: Walker) -> None:
    _add_wsfed_app(clean, f"{clean.atlassian.base_url}/wsfed/reply")
    assert 'data-aadsts="700016"' in walker.get(_wsfed(clean, wa="wsignin1.0", wtrealm="urn:nobody")).text
    page = walker.get(_wsfed(clean, wa="wsignin1.0", wtrealm=REALM, wreply="https://evil.example/"))
    assert 'data-aadsts="50011"' in page.text
    assert 'data-aadsts="90014"' in walker.get(_wsfed(clean, wa="wsignin1.0")).text


def test_wsfed_sign_out_ends_the_session_and_honours_only_a_known_wreply(clean: MockFleet, walker: Walker) -> None:
    reply = f"{clean.atlassian.base_url}/wsfed/reply"
    _add_wsfed_app(clean, reply)
    entra_sign_in(walker, walker.get(_wsfed(clean, wa="wsignin1.0", wtrealm=REALM)), *SIMON)
    out = walker.get(_wsfed(clean, wa="wsignout1.0", wreply=reply))
    assert out.status == 302 and out.location == reply
    assert "loginfmt" in walker.get(_wsfed(clean, wa="wsignin1.0", wtrealm=REALM)).text
    elsewhere = walker.get(_wsfed(clean, wa="wsignout1.0", wreply="https://evil.example/"))
    assert elsewhere.status == 200 and "SignOutStatusMessage" in elsewhere.text


def test_wsfed_applies_assignment_like_saml(clean: MockFleet, walker: Walker) -> None:
    _add_wsfed_app(clean, f"{clean.atlassian.base_url}/wsfed/reply", assignment_required=True, assignments=(IDS.group_m365,))
    page = entra_sign_in(walker, walker.get(_wsfed(clean, wa="wsignin1.0", wtrealm=REALM)), *SIMON)
    assert 'data-aadsts="50105"' in page.text
