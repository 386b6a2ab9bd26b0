"""OAuth 2.0 / OIDC keys of a targets file, the harness's client built from them, and the OIDC checks of the runner."""

from __future__ import annotations

import json
import textwrap
import threading
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ..expect.oidc_support import CLIENT_ID, ISSUER, JWKS, oidc_trace

from sso_harness.expect import ExpectationFailed
from sso_harness.targets import Expectations, IdpSpec, SpSpec, TargetError, parse_targets
from sso_harness.targets import TestUser as User
from sso_harness.targets.load import BAD_VALUE, LITERAL_SECRET, MISSING_KEY
from sso_harness.targets.runner import DEFAULT_SCOPES, DISCOVERY_FAILED, check_expectations, client_config_of, provider_jwks_of

CLIENT = textwrap.dedent("""\
    targets:
      op:
        idp:
          kind: generic
          issuer: https://op.example/oidc
        sps:
          harness:
            client_id: my-client
            client_secret: ${OP_SECRET}
            scopes: [openid, email, offline_access]
            redirect_uri: http://127.0.0.1:8765/cb
            pkce: false
            response_mode: form_post
            token_auth: client_secret_post
            flows: [oidc_client]
            expect:
              id_token:
                sub: "{user.username}"
                email_verified: true
                amr: [pwd, mfa]
              access_token: {scp: read}
              userinfo: {email: "{user.email}"}
              scopes: [email]
              refresh_token: true
        users:
          - username: carol
            password: ${OP_PW}
            email: carol@example.test
    """)
ENV = {"OP_SECRET": "s3cret-value", "OP_PW": "pw"}
USER = User("carol", "unused", {"email": "carol@example.test"})


def test_the_client_keys_and_the_oidc_expectations_are_read() -> None:
    target = parse_targets(CLIENT, env=ENV)["op"]
    (sp,) = target.sps
    assert (sp.client_id, sp.client_secret, sp.scopes) == ("my-client", "s3cret-value", ("openid", "email", "offline_access"))
    assert (sp.redirect_uri, sp.pkce, sp.response_mode, sp.token_auth) == ("http://127.0.0.1:8765/cb", False, "form_post",
                                                                          "client_secret_post")
    assert sp.flows == ("oidc_client",)
    x = sp.expect
    assert x.id_token == {"sub": ["{user.username}"], "email_verified": ["true"], "amr": ["pwd", "mfa"]}
    assert (x.access_token, x.userinfo) == ({"scp": ["read"]}, {"email": ["{user.email}"]})
    assert (x.scopes, x.refresh_token) == (("email",), True)
    assert "s3cret-value" not in repr(sp)


def test_the_harness_client_is_built_from_the_sp_entry() -> None:
    target = parse_targets(CLIENT, env=ENV)["op"]
    config = client_config_of(target.idp, target.sps[0])
    assert (config.issuer, config.client_id, config.client_secret) == ("https://op.example/oidc", "my-client", "s3cret-value")
    assert (config.redirect_uri, config.pkce, config.response_mode, config.auth_method, config.userinfo) == (
        "http://127.0.0.1:8765/cb", False, "form_post", "client_secret_post", True)
    plain = client_config_of(target.idp, replace(target.sps[0], scopes=(), redirect_uri=None))
    assert plain.scopes == DEFAULT_SCOPES and plain.redirect_uri is None


def test_a_literal_client_secret_and_bad_values_are_coded_problems() -> None:
    text = (CLIENT.replace("${OP_SECRET}", "plain-secret").replace("form_post", "fragment")
            .replace("client_secret_post", "private_key_jwt").replace("pkce: false", "pkce: maybe"))
    with pytest.raises(TargetError) as err:
        parse_targets(text, source="t.yaml", env=ENV)
    found = {(p.code, p.where) for p in err.value.problems}
    assert (LITERAL_SECRET, "targets.op.sps.harness.client_secret") in found
    assert (BAD_VALUE, "targets.op.sps.harness.response_mode") in found
    assert (BAD_VALUE, "targets.op.sps.harness.token_auth") in found
    assert (BAD_VALUE, "targets.op.sps.harness.pkce") in found
    assert "plain-secret" not in str(err.value)


def test_the_oidc_client_flow_needs_a_client_id_and_an_issuer() -> None:
    text = CLIENT.replace("      issuer: https://op.example/oidc\n", "").replace("        client_id: my-client\n", "")
    with pytest.raises(TargetError) as err:
        parse_targets(text, source="t.yaml", env=ENV)
    found = {(p.code, p.where) for p in err.value.problems}
    assert found == {(MISSING_KEY, "targets.op.sps.harness.client_id"), (MISSING_KEY, "targets.op.idp.issuer")}


