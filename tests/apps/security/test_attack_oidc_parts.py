"""The loopback provider, the tampered ID tokens and the relying party's validation, piece by piece."""

from __future__ import annotations

import base64
import datetime as dt
import json
import urllib.request
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from sso_harness.apps.security.lab_subjects import OIDC_USER, OIDC_VICTIM
from sso_harness.mocks.attack_lab import ProviderClient, serve_provider
from sso_harness.mocks.attack_lab.id_tokens import (
    OTHER_CLIENT,
    OTHER_ISSUER,
    TAMPERS,
    IdTokenKey,
    claims_for,
    issue_id_token,
)
from sso_harness.protocols.jose import decode_jwt, jwks_from_keys
from sso_harness.protocols.oauth.pkce import s256_challenge
from sso_harness.mocks.oidc_rp import RpWeakness, open_to, parse_rp_weaknesses, validate_id_token

NOW = dt.datetime(2025, 3, 4, 10, 0, tzinfo=dt.timezone.utc)
ISSUER, CLIENT = "https://op.example", "client-1"
# The check each tamper defeats, as the relying party's weakness that skips it.
SKIPS = {"alg-none": RpWeakness.ACCEPTS_ALG_NONE, "wrong-key": RpWeakness.SKIPS_SIGNATURE, "wrong-iss": RpWeakness.NO_ISS_CHECK,
         "wrong-aud": RpWeakness.NO_AUD_CHECK, "expired": RpWeakness.NO_EXP_CHECK, "nonce-mismatch": RpWeakness.NO_NONCE_CHECK}


@pytest.fixture(scope="module")
def keys() -> tuple[IdTokenKey, rsa.RSAPrivateKey]:
    return IdTokenKey(rsa.generate_private_key(public_exponent=65537, key_size=2048), "k1"), rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _token(keys, tamper=None):  # type: ignore[no-untyped-def]
    claims = claims_for(issuer=ISSUER, client_id=CLIENT, sub="s", email="e@x", name="n", nonce="n-1", now=NOW)
    return issue_id_token(claims, keys[0], tamper=tamper, attacker=keys[1], now=NOW)


def _validate(keys, token, weaknesses=()):  # type: ignore[no-untyped-def]
    jwks = jwks_from_keys([(keys[0].key, keys[0].kid, "RS256")])
    return validate_id_token(token, jwks=jwks, issuer=ISSUER, client_id=CLIENT, nonce="n-1", now=NOW,
                             weaknesses=parse_rp_weaknesses(weaknesses))


def test_an_honest_token_is_accepted(keys) -> None:
    claims, problems = _validate(keys, _token(keys))
    assert problems == () and claims is not None and claims["email"] == "e@x"


@pytest.mark.parametrize("tamper", TAMPERS)
def test_each_tamper_is_refused_and_passes_only_the_weakness_that_skips_its_check(keys, tamper) -> None:
    token = _token(keys, tamper)
    claims, problems = _validate(keys, token)
    assert claims is None and problems
    accepted, _ = _validate(keys, token, [SKIPS[tamper]])
    assert accepted is not None
    for other in set(SKIPS.values()) - {SKIPS[tamper], RpWeakness.SKIPS_SIGNATURE}:
        assert _validate(keys, token, [other])[0] is None, f"{other} must not let {tamper} through"


def test_tampered_claims(keys) -> None:
    assert decode_jwt(_token(keys, "wrong-iss")).claims["iss"] == OTHER_ISSUER
    assert decode_jwt(_token(keys, "wrong-aud")).claims["aud"] == OTHER_CLIENT
    assert decode_jwt(_token(keys, "alg-none")).header["alg"] == "none"
    assert decode_jwt(_token(keys, "wrong-key")).header["kid"] == "k1"
    assert decode_jwt(_token(keys, "expired")).claims["exp"] < NOW.timestamp()
    assert decode_jwt(_token(keys, "nonce-mismatch")).claims["nonce"] != "n-1"
    with pytest.raises(ValueError, match="attacker's key"):
        issue_id_token({}, keys[0], tamper="wrong-key")


def test_weakness_names_and_combinations() -> None:
    with pytest.raises(ValueError, match="unknown RP weakness"):
        parse_rp_weaknesses(["nope"])
    assert open_to(["no-mixup-defense"], providers=1) == frozenset()
    assert open_to(["no-mixup-defense"], providers=2) == {"oidc-mix-up"}
    assert "oidc-code-injection" in open_to(["no-pkce", "no-nonce-check"])


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    class Keep(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *a, **k):  # type: ignore[no-untyped-def]
            return None

    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), Keep)
    try:
        with opener.open(url, timeout=5) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def _post(url: str, fields: dict[str, str], basic: tuple[str, str]) -> tuple[int, dict]:  # type: ignore[type-arg]
    auth = base64.b64encode(f"{basic[0]}:{basic[1]}".encode()).decode()
    request = urllib.request.Request(url, data=urlencode(fields).encode(), headers={"Authorization": f"Basic {auth}"})
    try:
        with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(request, timeout=5) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


