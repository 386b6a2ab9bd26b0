"""In-process XML-DSig verification of SAML messages (lxml + cryptography).

Core validation per XML-DSig §3.2: (1) reference validation — recompute the
digest of what the single Reference points at; (2) signature validation —
check SignatureValue over canonical SignedInfo with a *trusted* key.

Design choices that make the result safe to act on:

* keys come only from the caller's ``trusted_certs``; ``KeyInfo`` is ignored;
* a Reference must be ``#id`` and that ID must occur exactly once in the
  whole document (duplicate IDs are the raw material of wrapping attacks);
* every :class:`SignatureCheck` carries the referenced element itself so the
  SAML layer can check by *identity* that what it reads is what was signed.
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final, Literal

from cryptography import x509
from lxml import etree

from sso_harness.protocols.encoding import b64decode_lenient
from sso_harness.protocols.errors import DecodeError
from sso_harness.protocols.xml.text import text_content
from sso_harness.protocols.xml.dsig.algorithms import SIGNATURE_METHODS
from sso_harness.protocols.xml.dsig.keys import certificate_sha256, verify_octets
from sso_harness.protocols.xml.dsig.reference import (
    build_id_index,
    check_structure,
    ds,
    plan_reference,
    read_signed_info,
    reference_digest,
    signed_info_octets,
)

__all__ = [
    "DSIG_DIGEST_MISMATCH",
    "DSIG_MALFORMED",
    "DSIG_NO_TRUST_ANCHORS",
    "DSIG_TOO_MANY",
    "DSIG_UNSUPPORTED_METHOD",
    "DSIG_UNTRUSTED_KEY",
    "DSIG_UNVERIFIABLE",
    "MAX_SIGNATURES",
    "SignatureCheck",
    "SignatureFailure",
    "SignatureRefused",
    "verify_signature",
    "verify_signatures",
]

# Each check canonicalises its referenced element, so a crafted document with
# thousands of Signatures over the root would cost O(n²); real SAML carries 1–3.
MAX_SIGNATURES = 16

SignatureFailure = Literal[
    "dsig.malformed",
    "dsig.unsupported_method",
    "dsig.digest_mismatch",
    "dsig.no_trust_anchors",
    "dsig.untrusted_key",
    "dsig.too_many",
    "dsig.unverifiable",
]
#: The Signature or its Reference is structurally unusable (several References, unresolved or duplicate ID ...).
DSIG_MALFORMED: Final = "dsig.malformed"
#: The SignatureMethod (or Redirect SigAlg) is not one the verifier supports.
DSIG_UNSUPPORTED_METHOD: Final = "dsig.unsupported_method"
#: The referenced content does not hash to the DigestValue: it was changed after signing.
DSIG_DIGEST_MISMATCH: Final = "dsig.digest_mismatch"
#: No trusted certificate was supplied, so the SignatureValue was not checked (the digest matches).
DSIG_NO_TRUST_ANCHORS: Final = "dsig.no_trust_anchors"
#: The content is intact but none of the trusted certificates verifies the SignatureValue.
DSIG_UNTRUSTED_KEY: Final = "dsig.untrusted_key"
#: Not checked: the document carries more than :data:`MAX_SIGNATURES` signatures.
DSIG_TOO_MANY: Final = "dsig.too_many"
#: The signed octets are not available (a Redirect query given as a parsed mapping).
DSIG_UNVERIFIABLE: Final = "dsig.unverifiable"


class SignatureRefused(DecodeError):
    """A verification step failed for the reason ``failure`` names (internal to the verifiers)."""

    def __init__(self, failure: SignatureFailure, reason: str, *, where: str) -> None:
        super().__init__(reason, where=where)
        self.failure: SignatureFailure = failure

    @staticmethod
    def failure_of(problem: DecodeError) -> SignatureFailure:
        """The failure code of ``problem``; a plain DecodeError is a malformed signature."""
        return problem.failure if isinstance(problem, SignatureRefused) else DSIG_MALFORMED


@dataclass(frozen=True)
class SignatureCheck:
    """Verdict for one ``ds:Signature``.

    ``covers``/``covers_id`` name the referenced element ("" / None when the
    reference could not be resolved); ``element`` is that element (excluded
    from equality and repr — compare it with ``is``).  ``valid`` is True only
    if the digest matches *and* a trusted certificate verifies the
    SignatureValue; ``reason`` says why not otherwise, in words, and
    ``failure`` the same as a stable code (None when valid).
    ``certificate_sha256`` identifies the trusted certificate that verified.
    """

    covers: str
    covers_id: str | None
    valid: bool
    algorithm: str | None = None
    digest_algorithm: str | None = None
    reason: str | None = None
    certificate_sha256: str | None = None
    element: etree._Element | None = field(default=None, compare=False, repr=False)
    failure: SignatureFailure | None = None


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname


def _base64_child(parent: etree._Element, local: str) -> bytes:
    # The value is the element's character data: text split by a comment
    # ("AbC<!-- -->dEf") is one value (XML Schema 1.0 §3.1.4), as xmlsec1 reads it.
    element = parent.find(ds(local))
    try:
        return b64decode_lenient("" if element is None else text_content(element), where=local)
    except DecodeError as exc:
        raise DecodeError(f"{local} is unusable: {exc.reason}", where=local) from None


def verify_signature(
    signature: etree._Element,
    trusted_certs: Sequence[x509.Certificate],
    id_index: dict[str, list[etree._Element]] | None = None,
) -> SignatureCheck:
    """Verify one ``ds:Signature`` element; never raises."""
    if id_index is None:
        id_index = build_id_index(signature)
    covers, covers_id, target = "", None, None
    algorithm = digest_algorithm = None
    try:
        check_structure(signature)
        parts = read_signed_info(signature)
        algorithm = parts.signature_method
        if len(parts.references) != 1:
            raise DecodeError(f"expected exactly one Reference, found {len(parts.references)}", where="SignedInfo")
        reference = parts.references[0]
        uri = reference.get("URI") or ""
        covers_id = uri[1:] if uri.startswith("#") and len(uri) > 1 else None
        digest_el = reference.find(ds("DigestMethod"))
        digest_algorithm = None if digest_el is None else digest_el.get("Algorithm")
        plan = plan_reference(reference, signature, id_index)
        target = plan.target
        covers = _local(target)
        method = SIGNATURE_METHODS.get(algorithm or "")
        if method is None:
            raise SignatureRefused(DSIG_UNSUPPORTED_METHOD, f"unsupported signature method {algorithm!r}", where="SignatureMethod")

        expected = _base64_child(reference, "DigestValue")
        if not hmac.compare_digest(expected, reference_digest(plan, signature)):
            raise SignatureRefused(DSIG_DIGEST_MISMATCH, "digest mismatch", where="Reference")

        signature_value = _base64_child(signature, "SignatureValue")
        if not trusted_certs:
            raise SignatureRefused(DSIG_NO_TRUST_ANCHORS, "no trusted certificates supplied (digest matches)", where="SignatureValue")
        octets = signed_info_octets(parts)
        for cert in trusted_certs:
            if verify_octets(cert, method, signature_value, octets):
                return SignatureCheck(
                    covers, covers_id, True, algorithm, digest_algorithm, None, certificate_sha256(cert), target
                )
        raise SignatureRefused(DSIG_UNTRUSTED_KEY, "no trusted certificate verifies the signature", where="SignatureValue")
    except DecodeError as problem:
        return SignatureCheck(
            covers, covers_id, False, algorithm, digest_algorithm, problem.reason, None, target,
            SignatureRefused.failure_of(problem),
        )


def verify_signatures(root: etree._Element, trusted_certs: Sequence[x509.Certificate]) -> list[SignatureCheck]:
    """Verify every ``ds:Signature`` in the document that contains ``root``.

    Contract: returns one :class:`SignatureCheck` per Signature element in
    document order, never raises.  Signatures beyond :data:`MAX_SIGNATURES`
    are reported invalid without being checked.  The tree is not modified
    (canonical forms are computed on copies, see
    :mod:`sso_harness.protocols.xml.dsig.c14n`).
    """
    document = root.getroottree().getroot()
    signatures = list(document.iter(ds("Signature")))
    if not signatures:
        return []
    index = build_id_index(document)
    certs = tuple(trusted_certs)
    checks = [verify_signature(signature, certs, index) for signature in signatures[:MAX_SIGNATURES]]
    refused = SignatureCheck(
        "", None, False, reason=f"not checked: more than {MAX_SIGNATURES} signatures in the document",
        failure=DSIG_TOO_MANY,
    )
    return checks + [refused] * (len(signatures) - len(checks))
