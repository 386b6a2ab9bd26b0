"""Reading a ``ds:Signature`` and computing what its Reference digests.

Shared by signer and verifier so both apply the same whitelist and the same
transform pipeline.  Structural problems raise :class:`DecodeError` whose
``reason`` becomes the verdict of the signature check.

SAML profile of XML-DSig (SAML core §5.4): exactly one Reference, whose URI
is ``#`` + the ID of the signed element; transforms limited to
enveloped-signature plus one canonicalisation (§5.4.4).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from lxml import etree

from sso_harness.protocols.xml.dsig.c14n import canonicalize, inclusive_prefixes
from sso_harness.protocols.errors import DecodeError
from sso_harness.protocols.xml.text import child_elements
from sso_harness.protocols.xml.dsig.algorithms import (
    C14N,
    CANONICALIZATIONS,
    DIGESTS,
    DS_NS,
    ENVELOPED,
    CanonicalizationMode,
    DigestAlgorithm,
)

__all__ = [
    "ID_ATTRIBUTES",
    "ReferencePlan",
    "SignedInfoParts",
    "build_id_index",
    "check_structure",
    "ds",
    "plan_reference",
    "read_signed_info",
    "reference_digest",
    "signed_info_octets",
]

# Attributes SAML uses as XML IDs: ID (SAML 2.0), Id (XML-Enc/DSig), AssertionID (SAML 1.x).
ID_ATTRIBUTES: tuple[str, ...] = ("ID", "Id", "AssertionID")
_MAX_TRANSFORMS = 4


def ds(local: str) -> str:
    """Clark-notation tag in the XML-DSig namespace."""
    return f"{{{DS_NS}}}{local}"


@dataclass(frozen=True)
class SignedInfoParts:
    """The pieces of ``ds:SignedInfo`` needed to sign or verify."""

    signed_info: etree._Element
    c14n: CanonicalizationMode
    c14n_prefixes: tuple[str, ...]
    signature_method: str | None
    references: tuple[etree._Element, ...]


@dataclass(frozen=True)
class ReferencePlan:
    """A resolved Reference: what to digest and how."""

    ref_id: str
    target: etree._Element
    enveloped: bool
    c14n: CanonicalizationMode
    c14n_prefixes: tuple[str, ...]
    digest: DigestAlgorithm


def build_id_index(root: etree._Element) -> dict[str, list[etree._Element]]:
    """Map every ID value in the document to the elements carrying it.

    Duplicates are kept (a list per value) so callers can refuse ambiguous
    references — the core of signature-wrapping defence.
    """
    index: dict[str, list[etree._Element]] = {}
    for element in root.getroottree().getroot().iter(etree.Element):
        attrib = element.attrib
        seen: set[str] = set()
        for name in ID_ATTRIBUTES:
            value = attrib.get(name)
            if value is not None and value not in seen:
                seen.add(value)
                index.setdefault(value, []).append(element)
    return index


def _only_child(parent: etree._Element, local: str) -> etree._Element:
    found = parent.findall(ds(local))
    if len(found) != 1:
        raise DecodeError(f"expected exactly one {local}, found {len(found)}", where=local)
    return found[0]


# XML-DSig §4 schema content models (element children in the ds namespace, in order).
_CONTENT_MODELS = {
    "Signature": re.compile(r"SignedInfo SignatureValue( KeyInfo)?( Object)*"),
    "SignedInfo": re.compile(r"CanonicalizationMethod SignatureMethod( Reference)+"),
    "Reference": re.compile(r"(Transforms )?DigestMethod DigestValue"),
}


def _check_content(element: etree._Element, local: str) -> None:
    names = []
    for child in child_elements(element):
        qname = etree.QName(child)
        names.append(qname.localname if qname.namespace == DS_NS else qname.text)
    if not _CONTENT_MODELS[local].fullmatch(" ".join(names)):
        raise DecodeError(
            f"{local} children ({', '.join(names) or 'none'}) are not what the XML-DSig schema allows", where=local
        )


def check_structure(signature: etree._Element) -> None:
    """DecodeError unless the Signature, its SignedInfo and each Reference
    have the element children the XML-DSig schema allows, in its order
    (§4.1, §4.4, §4.4.3).  xmlsec1 refuses anything else, e.g. an Assertion
    wrapped into the Signature itself (a signature-wrapping shape); the
    verifier does too.  (The signer fills its own templates and the naive
    mock SP deliberately skips this.)"""
    _check_content(signature, "Signature")
    signed_info = _only_child(signature, "SignedInfo")
    _check_content(signed_info, "SignedInfo")
    for reference in signed_info.findall(ds("Reference")):
        _check_content(reference, "Reference")


def read_signed_info(signature: etree._Element) -> SignedInfoParts:
    """Parse ``ds:SignedInfo`` (XML-DSig §4.4); DecodeError if malformed."""
    signed_info = _only_child(signature, "SignedInfo")
    method_el = _only_child(signed_info, "CanonicalizationMethod")
    uri = method_el.get("Algorithm", "")
    mode = CANONICALIZATIONS.get(uri)
    if mode is None:
        raise DecodeError(f"unsupported canonicalization method {uri!r}", where="CanonicalizationMethod")
    sig_method = _only_child(signed_info, "SignatureMethod").get("Algorithm")
    return SignedInfoParts(
        signed_info=signed_info,
        c14n=mode,
        c14n_prefixes=inclusive_prefixes(method_el),
        signature_method=sig_method,
        references=tuple(signed_info.findall(ds("Reference"))),
    )


def signed_info_octets(parts: SignedInfoParts) -> bytes:
    """Canonical SignedInfo (XML-DSig §4.4.1), serialised in place so the
    namespaces inherited from the message are part of it."""
    return canonicalize(parts.signed_info, parts.c14n, parts.c14n_prefixes)


def _transforms(reference: etree._Element) -> tuple[bool, CanonicalizationMode, tuple[str, ...]]:
    container = reference.find(ds("Transforms"))
    items = [] if container is None else container.findall(ds("Transform"))
    if len(items) > _MAX_TRANSFORMS:
        raise DecodeError(f"too many transforms ({len(items)})", where="Transforms")
    enveloped = False
    mode: CanonicalizationMode | None = None
    prefixes: tuple[str, ...] = ()
    for item in items:
        uri = item.get("Algorithm", "")
        if uri == ENVELOPED and not enveloped and mode is None:
            enveloped = True
        elif uri in CANONICALIZATIONS and mode is None:
            mode = CANONICALIZATIONS[uri]
            prefixes = inclusive_prefixes(item)
        elif uri == ENVELOPED or uri in CANONICALIZATIONS:
            # A second canonicalisation or an enveloped transform after
            # octets were produced would need re-parsing; SAML never does it.
            raise DecodeError(f"unsupported transform chain (repeated or misplaced {uri!r})", where="Transforms")
        else:
            raise DecodeError(f"unsupported transform {uri!r}", where="Transforms")
    # XML-DSig §4.3.3.2: a node-set left over after the transforms is
    # converted to octets with inclusive C14N 1.0.
    return enveloped, mode or CANONICALIZATIONS[C14N], prefixes


def plan_reference(
    reference: etree._Element,
    signature: etree._Element,
    id_index: Mapping[str, Sequence[etree._Element]],
) -> ReferencePlan:
    """Resolve a Reference against the document and validate its transforms."""
    uri = reference.get("URI")
    if uri is None or not uri.startswith("#") or len(uri) < 2 or uri.startswith("#xpointer("):
        raise DecodeError(f"reference URI {uri!r} is not a same-document '#id' reference", where="Reference")
    ref_id = uri[1:]
    targets = id_index.get(ref_id, ())
    if len(targets) != 1:
        if not targets:
            raise DecodeError(f"reference ID {ref_id!r} not found", where="Reference")
        raise DecodeError(f"reference ID {ref_id!r} appears {len(targets)} times", where="Reference")
    target = targets[0]
    if target is signature or any(a is signature for a in target.iterancestors()):
        raise DecodeError("reference points into its own Signature", where="Reference")
    enveloped, mode, prefixes = _transforms(reference)
    digest_uri = reference.find(ds("DigestMethod"))
    uri_value = "" if digest_uri is None else digest_uri.get("Algorithm", "")
    digest = DIGESTS.get(uri_value)
    if digest is None:
        raise DecodeError(f"unsupported digest method {uri_value!r}", where="DigestMethod")
    return ReferencePlan(ref_id, target, enveloped, mode, prefixes, digest)


def reference_digest(plan: ReferencePlan, signature: etree._Element) -> bytes:
    """Digest of the referenced element after the transforms.

    Comments are always dropped: a bare ``#id`` dereference yields a node-set
    without comments (XML-DSig §4.3.3.3), even if a ``#WithComments``
    canonicalisation follows.
    """
    inside = plan.enveloped and any(a is plan.target for a in signature.iterancestors())
    octets = canonicalize(
        plan.target, plan.c14n, plan.c14n_prefixes, with_comments=False, omit=signature if inside else None
    )
    hasher = plan.digest.new()
    hasher.update(octets)
    return hasher.digest()
