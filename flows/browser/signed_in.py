"""Is the browser signed in at the SP? A typed verdict with the conditions behind it.

Two ways to decide, never mixed:

* a **declared rule** (:class:`SignInRule`, from the targets file's
  ``signed_in`` or a command line): every field that is set must hold, and
  opening the landing page must not have started a new login at the IdP.
  ``url`` is a glob the landing URL must match, ``selector`` an element the
  landing page must hold, ``text`` a string its visible text must contain
  (the selected element's, when ``selector`` is given too), ``cookie`` the
  name of a cookie the browser must hold, and ``probe_url`` a page fetched
  with the browser's cookies whose status (``probe_status``, default 200)
  and body (``probe_text``) must match.
* the **SAML default**, when no rule is declared: the ACS answered the POST
  of a SAMLResponse without an error, a cookie appeared that the browser did
  not hold before (set by the ACS answer or a later page), and the landing
  URL loaded on the SP without being sent back to an IdP.

The decision is pure (:func:`decide` over :class:`SignInFacts`); the facts
come from recorded hops (:func:`facts_from_hops`) or from a live page
(:func:`gather`, with :class:`AnswerLog` listening while the sign-in is
delivered). Nothing here knows a particular SP: a stock SP whose protected
page is plain text is signed in by the same rules as a rich one.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, Request, Response

if TYPE_CHECKING:  # annotations only: importing the capture package starts mitmproxy's imports (slow for `check`)
    from sso_harness.capture.hop import Hop

__all__ = [
    "SignInRule", "Answer", "SignInFacts", "Condition", "SignedInVerdict", "AnswerLog",
    "decide", "facts_from_hops", "gather", "cookie_pairs",
]

Basis = Literal["declared", "saml-default"]


@dataclass(frozen=True)
class SignInRule:
    """What "signed in" looks like at one SP; unset fields are not checked. An empty rule declares nothing."""

    url: str | None = None
    selector: str | None = None
    text: str | None = None
    cookie: str | None = None
    probe_url: str | None = None
    probe_status: int | None = None
    probe_text: str | None = None

    @property
    def declared(self) -> bool:
        return any(v is not None for v in (self.url, self.selector, self.text, self.cookie, self.probe_url))


@dataclass(frozen=True)
class Answer:
    """One HTTP answer the browser received: ``saml_response`` says its request posted a SAMLResponse;
    ``set_cookies`` are the ``name=value`` pairs its Set-Cookie headers carried (when known)."""

    method: str
    url: str
    status: int | None
    saml_response: bool = False
    set_cookies: tuple[str, ...] = ()


@dataclass(frozen=True)
class SignInFacts:
    """Everything the decision reads, gathered once.

    ``landing_url`` is where the browser ended after opening the landing page
    (``chain`` the URLs it passed to get there, ``landing_status`` the final
    status); ``expected_origin`` the SP origin it should have stayed on (None:
    the ACS's). Cookies are ``name=value`` pairs, before the sign-in was
    delivered and after the landing page. ``selector_text`` is the visible
    text of the elements the rule's selector matched. The page and probe
    fields are None when they were not looked at (the rule did not ask).
    """

    landing_url: str
    answers: tuple[Answer, ...] = ()
    chain: tuple[str, ...] = ()
    landing_status: int | None = None
    expected_origin: str | None = None
    cookies_before: frozenset[str] = frozenset()
    cookies_after: frozenset[str] = frozenset()
    page_text: str | None = None
    selector_found: bool | None = None
    selector_text: str | None = None
    probe_status: int | None = None
    probe_text: str | None = None


@dataclass(frozen=True)
class Condition:
    """One condition of the decision: its name, whether it held, and what was seen (where)."""

    name: str
    held: bool
    detail: str


@dataclass(frozen=True)
class SignedInVerdict:
    signed_in: bool
    basis: Basis
    conditions: tuple[Condition, ...] = field(default=())

    @property
    def failed(self) -> Condition | None:
        """The first condition that did not hold (None when signed in)."""
        return next((c for c in self.conditions if not c.held), None)

    def explain(self) -> str:
        """One line: which condition failed and where, or the conditions that held."""
        how = "declared signed_in rule" if self.basis == "declared" else "SAML default"
        bad = self.failed
        if bad is not None:
            return f"not signed in ({how}): {bad.name}: {bad.detail}"
        return f"signed in ({how}): " + "; ".join(f"{c.name}: {c.detail}" for c in self.conditions)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _strip(url: str) -> str:
    return url.split("?", 1)[0].split("#", 1)[0]


def _names(pairs: Iterable[str]) -> set[str]:
    return {p.split("=", 1)[0] for p in pairs}


def _declared(rule: SignInRule, facts: SignInFacts) -> list[Condition]:
    out: list[Condition] = []
    if rule.url is not None:
        ok = fnmatch.fnmatchcase(facts.landing_url, rule.url)
        out.append(Condition("url", ok, f"landing URL {facts.landing_url} {'matches' if ok else 'does not match'} {rule.url}"))
    if rule.selector is not None:
        ok = bool(facts.selector_found)
        out.append(Condition("selector", ok, f"{rule.selector!r} {'found' if ok else 'not found'} on {facts.landing_url}"))
    if rule.text is not None:
        within = facts.selector_text if rule.selector is not None else facts.page_text
        ok = within is not None and rule.text in within
        place = f"in {rule.selector!r} " if rule.selector is not None else ""
        out.append(Condition("text", ok, f"{rule.text!r} {'shown' if ok else 'not shown'} {place}on {facts.landing_url}"))
    if rule.cookie is not None:
        ok = rule.cookie in _names(facts.cookies_after)
        out.append(Condition("cookie", ok, f"cookie {rule.cookie} {'held' if ok else 'not held'} by the browser"))
    if rule.probe_url is not None:
        status = facts.probe_status
        wanted = rule.probe_status if rule.probe_status is not None else 200
        ok, want = status == wanted, f"status {wanted}"
        detail = f"{rule.probe_url} answered {status if status is not None else 'nothing'} (wanted {want})"
        if ok and rule.probe_text is not None:
            ok = facts.probe_text is not None and rule.probe_text in facts.probe_text
            detail += f"; body {'contains' if ok else 'does not contain'} {rule.probe_text!r}"
        out.append(Condition("probe", ok, detail))
    return out


def _new_login(facts: SignInFacts) -> str | None:
    """The first URL of the landing chain that carried a new AuthnRequest (None: none did)."""
    return next((u for u in facts.chain if "SAMLRequest=" in u), None)


def _saml_default(facts: SignInFacts, acs_url: str | None) -> list[Condition]:
    posts = [i for i, a in enumerate(facts.answers) if a.method.upper() == "POST"
             and (a.saml_response or (acs_url is not None and _strip(a.url) == _strip(acs_url)))]
    if not posts:
        where = f" to {acs_url}" if acs_url else ""
        return [Condition("acs-answered", False, f"no SAMLResponse was posted{where}")]
    last = posts[-1]  # the last delivery counts: earlier ones may have been refused and retried
    acs = facts.answers[last]
    conds = []
    ok = acs.status is not None and acs.status < 400
    conds.append(Condition("acs-answered", ok, f"POST {_strip(acs.url)} answered {acs.status if acs.status is not None else 'nothing'}"))
    if not ok:
        return conds
    before = facts.cookies_before
    set_after = [c for a in facts.answers[last:] for c in a.set_cookies]
    fresh = sorted(_names(p for p in set_after if p not in before) | _names(facts.cookies_after - before))
    if fresh:
        conds.append(Condition("session-cookie", True, "new cookie(s): " + ", ".join(fresh)))
    else:
        conds.append(Condition("session-cookie", False, f"neither the answer to POST {_strip(acs.url)} nor a later page set a new cookie"))
        return conds
    expected = facts.expected_origin or _origin(acs.url)
    back = _new_login(facts)
    if back is not None:
        conds.append(Condition("landing", False, f"opening the landing page sent the browser back to the IdP ({_strip(back)})"))
    elif _origin(facts.landing_url) != expected:
        conds.append(Condition("landing", False, f"the landing page ended at {_strip(facts.landing_url)}, off the SP ({expected})"))
    elif facts.landing_status is not None and facts.landing_status >= 400:
        conds.append(Condition("landing", False, f"the landing page {_strip(facts.landing_url)} answered {facts.landing_status}"))
    else:
        conds.append(Condition("landing", True, f"{_strip(facts.landing_url)} loaded on the SP"))
    return conds


def decide(rule: SignInRule | None, facts: SignInFacts, *, acs_url: str | None = None) -> SignedInVerdict:
    """The verdict: the declared rule when ``rule`` declares anything, else the SAML default (``acs_url``
    None: the ACS is whichever URL the SAMLResponse was posted to)."""
    if rule is not None and rule.declared:
        conds = _declared(rule, facts)
        back = _new_login(facts)
        if back is not None:
            # A session the IdP still held can sign the browser in again while the landing page
            # opens; that sign-in is the IdP's doing, not the delivery's, whatever the page shows.
            conds.append(Condition("landing", False, f"opening the landing page started a new login at the IdP ({_strip(back)})"))
        return SignedInVerdict(all(c.held for c in conds), "declared", tuple(conds))
    conds = _saml_default(facts, acs_url)
    return SignedInVerdict(all(c.held for c in conds), "saml-default", tuple(conds))


# -- facts from recorded hops ------------------------------------------------------------------------
def _header_values(headers: Sequence[tuple[str, str]], name: str) -> list[str]:
    return [v for k, v in headers if k.lower() == name]


def _set_cookie_pairs(hop: Hop) -> tuple[str, ...]:
    return tuple(v.split(";", 1)[0].strip() for v in _header_values(hop.response_headers, "set-cookie"))


def _sent_pairs(hop: Hop) -> set[str]:
    return {p.strip() for v in _header_values(hop.request_headers, "cookie") for p in v.split(";") if p.strip()}


def facts_from_hops(hops: Sequence[Hop], *, landing_url: str, expected_origin: str | None = None,
                    page_text: str | None = None) -> SignInFacts:
    """Facts of a recorded flow that ended at ``landing_url``: the answers are every hop; "before" is what
    the browser sent up to and including the last SAMLResponse POST (so a cookie set by its answer is new),
    "after" adds what was sent and set from that POST on; the chain is every URL requested after it."""
    answers = tuple(Answer(h.method, h.url, h.status, h.method.upper() == "POST" and b"SAMLResponse=" in h.request_body,
                           _set_cookie_pairs(h)) for h in hops)
    last = max((i for i, a in enumerate(answers) if a.saml_response), default=None)
    before: set[str] = set()
    for hop in hops[: (last + 1) if last is not None else 0]:
        before |= _sent_pairs(hop)
    after = set(before)
    for hop in hops[last if last is not None else len(hops):]:
        # Only from the delivery on: a cookie an IdP page set earlier is not the SP's new session.
        after |= _sent_pairs(hop) | set(_set_cookie_pairs(hop))
    chain = tuple(h.url for h in hops[(last + 1):]) if last is not None else ()
    status = next((h.status for h in reversed(hops) if _strip(h.url) == _strip(landing_url)), None)
    return SignInFacts(landing_url=landing_url, answers=answers, chain=chain, landing_status=status,
                       expected_origin=expected_origin, cookies_before=frozenset(before), cookies_after=frozenset(after),
                       page_text=page_text)


# -- facts from a live page --------------------------------------------------------------------------
def cookie_pairs(page: Page) -> frozenset[str]:
    """The ``name=value`` pairs of every cookie the page's browser context holds."""
    return frozenset(f"{c.get('name', '')}={c.get('value', '')}" for c in page.context.cookies())


class AnswerLog:
    """Records the main-frame answers a page receives (method, URL, status, whether a SAMLResponse was posted)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.answers: list[Answer] = []
        page.on("response", self._on_response)

    def _on_response(self, response: Response) -> None:
        request = response.request
        if not request.is_navigation_request() or request.frame != self.page.main_frame:
            return
        body = request.post_data or ""
        self.answers.append(Answer(request.method, response.url, response.status,
                                   request.method == "POST" and "SAMLResponse=" in body))

    def mark(self) -> int:
        return len(self.answers)

    def since(self, mark: int) -> tuple[Answer, ...]:
        return tuple(self.answers[mark:])

    def close(self) -> None:
        self.page.remove_listener("response", self._on_response)


def gather(page: Page, rule: SignInRule | None, *, answers: Sequence[Answer], cookies_before: frozenset[str],
           landing_url: str | None = None, timeout_ms: float = 10_000) -> SignInFacts:
    """Open ``landing_url`` (None: judge the page where it is) and read what ``rule`` asks for.

    The probe URL is fetched with the browser context's own request client,
    so it carries the session cookies the SP set. Navigation errors are
    facts (the landing did not load), not exceptions.
    """
    chain: list[str] = []
    status: int | None = None

    def on_request(request: Request) -> None:
        if request.is_navigation_request() and request.frame == page.main_frame:
            chain.append(request.url)

    expected = None
    if landing_url is not None:
        expected = _origin(landing_url)
        page.on("request", on_request)
        try:
            answer = page.goto(landing_url, wait_until="load", timeout=timeout_ms)
            status = answer.status if answer is not None else None
        except PlaywrightError:
            status = None
        finally:
            page.remove_listener("request", on_request)
    text: str | None = None
    found: bool | None = None
    within: str | None = None
    try:
        if rule is not None and rule.text is not None and rule.selector is None:
            text = str(page.evaluate("() => document.body ? document.body.innerText : ''"))
        if rule is not None and rule.selector is not None:
            matched = page.locator(rule.selector)
            found = matched.count() > 0
            within = "\n".join(matched.all_inner_texts()) if found else ""
    except PlaywrightError:
        pass  # the page moved on meanwhile: the conditions read as not met
    probe_status: int | None = None
    probe_text: str | None = None
    if rule is not None and rule.probe_url is not None:
        try:
            reply = page.context.request.get(rule.probe_url, timeout=timeout_ms, max_redirects=0)
            probe_status, probe_text = reply.status, reply.text()
        except PlaywrightError:
            pass
    return SignInFacts(
        landing_url=page.url, answers=tuple(answers), chain=tuple(chain), landing_status=status,
        expected_origin=expected, cookies_before=cookies_before, cookies_after=cookie_pairs(page),
        page_text=text, selector_found=found, selector_text=within, probe_status=probe_status, probe_text=probe_text,
    )
