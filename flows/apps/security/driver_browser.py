"""The battery's moves in Chromium, through Playwright.

Given ``new_context`` (a factory), :meth:`BrowserDriver.clear_session` closes
the context and opens a fresh one before every attempt: no cookie, cache
entry, storage or IdP session of an earlier attempt survives, which is what
a third-party SP needs. Without it one context is reused and its cookies
are dropped (cheaper; sound for the mocks, which keep state only in
cookies). Main-frame navigations are recorded as they happen, so
redirects that Playwright's routing cannot intercept (a 302 to the IdP,
to the attacker's site) are still seen.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Page, Request, Response
from playwright.sync_api import Error as PlaywrightError

from sso_harness.apps.security.driver import DeliveryFailed, IdentityProbe, Landing, SessionMark, Wait, origin_of
from sso_harness.browser.signed_in import AnswerLog, SignedInVerdict, SignInRule, cookie_pairs, decide, gather

__all__ = ["BrowserDriver"]


class BrowserDriver:
    def __init__(self, context: BrowserContext, *, timeout_ms: float = 60_000,
                 new_context: Callable[[], BrowserContext] | None = None) -> None:
        """``context`` is the caller's to close; with ``new_context``, contexts opened by
        :meth:`clear_session` are closed by it or by :meth:`close`.

        Every move waits on a state (a navigation committed, a load event, the
        browser leaving the attacker's origin) and returns as soon as it is
        reached; ``timeout_ms`` only bounds how long one such state may take
        on a slow or loaded machine. Past it, a move raises
        :class:`~sso_harness.apps.security.driver.DeliveryFailed` and the
        signed-in check records the evidence as unread: the attempt comes out
        INCONCLUSIVE, never REJECTED because a page was slow."""
        self.timeout_ms = timeout_ms
        self._new_context = new_context
        self._owned = False
        self._navigations: list[str] = []
        self._statuses: dict[str, int] = {}
        self._attach(context)

    def _attach(self, context: BrowserContext) -> None:
        self.context = context
        self.page: Page = context.pages[0] if context.pages else context.new_page()
        self.page.on("request", self._on_request)
        self.page.on("response", self._on_response)
        self._answers = AnswerLog(self.page)

    def _on_request(self, request: Request) -> None:
        if request.is_navigation_request() and request.frame == self.page.main_frame:
            self._navigations.append(request.url)

    def _on_response(self, response: Response) -> None:
        if response.request.is_navigation_request():
            self._statuses[response.url] = response.status

    def clear_session(self) -> None:
        if self._new_context is None:
            self.context.clear_cookies()
            return
        old, owned = self.context, self._owned
        self._attach(self._new_context())
        self._owned = True
        self._navigations, self._statuses = [], {}
        if owned:
            old.close()

    def close(self) -> None:
        """Close the context this driver opened itself (the caller's own stays the caller's)."""
        if self._owned:
            self.context.close()
            self._owned = False

    def forget_idp_session(self, keep_origin: str) -> None:
        host = (urlsplit(keep_origin).hostname or "").lower()

        def sent_to_sp(domain: str) -> bool:
            d = domain.lstrip(".").lower()
            return host == d or host.endswith("." + d)

        others = {c.get("domain", "") for c in self.context.cookies()} - {""}
        for domain in sorted(d for d in others if not sent_to_sp(d)):
            self.context.clear_cookies(domain=domain)

    def session_mark(self) -> SessionMark:
        return SessionMark(self._answers.mark(), cookie_pairs(self.page))

    def signed_in(self, rule: SignInRule | None, *, acs_url: str, landing_url: str, since: SessionMark) -> SignedInVerdict:
        facts = gather(self.page, rule, answers=self._answers.since(since.answers), cookies_before=since.cookies,
                       landing_url=landing_url, timeout_ms=self.timeout_ms)
        return decide(rule, facts, acs_url=acs_url)

    def open(self, url: str, *, wait: Wait = "load", until_leaves: str | None = None) -> Landing:
        start = len(self._navigations)
        try:
            # A self-acting page (the attacker's) needs no load event of its own: only where it leads counts.
            self.page.goto(url, wait_until="commit" if until_leaves is not None else wait, timeout=self.timeout_ms)
            if until_leaves is not None:
                self.page.wait_for_url(lambda u: origin_of(u) != until_leaves, wait_until=wait, timeout=self.timeout_ms)
            if wait == "load":
                self.page.wait_for_load_state("load", timeout=self.timeout_ms)
        except PlaywrightError as exc:
            raise DeliveryFailed(f"{url}: {str(exc).splitlines()[0]}") from exc
        return self._landing(tuple(self._navigations[start:]), wait)

    def _landing(self, chain: tuple[str, ...], wait: Wait) -> Landing:
        final = self.page.url
        title = ""
        checks: tuple[str, ...] = ()
        if wait == "load":
            try:
                title = self.page.title()
                checks = tuple(str(c or "") for c in self.page.locator("[data-check]").evaluate_all("els => els.map(e => e.dataset.check)"))
            except PlaywrightError:
                pass  # the page moved on meanwhile (a self-acting page); the URL still says where it is
        return Landing(url=final, status=self._statuses.get(final), title=title, failed_checks=checks, chain=chain)

    def identity(self, probe: IdentityProbe) -> str | None:
        landing = self.open(probe.url, wait="commit")
        if origin_of(landing.url) != origin_of(probe.url):
            return None  # sent away to sign in: nobody is signed in
        try:
            self.page.wait_for_load_state("load", timeout=self.timeout_ms)
            found = self.page.locator(f"xpath={probe.xpath}")
            if found.count() == 0:
                return None
            text = found.first.text_content(timeout=self.timeout_ms)
        except PlaywrightError as exc:
            raise DeliveryFailed(f"{probe.url}: {str(exc).splitlines()[0]}") from exc
        return probe.read(text or "")

    def has_element(self, element_id: str) -> bool | None:
        try:
            return bool(self.page.evaluate("id => document.getElementById(id) !== null", element_id))
        except PlaywrightError:
            return None  # the page moved on (or went away) while read: nobody saw whether the element is there

    def script_flag(self) -> str | None:
        """What the attacker's script wrote, if the SP let it run (``window.ssoHarnessMarkup``)."""
        try:
            value = self.page.evaluate("() => window.ssoHarnessMarkup || null")
        except PlaywrightError:
            return None
        return value if isinstance(value, str) else None

    def cookie_names(self) -> tuple[str, ...]:
        return tuple(sorted({c["name"] for c in self.context.cookies()}))
