"""Decoded-message views prepared for writing: PII masking and redacted XML.

Decoders' JSON views already reduce secrets (codes, tokens, client secrets)
to presence and a short fingerprint. What is left to a writer is personal
data, masked here in PII mode, and the raw XML of SAML messages, whose
signature values the redactor removes.
"""

from __future__ import annotations

from typing import Any

from sso_harness.trace.decoded import DecodedMessage
from sso_harness.protocols.saml import SamlBindingMessage, pretty_xml
from sso_harness.report.redact import Redactor

__all__ = ["message_view", "PII_CLAIMS"]

PII_CLAIMS = frozenset(
    {"email", "name", "preferred_username", "upn", "unique_name", "given_name", "family_name", "sub", "oid", "login_hint", "nickname"}
)


def message_view(message: DecodedMessage, redactor: Redactor, *, where: str) -> dict[str, Any]:
    """The JSON written for one decoded message: its view, plus redacted XML for SAML."""
    view: dict[str, Any] = {"protocol": message.protocol, "kind": message.kind, "source": message.source}
    decoded = message.to_json()
    if redactor.enabled and redactor.pii:
        decoded = _mask_pii(decoded, redactor, where)
    view["decoded"] = decoded
    if isinstance(message.message, SamlBindingMessage) and message.message.xml:
        view["xml"] = pretty_xml(redactor.saml_xml(message.message.xml, where=f"{where} decoded XML"))
    return view


def _mask_pii(data: Any, redactor: Redactor, where: str) -> Any:
    if isinstance(data, dict):
        out: dict[str, Any] = {}
        for key, value in data.items():
            if key == "name_id" and isinstance(value, dict) and value.get("value"):
                out[key] = {**value, "value": redactor.pii_token(str(value["value"]))}
                redactor._note(where, "NameID (personal data)")
            elif key == "attributes" and isinstance(value, dict):
                out[key] = {k: [redactor.pii_token(str(v)) for v in vs] for k, vs in value.items()}
                if value:
                    redactor._note(where, "attribute values (personal data)")
            elif key in PII_CLAIMS and isinstance(value, str):
                out[key] = redactor.pii_token(value)
                redactor._note(where, f"{key} (personal data)")
            else:
                out[key] = _mask_pii(value, redactor, where)
        return out
    if isinstance(data, list):
        return [_mask_pii(v, redactor, where) for v in data]
    return data
