"""Finding OAuth 2.0 / OpenID Connect messages on recorded hops.

Where each message travels (RFC 6749 §4.1, OIDC Core §3.1, OAuth 2.0 Form
Post Response Mode):
- authorization request: the query of a GET (or the form of a POST) with
  ``response_type`` and ``client_id``;
- authorization response: the query, or a form_post body, with ``code``,
  ``id_token``, ``access_token`` or ``error``; in fragment mode it never
  reaches a server, so it is read from the IdP's 3xx ``Location`` header;
- token request: a POST form with ``grant_type``; its JSON answer is the
  token response;
- discovery, JWKS and UserInfo: JSON answers, recognised by path and shape (UserInfo
  also as the JSON answer with ``sub`` to a GET carrying a bearer token).
"""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlsplit

from sso_harness.capture.hop import Hop
from sso_harness.trace.context import DecodeContext
from sso_harness.trace.decoded import Decoded, DecodedMessage, OAuthPayload, Protocol
from sso_harness.protocols.jose import Jwks, decode_jwks
from sso_harness.protocols.oauth import (
    AuthorizeResponse,
    Discovery,
    TokenResponse,
    UserInfo,
    decode_authorize_request,
    decode_authorize_response,
    decode_discovery,
    decode_token_request,
    decode_token_response,
    decode_userinfo,
)
from sso_harness.protocols.oauth import to_json as oauth_json

__all__ = ["oauth_messages"]

RESPONSE_PARAMETERS = ("code", "id_token", "access_token", "error")


def _protocol(message: OAuthPayload) -> Protocol:
    """OIDC when the message is OIDC-only (discovery, UserInfo, JWKS), asks for or carries an ID token."""
    if isinstance(message, (UserInfo, Discovery, Jwks)):
        return "oidc"
    if "openid" in message.scope:
        return "oidc"
    carries_id_token = isinstance(message, (AuthorizeResponse, TokenResponse)) and bool(message.id_token)
    return "oidc" if carries_id_token else "oauth"


def _found(message: OAuthPayload, source: str) -> DecodedMessage:
    return Decoded(_protocol(message), message.kind, message, source, oauth_json)


def _is_callback(params: dict[str, str]) -> bool:
    return any(p in params for p in RESPONSE_PARAMETERS) and "grant_type" not in params and "response_type" not in params


def oauth_messages(hop: Hop, ctx: DecodeContext) -> list[DecodedMessage]:
    out: list[DecodedMessage] = []
    query, form = hop.query, hop.form
    if "response_type" in query and "client_id" in query:
        out.append(_found(decode_authorize_request(hop.url), "request query"))
    elif hop.method == "POST" and "response_type" in form and "client_id" in form:
        out.append(_found(decode_authorize_request(form, endpoint=hop.url), "request form"))
    elif _is_callback(query) and "SAMLResponse" not in query:
        out.append(_found(decode_authorize_response(hop.url), "request query"))
    elif hop.method == "POST" and _is_callback(form) and "client_id" not in form:
        out.append(_found(decode_authorize_response(form, redirect_url=hop.url), "request form"))
    if hop.method == "POST" and "grant_type" in form:
        out.append(_found(decode_token_request(form, dict(hop.request_headers), endpoint=hop.url), "request form"))
        if hop.response_body:
            response = decode_token_response(
                hop.response_body, status=hop.status, headers=dict(hop.response_headers), jwks=ctx.jwks, now=ctx.now
            )
            out.append(_found(response, "response body"))
    location = hop.location
    if hop.is_redirect and location and "#" in location:
        fragment = dict(parse_qsl(location.split("#", 1)[1], keep_blank_values=True))
        if _is_callback(fragment):
            out.append(_found(decode_authorize_response(location), "Location header"))
    if hop.response_body and "json" in hop.response_content_type and hop.method == "GET":
        path = urlsplit(hop.url).path
        if path.endswith("/.well-known/openid-configuration") or path.endswith("/.well-known/oauth-authorization-server"):
            out.append(_found(decode_discovery(hop.response_body, fetched_from=hop.url), "response body"))
        elif "userinfo" in path.lower() or (_bearer(hop) and _json_with(hop.response_body, "sub")):
            # The UserInfo endpoint's path is the provider's choice (oidc-provider: /me); its answer
            # to a bearer-token GET is a JSON object that always has sub (OIDC Core §5.3.2).
            out.append(_found(decode_userinfo(hop.response_body), "response body"))
        elif _has_keys(hop.response_body):
            out.append(_found(decode_jwks(hop.response_body), "response body"))
    return out


def _bearer(hop: Hop) -> bool:
    return any(k.lower() == "authorization" and v[:7].lower() == "bearer " for k, v in hop.request_headers)


def _json_with(body: bytes, key: str) -> bool:
    try:
        data = json.loads(body)
    except ValueError:
        return False
    return isinstance(data, dict) and key in data


def _has_keys(body: bytes) -> bool:
    try:
        data = json.loads(body)
    except ValueError:
        return False
    return isinstance(data, dict) and isinstance(data.get("keys"), list)
