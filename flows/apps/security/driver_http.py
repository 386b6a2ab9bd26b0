"""A browser stand-in without JavaScript: urllib, a cookie jar, and the attacker's own pages read as data.

For the battery's unit tests and for environments without Chromium. It
follows redirects, submits the attacker site's self-posting forms and
follows its redirect pages (both are machine-readable, see
:mod:`sso_harness.mocks.attack_lab.site`), and reads the DOM with lxml. It does not
run scripts, so it sees markup reflection but not script execution.
"""

from __future__ import annotations

import http.cookiejar
import urllib.error
import urllib.request
from urllib.parse import urlencode, urljoin, urlsplit

from lxml import html as lxml_html

from sso_harness.apps.security.driver import DeliveryFailed, IdentityProbe, Landing, SessionMark, Wait, origin_of
from sso_harness.browser.signed_in import (
    LANDING_NOT_LOADED,
    PROBE_UNANSWERED,
    Answer,
    SignedInVerdict,
    SignInFacts,
    SignInRule,
    Unread,
    decide,
)
from sso_harness.mocks.web.outbound import NoRedirect

__all__ = ["HttpDriver"]

_MAX_STEPS = 12


class HttpDriver:
    def __init__(self, *, timeout: float = 10.0) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.timeout = timeout
        self._opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(self.jar), NoRedirect
        )
        self._page: bytes = b""
        self._url = ""
        self._answers: list[Answer] = []
        self._chain: list[str] = []

    def clear_session(self) -> None:
        self.jar.clear()
        self._page, self._url = b"", ""
        self._answers = []

    def forget_idp_session(self, keep_origin: str) -> None:
        host = urlsplit(keep_origin).hostname or ""
        for cookie in list(self.jar):
            if cookie.domain.lstrip(".") not in (host, ""):
                self.jar.clear(cookie.domain, cookie.path, cookie.name)

    def _pairs(self) -> frozenset[str]:
        return frozenset(f"{c.name}={c.value}" for c in self.jar)

    def session_mark(self) -> SessionMark:
        return SessionMark(len(self._answers), self._pairs())

    def signed_in(self, rule: SignInRule | None, *, acs_url: str, landing_url: str, since: SessionMark) -> SignedInVerdict:
        """Without a browser a declared ``selector`` is never found and ``probe_url`` is fetched with the jar;
        a landing page or probe without an answer is unread evidence (the verdict stays open), as in the browser."""
        unread: list[Unread] = []
        try:
            landing = self.open(landing_url)
        except DeliveryFailed as exc:
            unread.append(Unread(LANDING_NOT_LOADED, f"{landing_url} did not load: {exc}"))
            landing = Landing(url=self._chain[-1] if self._chain else landing_url, chain=tuple(self._chain))
        probe_status: int | None = None
        probe_text: str | None = None
        if rule is not None and rule.probe_url is not None:
            try:
                probe_status, _, body = self._fetch(rule.probe_url, record=False)
                probe_text = body.decode("utf-8", "replace")
            except DeliveryFailed as exc:
                unread.append(Unread(PROBE_UNANSWERED, f"{rule.probe_url} gave no answer: {exc}"))
        doc = None if unread and unread[0].code == LANDING_NOT_LOADED else self._doc(self._page)
        facts = SignInFacts(
            landing_url=landing.url, answers=tuple(self._answers[since.answers:]), chain=landing.chain,
            landing_status=landing.status, expected_origin=origin_of(landing_url).lower(), cookies_before=since.cookies,
            cookies_after=self._pairs(), page_text=None if doc is None else doc.text_content(),
            selector_found=False if rule is not None and rule.selector is not None else None,
            probe_status=probe_status, probe_text=probe_text, unread=tuple(unread))
        return decide(rule, facts, acs_url=acs_url)

    def _fetch(self, url: str, data: dict[str, str] | None = None, *, record: bool = True) -> tuple[int, dict[str, str], bytes]:
        body = urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, method="POST" if data is not None else "GET")
        try:
            with self._opener.open(request, timeout=self.timeout) as answer:
                out = answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read()
        except urllib.error.HTTPError as err:
            out = err.code, {k.lower(): v for k, v in err.headers.items()}, err.read()
        except (urllib.error.URLError, OSError) as exc:
            raise DeliveryFailed(f"{url}: {exc}") from exc
        if record:
            self._answers.append(Answer(request.get_method(), url, out[0], data is not None and "SAMLResponse" in data))
        return out

    def open(self, url: str, *, wait: Wait = "load", until_leaves: str | None = None) -> Landing:
        chain: list[str] = []
        self._chain = chain  # kept: where a move that failed had got to
        data: dict[str, str] | None = None
        status = None
        for _ in range(_MAX_STEPS):
            chain.append(url)
            status, headers, body = self._fetch(url, data)
            data = None
            location = headers.get("location")
            if 300 <= status < 400 and location:
                url = urljoin(url, location)
                continue
            self._page, self._url = body, url
            follow = self._attacker_step(url, body) if until_leaves and origin_of(url) == until_leaves else None
            if follow is None:
                break
            url, data = follow
        else:
            raise DeliveryFailed(f"more than {_MAX_STEPS} steps from {chain[0]}")
        return Landing(url=url, status=status, title=self._title(), failed_checks=self._checks(), chain=tuple(chain))

    def _attacker_step(self, url: str, body: bytes) -> tuple[str, dict[str, str] | None] | None:
        doc = self._doc(body)
        if doc is None:
            return None
        form = doc.xpath("//form[@id='attack']")
        if form:
            fields = {i.get("name"): i.get("value", "") for i in form[0].xpath(".//input[@name]")}
            return urljoin(url, form[0].get("action", url)), fields
        link = doc.xpath("//a[@id='next']/@href")
        return (urljoin(url, link[0]), None) if link else None

    @staticmethod
    def _doc(body: bytes) -> lxml_html.HtmlElement | None:
        try:
            return lxml_html.fromstring(body) if body.strip() else None
        except (ValueError, TypeError):
            return None

    def _title(self) -> str:
        doc = self._doc(self._page)
        titles = [] if doc is None else doc.xpath("//title/text()")
        return titles[0].strip() if titles else ""

    def _checks(self) -> tuple[str, ...]:
        doc = self._doc(self._page)
        return () if doc is None else tuple(doc.xpath("//*[@data-check]/@data-check"))

    def identity(self, probe: IdentityProbe) -> str | None:
        landing = self.open(probe.url)
        if origin_of(landing.url) != origin_of(probe.url):
            return None
        doc = self._doc(self._page)
        found = [] if doc is None else doc.xpath(probe.xpath)
        if not found:
            return None
        first = found[0]
        return probe.read(first if isinstance(first, str) else first.text_content())

    def has_element(self, element_id: str) -> bool:
        doc = self._doc(self._page)
        return doc is not None and bool(doc.xpath("//*[@id=$v]", v=element_id))

    def cookie_names(self) -> tuple[str, ...]:
        return tuple(sorted({c.name for c in self.jar}))
