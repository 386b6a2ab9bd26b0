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

from sso_harness.protocols.problems import (
    SAML_NOT_BEFORE,
    SAML_NOT_ON_OR_AFTER,
    SAML_SIGNATURE_INVALID,
    SAML_SIGNATURE_WRAPPING,
    SAML_SUBJECT_NOT_ON_OR_AFTER,
    Problem,
)
from sso_harness.protocols.saml.messages import Assertion
from sso_harness.protocols.saml.signatures import describe_target
from sso_harness.protocols.saml.timeutil import format_instant
from sso_harness.protocols.xml.dsig.verify import SignatureCheck

__all__ = ["not_after", "signature_errors", "time_errors"]


def not_after(label: str, limit: datetime | None, now: datetime) -> str | None:
    """The sentence saying ``<label> NotOnOrAfter`` has passed at ``now``, or None if it has not."""
    # NotOnOrAfter is exclusive: the instant itself is already too late.
    if limit is None or limit > now:
        return None
    relation = "is before" if limit < now else "is not after"
    return f"{label} NotOnOrAfter {format_instant(limit)} {relation} the evaluation time {format_instant(now)}"


def time_errors(assertion: Assertion, now: datetime) -> list[Problem]:
    """Problems with the assertion's validity window at ``now`` (aware UTC), coded
    ``saml.not_before``, ``saml.not_on_or_after`` and ``saml.subject_not_on_or_after``."""
    prefix = f"Assertion {assertion.id or '(no ID)'}:"
    found: list[Problem] = []
    if assertion.not_before is not None and assertion.not_before > now:
        found.append(Problem(
            SAML_NOT_BEFORE,
            f"{prefix} Conditions NotBefore {format_instant(assertion.not_before)} "
            f"is after the evaluation time {format_instant(now)} (not yet valid)",
        ))
    conditions = not_after("Conditions", assertion.not_on_or_after, now)
    if conditions is not None:
        found.append(Problem(SAML_NOT_ON_OR_AFTER, f"{prefix} {conditions}"))
    subject = not_after("SubjectConfirmationData", assertion.subject_not_on_or_after, now)
    if subject is not None:
        found.append(Problem(SAML_SUBJECT_NOT_ON_OR_AFTER, f"{prefix} {subject}"))
    return found


def signature_errors(
    checks: Sequence[SignatureCheck],
    accepted: Sequence[etree._Element],
    *,
    accepted_name: str = "neither the Response nor its reported assertion",
) -> list[Problem]:
    """One problem per invalid signature, plus a wrapping warning for every valid
    signature that covers none of the ``accepted`` elements (the Response
    root and its reported assertion; ``accepted_name`` says so in words)."""
    found: list[Problem] = []
    for check in checks:
        if not check.valid:
            found.append(Problem(SAML_SIGNATURE_INVALID, f"Signature over {describe_target(check)}: {check.reason}"))
        elif not any(check.element is element for element in accepted):
            found.append(Problem(
                SAML_SIGNATURE_WRAPPING,
                f"Signature over {describe_target(check)} is valid but covers {accepted_name} "
                "(possible signature wrapping)",
            ))
    return found
