"""OAuth 2.0 and OpenID Connect messages: decoding, checks, correlation, views.

Public API::

    decode_authorize_request(url_or_form, *, endpoint=None) -> AuthorizeRequest
    decode_authorize_response(url_or_form, *, redirect_url=None) -> AuthorizeResponse
    decode_token_request(body, headers=None, *, endpoint=None) -> TokenRequest
    decode_token_response(body, *, status=None, headers=None, jwks=None, expected=None, now=None) -> TokenResponse
    decode_userinfo(body, *, expected_sub=None) -> UserInfo
    decode_discovery(body, *, fetched_from=None) -> Discovery
    decode_oauth_any(data, *, jwks=None, expected=None, now=None) -> OAuthMessage
    check_pkce(verifier, challenge, method) -> PkceVerdict
    correlate_oauth([(index, message), ...]) -> tuple[OAuthExchange, ...]
    entra_endpoint(url) -> EntraEndpoint | None
    to_json(message, *, reveal_claims=False) -> dict

JWT/JWKS decoding and verification live in :mod:`sso_harness.protocols.jose`;
error explanations in :mod:`sso_harness.protocols.catalogues`.
"""

from __future__ import annotations

from sso_harness.protocols.oauth.authorize import (
    AuthorizeRequest,
    decode_authorize_request,
    default_response_mode,
)
from sso_harness.protocols.oauth.callback import AuthorizeResponse, decode_authorize_response
from sso_harness.protocols.oauth.exchange import INVISIBLE_EXCHANGE, OAuthExchange, correlate_oauth
from sso_harness.protocols.oauth.detect import OAuthMessage, decode_oauth_any
from sso_harness.protocols.oauth.discovery import Discovery, decode_discovery, expected_discovery_urls
from sso_harness.protocols.oauth.entra import EntraEndpoint, entra_endpoint
from sso_harness.protocols.oauth.error import OAuthErrorFields
from sso_harness.protocols.oauth.jsonview import secret_view, to_json
from sso_harness.protocols.oauth.params import SecretPrint, secret_print
from sso_harness.protocols.oauth.pkce import (
    PLAIN_WARNING,
    PkceVerdict,
    check_pkce,
    s256_challenge,
    verifier_problems,
)
from sso_harness.protocols.oauth.token_request import ClientAuthMethod, TokenRequest, decode_token_request
from sso_harness.protocols.oauth.token_response import TokenResponse, decode_token_response
from sso_harness.protocols.oauth.userinfo import UserInfo, decode_userinfo

__all__ = [
    "INVISIBLE_EXCHANGE",
    "PLAIN_WARNING",
    "AuthorizeRequest",
    "AuthorizeResponse",
    "ClientAuthMethod",
    "Discovery",
    "EntraEndpoint",
    "OAuthErrorFields",
    "OAuthExchange",
    "OAuthMessage",
    "PkceVerdict",
    "SecretPrint",
    "TokenRequest",
    "TokenResponse",
    "UserInfo",
    "check_pkce",
    "correlate_oauth",
    "decode_authorize_request",
    "decode_authorize_response",
    "decode_discovery",
    "decode_oauth_any",
    "decode_token_request",
    "decode_token_response",
    "decode_userinfo",
    "default_response_mode",
    "entra_endpoint",
    "expected_discovery_urls",
    "s256_challenge",
    "secret_print",
    "secret_view",
    "to_json",
    "verifier_problems",
]
