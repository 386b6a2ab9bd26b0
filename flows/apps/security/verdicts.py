"""What one attack attempt produces: a verdict with the evidence behind it.

A verdict answers one question per attack: did the SP (or relying party)
grant what the attacker was after? ``REJECTED`` means it did not (good),
``ACCEPTED`` means it did (vulnerable), ``INCONCLUSIVE`` means the harness
could not tell, and says why. The evidence is what a person reviewing the
matrix needs to agree: where the browser landed, which session cookies the
SP holds, who the SP says is signed in, and what the attacker's own servers
saw (an out-of-band fetch, a redirect to the attacker's site, a leaked code).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

__all__ = ["Verdict", "Goal", "Evidence", "AttackResult", "BatteryRun", "NotApplicable", "AttackNotApplicable",
           "NOT_APPLICABLE", "NEEDS_IDP_KEY", "OOB_UNREACHABLE", "NOT_FORGEABLE", "DELIVERY_FAILED",
           "FIRST_DELIVERY_REFUSED", "MARKUP_UNREAD"]

NOT_APPLICABLE = "security.not_applicable"
"""The code of a not-applicable attack whose battery gave a reason only (no finer code)."""
NEEDS_IDP_KEY = "security.needs_idp_key"
"""INCONCLUSIVE: the crafted message must be signed by the target's IdP, whose key the harness does not hold."""
OOB_UNREACHABLE = "security.oob_unreachable"
"""INCONCLUSIVE: the out-of-band listener is out of the target's reach."""
NOT_FORGEABLE = "security.not_forgeable"
"""INCONCLUSIVE: the attack cannot be mounted with what the harness holds."""
DELIVERY_FAILED = "security.delivery_failed"
"""INCONCLUSIVE: the browser could not complete a move of the attempt (a page that never came, a navigation error)."""
FIRST_DELIVERY_REFUSED = "security.first_delivery_refused"
"""INCONCLUSIVE: the replay's first, legitimate delivery was refused, so the replay proves nothing."""
MARKUP_UNREAD = "security.markup_unread"
"""INCONCLUSIVE: the SP's page could not be read for the attacker's markup (it moved on while read)."""


class Verdict(str, Enum):
    REJECTED = "REJECTED"
    ACCEPTED = "ACCEPTED"
    INCONCLUSIVE = "INCONCLUSIVE"

    def __str__(self) -> str:
        return self.value


class Goal(str, Enum):
    """What counts as the attacker's success for one attack."""

    SESSION = "session"
    """The SP signed the attacker in at all (with the identity of the legitimately signed user)."""
    IMPERSONATE = "impersonate"
    """The SP signed the attacker in *as the victim*."""
    LOGIN_CSRF = "login-csrf"
    """The victim's browser ended up signed in as the attacker."""
    REDIRECT = "redirect"
    """The SP sent the browser on to the attacker's site."""
    REFLECTED = "reflected"
    """Markup the attacker put in a value was rendered by the SP's page."""
    OUT_OF_BAND = "out-of-band"
    """The SP's XML parser fetched a URL the attacker planted."""
    CODE_LEAK = "code-leak"
    """An authorization code reached a party it was not meant for."""
    WEAK_REQUEST = "weak-request"
    """The relying party sent an authorization request the attacker could exploit."""

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Evidence:
    """What was observed after one delivery; every field is optional.

    ``landing_url``/``landing_status``/``landing_title`` describe the page the
    browser ended on after the crafted message; ``failed_checks`` are the
    checks the SP named on its refusal page (``data-check`` items), when it
    names them; ``signed_in_as`` is what the SP's own "who am I" page shows
    (None: nobody); ``signed_in`` the signed-in check's answer when one ran
    (:mod:`sso_harness.browser.signed_in`; None: the "who am I" page alone
    decided); ``session_cookies`` the SP session cookies present in the
    browser afterwards; ``observations`` anything else that was seen, in
    plain words (an out-of-band hit, the authorization request sent).
    URLs are kept with their secret parameters (codes, tokens) redacted.
    """

    landing_url: str | None = None
    landing_status: int | None = None
    landing_title: str | None = None
    failed_checks: tuple[str, ...] = ()
    signed_in_as: str | None = None
    session_cookies: tuple[str, ...] = ()
    observations: tuple[str, ...] = ()
    signed_in: bool | None = None

    def summary(self) -> str:
        """One line for a terminal table."""
        parts: list[str] = []
        if self.signed_in_as is not None:
            parts.append(f"signed in as {self.signed_in_as}")
        elif self.signed_in:
            parts.append("signed in (the SP names nobody)")
        elif self.landing_url is not None or self.signed_in is False:
            parts.append("not signed in")
        if self.failed_checks:
            parts.append("refused: " + ", ".join(self.failed_checks))
        elif self.landing_status is not None and self.landing_status >= 400:
            parts.append(f"HTTP {self.landing_status}")
        parts.extend(self.observations)
        return "; ".join(parts) or "no evidence"

    def to_json(self) -> dict[str, object]:
        return {
            "landing_url": self.landing_url,
            "landing_status": self.landing_status,
            "landing_title": self.landing_title,
            "failed_checks": list(self.failed_checks),
            "signed_in_as": self.signed_in_as,
            "signed_in": self.signed_in,
            "session_cookies": list(self.session_cookies),
            "observations": list(self.observations),
        }


