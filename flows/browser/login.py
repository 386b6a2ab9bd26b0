"""Login drivers: how to get through one kind of sign-in page.

A driver waits on page state (an element becoming visible), never on time.
When the page is not the one it knows, it fails with the URL, the selector
it was looking for and a screenshot, so the report shows what was there.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

from sso_harness.protocols.secrets import remember_secret
from sso_harness.trace.recording import FlowRecording

__all__ = ["LoginDriver", "FormLogin", "LoginPageNotRecognised", "SignInRefused", "Credentials", "sign_in_noting_screens"]


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str

    def __post_init__(self) -> None:
        # Whatever driver types it, the password is in the session's secret book, so the redaction gate
        # removes it from every artifact.
        remember_secret(self.password)

    def __repr__(self) -> str:  # never print the password
        return f"Credentials(username={self.username!r}, password=<redacted>)"


def sign_in_noting_screens(login: "LoginDriver", page: Page, credentials: Credentials, recording: FlowRecording) -> None:
    """``login.sign_in``; then the screens the driver went through, if it names them (as the Entra driver's
    ``screens`` does), go on ``recording`` for the timeline, whether the sign-in succeeded or failed."""
    try:
        login.sign_in(page, credentials)
    finally:
        screens = getattr(login, "screens", None)
        if isinstance(screens, (list, tuple)):
            recording.signin_screens = [str(s) for s in screens]


class LoginPageNotRecognised(AssertionError):
    def __init__(self, url: str, selector: str, screenshot: Path | None, detail: str = "") -> None:
        self.url, self.selector, self.screenshot = url, selector, screenshot
        shot = f"; screenshot: {screenshot}" if screenshot else ""
        super().__init__(f"sign-in page not recognised at {url}: no element matches {selector!r}{shot}{detail}")


class SignInRefused(AssertionError):
    """The sign-in page answered with an error (wrong password, unknown user, AADSTS...); the message quotes it."""


class LoginDriver(Protocol):
    def sign_in(self, page: Page, credentials: Credentials) -> None: ...


@dataclass(frozen=True)
class FormLogin:
    """A single form: username, password, submit. Selectors come from config."""

    username: str = "input[name=username]"
    password: str = "input[name=password]"
    submit: str = "button[type=submit]"
    timeout_ms: float = 10_000
    screenshot_dir: Path | None = None

    def sign_in(self, page: Page, credentials: Credentials) -> None:
        self._fill(page, self.username, credentials.username)
        self._fill(page, self.password, credentials.password)
        self._locate(page, self.submit).click()

    def _locate(self, page: Page, selector: str) -> Locator:
        locator = page.locator(selector).first
        try:
            locator.wait_for(state="visible", timeout=self.timeout_ms)
        except PlaywrightError as exc:
            raise LoginPageNotRecognised(page.url, selector, self._shoot(page)) from exc
        return locator

    def _fill(self, page: Page, selector: str, value: str) -> None:
        self._locate(page, selector).fill(value)

    def _shoot(self, page: Page) -> Path | None:
        if self.screenshot_dir is None:
            return None
        self.screenshot_dir.mkdir(parents=True, exist_ok=True)
        path = self.screenshot_dir / "login-not-recognised.png"
        try:
            page.screenshot(path=str(path), full_page=True)
        except PlaywrightError:
            return None
        return path
