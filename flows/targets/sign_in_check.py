"""Did a ``run`` flow sign in? The SP's ``signed_in`` rule, or the SAML default, applied where the flow ended.

The decision is :func:`sso_harness.browser.signed_in.decide`, the same one
``capture``, the tutorials and the attack battery use. Its facts come from
the flow's recorded hops (the ACS answer, the cookies sent and set, the URLs
after the delivery) and, for a declared rule, from the page the flow ended
on (selector, text, probe URL).

Which flows are judged: every flow whose SP declares a rule; without one,
the SAML flows (``sp_initiated``, ``idp_initiated``) by the SAML default.
Not judged (None): single logout flows (they end signed out), a flow
expected to end in an OAuth error, and OAuth/OIDC/WS-Federation flows
without a rule (there is no protocol default for them).
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlsplit

from playwright.sync_api import Page

from sso_harness.browser.signed_in import SignedInVerdict, decide, facts_from_hops, gather
from sso_harness.expect import ExpectationFailed
from sso_harness.targets.target import SpSpec
from sso_harness.trace.trace import Trace

__all__ = ["NOT_SIGNED_IN", "SIGN_IN_UNDECIDED", "SAML_DEFAULT_FLOWS", "signed_in_verdict", "require_signed_in"]

NOT_SIGNED_IN = "runner.not_signed_in"
"""The check read its evidence and the browser is not signed in."""
SIGN_IN_UNDECIDED = "runner.sign_in_undecided"
"""The check could not gather its evidence (the verdict's own code says which): whether the flow signed in is unknown."""
SAML_DEFAULT_FLOWS: tuple[str, ...] = ("sp_initiated", "idp_initiated")
_NOT_JUDGED: tuple[str, ...] = ("slo_sp", "slo_idp")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def signed_in_verdict(page: Page, trace: Trace, sp: SpSpec, flow: str, *, timeout_ms: float = 10_000) -> SignedInVerdict | None:
    """The verdict for ``flow`` of ``sp`` (its per-flow view), or None when this flow is not judged (see the module)."""
    rule = sp.signed_in if sp.signed_in is not None and sp.signed_in.declared else None
    if flow in _NOT_JUDGED or sp.expect.error or (rule is None and flow not in SAML_DEFAULT_FLOWS):
        return None
    where = sp.landing_url or sp.sign_on_url or sp.acs
    facts = facts_from_hops([h.hop for h in trace], landing_url=page.url, expected_origin=_origin(where) if where else None)
    if rule is not None:
        # The page as the flow left it (no new navigation), with what the recording saw on the way.
        live = gather(page, rule, answers=facts.answers, cookies_before=facts.cookies_before, timeout_ms=timeout_ms)
        facts = replace(live, chain=facts.chain, landing_status=facts.landing_status, expected_origin=facts.expected_origin,
                        cookies_after=live.cookies_after | facts.cookies_after)
    return decide(rule, facts, acs_url=sp.acs)


def require_signed_in(verdict: SignedInVerdict | None, trace: Trace) -> None:
    """Raise :class:`ExpectationFailed` unless ``verdict`` is None (not judged) or signed in: coded
    :data:`NOT_SIGNED_IN` when the check says not signed in, :data:`SIGN_IN_UNDECIDED` when it could
    not tell (its evidence was not gathered: the message names the verdict's code, e.g.
    ``signed_in.landing_not_loaded``), never "not signed in" for a page that was not read."""
    if verdict is None or verdict.signed_in:
        return
    if verdict.signed_in is None:
        raise ExpectationFailed(f"could not tell whether signed in: {verdict.code}: {verdict.explain()}\n"
                                f"trace:\n{trace.summary()}", SIGN_IN_UNDECIDED)
    raise ExpectationFailed(f"{verdict.explain()}\ntrace:\n{trace.summary()}", NOT_SIGNED_IN)