@dataclass(frozen=True)
class AttackResult:
    """One row of the attack matrix."""

    attack_id: str
    title: str
    verdict: Verdict
    reason: str
    reference: str
    target: str
    evidence: Evidence = field(default_factory=Evidence)
    control: bool = False
    """True for the baseline row: an untampered message that must be ACCEPTED."""
    seconds: float = 0.0
    code: str | None = None
    """Why an INCONCLUSIVE verdict could not be decided, as a code (``signed_in.landing_not_loaded``,
    ``security.delivery_failed`` ...); None for a decided verdict, or a battery that gives none."""

    @property
    def vulnerable(self) -> bool:
        return self.verdict is Verdict.ACCEPTED and not self.control

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.attack_id,
            "title": self.title,
            "target": self.target,
            "verdict": self.verdict.value,
            "control": self.control,
            "reason": self.reason,
            "reference": self.reference,
            "evidence": self.evidence.to_json(),
            "seconds": round(self.seconds, 3),
            "code": self.code,
        }


@dataclass(frozen=True)
class NotApplicable:
    """An attack that does not apply to a target: no verdict, a coded reason instead.

    ``code`` is :data:`NOT_APPLICABLE` or a finer ``security.not_applicable.*``
    code (what code matches on); ``reason`` says why in plain words.
    """

    attack_id: str
    reason: str
    code: str = NOT_APPLICABLE

    def to_json(self) -> dict[str, str]:
        return {"id": self.attack_id, "code": self.code, "reason": self.reason}


class AttackNotApplicable(Exception):
    """Raised while an attack is prepared when what the target itself produced shows the attack cannot apply.

    Not a failure to tell (that is an INCONCLUSIVE verdict): a fact about the
    target, e.g. a captured response without the Response-level signature a
    wrapping shape abuses. ``code`` is a ``security.not_applicable.*`` code;
    the battery loop turns it into a :class:`NotApplicable` row.
    """

    def __init__(self, code: str, reason: str) -> None:
        self.code, self.reason = code, reason
        super().__init__(f"{code}: {reason}")


@dataclass(frozen=True)
class BatteryRun:
    """The verdicts against one target, and the attacks that do not apply to it (with why)."""

    target: str
    protocol: str
    results: tuple[AttackResult, ...]
    not_applicable: tuple[NotApplicable, ...] = ()

    @property
    def vulnerable(self) -> tuple[AttackResult, ...]:
        return tuple(r for r in self.results if r.vulnerable)

    def verdicts(self) -> dict[str, Verdict]:
        return {r.attack_id: r.verdict for r in self.results}
