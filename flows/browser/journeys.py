"""Journeys: a browser walk through one SSO flow, returning its trace."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import Page

from flows.browser.login import Credentials, LoginDriver
from flows.capture.recording import FlowRecording
from flows.trace import Trace

__all__ = ["sp_initiated_saml"]


def sp_initiated_saml(
    page: Page,
    recording: FlowRecording,
    *,
    start_url: str,
    login: LoginDriver,
    credentials: Credentials,
    timeout_ms: float = 15_000,
) -> Trace:
    """Open a protected SP page, sign in at the IdP, and return the trace.

    The walk ends when the browser is back on the SP's origin with the page
    loaded, whether the SP let the user in or refused the Response: judging
    that is the expectations' job, which then have the whole trace to explain.
    """
    sp = urlsplit(start_url)
    sp_origin = f"{sp.scheme}://{sp.netloc}"
    page.goto(start_url, timeout=timeout_ms)
    if page.url.startswith(sp_origin):
        # Still on the SP: it did not send us to the IdP (already signed in, or broken).
        return recording.trace()
    login.sign_in(page, credentials)
    page.wait_for_url(lambda url: url.startswith(sp_origin + "/"), timeout=timeout_ms)
    page.wait_for_load_state("load", timeout=timeout_ms)
    return recording.trace()
