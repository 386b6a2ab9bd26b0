"""SAML 2.0 message decoding: bindings, parsing, trust verdicts, views.

Public API::

    parse_saml(xml, *, trusted_certs=(), now=None) -> AuthnRequest | Response | OtherSamlMessage
    decode_redirect(query, *, trusted_certs=(), now=None) -> SamlBindingMessage
    decode_post(form, *, trusted_certs=(), now=None) -> SamlBindingMessage
    decode_any(data, *, trusted_certs=(), now=None) -> SamlBindingMessage | SamlMessage
    to_json(message) -> dict
    render_summary(message) -> str
    pretty_xml(xml) -> str
"""

from __future__ import annotations

from flows.protocols.saml.bindings import SamlBindingMessage, decode_form, decode_post, decode_redirect, parse_query
from flows.protocols.saml.detect import decode_any
from flows.protocols.saml.jsonview import to_json
from flows.protocols.saml.model import (
    Assertion,
    AuthnRequest,
    NameID,
    NameIDPolicy,
    OtherSamlMessage,
    Response,
    SamlMessage,
    Status,
)
from flows.protocols.saml.parse import parse_saml
from flows.protocols.saml.pretty import pretty_xml
from flows.protocols.saml.summary import ENCRYPTED_NOTE, render_summary
from flows.protocols.saml.timeutil import format_instant, parse_instant

__all__ = [
    "ENCRYPTED_NOTE",
    "Assertion",
    "AuthnRequest",
    "NameID",
    "NameIDPolicy",
    "OtherSamlMessage",
    "Response",
    "SamlBindingMessage",
    "SamlMessage",
    "Status",
    "decode_any",
    "decode_form",
    "decode_post",
    "decode_redirect",
    "format_instant",
    "parse_instant",
    "parse_query",
    "parse_saml",
    "pretty_xml",
    "render_summary",
    "to_json",
]
