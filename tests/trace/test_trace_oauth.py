"""OAuth / OIDC hops in a trace: found, decoded, verified against a JWKS, correlated."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from urllib.parse import urlencode

from cryptography.hazmat.primitives.asymmetric import rsa

from sso_harness.capture.hop import Hop
from sso_harness.protocols.jose import jwks_from_keys, sign_jwt
from sso_harness.report.redact import Redactor
from sso_harness.report.trace_json import dump_trace
from sso_harness.protocols.problems import OAUTH_STATE_MISMATCH, OIDC_NONCE_MISMATCH
from sso_harness.trace.trace import DecodeContext, Trace

from ..report.secret_scan import leaks

NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.timezone.utc)
IDP = "http://127.0.0.1:7000/tenant-1/oauth2/v2.0"
APP = "http://127.0.0.1:7100"
VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
CHALLENGE = base64.urlsafe_b64encode(hashlib.sha256(VERIFIER.encode()).digest()).rstrip(b"=").decode()
CODE = "0.AXcode-PlantedForTraceTest"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _browser(i: int, method: str, url: str, status: int, *, body: bytes = b"", location: str | None = None) -> Hop:
    headers = (("User-Agent", "Mozilla/5.0"), ("Sec-Fetch-Mode", "navigate"), ("Sec-Fetch-Dest", "document"))
    if body:
        headers += (("Content-Type", "application/x-www-form-urlencoded"),)
    resp = (("Location", location),) if location else ()
    return Hop(i, method, url, headers, body, status, resp, 1_800_000_000.0 + i, 1_800_000_000.0 + i + 0.01)


def _trace(*, callback_state: str = "st-1", nonce_in_token: str = "n-1") -> Trace:
    id_token = sign_jwt(
        {"iss": IDP.replace("/oauth2/v2.0", "/v2.0"), "aud": "client-1", "sub": "s", "nonce": nonce_in_token,
         "iat": int(NOW.timestamp()) - 10, "exp": int(NOW.timestamp()) + 3600},
        KEY, "RS256", "k1",
    )
    authorize = f"{IDP}/authorize?" + urlencode({
        "response_type": "code", "client_id": "client-1", "redirect_uri": f"{APP}/cb", "scope": "openid offline_access",
        "state": "st-1", "nonce": "n-1", "code_challenge": CHALLENGE, "code_challenge_method": "S256",
    })
    callback = f"{APP}/cb?" + urlencode({"code": CODE, "state": callback_state})
    token_body = urlencode({"grant_type": "authorization_code", "code": CODE, "redirect_uri": f"{APP}/cb",
                            "client_id": "client-1", "code_verifier": VERIFIER}).encode()
    token_response = json.dumps({"access_token": "at-PlantedAccess", "token_type": "Bearer", "expires_in": 3600,
                                 "refresh_token": "rt-PlantedRefresh", "id_token": id_token}).encode()
    hops = [
        _browser(0, "GET", authorize, 302, location=callback),
        _browser(1, "GET", callback, 200),
        Hop(2, "POST", f"{IDP}/token", (("User-Agent", "python-requests"), ("Content-Type", "application/x-www-form-urlencoded")),
            token_body, 200, (("Content-Type", "application/json"),), 1_800_000_001.5, 1_800_000_001.6, response_body=token_response),
    ]
    jwks = jwks_from_keys([(KEY.public_key(), "k1", "RS256")])
    return Trace.from_hops(hops, context=DecodeContext(jwks=jwks, now=NOW))


def test_each_oauth_message_is_found_where_it_travels() -> None:
    trace = _trace()
    kinds = [[(m.kind, m.source) for m in h.messages] for h in trace]
    assert ("oauth.authorize_request", "request query") in kinds[0]
    assert ("oauth.authorize_response", "request query") in kinds[1]
    assert [k for k, _ in kinds[2]] == ["oauth.token_request", "oauth.token_response"]
    assert trace.hops[2].hop.back_channel and not trace.hops[0].hop.back_channel
    # OIDC where the message itself says so (openid scope, an ID token); plain OAuth otherwise.
    assert [[m.protocol for m in h.messages] for h in trace] == [["oidc"], ["oauth"], ["oauth", "oidc"]]


def test_the_round_trip_correlates_without_problems() -> None:
    (exchange,) = _trace().exchanges
    assert (exchange.kind, exchange.request_hop, exchange.response_hop) == ("oauth.code", 0, 2)
    assert exchange.problems == ()


def test_a_changed_state_and_a_wrong_nonce_are_problems() -> None:
    problems = [p for e in _trace(callback_state="st-evil", nonce_in_token="n-evil").exchanges for p in e.problems]
    assert sorted(p.code for p in problems) == [OAUTH_STATE_MISMATCH, OIDC_NONCE_MISMATCH]
    assert any("state" in p.message for p in problems) and any("nonce" in p.message for p in problems)


def test_oauth_secrets_stay_out_of_the_trace_json() -> None:
    text = dump_trace(_trace(), Redactor())
    assert leaks(text, [CODE, VERIFIER, "at-PlantedAccess", "rt-PlantedRefresh"]) == []
    assert '"oauth.token_response"' in text
