"""``parse_saml``: XML text → decoded SAML message with a trust verdict.

Dispatches on the root element (SAML core §3): Response, AuthnRequest,
LogoutRequest, LogoutResponse; anything else is identified by name only.
The trust rule and decryption are described in
:mod:`sso_harness.protocols.saml.parse_response`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime, timedelta

from cryptography import x509
from lxml import etree

from sso_harness.protocols.certinfo import DEFAULT_HORIZON
from sso_harness.protocols.xml.safe import parse_xml
from sso_harness.protocols.saml.messages import OtherSamlMessage, SamlMessage
from sso_harness.protocols.saml.names import first_child, saml, samlp, trimmed_text
from sso_harness.protocols.saml.options import DecodeOptions, decode_options
from sso_harness.protocols.saml.parse_logout import read_logout_request, read_logout_response
from sso_harness.protocols.saml.parse_request import read_authn_request
from sso_harness.protocols.saml.parse_response import read_response
from sso_harness.protocols.saml.signatures import assess, verify_document
from sso_harness.protocols.xml.dsig.keys import PrivateKey

__all__ = ["parse_saml", "parse_saml_root"]

_OTHER_KINDS = {
    samlp("ArtifactResolve"): "saml.artifact_resolve",
    samlp("ArtifactResponse"): "saml.artifact_response",
}


def parse_saml_root(root: etree._Element, options: DecodeOptions) -> SamlMessage:
    """Decode an already-parsed SAML protocol element (see :func:`parse_saml`)."""
    if root.tag == samlp("Response"):
        return read_response(root, options)
    if root.tag == samlp("AuthnRequest"):
        checks = verify_document(root, options.trusted_certs)
        findings = assess(checks, options.trusted_certs, options.now, options.cert_horizon)
        request = read_authn_request(root, checks)
        return dataclasses.replace(request, warnings=findings.warnings, certificates=findings.certificates)
    if root.tag == samlp("LogoutRequest"):
        return read_logout_request(root, options)
    if root.tag == samlp("LogoutResponse"):
        return read_logout_response(root, options)
    return OtherSamlMessage(
        kind=_OTHER_KINDS.get(root.tag, "saml.unknown"),
        id=root.get("ID"),
        issuer=trimmed_text(first_child(root, saml("Issuer"))),
        destination=root.get("Destination"),
        root_name=str(root.tag),
    )


def parse_saml(
    xml: bytes | str,
    *,
    trusted_certs: Sequence[x509.Certificate] = (),
    now: datetime | None = None,
    sp_keys: Sequence[PrivateKey] = (),
    cert_horizon: timedelta = DEFAULT_HORIZON,
) -> SamlMessage:
    """Decode a SAML 2.0 protocol message.

    Returns :class:`Response`, :class:`AuthnRequest`, :class:`LogoutRequest`,
    :class:`LogoutResponse` or :class:`OtherSamlMessage`.  Signatures are
    verified against ``trusted_certs`` only.  ``sp_keys`` (the SP's private
    keys, several during a key rollover) decrypt EncryptedAssertion and
    EncryptedID; without them encrypted content is reported, not read.
    When ``now`` is given, assertion time-window problems are added to the
    errors and certificates expiring within ``cert_horizon`` to the
    warnings.  Total: raises only :class:`DecodeError`.
    """
    options = decode_options(trusted_certs, now, sp_keys, cert_horizon)
    return parse_saml_root(parse_xml(xml, where="XML"), options)
