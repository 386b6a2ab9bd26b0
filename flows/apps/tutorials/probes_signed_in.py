"""``sp.signed_in``: whether the flow left the user signed in at the SP, by the target's own rule.

The verdict is :func:`sso_harness.browser.signed_in.decide`'s: the lane's
rule (a real target's ``signed_in`` from its targets file, the spec's
``signed_in`` in the emulation) when it declares one, else the SAML default
(the ACS took the Response, the SP set a new cookie, the landing stayed on
the SP). Recorded hops give the answers and cookies; the live final page
gives what a declared rule asks of it (selector, text, probe URL). The
evidence names the conditions behind the verdict.

When the live page could not be read (it never loaded, moved on while
read, the probe URL gave no answer) the check could not tell: the probe
raises :class:`~sso_harness.apps.tutorials.errors.NotObserved` with the
signed-in check's code (``signed_in.landing_not_loaded`` ...), never a
"false" for a page nobody read.
"""

from __future__ import annotations

from dataclasses import replace

from sso_harness.browser.signed_in import decide, facts_from_hops, gather
from sso_harness.apps.tutorials.errors import NotObserved
from sso_harness.apps.tutorials.observe import Observation, Probe, ProbeInput

__all__ = ["SIGNED_IN_PROBES"]


def _signed_in(inp: ProbeInput) -> Observation:
    outcome = inp.outcome
    if outcome.page is None or outcome.trace is None:
        raise NotObserved("the flow has no page and trace to judge a sign-in by" + (f": {outcome.error}" if outcome.error else ""))
    rule = outcome.signed_in_rule
    # The SP's origin, so a flow that ends on an IdP's error page is not taken for a landing on the SP.
    recorded = facts_from_hops([h.hop for h in outcome.trace.hops], landing_url=outcome.page.url,
                               expected_origin=inp.values.get("sp.origin") or None)
    facts = recorded
    if rule is not None:
        live = gather(outcome.page, rule, answers=recorded.answers, cookies_before=recorded.cookies_before)
        # A declared rule reads the live page and the browser's cookies; the landing chain stays the recorded one.
        # What could not be read stays unread: dropping it would read a page that never loaded as a negative.
        facts = replace(recorded, cookies_after=live.cookies_after, page_text=live.page_text, selector_found=live.selector_found,
                        selector_text=live.selector_text, probe_status=live.probe_status, probe_text=live.probe_text,
                        unread=live.unread)
    verdict = decide(rule, facts, acs_url=inp.values.get("sp.acs") or None)
    if verdict.signed_in is None:
        raise NotObserved(f"could not tell whether signed in: {verdict.code}: {verdict.explain()}", code=verdict.code)
    return Observation(verdict.signed_in, f"{outcome.final_hop}: {verdict.explain()}")


SIGNED_IN_PROBES: dict[str, Probe] = {
    "sp.signed_in": Probe("sp.signed_in", _signed_in,
                          "true when the user is signed in at the SP: the target's signed_in rule (the spec's in the emulation), "
                          "else the SAML default"),
}
