"""What one flow of a tutorial left behind, for the probes to look at.

A browser flow leaves its trace, the live page where it ended, and, when it
did not get through, why: ``refusal`` is the text of an IdP error page that
stopped the sign-in, ``error`` a browser-level failure (a page that was not
recognised, a timeout). A fetch flow leaves the fetched document.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from sso_harness.browser.signed_in import SignInRule
from sso_harness.trace.trace import Trace, TraceQueryError

if TYPE_CHECKING:  # the emulation lane starts the fleet
    from sso_harness.mocks.fleet import MockFleet

__all__ = ["FetchedDocument", "FlowOutcome"]

#: How much of a page's visible text is kept for messages and error-code search.
PAGE_TEXT_LIMIT = 4000


@dataclass(frozen=True)
class FetchedDocument:
    url: str
    status: int | None
    text: str
    hop: str
    """The label of the hop that carried it (or the URL when the proxy did not record one)."""


@dataclass(frozen=True)
class FlowOutcome:
    flow: str
    trace: Trace | None = None
    page: Page | None = None
    final_url: str | None = None
    refusal: str | None = None
    error: str | None = None
    document: FetchedDocument | None = None
    fleet: MockFleet | None = None
    """The emulation (for hook probes); None on a real target."""
    signed_in_rule: SignInRule | None = None
    """What a signed-in user looks like at the SP (the lane's); None: the SAML default decides."""

    @property
    def completed(self) -> bool:
        return self.refusal is None and self.error is None

    @property
    def final_hop(self) -> str:
        """The label of the last top-level navigation, for evidence about the final page."""
        if self.trace is not None:
            try:
                return self.trace.final_hop.label
            except TraceQueryError:
                pass
        return f"final page {self.final_url or '(none)'}"

    @property
    def final_status(self) -> int | None:
        if self.trace is None:
            return None
        try:
            return self.trace.final_hop.hop.status
        except TraceQueryError:
            return None

    def page_text(self) -> str:
        """The visible text of the final page (bounded; empty when there is no page)."""
        if self.page is None:
            return ""
        try:
            return self.page.locator("body").inner_text(timeout=2_000)[:PAGE_TEXT_LIMIT]
        except PlaywrightError:
            return ""
