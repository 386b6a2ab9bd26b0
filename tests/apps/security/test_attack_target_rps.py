"""A targets-file relying party as the OIDC battery sees it, and the provider the harness serves for it."""

from __future__ import annotations

import json
import socket
import urllib.request

import pytest

from sso_harness.apps.security.oidc_battery import _with_query
from sso_harness.apps.security.target_rps import (
    DEFAULT_VICTIM,
    PROVIDER_NOT_SERVABLE,
    ProviderNotServable,
    rp_personas,
    serve_target_rp,
    target_rps,
)
from sso_harness.targets import Target
from sso_harness.targets.load import parse_targets

_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _target(issuer: str, *, users: int = 2, signed_in: str = "selector: '#who'", sub: str = "'{user.username}'") -> Target:
    people = [("carol", "carol@rp.example"), ("dave", "dave@rp.example")][:users]
    user_lines = "".join(f"      - {{username: {u}, password: '${{PW}}', email: {e}}}\n" for u, e in people)
    text = f"""targets:
  rp:
    idp: {{issuer: {issuer}}}
    sps:
      web:
        sign_on_url: http://127.0.0.1:9/protected/
        redirect_uri: http://127.0.0.1:9/protected/cb
        flows: [oidc]
        client_id: web-client
        client_secret: ${{SECRET}}
        signed_in: {{{signed_in}}}
        expect: {{id_token: {{sub: {sub}}}}}
      saml-sp:
        acs: http://127.0.0.1:9/acs
        entity_id: urn:sp
        sign_on_url: http://127.0.0.1:9/login
    users:
{user_lines}"""
    return parse_targets(text, env={"PW": "pw-1", "SECRET": "s3cret"})["rp"]


def test_only_oidc_relying_parties_with_client_and_redirect_uri_are_attackable() -> None:
    target = _target("http://127.0.0.1:9999")
    assert [sp.name for sp in target_rps(target)] == ["web"]


def test_the_people_are_the_first_two_users_named_by_the_expected_sub() -> None:
    target = _target("http://127.0.0.1:9999")
    me, victim = rp_personas(target, target.sps[0])
    assert (me.sub, me.email, me.shown) == ("carol", "carol@rp.example", "carol")
    assert (victim.sub, victim.shown) == ("dave", "dave")
    alone = _target("http://127.0.0.1:9999", users=1)
    assert rp_personas(alone, alone.sps[0])[1] == DEFAULT_VICTIM


@pytest.mark.parametrize("issuer", ["https://op.example", "http://op.example:8080", "http://127.0.0.1"])
def test_an_issuer_the_harness_cannot_serve_is_a_coded_error(issuer: str) -> None:
    target = _target(issuer)
    with pytest.raises(ProviderNotServable) as caught, serve_target_rp(target, target.sps[0]):
        pass
    assert caught.value.code == PROVIDER_NOT_SERVABLE and "idp.issuer" in str(caught.value)


def test_a_taken_address_is_a_coded_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        target = _target(f"http://127.0.0.1:{taken.getsockname()[1]}")
        with pytest.raises(ProviderNotServable) as caught, serve_target_rp(target, target.sps[0]):
            pass
    assert caught.value.code == PROVIDER_NOT_SERVABLE and "cannot listen" in str(caught.value)


def test_the_provider_is_served_at_the_issuer_with_the_rps_client() -> None:
    issuer = f"http://127.0.0.1:{_free_port()}"
    target = _target(issuer)
    with serve_target_rp(target, target.sps[0]) as rp:
        with _DIRECT.open(f"{issuer}/.well-known/openid-configuration", timeout=10) as r:
            discovery = json.loads(r.read())
        provider = rp.providers[0].provider
        with _DIRECT.open(f"{issuer}/jwks", timeout=10) as r:
            kids = [k["kid"] for k in json.loads(r.read())["keys"]]
    assert discovery["issuer"] == issuer and discovery["token_endpoint"] == f"{issuer}/token"
    assert provider.clients["web-client"].redirect_uris == ("http://127.0.0.1:9/protected/cb",)
    assert kids == [provider.signing.kid] and kids[0] != "rp-1"  # a key id of this run's own
    assert rp.login_url("anything") == "http://127.0.0.1:9/protected/" and rp.detect_sign_in
    assert rp.probe.url == "http://127.0.0.1:9/protected/" and set(rp.probe.names) >= {"carol", "dave@rp.example"}


def test_without_a_signed_in_rule_the_identity_probe_decides() -> None:
    target = _target(f"http://127.0.0.1:{_free_port()}", signed_in="")
    with serve_target_rp(target, target.sps[0]) as rp:
        assert not rp.detect_sign_in and rp.sign_in_rule is None and rp.session_cookies == ()


def test_a_login_url_gets_its_query_whether_or_not_it_had_one() -> None:
    assert _with_query("http://rp/protected/", "a=1") == "http://rp/protected/?a=1"
    assert _with_query("http://rp/login?idp=x", "a=1") == "http://rp/login?idp=x&a=1"
