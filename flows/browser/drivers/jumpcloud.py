"""JumpCloud's user login page (SSO connectors), including its TOTP step.

The page has ``input[name=email]``, ``input[name=password]`` and
``#login-submit``; a wrong password re-renders it with ``#login-error``. A
user enrolled in MFA then gets ``form#totp-form`` (posted to
``/login/totp``): heading ``#totp-title``, ``input[name=otp]`` (``#otp``),
the hidden ``input[name=ctx]``, ``#totp-submit``, and ``#totp-error`` after
a wrong code. The driver answers the code from ``totp_secret`` (base32);
without one, a TOTP prompt fails with code ``jumpcloud.totp_required``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final
from urllib.parse import urlsplit

from playwright.sync_api import Page

from sso_harness.browser.drivers.page_state import LEFT, SignInRefused, wait_for_screen
from sso_harness.browser.login import Credentials
from sso_harness.browser.totp import totp

__all__ = ["JumpCloudLogin", "JUMPCLOUD_SELECTORS", "TOTP_REQUIRED", "REFUSED", "TOTP_REFUSED"]

JUMPCLOUD_SELECTORS: Final = {
    "email": "input[name=email]",
    "password": "input[name=password]",
    "submit": "#login-submit",
    "error": "#login-error",
    "totp_form": "form#totp-form",
    "totp_title": "#totp-title",
    "otp": "input[name=otp]",
    "totp_submit": "#totp-submit",
    "totp_error": "#totp-error",
}

#: Error codes, at the start of each :class:`SignInRefused` message.
REFUSED: Final = "jumpcloud.refused"
TOTP_REQUIRED: Final = "jumpcloud.totp_required"
TOTP_REFUSED: Final = "jumpcloud.totp_refused"


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@dataclass(frozen=True)
class JumpCloudLogin:
    """Signs in on JumpCloud's login page (and its TOTP page); returns once the browser left JumpCloud.

    Raises :class:`SignInRefused` with a coded message (``jumpcloud.refused``,
    ``jumpcloud.totp_required``, ``jumpcloud.totp_refused``) when the page says
    no, and :class:`~sso_harness.browser.login.LoginPageNotRecognised` when a
    page is not one of JumpCloud's. ``clock`` (epoch seconds) makes codes exact in tests.
    """

    totp_secret: str | None = field(default=None, repr=False)
    timeout_ms: float = 15_000
    screenshot_dir: Path | None = None
    clock: Callable[[], float] | None = None

    def sign_in(self, page: Page, credentials: Credentials) -> None:
        s = JUMPCLOUD_SELECTORS
        origin = _origin(page.url)
        self._wait(page, {"login": s["email"]}, origin)
        page.fill(s["email"], credentials.username)
        page.fill(s["password"], credentials.password)
        page.click(s["submit"])
        screen = self._wait(page, {"error": s["error"], "totp": s["totp_form"]}, origin)
        if screen == "error":
            raise SignInRefused(f"{REFUSED}: JumpCloud refused the sign-in at {page.url}: {self._text(page, s['error'])}")
        if screen == "totp":
            self._answer_totp(page, origin)

    def _answer_totp(self, page: Page, origin: str) -> None:
        s = JUMPCLOUD_SELECTORS
        if not self.totp_secret:
            raise SignInRefused(f"{TOTP_REQUIRED}: JumpCloud asks for a TOTP code at {page.url}; give the login a totp_secret")
        at = self.clock() if self.clock is not None else None
        page.fill(s["otp"], totp(self.totp_secret, at=at))
        page.click(s["totp_submit"])
        if self._wait(page, {"error": s["totp_error"]}, origin) != LEFT:
            raise SignInRefused(f"{TOTP_REFUSED}: JumpCloud refused the TOTP code at {page.url}: {self._text(page, s['totp_error'])}")

    def _wait(self, page: Page, screens: dict[str, str], origin: str) -> str:
        return wait_for_screen(page, screens, timeout_ms=self.timeout_ms, left_origin=origin,
                               screenshot_dir=self.screenshot_dir, stem="jumpcloud-not-recognised")

    @staticmethod
    def _text(page: Page, selector: str) -> str:
        return " ".join(page.locator(selector).first.inner_text().split())[:300]
