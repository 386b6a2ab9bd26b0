"""SimpleSAMLphp's username/password page (``exampleauth:UserPass``, ``ldap``, ``sqlauth``...).

Every ``UserPassBase`` source in SimpleSAMLphp 1.19 renders
``modules/core/templates/loginuserpass.tpl.php`` (or ``.twig`` with the new
UI): ``input[name=username]``, ``input[name=password]`` and
``#submit_button``, posted back to ``module.php/core/loginuserpass.php``.
A wrong password re-renders the same page with an error box (the old UI's
``img.erroricon``, the new UI's ``.message-box.error``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page

from sso_harness.browser.drivers.page_state import LEFT, SignInRefused, wait_for_screen
from sso_harness.browser.login import Credentials

__all__ = ["SimpleSamlPhpLogin", "SSP_SELECTORS"]

SSP_SELECTORS = {
    "username": "input[name=username]",
    "password": "input[name=password]",
    "submit": "#submit_button",
    "error": "img.erroricon, .message-box.error",
}
LOGIN_PATH = "/loginuserpass.php"


@dataclass(frozen=True)
class SimpleSamlPhpLogin:
    """Signs in on SimpleSAMLphp's login page; returns once the browser has left it."""

    timeout_ms: float = 10_000
    screenshot_dir: Path | None = None

    def sign_in(self, page: Page, credentials: Credentials) -> None:
        s = SSP_SELECTORS
        self._wait(page, {"form": s["username"]})
        page.fill(s["username"], credentials.username)
        page.fill(s["password"], credentials.password)
        page.click(s["submit"])
        # Still on the login page with an error box, or gone on to the IdP's response.
        outcome = self._wait(page, {"error": s["error"]}, left_path=LOGIN_PATH)
        if outcome != LEFT:
            text = " ".join(page.locator("body").inner_text().split())[:300]
            raise SignInRefused(f"SimpleSAMLphp refused the sign-in at {page.url}: {text}")

    def _wait(self, page: Page, screens: dict[str, str], *, left_path: str | None = None) -> str:
        return wait_for_screen(page, screens, timeout_ms=self.timeout_ms, left_path=left_path,
                               screenshot_dir=self.screenshot_dir, stem="simplesamlphp-not-recognised")
