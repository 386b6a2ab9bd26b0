"""Journeys: a browser walk through one SSO flow, returning its trace.

Every journey has the same shape: open a start URL, sign in where a login
page appears, and stop when the browser is back where the flow ends, with
the page loaded. Whether the flow *succeeded* is for the expectations to
judge, which then have the whole trace to explain it; a journey fails only
when the browser cannot get through at all.

    sp_initiated_saml   start at a protected SP page
    idp_initiated_saml  start at the IdP's launcher (My Apps tile, SSOService.php?spentityid=...)
    wsfed_sign_in       start at a WS-Federation relying party
    oauth_code          start at a client that runs the authorization code flow
    single_logout       start at an SP's or IdP's logout URL
    oidc_as_client      the harness itself is the client (see sso_harness.browser.oidc_client)
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from playwright.sync_api import Page

from sso_harness.browser.login import Credentials, LoginDriver, sign_in_noting_screens
from sso_harness.trace.recording import FlowRecording
from sso_harness.trace.trace import Trace

__all__ = ["sp_initiated_saml", "idp_initiated_saml", "wsfed_sign_in", "oauth_code", "single_logout", "origin_of", "walk"]

UrlTest = Callable[[str], bool]
PageSteps = Callable[[Page], None]  # what a target configures to run on a page (targets.runner builds it)


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _ends_at(until: str | UrlTest) -> UrlTest:
    if callable(until):
        return until
    return lambda url: url.startswith(until)


def walk(
    page: Page,
    recording: FlowRecording,
    *,
    start_url: str,
    until: str | UrlTest,
    login: LoginDriver | None = None,
    credentials: Credentials | None = None,
    timeout_ms: float = 15_000,
    before_sign_in: PageSteps | None = None,
) -> Trace:
    """The shared walk: open ``start_url``; sign in if the browser did not arrive; wait for ``until``.

    ``until`` is a URL prefix or a predicate on the URL. With no ``login``,
    the walk only waits (logout flows, launchers with an existing session).
    ``before_sign_in`` runs on the start page, before the arrival check
    (a target's configured steps: an email-first page, a "Go" button).
    """
    arrived = _ends_at(until)
    page.goto(start_url, timeout=timeout_ms)
    if before_sign_in is not None:
        before_sign_in(page)
    if not arrived(page.url) and login is not None:
        if credentials is None:
            raise ValueError("a login driver needs credentials")
        sign_in_noting_screens(login, page, credentials, recording)
    page.wait_for_url(arrived, timeout=timeout_ms)
    page.wait_for_load_state("load", timeout=timeout_ms)
    return recording.trace()


def sp_initiated_saml(
    page: Page,
    recording: FlowRecording,
    *,
    start_url: str,
    login: LoginDriver,
    credentials: Credentials,
    until: str | UrlTest | None = None,
    timeout_ms: float = 15_000,
    before_sign_in: PageSteps | None = None,
) -> Trace:
    """Open a protected SP page, sign in at the IdP, and return when back on the SP.

    Ends on the SP's origin whether it let the user in or refused the
    Response (its error page is then the final hop). ``before_sign_in``
    runs on the SP's start page (a "Go" or "Test connection" button).
    """
    sp_origin = origin_of(start_url)
    if until is None:
        def until(url: str) -> bool:  # noqa: E306 - a local default
            return url.startswith(sp_origin + "/")
    return _walk_from_sp(page, recording, start_url, until, login, credentials, timeout_ms, before_sign_in)


def _walk_from_sp(
    page: Page,
    recording: FlowRecording,
    start_url: str,
    until: str | UrlTest,
    login: LoginDriver,
    credentials: Credentials,
    timeout_ms: float,
    before_sign_in: PageSteps | None = None,
) -> Trace:
    sp_origin = origin_of(start_url)
    page.goto(start_url, timeout=timeout_ms)
    if before_sign_in is not None:
        before_sign_in(page)
    if page.url.startswith(sp_origin):
        # Still on the SP: it did not send us to the IdP (already signed in, or broken).
        return recording.trace()
    sign_in_noting_screens(login, page, credentials, recording)
    arrived = _ends_at(until)
    page.wait_for_url(arrived, timeout=timeout_ms)
    page.wait_for_load_state("load", timeout=timeout_ms)
    return recording.trace()


def idp_initiated_saml(
    page: Page,
    recording: FlowRecording,
    *,
    launch_url: str,
    sp_url: str,
    login: LoginDriver | None,
    credentials: Credentials | None,
    timeout_ms: float = 15_000,
    before_sign_in: PageSteps | None = None,
) -> Trace:
    """Start at the IdP's launcher, sign in if asked, and return once on ``sp_url``'s origin."""
    sp_origin = origin_of(sp_url)
    return walk(page, recording, start_url=launch_url, until=lambda u: u.startswith(sp_origin + "/"),
                login=login, credentials=credentials, timeout_ms=timeout_ms, before_sign_in=before_sign_in)


def wsfed_sign_in(
    page: Page, recording: FlowRecording, *, start_url: str, login: LoginDriver, credentials: Credentials,
    timeout_ms: float = 15_000, before_sign_in: PageSteps | None = None,
) -> Trace:
    """A WS-Federation passive sign-in: the relying party sends ``wa=wsignin1.0``; ``wresult`` comes back."""
    return sp_initiated_saml(page, recording, start_url=start_url, login=login, credentials=credentials, timeout_ms=timeout_ms,
                             before_sign_in=before_sign_in)


def oauth_code(
    page: Page, recording: FlowRecording, *, start_url: str, login: LoginDriver, credentials: Credentials,
    until: str | UrlTest | None = None, timeout_ms: float = 15_000, before_sign_in: PageSteps | None = None,
) -> Trace:
    """A client-driven authorization code flow (with or without PKCE: that is the client's choice).

    Ends when the browser is back on the client (``until``, default its
    origin). The client's token exchange is a back-channel call: it is in
    the trace only if the client sends it through the capture proxy.
    """
    return sp_initiated_saml(page, recording, start_url=start_url, login=login, credentials=credentials,
                             until=until, timeout_ms=timeout_ms, before_sign_in=before_sign_in)


def single_logout(
    page: Page, recording: FlowRecording, *, start_url: str, until: str | UrlTest, timeout_ms: float = 15_000
) -> Trace:
    """SAML single logout from ``start_url`` (an SP's or the IdP's logout URL) until ``until``."""
    return walk(page, recording, start_url=start_url, until=until, timeout_ms=timeout_ms)