# ---- the runner's OIDC checks, on the hand-built flow of tests/expect/oidc_support.py ----

IDP = IdpSpec(kind="generic", issuer=ISSUER)
RP = SpSpec(name="rp", sign_on_url="http://127.0.0.1:5200/login", landing_url="http://127.0.0.1:5200/callback",
            client_id=CLIENT_ID, flows=("oidc",))


def _sp(**expect: object) -> SpSpec:
    return replace(RP, expect=Expectations(**expect))  # type: ignore[arg-type]  # test values of the declared types


def test_an_rp_flow_meets_every_oidc_expectation_of_the_file() -> None:
    sp = _sp(id_token={"sub": ["{user.username}"], "email": ["{user.email}"], "amr": ["mfa"], "email_verified": ["true"]},
             access_token={"scp": ["read"]}, userinfo={"sub": ["carol"]}, scopes=("openid", "email"), refresh_token=True)
    check_expectations(oidc_trace(), sp, USER, "oidc", idp=IDP)


@pytest.mark.parametrize(("sp", "idp", "said"), [
    (_sp(id_token={"email": ["dave@example.test"]}), IDP, "ID token claim email"),
    (_sp(), IdpSpec(kind="generic", issuer="https://other.example"), "ID token claim iss"),
    (replace(RP, client_id="someone-else"), IDP, "authorization request client_id"),
    (_sp(refresh_token=False), IDP, "refresh token"),
    (_sp(scopes=("offline_access",)), IDP, "scopes granted"),
    (_sp(error="access_denied"), IDP, "OAuth error"),
])
def test_each_oidc_expectation_fails_saying_which(sp: SpSpec, idp: IdpSpec, said: str) -> None:
    with pytest.raises(ExpectationFailed) as failed:
        check_expectations(oidc_trace(), sp, USER, "oidc", idp=idp)
    assert said in str(failed.value)


def test_an_unverified_id_token_fails_unless_the_file_says_signature_any() -> None:
    with pytest.raises(ExpectationFailed) as failed:
        check_expectations(oidc_trace(jwks=None), _sp(), USER, "oidc", idp=IDP)
    assert "ID token trust" in str(failed.value)
    check_expectations(oidc_trace(jwks=None), _sp(signature="any"), USER, "oidc", idp=IDP)


def test_an_expected_error_is_met_and_ends_the_checks() -> None:
    trace = oidc_trace(callback_query="error=access_denied&error_description=AADSTS50105%3A+not+assigned&state=st-42")
    check_expectations(trace, _sp(error="access_denied", error_description="AADSTS50105"), USER, "oidc", idp=IDP)
    with pytest.raises(ExpectationFailed) as failed:
        check_expectations(trace, _sp(), USER, "oidc", idp=IDP)
    assert "OAuth error" in str(failed.value) and "access_denied" in str(failed.value)


# ---- the provider's keys: discovery, then jwks_uri ----

class _Provider(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        host = f"http://{self.headers['Host']}"
        docs = {"/oidc/.well-known/openid-configuration": {"issuer": f"{host}/oidc", "jwks_uri": f"{host}/oidc/keys"},
                "/oidc/keys": JWKS}
        body = json.dumps(docs[self.path]).encode() if self.path in docs else b"{}"
        self.send_response(200 if self.path in docs else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def provider() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Provider)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def test_the_jwks_is_found_through_the_issuers_discovery_document(provider: str) -> None:
    assert provider_jwks_of(IdpSpec(kind="generic", issuer=f"{provider}/oidc"), proxy_url=None) == JWKS
    assert provider_jwks_of(IdpSpec(kind="generic", jwks_uri=f"{provider}/oidc/keys"), proxy_url=None) == JWKS
    assert provider_jwks_of(IdpSpec(kind="saml"), proxy_url=None) is None


def test_a_provider_without_discovery_is_a_coded_failure_naming_the_url(provider: str) -> None:
    with pytest.raises(ExpectationFailed) as failed:
        provider_jwks_of(IdpSpec(kind="generic", issuer=f"{provider}/nowhere"), proxy_url=None)
    assert str(failed.value).startswith(DISCOVERY_FAILED)
    assert f"{provider}/nowhere/.well-known/openid-configuration" in str(failed.value)
