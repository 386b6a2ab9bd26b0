"""Signature verdicts enriched for reports: algorithms, certificates, warnings.

:func:`verify_document` runs the in-process XML-DSig verifier and returns
:class:`SignatureReport` values — a :class:`SignatureCheck` (same fields,
same identity semantics) plus

* ``weaknesses``: SHA-1 based SignatureMethod or DigestMethod (RFC 9231
  §2.3 lists them as deprecated; NIST SP 800-131A disallows SHA-1 for
  signature generation);
* which trusted certificate verified it: ``certificate_index`` into the
  caller's list and ``certificate_subject`` (``certificate_sha256`` was
  already there) — the basis for rollover checks with several trusted
  certificates;
* ``embedded_certificates``: what the signature's ``KeyInfo`` carried, for
  display only (trust never comes from KeyInfo); ``unreadable_certificates``
  says, per KeyInfo certificate that cannot be parsed, why (the rest of the
  message still decodes).

:func:`assess` turns a set of reports into message-level ``warnings`` and
``certificates``.  Warnings never make a message untrusted.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timedelta

from cryptography import x509
from lxml import etree

from sso_harness.protocols.certinfo import DEFAULT_HORIZON, CertificateInfo, certificate_info, expiry_warnings
from sso_harness.protocols.errors import DecodeError
from sso_harness.protocols.xml.text import text_content
from sso_harness.protocols.xml.dsig.algorithms import ECDSA_SHA1, RSA_SHA1, SHA1
from sso_harness.protocols.xml.dsig.keys import certificate_from_keyinfo_text, certificate_sha256
from sso_harness.protocols.xml.dsig.reference import ds
from sso_harness.protocols.xml.dsig.verify import MAX_SIGNATURES, SignatureCheck, verify_signatures

__all__ = [
    "DSA_SHA1",
    "SignatureFindings",
    "SignatureReport",
    "algorithm_weaknesses",
    "assess",
    "describe_target",
    "enrich",
    "verify_document",
]

DSA_SHA1 = "http://www.w3.org/2000/09/xmldsig#dsa-sha1"
_WEAK_METHODS = {RSA_SHA1: "rsa-sha1", ECDSA_SHA1: "ecdsa-sha1", DSA_SHA1: "dsa-sha1"}
_BETTER = {"rsa-sha1": "rsa-sha256", "ecdsa-sha1": "ecdsa-sha256", "dsa-sha1": "rsa-sha256 or ecdsa-sha256"}
_MAX_EMBEDDED = 4


@dataclass(frozen=True)
class SignatureReport(SignatureCheck):
    """A :class:`SignatureCheck` with what a report needs besides the verdict."""

    weaknesses: tuple[str, ...] = ()
    certificate_index: int | None = None
    certificate_subject: str | None = None
    embedded_certificates: tuple[CertificateInfo, ...] = ()
    unreadable_certificates: tuple[str, ...] = ()

    @property
    def weak(self) -> bool:
        """True when the SignatureMethod or DigestMethod relies on SHA-1."""
        return bool(self.weaknesses)


def algorithm_weaknesses(signature_method: str | None, digest_method: str | None = None) -> tuple[str, ...]:
    """Why these algorithm URIs are weak (empty when they are fine)."""
    found: list[str] = []
    weak = _WEAK_METHODS.get(signature_method or "")
    if weak is not None:
        found.append(
            f"{weak} is deprecated (RFC 9231 §2.3 / NIST SP 800-131A); ask the IdP for {_BETTER[weak]}"
        )
    if digest_method == SHA1:
        found.append("sha1 digest is deprecated (RFC 9231 §2.1.1 / NIST SP 800-131A); ask the IdP for sha256")
    return tuple(found)


def _info(cert: x509.Certificate) -> CertificateInfo | None:
    try:
        return certificate_info(cert)
    except DecodeError:
        return None


@functools.lru_cache(maxsize=256)
def _embedded_info(text: str) -> CertificateInfo | DecodeError:
    try:
        return certificate_info(certificate_from_keyinfo_text(text))
    except DecodeError as exc:
        return exc


def _embedded(signature: etree._Element | None) -> tuple[tuple[CertificateInfo, ...], tuple[str, ...]]:
    """The readable KeyInfo certificates, and one line per unreadable one saying why."""
    key_info = None if signature is None else signature.find(ds("KeyInfo"))
    if key_info is None:
        return (), ()
    found: list[CertificateInfo] = []
    unreadable: list[str] = []
    for data in key_info.findall(ds("X509Data"))[:_MAX_EMBEDDED]:
        for element in data.findall(ds("X509Certificate"))[:_MAX_EMBEDDED]:
            info = _embedded_info(text_content(element).strip())
            if isinstance(info, DecodeError):
                unreadable.append(f"KeyInfo/X509Data/X509Certificate: {info.reason}")
            elif info not in found:
                found.append(info)
    return tuple(found), tuple(dict.fromkeys(unreadable))


def enrich(
    check: SignatureCheck,
    trusted_certs: Sequence[x509.Certificate],
    signature: etree._Element | None = None,
) -> SignatureReport:
    """Add weaknesses, the verifying certificate's index/subject and the
    KeyInfo certificates of ``signature`` to ``check``."""
    base = {f.name: getattr(check, f.name) for f in fields(SignatureCheck)}
    index = subject = None
    if check.certificate_sha256 is not None:
        for position, cert in enumerate(trusted_certs):
            if certificate_sha256(cert) == check.certificate_sha256:
                info = _info(cert)
                index, subject = position, None if info is None else info.subject
                break
    embedded, unreadable = _embedded(signature)
    return SignatureReport(
        **base,
        weaknesses=algorithm_weaknesses(check.algorithm, check.digest_algorithm),
        certificate_index=index,
        certificate_subject=subject,
        embedded_certificates=embedded,
        unreadable_certificates=unreadable,
    )


def verify_document(root: etree._Element, trusted_certs: Sequence[x509.Certificate]) -> tuple[SignatureReport, ...]:
    """Verify every ``ds:Signature`` in ``root``'s document (see
    :func:`sso_harness.protocols.xml.dsig.verify.verify_signatures`) and enrich each."""
    certs = tuple(trusted_certs)
    checks = verify_signatures(root, certs)
    if not checks:
        return ()
    elements = list(root.getroottree().getroot().iter(ds("Signature")))[:MAX_SIGNATURES]
    padded: list[etree._Element | None] = [*elements, *([None] * (len(checks) - len(elements)))]
    return tuple(enrich(check, certs, element) for check, element in zip(checks, padded, strict=True))


def describe_target(check: SignatureCheck) -> str:
    """``"Response _abc"`` / ``"query"`` / ``"unresolved reference"``."""
    target = check.covers or "unresolved reference"
    return f"{target} {check.covers_id}" if check.covers_id else target


@dataclass(frozen=True)
class SignatureFindings:
    """Message-level warnings and certificates derived from signature reports."""

    warnings: tuple[str, ...]
    certificates: tuple[CertificateInfo, ...]


def _trust_warnings(report: SignatureReport, trusted: set[str]) -> list[str]:
    embedded = report.embedded_certificates
    if not trusted or not embedded or any(info.sha256_fingerprint in trusted for info in embedded):
        return []
    names = ", ".join(info.short() for info in embedded)
    where = f"Signature over {describe_target(report)}"
    if report.valid:
        return [f"{where}: KeyInfo carries {names}, which is none of your trusted certificates (informational)"]
    return [
        f"{where}: the IdP signs with a certificate you do not trust: likely a missed rollover "
        f"(KeyInfo carries {names})"
    ]


def assess(
    reports: Sequence[SignatureCheck],
    trusted_certs: Sequence[x509.Certificate],
    now: datetime | None,
    horizon: timedelta = DEFAULT_HORIZON,
) -> SignatureFindings:
    """Warnings (weak algorithms, untrusted KeyInfo certificates, expiry of
    the certificates involved at ``now`` within ``horizon``) and the
    certificates involved: trusted verifiers first, then KeyInfo ones."""
    trusted = {certificate_sha256(c) for c in trusted_certs}
    by_fingerprint = {certificate_sha256(c): c for c in trusted_certs}
    warnings: list[str] = []
    certificates: list[CertificateInfo] = []
    for report in reports:
        weaknesses = report.weaknesses if isinstance(report, SignatureReport) else ()
        warnings += [f"Signature over {describe_target(report)}: {w}" for w in weaknesses]
        unreadable = report.unreadable_certificates if isinstance(report, SignatureReport) else ()
        warnings += [f"Signature over {describe_target(report)}: {u}" for u in unreadable]
        verifier = by_fingerprint.get(report.certificate_sha256 or "")
        info = None if verifier is None else _info(verifier)
        if info is not None and info not in certificates:
            certificates.append(info)
        if isinstance(report, SignatureReport):
            warnings += _trust_warnings(report, trusted)
    for report in reports:
        for info in report.embedded_certificates if isinstance(report, SignatureReport) else ():
            if info not in certificates:
                certificates.append(info)
    if now is not None:
        warnings += expiry_warnings(certificates, now, horizon)
    return SignatureFindings(tuple(dict.fromkeys(warnings)), tuple(certificates))
