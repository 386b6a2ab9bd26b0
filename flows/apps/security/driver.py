"""How the battery drives a browser: the few moves an attack needs.

:class:`Driver` is the contract; :class:`~sso_harness.apps.security.driver_browser.BrowserDriver`
fulfils it with Playwright (the real thing: the battery's verdicts come from
Chromium), :class:`~sso_harness.apps.security.driver_http.HttpDriver` with a cookie jar
and no JavaScript (fast unit tests of the battery's logic).

Every attempt starts with :meth:`Driver.clear_session`, so a session won by
one attack can never make the next one look successful; after a normal
login whose response is kept, :meth:`Driver.forget_idp_session` drops the
IdP's cookies, so a refused attack cannot be rescued by the IdP signing
the user in again on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol
from urllib.parse import urlsplit

from sso_harness.browser.signed_in import SignedInVerdict, SignInRule

__all__ = ["Landing", "IdentityProbe", "Driver", "DeliveryFailed", "SessionMark", "origin_of"]

Wait = Literal["load", "commit"]


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@dataclass(frozen=True)
class Landing:
    """Where a navigation ended: URL, status, title, the refusal's named checks, and the URLs it passed."""

    url: str
    status: int | None = None
    title: str = ""
    failed_checks: tuple[str, ...] = ()
    chain: tuple[str, ...] = ()
    """Every main-frame URL requested during the move, in order (redirects included)."""


@dataclass(frozen=True)
class IdentityProbe:
    """A page of the SP that shows who is signed in, and where on it (XPath).

    Without ``names`` the identity is the exact (trimmed) text at ``xpath``;
    with them, it is the longest of ``names`` that text contains (an SP
    that writes "Signed in as alice@example.com", or a plain-text page).
    """

    url: str
    xpath: str
    names: tuple[str, ...] = ()

    def read(self, text: str) -> str | None:
        """The identity the text at ``xpath`` shows (None: none of ``names``)."""
        text = text.strip()
        if not self.names:
            return text
        return next((n for n in sorted(self.names, key=len, reverse=True) if n and n in text), None)


@dataclass(frozen=True)
class SessionMark:
    """Where the browser stood before a sign-in was delivered: answers seen so far, cookies held (``name=value``)."""

    answers: int
    cookies: frozenset[str]


class DeliveryFailed(RuntimeError):
    """The browser could not complete a move (timeout, navigation error)."""


class Driver(Protocol):
    def clear_session(self) -> None:
        """Forget every cookie: the next move starts as a fresh browser."""

    def open(self, url: str, *, wait: Wait = "load", until_leaves: str | None = None) -> Landing:
        """Navigate to ``url`` and follow what it does (redirects, self-submitting forms).

        With ``until_leaves`` (an origin), wait until the browser has left that
        origin (an attacker page handing over to the target). ``wait="commit"``
        returns as soon as the final response arrived, without loading it.
        """

    def identity(self, probe: IdentityProbe) -> str | None:
        """Open ``probe.url``: the text at ``probe.xpath`` when the SP shows one, else None (signed out)."""

    def has_element(self, element_id: str) -> bool | None:
        """Whether the current page's DOM holds an element with this id; None when the page could not be
        read (it moved on while read): not a "no", the markup attack is then undecided."""

    def cookie_names(self) -> tuple[str, ...]:
        """Names of the cookies the browser holds now."""

    def forget_idp_session(self, keep_origin: str) -> None:
        """Drop every cookie but those sent to ``keep_origin`` (the SP's): the IdP's session is gone,
        the SP's pending-request state stays. Cookies do not separate ports, so an IdP on the SP's host
        keeps its cookies; the signed-in check's landing condition catches a silent re-login there."""

    def session_mark(self) -> SessionMark:
        """The state to compare with after a delivery (see :meth:`signed_in`)."""

    def signed_in(self, rule: SignInRule | None, *, acs_url: str, landing_url: str, since: SessionMark) -> SignedInVerdict:
        """Open ``landing_url`` and decide whether the delivery since ``since`` signed the browser in
        (:func:`sso_harness.browser.signed_in.decide`: ``rule`` when it declares anything, else the SAML default)."""
