"""A hand-built OIDC code flow as recorded hops, with an RSA key made here (nothing secret is stored).

The relying party at :data:`RP`, the provider at :data:`OP`: the provider's
own sign-in form posts back to its authorize URL with the original query
(as Entra's ``/oauth2/authorize`` does), then the callback, the token call
and a UserInfo call with the access token.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from urllib.parse import urlencode

from cryptography.hazmat.primitives.asymmetric import rsa

from sso_harness.capture.hop import Hop
from sso_harness.protocols.jose import jwks_from_keys, sign_jwt
from sso_harness.trace.context import DecodeContext
from sso_harness.trace.trace import Trace

NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.timezone.utc)
T0 = int(NOW.timestamp())
RP, OP = "http://127.0.0.1:5200", "http://127.0.0.1:6200"
ISSUER = f"{OP}/oidc"
CB = f"{RP}/callback"
CLIENT_ID = "rp-client"
STATE, NONCE = "st-42", "n-42"
VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
JWKS: dict[str, Any] = jwks_from_keys([(KEY, "k1", None)])

_DOC = (("sec-fetch-dest", "document"), ("sec-fetch-mode", "navigate"), ("user-agent", "Mozilla/5.0"))
_BACK = (("sec-fetch-dest", "empty"), ("user-agent", "Python-urllib/3"))  # a server's call, not a navigation
_FORM = (("content-type", "application/x-www-form-urlencoded"),)
_JSON = (("content-type", "application/json"),)


def id_token(**overrides: Any) -> str:
    claims: dict[str, Any] = {"iss": ISSUER, "sub": "carol", "aud": [CLIENT_ID, "api"], "exp": T0 + 3600, "iat": T0,
                              "nonce": NONCE, "email": "carol@example.test", "email_verified": True, "amr": ["pwd", "mfa"],
                              "acr": "urn:example:loa:2", "azp": CLIENT_ID}
    claims.update(overrides)
    return sign_jwt({k: v for k, v in claims.items() if v is not None}, KEY, "RS256", "k1", None)


def access_token() -> str:
    return sign_jwt({"iss": ISSUER, "sub": "carol", "aud": "api", "scp": "read", "exp": T0 + 3600, "iat": T0}, KEY, "RS256", "k1", None)


def oidc_hops(*, token_body: dict[str, Any] | None = None, callback_query: str | None = None) -> list[Hop]:
    """The flow's hops; ``token_body`` replaces the token response, ``callback_query`` the callback's query."""
    query = urlencode({"client_id": CLIENT_ID, "response_type": "code", "redirect_uri": CB, "scope": "openid email",
                       "state": STATE, "nonce": NONCE, "code_challenge": CHALLENGE, "code_challenge_method": "S256"})
    body = token_body if token_body is not None else {
        "token_type": "Bearer", "access_token": access_token(), "id_token": id_token(), "refresh_token": "rt-1",
        "expires_in": 3600, "scope": "openid email"}
    token_form = urlencode({"grant_type": "authorization_code", "code": "code-1", "redirect_uri": CB, "client_id": CLIENT_ID,
                            "code_verifier": VERIFIER}).encode()
    cb = callback_query if callback_query is not None else urlencode({"code": "code-1", "state": STATE})
    hops = [
        Hop(0, "GET", f"{RP}/login", _DOC, b"", 302, (("location", f"{OP}/authorize?{query}"),), 100.0, 100.01),
        Hop(1, "GET", f"{OP}/authorize?{query}", _DOC, b"", 200, (), 101.0, 101.01),
        Hop(2, "POST", f"{OP}/authorize?{query}", (*_DOC, *_FORM), b"username=carol&password=x", 302,
            (("location", f"{CB}?{cb}"),), 102.0, 102.01),
        Hop(3, "GET", f"{CB}?{cb}", _DOC, b"", 200, (), 103.0, 103.01),
    ]
    if "code=" in cb:
        hops += [
            Hop(4, "POST", f"{OP}/token", (*_BACK, *_FORM), token_form, 400 if "error" in body else 200, _JSON, 104.0, 104.01,
                response_body=json.dumps(body).encode()),
            Hop(5, "GET", f"{OP}/me", (*_BACK, ("authorization", "Bearer at"), ("accept", "application/json")), b"", 200, _JSON,
                105.0, 105.01, response_body=json.dumps({"sub": "carol", "email": "carol@example.test"}).encode()),
        ]
    return hops


def oidc_trace(*, jwks: dict[str, Any] | None = JWKS, **kwargs: Any) -> Trace:
    return Trace.from_hops(oidc_hops(**kwargs), context=DecodeContext(jwks=jwks, now=NOW))
