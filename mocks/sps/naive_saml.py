"""The careless ways of reading a SAML Response, one per weakness of the vulnerable SP.

Each function here is a mistake real SAML stacks have made, kept small and
named so :mod:`sso_harness.mocks.sps.vulnerable` can switch it on alone:

* :func:`dtd_parser`: an XML parser that processes the attacker's DTD:
  expands internal entities, and/or fetches external ones (XXE). The
  external fetch is limited to loopback HTTP, so the emulation can only ever
  reach the attacker's out-of-band listener of the harness.
* :func:`naive_signature_valid`: "is any signature in the document valid?",
  resolving a Reference through a DOM-style ID map in which the *last*
  element carrying an ID wins, and without caring where the signed element
  sits (the raw material of XSW).
* :func:`keyinfo_certificates`: the certificates a message carries in
  KeyInfo, all of them or only those whose subject names a trusted one.
* :func:`first_text_name_id`: the NameID's first text node only, which a
  comment splits (CVE-2017-11427 and siblings).
"""

from __future__ import annotations

import hmac
import ipaddress
import urllib.request
from collections.abc import Sequence
from urllib.parse import urlsplit

from cryptography import x509
from lxml import etree

from sso_harness.protocols import DecodeError
from sso_harness.protocols.xml.dsig.c14n import canonicalize, detached, inclusive_prefixes
from sso_harness.protocols.encoding import b64decode_lenient
from sso_harness.protocols.xml.dsig.algorithms import (
    C14N,
    CANONICALIZATIONS,
    DIGESTS,
    ENVELOPED,
    SIGNATURE_METHODS,
)
from sso_harness.protocols.xml.dsig.keys import certificate_from_keyinfo_text, verify_octets
from sso_harness.protocols.xml.dsig.reference import ID_ATTRIBUTES, ds, read_signed_info, signed_info_octets

__all__ = [
    "dtd_parser",
    "parse_with_dtd",
    "naive_signature_valid",
    "keyinfo_certificates",
    "first_text_name_id",
    "has_signature",
]


class _LoopbackFetcher(etree.Resolver):
    """Resolves external entities over loopback HTTP only; anything else is refused."""

    def __init__(self, allow_fetch: bool) -> None:
        super().__init__()
        self.allow_fetch = allow_fetch

    # lxml calls resolve(url, public_id, context); lxml-stubs leave the context out, hence the override ignore.
    def resolve(self, url: str | None, public_id: str | None, context: object) -> object:  # type: ignore[override]  # see above
        if not self.allow_fetch:
            raise OSError(f"external entity {url} not resolved: this parser does not fetch")
        if not url:
            raise OSError("an external entity without a system URL is not resolved")
        parts = urlsplit(url)
        host = parts.hostname or ""
        loopback = host == "localhost" or _is_loopback_ip(host)
        if parts.scheme != "http" or not loopback:
            raise OSError(f"refusing to fetch {url}: only loopback HTTP is emulated")
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(url, timeout=3) as answer:
            return self.resolve_string(answer.read(64 * 1024), context, base_url=url)


def _is_loopback_ip(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def dtd_parser(*, expand_entities: bool, fetch_external: bool) -> etree.XMLParser:
    parser = etree.XMLParser(resolve_entities=expand_entities, load_dtd=True, no_network=True, huge_tree=False)
    parser.resolvers.add(_LoopbackFetcher(fetch_external))
    return parser


def parse_with_dtd(xml: bytes, *, expand_entities: bool, fetch_external: bool) -> etree._Element:
    """Parse with DTD processing; DecodeError when the parser gives up."""
    try:
        return etree.fromstring(xml, dtd_parser(expand_entities=expand_entities, fetch_external=fetch_external))
    except (etree.XMLSyntaxError, OSError, ValueError) as exc:
        raise DecodeError(f"XML not parsed: {exc}", where="SAMLResponse") from None


def has_signature(root: etree._Element) -> bool:
    return next(root.iter(ds("Signature")), None) is not None


def _last_wins_index(root: etree._Element) -> dict[str, etree._Element]:
    index: dict[str, etree._Element] = {}
    for element in root.iter(etree.Element):
        for name in ID_ATTRIBUTES:
            value = element.get(name)
            if value is not None:
                index[value] = element  # a later element with the same ID replaces the earlier one
    return index


def _digest_matches(signature: etree._Element, reference: etree._Element, target: etree._Element) -> bool:
    enveloped, mode = False, CANONICALIZATIONS[C14N]
    prefixes: tuple[str, ...] = ()
    for transform in reference.iterfind(f"{ds('Transforms')}/{ds('Transform')}"):
        uri = transform.get("Algorithm", "")
        if uri == ENVELOPED:
            enveloped = True
        elif uri in CANONICALIZATIONS:
            mode, prefixes = CANONICALIZATIONS[uri], inclusive_prefixes(transform)
    method = reference.find(ds("DigestMethod"))
    digest = DIGESTS.get("" if method is None else method.get("Algorithm", ""))
    value = reference.find(ds("DigestValue"))
    if digest is None or value is None:
        return False
    if enveloped and any(a is target for a in signature.iterancestors()):
        with detached(signature):
            octets = canonicalize(target, mode, prefixes, with_comments=False)
    else:
        octets = canonicalize(target, mode, prefixes, with_comments=False)
    hasher = digest.new()
    hasher.update(octets)
    expected = b64decode_lenient(value.text or "", where="DigestValue")
    return hmac.compare_digest(expected, hasher.digest())


def naive_signature_valid(root: etree._Element, certificates: Sequence[x509.Certificate]) -> bool:
    """True when any signature's Reference (looked up last-wins) digests and verifies with a certificate."""
    index = _last_wins_index(root)
    for signature in root.iter(ds("Signature")):
        try:
            parts = read_signed_info(signature)
            method = SIGNATURE_METHODS.get(parts.signature_method or "")
            value = signature.find(ds("SignatureValue"))
            if method is None or value is None or not parts.references:
                continue
            reference = parts.references[0]
            target = index.get((reference.get("URI") or "").lstrip("#"))
            if target is None or not _digest_matches(signature, reference, target):
                continue
            octets = signed_info_octets(parts)
            signature_value = b64decode_lenient(value.text or "", where="SignatureValue")
            if any(verify_octets(cert, method, signature_value, octets) for cert in certificates):
                return True
        except DecodeError:
            continue
    return False


def keyinfo_certificates(root: etree._Element, *, only_subjects_of: Sequence[x509.Certificate] | None = None) -> list[x509.Certificate]:
    """Certificates carried in the message's KeyInfo elements (optionally only those naming a trusted subject)."""
    found: list[x509.Certificate] = []
    subjects = None if only_subjects_of is None else {c.subject for c in only_subjects_of}
    for element in root.iter(ds("X509Certificate")):
        try:
            cert = certificate_from_keyinfo_text("".join(t for t in element.itertext() if isinstance(t, str)))
        except DecodeError:
            continue
        if subjects is None or cert.subject in subjects:
            found.append(cert)
    return found


def first_text_name_id(assertion: etree._Element) -> str | None:
    """The NameID's first text node (what ``element.text`` or a DOM's ``firstChild`` gives)."""
    subject = assertion.find("{urn:oasis:names:tc:SAML:2.0:assertion}Subject")
    name_id = None if subject is None else subject.find("{urn:oasis:names:tc:SAML:2.0:assertion}NameID")
    return None if name_id is None else (name_id.text or "")
