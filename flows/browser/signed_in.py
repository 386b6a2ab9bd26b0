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

Evidence that could not be gathered is a fact of its own
(:class:`Unread`, coded), never a negative: a landing page that did not
load within the bound, a page that could not be read, a probe that got no
answer. A condition that needs such evidence is undecided (``held`` None),
and the verdict is then "could not tell" (``signed_in`` None, with the
code), unless another condition already failed on evidence that was read
(the ACS refused the response, the landing chain started a new login).
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
    "SignInRule", "Answer", "SignInFacts", "Condition", "SignedInVerdict", "AnswerLog", "Unread",
    "decide", "facts_from_hops", "gather", "cookie_pairs",
    "LANDING_NOT_LOADED", "PAGE_UNREADABLE", "PROBE_UNANSWERED",
]

Basis = Literal["declared", "saml-default"]

LANDING_NOT_LOADED = "signed_in.landing_not_loaded"
"""The landing page did not answer, or answered but did not reach its load state, within the bound."""
PAGE_UNREADABLE = "signed_in.page_unreadable"
"""The landing page loaded, but its text or elements could not be read (it moved on while read)."""
PROBE_UNANSWERED = "signed_in.probe_unanswered"
"""The rule's probe URL got no answer within the bound."""


@dataclass(frozen=True)
class Unread:
    """Evidence that could not be gathered: ``code`` (one of the codes above) and what happened, where."""

    code: str
    detail: str


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
    ``unread`` lists the evidence that could not be gathered (each code at
    most once); the fields it covers are then not to be read as negatives.
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
    unread: tuple[Unread, ...] = ()

    def missing(self, code: str) -> Unread | None:
        """The unread evidence with this code (None: it was gathered)."""
        return next((u for u in self.unread if u.code == code), None)


@dataclass(frozen=True)
class Condition:
    """One condition of the decision: its name, whether it held (None: its evidence could not be
    gathered, ``code`` says which), and what was seen (where)."""

    name: str
    held: bool | None
    detail: str
    code: str | None = None


def _unknown(name: str, gap: Unread) -> Condition:
    return Condition(name, None, gap.detail, gap.code)


@dataclass(frozen=True)
class SignedInVerdict:
    """``signed_in``: True, False, or None when the evidence could not be gathered (``code`` says which)."""

    signed_in: bool | None
    basis: Basis
    conditions: tuple[Condition, ...] = field(default=())

    @classmethod
    def of(cls, basis: Basis, conditions: Sequence[Condition]) -> SignedInVerdict:
        """Not signed in as soon as one condition failed on read evidence; else undecided while one could
        not be read; else signed in."""
        if any(c.held is False for c in conditions):
            return cls(False, basis, tuple(conditions))
        if any(c.held is None for c in conditions):
            return cls(None, basis, tuple(conditions))
        return cls(True, basis, tuple(conditions))

    @property
    def failed(self) -> Condition | None:
        """The first condition that did not hold (None when signed in or undecided)."""
        return next((c for c in self.conditions if c.held is False), None)

    @property
    def undecided(self) -> Condition | None:
        """The first condition whose evidence could not be gathered, when that left the verdict open."""
        if self.signed_in is not None:
            return None
        return next((c for c in self.conditions if c.held is None), None)

    @property
    def code(self) -> str | None:
        """The code of the missing evidence when the verdict is undecided (None: decided)."""
        gap = self.undecided
        return gap.code if gap is not None else None

    def explain(self) -> str:
        """One line: which condition failed and where, what could not be read, or the conditions that held."""
        how = "declared signed_in rule" if self.basis == "declared" else "SAML default"
        bad = self.failed
        if bad is not None:
            return f"not signed in ({how}): {bad.name}: {bad.detail}"
        gap = self.undecided
        if gap is not None:
            return f"could not tell ({how}): {gap.name}: {gap.code}: {gap.detail}"
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
    landing = facts.missing(LANDING_NOT_LOADED)
    page = landing or facts.missing(PAGE_UNREADABLE)
    if rule.url is not None:
        ok = fnmatch.fnmatchcase(facts.landing_url, rule.url)
        if landing is not None:
            out.append(_unknown("url", landing))  # the URL of a page still on its way is not where it lands
        else:
            out.append(Condition("url", ok, f"landing URL {facts.landing_url} {'matches' if ok else 'does not match'} {rule.url}"))
    if rule.selector is not None:
        ok = bool(facts.selector_found)
        if page is not None:
            out.append(_unknown("selector", page))
        else:
            out.append(Condition("selector", ok, f"{rule.selector!r} {'found' if ok else 'not found'} on {facts.landing_url}"))
    if rule.text is not None:
        within = facts.selector_text if rule.selector is not None else facts.page_text
        ok = within is not None and rule.text in within
        place = f"in {rule.selector!r} " if rule.selector is not None else ""
        if page is not None:
            out.append(_unknown("text", page))
        else:
            out.append(Condition("text", ok, f"{rule.text!r} {'shown' if ok else 'not shown'} {place}on {facts.landing_url}"))
    if rule.cookie is not None:
        ok = rule.cookie in _names(facts.cookies_after)
        if not ok and landing is not None:
            out.append(_unknown("cookie", landing))  # the landing page that did not load may be the one that sets it
        else:
            out.append(Condition("cookie", ok, f"cookie {rule.cookie} {'held' if ok else 'not held'} by the browser"))
    probe = facts.missing(PROBE_UNANSWERED)
    if rule.probe_url is not None and probe is not None:
        out.append(_unknown("probe", probe))
    elif rule.probe_url is not None:
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
    landing = facts.missing(LANDING_NOT_LOADED)
    set_after = [c for a in facts.answers[last:] for c in a.set_cookies]
    fresh = sorted(_names(p for p in set_after if p not in before) | _names(facts.cookies_after - before))
    back = _new_login(facts)
    if fresh:
        conds.append(Condition("session-cookie", True, "new cookie(s): " + ", ".join(fresh)))
    elif landing is not None:
        conds.append(_unknown("session-cookie", landing))  # the page that did not load may be the one that sets it
    else:
        conds.append(Condition("session-cookie", False, f"neither the answer to POST {_strip(acs.url)} nor a later page set a new cookie"))
        return conds
    expected = facts.expected_origin or _origin(acs.url)
    if back is not None:
        conds.append(Condition("landing", False, f"opening the landing page sent the browser back to the IdP ({_strip(back)})"))
    elif landing is not None:
        conds.append(_unknown("landing", landing))
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
        return SignedInVerdict.of("declared", conds)
    return SignedInVerdict.of("saml-default", _saml_default(facts, acs_url))


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


