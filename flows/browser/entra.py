"""The Microsoft Entra ID sign-in page, as a login driver.

Screens and element names are the real page's (login.microsoftonline.com):
``input[name=loginfmt]`` then ``#idSIButton9``; ``input[name=passwd]`` then
``#idSIButton9``; optionally ``input[name=otc]`` for a TOTP code; then
"Stay signed in?" with ``#idSIButton9`` (yes) or ``#idBtn_Back`` (no). When
the user's domain is federated, the page sends the browser to the
federated IdP, whose own driver then signs in.

The driver waits on page state, never on time: after each step it waits
until one of the screens it knows is visible, or the browser has left the
sign-in origin, and fails with the URL, the selectors it expected and a
screenshot otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from sso_harness.browser.login import Credentials, LoginDriver, LoginPageNotRecognised, SignInRefused
from sso_harness.browser.totp import totp

__all__ = ["EntraLogin", "SignInRefused", "SCREENS"]

SCREENS = {
    "username": "input[name=loginfmt]",
    "password": "input[name=passwd]",
    "otc": "input[name=otc]",
    "kmsi": "#KmsiDescription, #idBtn_Back",
    "error": "#usernameError, #passwordError, .alert-error, #service_exception_message, #idDiv_SAASDS_Description",
}
NEXT = "#idSIButton9"
NO = "#idBtn_Back"
OTC_SUBMIT = "#idSubmit_SAOTCC_Continue, #idSIButton9"


@dataclass(frozen=True)
class EntraLogin:
    stay_signed_in: bool = False
    totp_secret: str | None = None
    federated: LoginDriver | None = None
    timeout_ms: float = 15_000
    screenshot_dir: Path | None = None
    clock: Callable[[], float] | None = None

    def sign_in(self, page: Page, credentials: Credentials) -> None:
        origin = _origin(page.url)
        # An error page can come before any sign-in (a wrong endpoint, an unknown app): say so at once.
        screen = self._wait(page, origin, ("username", "error"))
        if screen == "username":
            page.fill(SCREENS["username"], credentials.username)
            page.click(NEXT)
            screen = self._wait(page, origin, ("password", "error"), leaving_ok=True)
        if screen == "left":
            # A federated domain: the tenant sent us to the home IdP.
            if self.federated is None:
                raise LoginPageNotRecognised(page.url, SCREENS["password"], self._shoot(page),
                                             "; the domain is federated but no federated driver was given")
            self.federated.sign_in(page, credentials)
            screen = self._wait(page, origin, ("kmsi", "error"), leaving_ok=True, back_ok=True)
        elif screen == "password":
            page.fill(SCREENS["password"], credentials.password)
            page.click(NEXT)
            screen = self._wait(page, origin, ("otc", "kmsi", "error"), leaving_ok=True)
        if screen == "otc":
            if not self.totp_secret:
                raise SignInRefused(f"{page.url}: a one-time code is required but no TOTP secret was given")
            at = self.clock() if self.clock else None
            page.fill(SCREENS["otc"], totp(self.totp_secret, at=at))
            page.click(OTC_SUBMIT)
            screen = self._wait(page, origin, ("kmsi", "error"), leaving_ok=True)
        if screen == "kmsi":
            page.click(NEXT if self.stay_signed_in else NO)
            screen = self._wait(page, origin, ("error",), leaving_ok=True)
        if screen == "error":
            text = page.locator(SCREENS["error"]).first.inner_text().strip()
            raise SignInRefused(f"sign-in refused at {page.url}: {text}")

    # -- waiting on page state ------------------------------------------
    def _wait(self, page: Page, origin: str, screens: tuple[str, ...], *, leaving_ok: bool = False, back_ok: bool = False) -> str:
        """Block until a known screen is visible or the browser left ``origin``; say which."""
        selectors = {name: SCREENS[name] for name in screens}
        script = """([origin, selectors, leavingOk, backOk]) => {
            const visible = (sel) => Array.from(document.querySelectorAll(sel)).some(
                el => el.offsetParent !== null && getComputedStyle(el).visibility !== 'hidden');
            if (leavingOk && location.origin !== origin && !backOk) return 'left';
            if (backOk && location.origin !== origin && !window.__ssoHarnessSeenAway) { window.__ssoHarnessSeenAway = true; }
            if (document.readyState === 'loading') return false;
            for (const [name, sel] of Object.entries(selectors)) if (visible(sel)) return name;
            if (leavingOk && backOk && location.origin !== origin) return 'left';
            return false;
        }"""
        try:
            handle = page.wait_for_function(script, arg=[origin, selectors, leaving_ok, back_ok], timeout=self.timeout_ms)
            return str(handle.json_value())
        except PlaywrightError as exc:
            if "Execution context was destroyed" in str(exc) or "navigation" in str(exc).lower():
                return self._wait(page, origin, screens, leaving_ok=leaving_ok, back_ok=back_ok)
            wanted = ", ".join(selectors.values())
            raise LoginPageNotRecognised(page.url, wanted, self._shoot(page)) from exc

    def _shoot(self, page: Page) -> Path | None:
        if self.screenshot_dir is None:
            return None
        self.screenshot_dir.mkdir(parents=True, exist_ok=True)
        path = self.screenshot_dir / "entra-not-recognised.png"
        try:
            page.screenshot(path=str(path), full_page=True)
        except PlaywrightError:
            return None
        return path


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
