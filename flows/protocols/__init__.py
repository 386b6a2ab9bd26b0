"""Pure protocol decoders for sso-harness (no I/O; total functions).

Everything here takes bytes/str and returns values or raises
:class:`DecodeError`.  Sub-packages: :mod:`sso_harness.protocols.saml` and
:mod:`sso_harness.protocols.wsfed`.  XML-DSig (verify and sign) is in
:mod:`sso_harness.protocols.xml.dsig`, XML Encryption in :mod:`sso_harness.protocols.xml.enc.decrypt`
(decrypt) and :mod:`sso_harness.protocols.xml.enc.encrypt` (for tests and mocks),
certificate reporting in :mod:`sso_harness.protocols.certinfo`, validation problems
(coded records such as ``saml.not_on_or_after``) in :mod:`sso_harness.protocols.problems`. OAuth 2.0 and
OpenID Connect messages are in :mod:`sso_harness.protocols.oauth`, JWS/JWT and JWKS
in :mod:`sso_harness.protocols.jose`, and the AADSTS and OAuth error catalogues in
:mod:`sso_harness.protocols.catalogues`.
"""

from __future__ import annotations

from typing import Any

from sso_harness.protocols.certinfo import CertificateInfo, certificate_info, expiry_warnings
from sso_harness.protocols.encoding import b64decode_lenient, inflate_bounded
from sso_harness.protocols.errors import DecodeError, SigningError
from sso_harness.protocols.problems import Problem, ProblemCode
from sso_harness.protocols.xml.safe import parse_xml
from sso_harness.protocols.saml import (
    Assertion,
    AuthnRequest,
    LogoutRequest,
    LogoutResponse,
    NameID,
    NameIDPolicy,
    OtherSamlMessage,
    Response,
    SamlArtifact,
    SamlBindingMessage,
    SamlMessage,
    SignatureReport,
    Status,
    decode_any,
    decode_artifact,
    decode_post,
    decode_redirect,
    parse_saml,
    source_id_for,
    pretty_xml,
    render_summary,
    to_json as saml_to_json,
)
from sso_harness.protocols.xml.dsig import (
    SignatureCheck,
    load_certificates,
    load_private_key,
    sign_element,
    sign_statement_xml,
    sign_template,
    verify_signatures,
)
from sso_harness.protocols.wsfed import (
    Saml11Assertion,
    WsFedMessage,
    WsFedSignInRequest,
    WsFedSignInResponse,
    WsFedSignOutRequest,
    decode_wsfed,
    wsfed_to_json,
)
from sso_harness.protocols.xml.enc.decrypt import decrypt_element
from sso_harness.protocols.catalogues import (
    AadstsEntry,
    OAuthErrorEntry,
    find_codes,
    lookup_aadsts,
    lookup_oauth_error,
)
from sso_harness.protocols.jose import (
    Jwks,
    Jwt,
    JwtExpectations,
    JwtVerdict,
    decode_jwks,
    decode_jwt,
    entra_token_version,
    jwk_from_public_key,
    jwks_from_keys,
    select_jwks_uri,
    sign_jwt,
    verify_jwt,
)
from sso_harness.protocols.oauth import (
    AuthorizeRequest,
    AuthorizeResponse,
    Discovery,
    OAuthExchange,
    OAuthMessage,
    PkceVerdict,
    TokenRequest,
    TokenResponse,
    UserInfo,
    check_pkce,
    correlate_oauth,
    decode_authorize_request,
    decode_authorize_response,
    decode_discovery,
    decode_oauth_any,
    decode_token_request,
    decode_token_response,
    decode_userinfo,
)
from sso_harness.protocols.oauth import to_json as oauth_to_json
from sso_harness.protocols.xml.enc.encrypt import encrypt_assertion, encrypt_name_id

__all__ = [
    "AadstsEntry", "OAuthErrorEntry", "find_codes", "lookup_aadsts", "lookup_oauth_error",
    "Jwks", "Jwt", "JwtExpectations", "JwtVerdict", "decode_jwks", "decode_jwt", "entra_token_version",
    "jwk_from_public_key", "jwks_from_keys", "select_jwks_uri", "sign_jwt", "verify_jwt",
    "AuthorizeRequest", "AuthorizeResponse", "Discovery", "OAuthExchange", "OAuthMessage", "PkceVerdict",
    "TokenRequest", "TokenResponse", "UserInfo", "check_pkce", "correlate_oauth", "decode_authorize_request",
    "decode_authorize_response", "decode_discovery", "decode_oauth_any", "decode_token_request",
    "decode_token_response", "decode_userinfo", "oauth_to_json",
    "Assertion",
    "AuthnRequest",
    "CertificateInfo",
    "DecodeError",
    "LogoutRequest",
    "LogoutResponse",
    "NameID",
    "NameIDPolicy",
    "OtherSamlMessage",
    "Problem",
    "ProblemCode",
    "Response",
    "Saml11Assertion",
    "SamlArtifact",
    "SamlBindingMessage",
    "SamlMessage",
    "SignatureCheck",
    "SignatureReport",
    "SigningError",
    "Status",
    "WsFedMessage",
    "WsFedSignInRequest",
    "WsFedSignInResponse",
    "WsFedSignOutRequest",
    "b64decode_lenient",
    "certificate_info",
    "decode_any",
    "decode_artifact",
    "decode_post",
    "decode_redirect",
    "decode_wsfed",
    "decrypt_element",
    "encrypt_assertion",
    "encrypt_name_id",
    "expiry_warnings",
    "inflate_bounded",
    "load_certificates",
    "load_private_key",
    "parse_saml",
    "parse_xml",
    "pretty_xml",
    "render_summary",
    "sign_element",
    "sign_statement_xml",
    "sign_template",
    "source_id_for",
    "to_json",
    "verify_signatures",
    "wsfed_to_json",
]


def to_json(message: SamlBindingMessage | SamlMessage | WsFedMessage) -> dict[str, Any]:
    """The JSON view of a decoded SAML or WS-Federation message (binding-wrapped or bare)."""
    if isinstance(message, (WsFedSignInRequest, WsFedSignOutRequest, WsFedSignInResponse)):
        return wsfed_to_json(message)
    return saml_to_json(message)