@pytest.fixture
def provider():  # type: ignore[no-untyped-def]
    with serve_provider(name="t") as p:
        p.register(ProviderClient("c", "secret", ("http://127.0.0.1:9/cb",)))
        yield p


def _authorize(provider, **extra):  # type: ignore[no-untyped-def]
    query = {"response_type": "code", "client_id": "c", "redirect_uri": "http://127.0.0.1:9/cb", "state": "s1", "nonce": "n1", **extra}
    status, headers, _ = _get(f"{provider.authorization_endpoint}?{urlencode(query)}")
    return status, parse_qs(urlsplit(headers.get("Location", "")).query)


def test_the_provider_answers_with_code_state_and_iss_and_enforces_pkce(provider) -> None:
    provider.switches.persona = OIDC_USER
    verifier = "v" * 43
    status, params = _authorize(provider, code_challenge=s256_challenge(verifier), code_challenge_method="S256")
    assert status == 302 and params["state"] == ["s1"] and params["iss"] == [provider.issuer]
    code = params["code"][0]
    token = {"grant_type": "authorization_code", "code": code, "redirect_uri": "http://127.0.0.1:9/cb"}
    assert _post(f"{provider.issuer}/token", {**token, "code_verifier": "w" * 43}, ("c", "secret"))[0] == 400
    status, params = _authorize(provider, code_challenge=s256_challenge(verifier), code_challenge_method="S256")
    status, body = _post(f"{provider.issuer}/token", {**token, "code": params["code"][0], "code_verifier": verifier}, ("c", "secret"))
    assert status == 200 and decode_jwt(body["id_token"]).claims["email"] == OIDC_USER.email
    assert decode_jwt(body["id_token"]).claims["nonce"] == "n1"
    assert [r.outcome for r in provider.redemptions] == ["code_verifier does not match the code_challenge", "ok"]


def test_the_provider_refuses_a_verifier_for_a_code_without_challenge_and_unknown_redirects(provider) -> None:
    provider.switches.persona = OIDC_USER
    _, params = _authorize(provider)
    fields = {"grant_type": "authorization_code", "code": params["code"][0], "redirect_uri": "http://127.0.0.1:9/cb", "code_verifier": "v" * 43}
    assert _post(f"{provider.issuer}/token", fields, ("c", "secret"))[0] == 400
    assert "RFC 9700" in provider.redemptions[-1].outcome
    assert _get(f"{provider.authorization_endpoint}?client_id=c&redirect_uri=http://evil/cb")[0] == 400
    provider.switches.lax_redirect = True
    status, headers, _ = _get(f"{provider.authorization_endpoint}?client_id=c&redirect_uri=http://evil/cb&state=s")
    assert status == 302 and headers["Location"].startswith("http://evil/cb?code=")


def test_hold_keeps_the_browser_at_the_provider_and_the_tamper_applies_once(provider) -> None:
    provider.switches.persona, provider.switches.hold = OIDC_USER, True
    status, params = _authorize(provider)
    assert status == 200 and params == {} and provider.held and provider.last_authorization().code  # type: ignore[union-attr]
    provider.switches.hold = False
    provider.switches.tamper = ("wrong-aud", OIDC_VICTIM)
    for expected_aud, expected_email in ((OTHER_CLIENT, OIDC_VICTIM.email), ("c", OIDC_USER.email)):
        _, params = _authorize(provider)
        _, body = _post(f"{provider.issuer}/token", {"grant_type": "authorization_code", "code": params["code"][0],
                                                     "redirect_uri": "http://127.0.0.1:9/cb"}, ("c", "secret"))
        claims = decode_jwt(body["id_token"]).claims
        assert (claims["aud"], claims["email"]) == (expected_aud, expected_email)


def test_discovery_advertises_pkce_and_rfc9207_unless_switched(provider) -> None:
    doc = json.loads(_get(f"{provider.issuer}/.well-known/openid-configuration")[2])
    assert doc["code_challenge_methods_supported"] == ["S256"] and doc["authorization_response_iss_parameter_supported"]
    provider.switches.advertise_pkce = False
    assert "code_challenge_methods_supported" not in json.loads(_get(f"{provider.issuer}/.well-known/openid-configuration")[2])
    provider.reset()
    assert provider.switches.advertise_pkce and provider.clients