def _first_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0]


def gather(page: Page, rule: SignInRule | None, *, answers: Sequence[Answer], cookies_before: frozenset[str],
           landing_url: str | None = None, timeout_ms: float = 60_000) -> SignInFacts:
    """Open ``landing_url`` (None: judge the page where it is) and read what ``rule`` asks for.

    Waits on state, each wait bounded by ``timeout_ms`` and over as soon as
    the state is reached: the landing navigation committed (its final
    answer arrived, redirects followed), then the document's ``load``;
    only then is the page read, so a declared text or selector is looked
    for in the page the SP finished serving. The probe URL is fetched with
    the browser context's own request client, so it carries the session
    cookies the SP set. What cannot be gathered within the bound (no answer,
    no load, a page that moved on while read, a probe without answer) is
    recorded in ``unread`` with its code, and the page is then not read:
    :func:`decide` leaves the verdict open rather than read a slow page as
    "not signed in".
    """
    chain: list[str] = []
    status: int | None = None
    unread: list[Unread] = []

    def on_request(request: Request) -> None:
        if request.is_navigation_request() and request.frame == page.main_frame:
            chain.append(request.url)

    expected = None
    page.on("request", on_request)  # until everything is read: a page may still send the browser on
    try:
        reached = "no answer"
        try:
            if landing_url is not None:
                expected = _origin(landing_url)
                answer = page.goto(landing_url, wait_until="commit", timeout=timeout_ms)
                status = answer.status if answer is not None else None
                reached = f"answered {status}" if status is not None else "committed"
            page.wait_for_load_state("load", timeout=timeout_ms)
        except PlaywrightError as exc:
            where = landing_url if landing_url is not None else page.url
            unread.append(Unread(LANDING_NOT_LOADED, f"{where} did not load within {timeout_ms / 1000:g} s "
                                                     f"({reached}): {_first_line(exc)}"))
        text: str | None = None
        found: bool | None = None
        within: str | None = None
        if not unread and rule is not None:
            try:
                if rule.text is not None and rule.selector is None:
                    text = str(page.evaluate("() => document.body ? document.body.innerText : ''"))
                if rule.selector is not None:
                    matched = page.locator(rule.selector)
                    found = matched.count() > 0
                    within = "\n".join(matched.all_inner_texts()) if found else ""
            except PlaywrightError as exc:
                unread.append(Unread(PAGE_UNREADABLE, f"{page.url} could not be read: {_first_line(exc)}"))
        probe_status: int | None = None
        probe_text: str | None = None
        if rule is not None and rule.probe_url is not None:
            try:
                reply = page.context.request.get(rule.probe_url, timeout=timeout_ms, max_redirects=0)
                probe_status, probe_text = reply.status, reply.text()
            except PlaywrightError as exc:
                unread.append(Unread(PROBE_UNANSWERED, f"{rule.probe_url} gave no answer within "
                                                       f"{timeout_ms / 1000:g} s: {_first_line(exc)}"))
        final = page.url
    finally:
        page.remove_listener("request", on_request)
    return SignInFacts(
        landing_url=final, answers=tuple(answers), chain=tuple(chain), landing_status=status,
        expected_origin=expected, cookies_before=cookies_before, cookies_after=cookie_pairs(page),
        page_text=text, selector_found=found, selector_text=within, probe_status=probe_status, probe_text=probe_text,
        unread=tuple(unread),
    )
