"""SAML 2.0 message decoding: bindings, parsing, decryption, trust verdicts, views.

Public API::

    parse_saml(xml, *, trusted_certs=(), now=None, sp_keys=(), cert_horizon=30 days)
        -> AuthnRequest | Response | LogoutRequest | LogoutResponse | OtherSamlMessage
    decode_redirect(query, *, trusted_certs=(), now=None, sp_keys=(), cert_horizon=...) -> SamlBindingMessage
    decode_post(form, *, ...same...) -> SamlBindingMessage
    decode_any(data, *, ...same...) -> SamlBindingMessage | SamlMessage
    decode_artifact(value) -> SamlArtifact;  source_id_for(entity_id) -> str
    to_json(message) -> dict;  render_summary(message) -> str;  pretty_xml(xml) -> str
"""

from __future__ import annotations

from sso_harness.protocols.saml.artifact import decode_artifact, encode_artifact, source_id_for
from sso_harness.protocols.saml.bindings import (
    SamlBindingMessage,
    decode_form,
    decode_post,
    decode_redirect,
    parse_query,
    query_string,
)
from sso_harness.protocols.saml.detect import decode_any
from sso_harness.protocols.saml.jsonview import to_json
from sso_harness.protocols.saml import messages
from sso_harness.protocols.saml.messages import *  # the message model, listed once in messages.__all__
from sso_harness.protocols.saml.options import DecodeOptions
from sso_harness.protocols.saml.parse import parse_saml
from sso_harness.protocols.saml.pretty import pretty_xml
from sso_harness.protocols.saml.query_signature import signed_query_octets, verify_query_signature
from sso_harness.protocols.saml.signatures import SignatureReport, algorithm_weaknesses
from sso_harness.protocols.saml.status_catalogue import STATUS_CATALOGUE, StatusEntry, lookup_status
from sso_harness.protocols.saml.summary import DECRYPTED_NOTE, ENCRYPTED_NOTE, render_summary
from sso_harness.protocols.saml.timeutil import format_instant, parse_instant

__all__ = [
    "DECRYPTED_NOTE",
    "ENCRYPTED_NOTE",
    "STATUS_CATALOGUE",
    "DecodeOptions",
    "SamlBindingMessage",
    "SignatureReport",
    "StatusEntry",
    "algorithm_weaknesses",
    "decode_any",
    "decode_artifact",
    "decode_form",
    "decode_post",
    "decode_redirect",
    "encode_artifact",
    "format_instant",
    "lookup_status",
    "parse_instant",
    "parse_query",
    "parse_saml",
    "pretty_xml",
    "query_string",
    "render_summary",
    "signed_query_octets",
    "source_id_for",
    "to_json",
    "verify_query_signature",
]
__all__ += messages.__all__
