"""The checks a careful SAML SP makes on a Response, each with a name.

SAML profiles §4.1.4.3 lists what a relying party must verify for the Web
Browser SSO profile. pysaml2 makes these checks too, but some of its
refusals carry no reason (a wrong Destination just yields ``None``); the
mock SP runs both and uses these to say *which* check failed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass

from sso_harness.protocols.saml import Assertion, Response

__all__ = ["CheckFailure", "SpPolicy", "check_response"]


@dataclass(frozen=True)
class CheckFailure:
    check: str  # "signature", "audience", "recipient", "destination", "time window", "InResponseTo", ...
    detail: str

    def __str__(self) -> str:
        return f"{self.check}: {self.detail}"


@dataclass(frozen=True)
class SpPolicy:
    entity_id: str
    acs_url: str
    idp_entity_id: str
    allow_unsolicited: bool = False
    skew: dt.timedelta = dt.timedelta(seconds=60)


def check_response(
    response: Response, policy: SpPolicy, *, outstanding: Collection[str], seen_assertions: Collection[str], now: dt.datetime
) -> list[CheckFailure]:
    """Every failed check, in the order a person would want to fix them."""
    failures: list[CheckFailure] = []

    def fail(check: str, detail: str) -> None:
        failures.append(CheckFailure(check, detail))

    status = response.status
    if status is None or not status.ok:
        seen = f"{status.code} {status.message or ''}".strip() if status else "a Response without a Status"
        fail("status", f"the IdP answered {seen}")
        return failures
    if response.issuer != policy.idp_entity_id:
        fail("issuer", f"expected {policy.idp_entity_id!r}, got {response.issuer!r}")
    if response.destination is not None and response.destination != policy.acs_url:
        fail("destination", f"Response Destination is {response.destination!r}, this ACS is {policy.acs_url!r}")
    assertion = response.assertion
    if assertion is None:
        fail("assertion", "the Response carries no (readable) assertion")
        return failures
    if not response.trusted:
        fail("signature", "no signature by the IdP's certificate covers the Response or this assertion")
    if policy.entity_id not in assertion.audiences:
        fail("audience", f"expected {policy.entity_id!r} in the AudienceRestriction, got {list(assertion.audiences)!r}")
    if assertion.recipient != policy.acs_url:
        fail("recipient", f"SubjectConfirmationData Recipient is {assertion.recipient!r}, this ACS is {policy.acs_url!r}")
    _check_time(assertion, policy.skew, now, fail)
    irt = response.in_response_to
    if irt is None and not policy.allow_unsolicited:
        fail("InResponseTo", "unsolicited response: this SP only accepts answers to its own AuthnRequests")
    elif irt is not None and irt not in outstanding:
        fail("InResponseTo", f"{irt!r} does not answer any AuthnRequest this SP has outstanding")
    if assertion.subject_in_response_to not in (None, irt):
        fail("InResponseTo", "SubjectConfirmationData InResponseTo differs from the Response's")
    if assertion.id in seen_assertions:
        fail("replay", f"assertion {assertion.id} was already consumed")
    return failures


def _check_time(assertion: Assertion, skew: dt.timedelta, now: dt.datetime, fail: Callable[[str, str], None]) -> None:
    if assertion.not_before is not None and now + skew < assertion.not_before:
        fail("time window", f"not valid before {assertion.not_before:%Y-%m-%dT%H:%M:%SZ} (now {now:%H:%M:%SZ})")
    for label, limit in (("Conditions", assertion.not_on_or_after), ("SubjectConfirmationData", assertion.subject_not_on_or_after)):
        if limit is not None and now - skew >= limit:
            fail("time window", f"{label} NotOnOrAfter {limit:%Y-%m-%dT%H:%M:%SZ} has passed (now {now:%Y-%m-%dT%H:%M:%SZ})")
