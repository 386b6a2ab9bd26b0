"""Decode whatever OAuth 2.0 / OIDC artefact a tester pasted or a capture recorded.

:func:`decode_oauth_any` recognises, in this order:

1. a JSON object: a JWK Set (``keys``), a discovery document (``issuer`` plus
   endpoints), a token response (``access_token``/``id_token``/``error``…),
   or UserInfo claims (``sub``);
2. a compact JWT (three base64url segments, the first a JSON header);
3. a URL: an authorization request (``response_type``, or ``client_id`` with
   ``redirect_uri``) or an authorization response (``code``, ``error``, or
   tokens, in the query or the fragment);
4. a urlencoded body: a token request (``grant_type``), a POSTed
   authorization request, or a ``form_post`` authorization response.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sso_harness.protocols.errors import DECODE_NOT_RECOGNISED, DecodeError
from sso_harness.protocols.jose.claims import JwtExpectations
from sso_harness.protocols.jose.compact import Jwt, looks_like_jwt
from sso_harness.protocols.jose.jsonobj import parse_json_object
from sso_harness.protocols.jose.jwks import Jwks, decode_jwks
from sso_harness.protocols.jose.verdict import JwtVerdict, verify_jwt
from sso_harness.protocols.oauth.authorize import AuthorizeRequest, decode_authorize_request
from sso_harness.protocols.oauth.callback import AuthorizeResponse, decode_authorize_response
from sso_harness.protocols.oauth.discovery import Discovery, decode_discovery
from sso_harness.protocols.oauth.params import Params, parse_params, split_url, to_text
from sso_harness.protocols.oauth.token_request import TokenRequest, decode_token_request
from sso_harness.protocols.oauth.token_response import TokenResponse, decode_token_response
from sso_harness.protocols.oauth.userinfo import UserInfo, decode_userinfo

__all__ = ["OAuthMessage", "decode_oauth_any"]

OAuthMessage = (
    AuthorizeRequest | AuthorizeResponse | TokenRequest | TokenResponse | UserInfo | Discovery | Jwks | JwtVerdict | Jwt
)

_RESPONSE_MARKERS = ("code", "error", "id_token", "access_token")
_DISCOVERY_MARKERS = ("authorization_endpoint", "token_endpoint", "jwks_uri", "response_types_supported")
_TOKEN_MARKERS = ("access_token", "id_token", "refresh_token", "error")
_NOT_OAUTH = "not an OAuth/OIDC message"


def _json(
    text: str, jwks: Jwks | Mapping[str, Any] | None, expected: JwtExpectations | None, now: datetime | None
) -> OAuthMessage:
    doc = parse_json_object(text, where="input")
    if "keys" in doc:
        return decode_jwks(doc)
    if "issuer" in doc and any(name in doc for name in _DISCOVERY_MARKERS):
        return decode_discovery(doc)
    if any(doc.get(name) is not None for name in _TOKEN_MARKERS):
        return decode_token_response(doc, jwks=jwks, expected=expected, now=now)
    if "sub" in doc:
        return decode_userinfo(doc)
    raise DecodeError(
        f"{_NOT_OAUTH}: a JSON object, but not a JWKS, discovery document, token response or UserInfo", where="input",
        code=DECODE_NOT_RECOGNISED,
    )


def _is_authorize(params: Params) -> bool:
    return params.get("response_type") is not None or (
        params.get("client_id") is not None and params.get("redirect_uri") is not None
    )


def _is_response(params: Params) -> bool:
    return any(params.get(name) is not None for name in _RESPONSE_MARKERS)


def _url(text: str) -> OAuthMessage:
    _base, query, fragment = split_url(text, where="input")
    if _is_authorize(query):
        return decode_authorize_request(text)
    if _is_response(query) or _is_response(fragment):
        return decode_authorize_response(text)
    raise DecodeError(f"{_NOT_OAUTH}: the URL carries no authorization request or response parameters", where="input",
                      code=DECODE_NOT_RECOGNISED)


def _form(text: str) -> OAuthMessage:
    params = parse_params(text, where="input")
    if params.get("grant_type") is not None:
        return decode_token_request(text)
    if _is_authorize(params):
        return decode_authorize_request(text)
    if _is_response(params):
        return decode_authorize_response(text)
    raise DecodeError(f"{_NOT_OAUTH}: the form carries no OAuth parameters", where="input", code=DECODE_NOT_RECOGNISED)


def decode_oauth_any(
    data: bytes | str,
    *,
    jwks: Jwks | Mapping[str, Any] | None = None,
    expected: JwtExpectations | None = None,
    now: datetime | None = None,
) -> OAuthMessage:
    """Detect what ``data`` is and decode it; JWTs and ID tokens are verified when ``jwks`` is given.

    A bare JWT always yields a :class:`JwtVerdict` (without ``jwks`` its
    signature is reported as not checked, so it is never trusted).  Total:
    raises only :class:`DecodeError`, coded ``decode.not_recognised`` (reason
    "not an OAuth/OIDC message: ...") when nothing was recognised and
    ``decode.too_large`` when the input is over the size bound.
    """
    text = to_text(data, where="input").strip()
    if not text:
        raise DecodeError(f"{_NOT_OAUTH}: empty input", where="input", code=DECODE_NOT_RECOGNISED)
    if text.startswith("{"):
        return _json(text, jwks, expected, now)
    if looks_like_jwt(text) or (text[:7].lower() == "bearer " and looks_like_jwt(text[7:])):
        return verify_jwt(text, jwks, expected=expected, now=now)
    if "://" in text.split("?", 1)[0].split("#", 1)[0]:
        return _url(text)
    if text.startswith("#"):
        return decode_authorize_response(text)
    if "=" in text:
        return _form(text)
    raise DecodeError(f"{_NOT_OAUTH}: neither JSON, a JWT, a URL nor a form body", where="input", code=DECODE_NOT_RECOGNISED)
