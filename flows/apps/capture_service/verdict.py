"""Was the capture complete? Findings for a flow that stopped short or did not sign the browser in.

The diagnosis rules judge the protocol messages a flow carried; they cannot
see a flow that never got going (a start URL that does not open), one that
stopped at the IdP (a sign-in page the driver did not recognise, a
timeout), or one that came back to the SP without a session. Those are
errors of the capture itself, and a capture that ends in one must not
report "no problems found":

* ``capture-incomplete``: the drive stopped before the landing URL
  (:class:`~sso_harness.apps.capture_service.session.Outcome` not completed);
* ``capture-not-signed-in``: the landing URL was reached but the signed-in
  check (:mod:`sso_harness.browser.signed_in`) says the browser is not
  signed in;
* ``capture-sign-in-undecided``: the landing URL was reached but the check
  could not gather its evidence (the page never loaded, could not be read,
  the probe URL gave no answer): whether the browser is signed in is
  unknown, and the finding says so with the check's code
  (``signed_in.landing_not_loaded`` ...), never "not signed in".

Each names where the browser stopped: its last URL and the last page it loaded (hop).
"""

from __future__ import annotations

from collections.abc import Sequence

from sso_harness.apps.capture_service.session import Outcome, OutcomeKind
from sso_harness.browser.signed_in import SignedInVerdict
from sso_harness.capture.hop import Hop
from sso_harness.diagnose import Finding

__all__ = ["INCOMPLETE", "NOT_SIGNED_IN", "SIGN_IN_UNDECIDED", "capture_findings", "last_page_hop"]

INCOMPLETE = "capture-incomplete"
NOT_SIGNED_IN = "capture-not-signed-in"
SIGN_IN_UNDECIDED = "capture-sign-in-undecided"

_ADVICE: dict[OutcomeKind, str] = {
    "start-failed": "Check the start URL: it must open from this machine (name resolution, VPN, proxy, the scheme and port).",
    "sign-in-failed": ("Check --login and the sign-in page's selectors (--username-selector, --password-selector, "
                       "--submit-selector); the final-page screenshot shows the page the driver did not get through."),
    "timeout": ("Look at the final-page screenshot for where the flow waited; raise --timeout, or set --until to the URL "
                "the flow really ends on."),
    "closed": "Keep the browser window open until the landing page has loaded.",
}


def last_page_hop(hops: Sequence[Hop]) -> Hop | None:
    """The last hop that loaded a page (Chromium marks those ``Sec-Fetch-Dest: document``), else the last hop:
    a favicon or script fetched after the page is not where the flow stopped."""
    pages = [h for h in hops if (h.request_header("sec-fetch-dest") or "").lower() == "document"]
    return pages[-1] if pages else (hops[-1] if hops else None)


def _where(final_url: str | None, hops: Sequence[Hop]) -> str:
    at = f"the browser was last at {final_url}" if final_url and final_url != "about:blank" else "no page was loaded"
    hop = last_page_hop(hops)
    if hop is None:
        return f"{at}; no hop was recorded"
    answer = str(hop.status) if hop.status is not None else (hop.error or "no answer")
    return f"{at}; the last page hop is {hop.label} ({answer})"


def _acs_hop(hops: Sequence[Hop]) -> Hop | None:
    return next((h for h in reversed(hops) if h.method.upper() == "POST" and b"SAMLResponse=" in h.request_body), None)


def capture_findings(outcome: Outcome, hops: Sequence[Hop], *, final_url: str | None,
                     sign_in: SignedInVerdict | None = None) -> list[Finding]:
    """The capture's own findings (errors), empty when the flow completed and, if checked, signed the browser in."""
    last = last_page_hop(hops)
    if not outcome.completed:
        return [Finding(INCOMPLETE, "error", last.index if last else None, last.label if last else None,
                        f"The capture stopped before the sign-in finished: {outcome.reason}; {_where(final_url, hops)}.",
                        _ADVICE.get(outcome.kind, "Run the capture again and watch where it stops."))]
    if sign_in is not None and sign_in.signed_in is None:
        return [Finding(SIGN_IN_UNDECIDED, "error", last.index if last else None, last.label if last else None,
                        f"The flow came back, but the capture could not tell whether the browser is signed in: "
                        f"{sign_in.code}: {sign_in.explain()}; {_where(final_url, hops)}.",
                        "Nothing says the sign-in failed: look at the final-page screenshot, raise --timeout if the "
                        "landing page was still loading, and run the capture again.")]
    if sign_in is not None and not sign_in.signed_in:
        hop = _acs_hop(hops) or last
        return [Finding(NOT_SIGNED_IN, "error", hop.index if hop else None, hop.label if hop else None,
                        f"The flow came back, but the browser is not signed in: {sign_in.explain()}; {_where(final_url, hops)}.",
                        "If the SP shows a session differently, describe it with --signed-in-url, --signed-in-selector, "
                        "--signed-in-text or --signed-in-cookie; otherwise the SP refused the sign-in: read the ACS hop "
                        "and the other findings.")]
    return []
