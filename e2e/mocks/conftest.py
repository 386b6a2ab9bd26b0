"""Browser tests of the mock fleet: the SP profiles and the Entra-like sign-in pages.

The sign-in steps are driven with the element names Microsoft's own page
uses (entra.md §3), so the same steps would work against a real tenant.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from playwright.sync_api import Page

from sso_harness.mocks.entra.totp import totp
from sso_harness.mocks.scenario import IDS

TIMEOUT = 15_000


def entra_sign_in(page: Page, username: str, password: str | None, *, stay_signed_in: bool = True, totp_secret: str | None = None) -> None:
    """Username, password (None: a federated user leaves after the username), code, "Stay signed in?"."""
    page.locator("input[name=loginfmt]").fill(username)
    page.locator("#idSIButton9").click()
    if password is None:
        return
    page.locator("input[name=passwd]").fill(password)
    page.locator("#idSIButton9").click()
    if totp_secret is not None:
        page.locator("input[name=otc]").fill(totp(totp_secret, dt.datetime.now(dt.timezone.utc)))
        page.locator("#idSubmit_SAOTCC_Continue").click()
    page.locator("#KmsiDescription").wait_for(timeout=TIMEOUT)
    page.locator("#idSIButton9" if stay_signed_in else "#idBtn_Back").click()


@pytest.fixture
def trust_entra_app(mock_fleet, sso_capture) -> Callable[[str], None]:  # type: ignore[no-untyped-def]
    """Decode the trace's signatures against an Entra app's signing certificate(s)."""

    def trust(app_id: str) -> None:
        sso_capture.trusted_certs = [mock_fleet.entra.signing_key(app_id).cert, mock_fleet.jumpcloud.signing.cert]

    return trust


@pytest.fixture
def entra_login() -> Callable[..., None]:
    """``entra_login(page, username, password, stay_signed_in=True, totp_secret=None)``."""
    return entra_sign_in


@pytest.fixture
def ids():  # type: ignore[no-untyped-def]
    return IDS
