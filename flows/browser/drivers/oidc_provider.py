"""oidc-provider's development interactions: a login page, then a consent page.

With ``features.devInteractions`` on, oidc-provider (npm) serves both at
``/interaction/<uid>`` (its ``lib/views/login.js`` and ``interaction.js``):

- login: a form with ``input[name=prompt][value=login]``, ``input[name=login]``,
  ``input[name=password]`` and a submit button ("Sign-in");
- consent: a form with ``input[name=prompt][value=consent]`` and a submit
  button ("Continue"), shown while the client lacks a grant for the scopes.

A provider that refuses the account may show the login page again (the
driver raises :class:`SignInRefused`) or send ``access_denied`` to the
client (the driver returns; the trace carries the error). Errors it cannot
send to the client are rendered as a page whose heading reads "oops!
something went wrong" (also :class:`SignInRefused`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Page

from sso_harness.browser.drivers.page_state import SignInRefused, wait_for_screen
from sso_harness.browser.login import Credentials

__all__ = ["OidcProviderDevLogin", "OIDC_PROVIDER_SELECTORS"]

OIDC_PROVIDER_SELECTORS = {
    "login": "form:has(input[name=prompt][value=login]) input[name=login]",
    "password": "form:has(input[name=prompt][value=login]) input[name=password]",
    "login_submit": "form:has(input[name=prompt][value=login]) button[type=submit]",
    "consent": "form:has(input[name=prompt][value=consent]) button[type=submit]",
    # renderError's page: <div class="container"><h1>oops! ...</h1><pre><strong>error</strong>: ...</pre>
    "error": "div.container > h1 ~ pre",
}


@dataclass(frozen=True)
class OidcProviderDevLogin:
    """Signs in and consents; returns once the browser has left the provider (back to the client).

    With ``consent=False`` it stops on the consent page, for tests about that page.
    """

    consent: bool = True
    timeout_ms: float = 10_000
    screenshot_dir: Path | None = None

    def sign_in(self, page: Page, credentials: Credentials) -> None:
        s = OIDC_PROVIDER_SELECTORS
        origin = _origin(page.url)
        screen = self._wait(page, {"login": s["login"], "consent": s["consent"], "error": s["error"]}, origin)
        if screen == "login":
            login_url = page.url
            page.fill(s["login"], credentials.username)
            page.fill(s["password"], credentials.password)
            page.click(s["login_submit"])
            # The form posts to /interaction/<uid>/login and is redirected to a new
            # interaction (consent), to the client (grant already given), or to an error.
            page.wait_for_url(lambda url: url != login_url, timeout=self.timeout_ms)
            screen = self._wait(page, {"consent": s["consent"], "login": s["login"], "error": s["error"]}, origin)
            if screen == "login":
                raise SignInRefused(f"oidc-provider asked to sign in again at {page.url}: "
                                    f"it does not know the account {credentials.username!r}")
        if screen == "consent" and self.consent:
            page.click(s["consent"])
            screen = self._wait(page, {"error": s["error"]}, origin)
        if screen == "error":
            text = " ".join(page.locator("body").inner_text().split())[:300]
            raise SignInRefused(f"oidc-provider answered with an error at {page.url}: {text}")

    def _wait(self, page: Page, screens: dict[str, str], origin: str) -> str:
        return wait_for_screen(page, screens, timeout_ms=self.timeout_ms, left_origin=origin,
                               screenshot_dir=self.screenshot_dir, stem="oidc-provider-not-recognised")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
