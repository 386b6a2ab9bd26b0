"""Capturing a legitimate response by a normal login waits on state within the browser driver's own bound."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from playwright.sync_api import BrowserContext, Page

from sso_harness.apps.security.driver_browser import BrowserDriver
from sso_harness.apps.security.target_subjects import capture_by_login
from sso_harness.browser.login import Credentials, LoginDriver

SP = "https://sp.example.test"
IDP = "https://idp.example.test"
ACS = f"{SP}/saml/acs"
RESPONSE = base64.b64encode(b'<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r1"/>').decode()


@dataclass
class _Request:
    post_data: str


class _Route:
    def __init__(self, body: str) -> None:
        self.request = _Request(body)
        self.fulfilled = False

    def fulfill(self, **_: Any) -> None:
        self.fulfilled = True


class _Page:
    """Records the bound of every wait; the sign-on URL sends the browser to the IdP."""

    def __init__(self) -> None:
        self.url = "about:blank"
        self.bounds: list[tuple[str, float]] = []

    def on(self, event: str, handler: Callable[..., None]) -> None:
        pass

    def goto(self, url: str, *, timeout: float) -> None:
        self.bounds.append(("goto", timeout))
        self.url = f"{IDP}/sso"

    def wait_for_url(self, test: Callable[[str], bool], *, timeout: float) -> None:
        self.bounds.append(("wait_for_url", timeout))
        assert test(self.url)  # the state was reached before the wait: it returns at once


class _Context:
    def __init__(self) -> None:
        self.pages = [_Page()]
        self.routes: list[tuple[Callable[[str], bool], Callable[[Any], None]]] = []

    def route(self, url: Callable[[str], bool], handler: Callable[[Any], None]) -> None:
        self.routes.append((url, handler))

    def unroute(self, url: Callable[[str], bool], handler: Callable[[Any], None]) -> None:
        self.routes.remove((url, handler))


class _IdpPostsTheResponse:
    """A login driver whose sign-in ends with the IdP's auto-posted form reaching the ACS (and held there)."""

    def __init__(self, context: _Context) -> None:
        self.context = context

    def sign_in(self, page: Page, credentials: Credentials) -> None:
        for matches, handler in list(self.context.routes):
            if matches(ACS):
                handler(_Route(f"SAMLResponse={RESPONSE}&RelayState=%2Fhome"))


def test_the_waits_are_bounded_by_the_drivers_timeout_not_a_limit_of_their_own() -> None:
    context = _Context()
    driver = BrowserDriver(cast(BrowserContext, context), timeout_ms=4_321)
    captured = capture_by_login(driver, sign_on_url=f"{SP}/login", acs_url=ACS, login=cast(LoginDriver, _IdpPostsTheResponse(context)),
                                credentials=Credentials("qa@example.com", "not-a-real-one"))
    assert captured.relay_state == "/home" and captured.response.get("ID") == "_r1"
    page = context.pages[0]
    assert page.bounds == [("goto", 4_321), ("wait_for_url", 4_321)]
    assert context.routes == []  # the ACS is no longer held once the response is captured
