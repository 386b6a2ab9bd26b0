"""From what was observed to a verdict, per goal (pure).

The rules, in order of authority: whether the target signed the browser in
(``signed_in``, from :mod:`sso_harness.browser.signed_in`, when the battery
checks it that way) and who its own "who am I" page says (the session it
granted), then what the attacker's servers saw (an
out-of-band fetch, a browser sent to the attacker's page, a leaked code),
then the rendered page (markup reflection). The landing page and the
session cookies are kept as evidence but never decide alone: an SP may set
a cookie before it has judged anything.
"""

from __future__ import annotations

from dataclasses import dataclass

from sso_harness.apps.security.verdicts import Goal, Verdict

__all__ = ["Observed", "judge"]


@dataclass(frozen=True)
class Observed:
    """``signed_in_as``: who the target shows as signed in (None: nobody shown). ``signed_in``: the
    signed-in check's answer when one ran; None means "signed in" is read from ``signed_in_as`` alone.
    Signed in with nobody shown makes an identity goal INCONCLUSIVE: the harness cannot tell whom."""

    signed_in_as: str | None
    user: str
    """How the target shows the attacker's own account."""
    victim: str
    """How the target shows the victim."""
    signed_in: bool | None = None
    markup_rendered: bool = False
    oob_fetched: bool = False
    reached_attacker_site: bool = False
    code_leaked: bool = False
    weak_request: str | None = None
    """What is wrong with the authorization request the relying party sent (None: nothing)."""


_UNSHOWN = ("signed in, but the SP shows nobody the harness can read, so it cannot tell whom: "
            "declare signed_in with text (or a selector) naming the user, or a probe_url that shows the user")


def judge(goal: Goal, seen: Observed) -> tuple[Verdict, str]:
    who = seen.signed_in_as
    signed = seen.signed_in if seen.signed_in is not None else who is not None
    if goal is Goal.SESSION:
        if signed:
            return Verdict.ACCEPTED, f"the target signed the attacker in (as {who or 'someone it does not name'})"
        return Verdict.REJECTED, "no session was granted"
    if goal is Goal.IMPERSONATE:
        if signed and who == seen.victim:
            return Verdict.ACCEPTED, f"the target signed the attacker in as the victim {who}"
        if not signed:
            return Verdict.REJECTED, "no session was granted"
        if who is None:
            return Verdict.INCONCLUSIVE, _UNSHOWN
        return Verdict.REJECTED, f"signed in as {who}, not as the victim: the injected identity was not read"
    if goal is Goal.LOGIN_CSRF:
        if signed and who == seen.user:
            return Verdict.ACCEPTED, f"the victim's browser is signed in as the attacker ({who})"
        if signed and who is None:
            return Verdict.INCONCLUSIVE, _UNSHOWN
        return Verdict.REJECTED, "the victim's browser did not take the attacker's login" + (f" (signed in as {who})" if signed and who else "")
    if goal is Goal.REDIRECT:
        if seen.reached_attacker_site:
            return Verdict.ACCEPTED, "the target sent the browser on to the attacker's site"
        return Verdict.REJECTED, "the browser stayed with the target"
    if goal is Goal.REFLECTED:
        if seen.markup_rendered:
            return Verdict.ACCEPTED, "the attacker's markup was rendered by the target's page"
        if not signed:
            return Verdict.REJECTED, "no session was granted, and no page rendered the markup"
        return Verdict.REJECTED, "the values were shown escaped (or not at all)"
    if goal is Goal.OUT_OF_BAND:
        if seen.oob_fetched:
            return Verdict.ACCEPTED, "the target's XML parser fetched the attacker's URL"
        return Verdict.REJECTED, "the target did not fetch the planted URL"
    if goal is Goal.CODE_LEAK:
        if seen.code_leaked:
            return Verdict.ACCEPTED, "an authorization code reached the attacker"
        return Verdict.REJECTED, "no authorization code reached the attacker"
    if goal is Goal.WEAK_REQUEST:
        if seen.weak_request:
            return Verdict.ACCEPTED, seen.weak_request
        return Verdict.REJECTED, "the authorization request kept its protection"
    raise ValueError(f"no rule for goal {goal!r}")
