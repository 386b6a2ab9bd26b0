"""How the battery drives a browser: the few moves an attack needs.

:class:`Driver` is the contract; :class:`~sso_harness.apps.security.driver_browser.BrowserDriver`
fulfils it with Playwright (the real thing: the battery's verdicts come from
Chromium), :class:`~sso_harness.apps.security.driver_http.HttpDriver` with a cookie jar
and no JavaScript (fast unit tests of the battery's logic).

Every attempt starts with :meth:`Driver.clear_session`, so a session won by
one attack can never make the next one look successful.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol
from urllib.parse import urlsplit

__all__ = ["Landing", "IdentityProbe", "Driver", "DeliveryFailed", "origin_of"]

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
    """A page of the SP that shows who is signed in, and where on it (XPath; exact text)."""

    url: str
    xpath: str


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

    def has_element(self, element_id: str) -> bool:
        """Whether the current page's DOM holds an element with this id."""

    def cookie_names(self) -> tuple[str, ...]:
        """Names of the cookies the browser holds now."""
