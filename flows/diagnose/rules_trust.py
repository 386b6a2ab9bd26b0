"""Trust rules: a signature by a certificate the SP does not trust (a missed rollover), or none at all.

A signature whose digest matches but that no trusted certificate verifies
means the message is intact and was signed with another key. When the
IdP rolls its signing certificate over and the SP was not given the new
one, every login breaks at once: the classic overnight failure.
"""

from __future__ import annotations

from collections.abc import Iterator

from sso_harness.diagnose.evidence import Evidence
from sso_harness.diagnose.finding import Finding
from sso_harness.protocols.saml import SignatureReport
from sso_harness.protocols.xml.dsig.verify import DSIG_UNTRUSTED_KEY

__all__ = ["untrusted_signer"]


def untrusted_signer(ev: Evidence) -> Iterator[Finding]:
    anchors = ev.trace.trusted_cert_count
    told = False
    for h, b, response in ev.saml_responses():
        checks = response.signatures
        if anchors == 0:
            if checks and not told:
                told = True
                yield Finding(
                    "signature-unchecked", "info", h.hop.index, h.label,
                    "Signatures were not checked: the capture was given no trusted IdP certificate.",
                    "Capture again with --idp-cert FILE or --idp-metadata URL to check signatures and spot a missed rollover.",
                )
            continue
        if not checks and response.status is not None and response.status.ok:
            yield Finding(
                "unsigned", "error", h.hop.index, h.label,
                "Neither the Response nor its assertion is signed; an SP must refuse it.",
                "At the IdP, sign the assertion or the response (Entra: SAML Signing Certificate → Signing option).",
            )
            continue
        if response.trusted:
            continue
        for check in checks:
            if check.failure != DSIG_UNTRUSTED_KEY:
                continue
            embedded = check.embedded_certificates if isinstance(check, SignatureReport) else ()
            carried = ", ".join(f"{c.short()} valid from {c.not_before:%Y-%m-%d}" for c in embedded) or "no certificate in KeyInfo"
            yield Finding(
                "missed-rollover", "error", h.hop.index, h.label,
                f"The {check.covers or 'message'} is signed with a key none of the {anchors} trusted certificate(s) "
                f"verifies; its digest matches, so it is intact but signed by someone else's key (KeyInfo: {carried}). "
                "This is what a missed certificate rollover looks like.",
                "Give the SP the IdP's current signing certificate (re-import the IdP's federation metadata, or upload "
                "the new certificate); during a rollover an SP can trust the old and new ones at once.",
            )
            break
