"""Human-readable findings about a decoded message: time window and signatures.

These are diagnostics for test reports, phrased so a failing flow explains
itself ("… NotOnOrAfter … is before the evaluation time …").  Time rules
follow SAML core §2.5.1.2 (NotBefore inclusive, NotOnOrAfter exclusive) and
§2.4.1.2 for SubjectConfirmationData; no clock skew is applied — the caller
chooses the evaluation time.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from lxml import etree

from sso_harness.protocols.saml.messages import Assertion
from sso_harness.protocols.saml.timeutil import format_instant
from sso_harness.protocols.xml.dsig.verify import SignatureCheck

__all__ = ["signature_errors", "time_errors"]


def _not_after(label: str, limit: datetime | None, now: datetime) -> list[str]:
    # NotOnOrAfter is exclusive: the instant itself is already too late.
    if limit is None or limit > now:
        return []
    relation = "is before" if limit < now else "is not after"
    return [f"{label} NotOnOrAfter {format_instant(limit)} {relation} the evaluation time {format_instant(now)}"]


def time_errors(assertion: Assertion, now: datetime) -> list[str]:
    """Problems with the assertion's validity window at ``now`` (aware UTC)."""
    prefix = f"Assertion {assertion.id or '(no ID)'}:"
    found: list[str] = []
    if assertion.not_before is not None and assertion.not_before > now:
        found.append(
            f"{prefix} Conditions NotBefore {format_instant(assertion.not_before)} "
            f"is after the evaluation time {format_instant(now)} (not yet valid)"
        )
    found += [f"{prefix} {e}" for e in _not_after("Conditions", assertion.not_on_or_after, now)]
    found += [f"{prefix} {e}" for e in _not_after("SubjectConfirmationData", assertion.subject_not_on_or_after, now)]
    return found


def _describe(check: SignatureCheck) -> str:
    target = check.covers or "unresolved reference"
    return f"{target} {check.covers_id}" if check.covers_id else target


def signature_errors(
    checks: Sequence[SignatureCheck],
    accepted: Sequence[etree._Element],
    *,
    accepted_name: str = "neither the Response nor its reported assertion",
) -> list[str]:
    """One line per invalid signature, plus a wrapping warning for every valid
    signature that covers none of the ``accepted`` elements (the Response
    root and its reported assertion; ``accepted_name`` says so in words)."""
    found: list[str] = []
    for check in checks:
        if not check.valid:
            found.append(f"Signature over {_describe(check)}: {check.reason}")
        elif not any(check.element is element for element in accepted):
            found.append(
                f"Signature over {_describe(check)} is valid but covers {accepted_name} "
                "(possible signature wrapping)"
            )
    return found
