"""Pure protocol decoders for sso-harness (no I/O; total functions).

Everything here takes bytes/str and returns values or raises
:class:`DecodeError`.  Sub-packages: :mod:`flows.protocols.saml`.  The
XML-DSig implementation (verify and sign) is in :mod:`flows.protocols.xmldsig`.
"""

from __future__ import annotations

from flows.protocols.encoding import b64decode_lenient, inflate_bounded
from flows.protocols.errors import DecodeError, SigningError
from flows.protocols.safexml import parse_xml
from flows.protocols.saml import (
    Assertion,
    AuthnRequest,
    NameID,
    NameIDPolicy,
    OtherSamlMessage,
    Response,
    SamlBindingMessage,
    SamlMessage,
    Status,
    decode_any,
    decode_post,
    decode_redirect,
    parse_saml,
    pretty_xml,
    render_summary,
    to_json,
)
from flows.protocols.xmldsig import (
    SignatureCheck,
    load_certificates,
    load_private_key,
    sign_element,
    sign_statement_xml,
    sign_template,
    verify_signatures,
)

__all__ = [
    "Assertion",
    "AuthnRequest",
    "DecodeError",
    "NameID",
    "NameIDPolicy",
    "OtherSamlMessage",
    "Response",
    "SamlBindingMessage",
    "SamlMessage",
    "SignatureCheck",
    "SigningError",
    "Status",
    "b64decode_lenient",
    "decode_any",
    "decode_post",
    "decode_redirect",
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
    "to_json",
    "verify_signatures",
]
