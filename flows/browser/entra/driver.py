"""The Entra sign-in driver: recognise the screen, act, repeat until the browser leaves.

Each turn waits (in the browser, never on time) until the page differs from
the last one seen, recognises the screen (:mod:`.screens`), records it in
:attr:`EntraLogin.screens` and acts. It stops when the browser leaves the
sign-in origin (the app got its answer), or at a terminal screen, with a coded
:class:`~.errors.EntraSignInFailed` (or
:class:`~.errors.EntraScreenNotRecognised` with URL, pgid, headings and a
screenshot). Screens that need a person (Authenticator push, number matching,
phone sign-in) fail in one line naming the setting to change, unless the
driver is *attended*: then it shows the number and waits for the approval
(on the Entra-like mock a test plays the phone through ``POST /_admin/approve``).
Consent and the MFA-registration interrupt go on only when the constructor
says so.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from sso_harness.browser.drivers.page_state import screenshot
from sso_harness.browser.entra import errors as E
from sso_harness.browser.entra.errors import EntraScreenNotRecognised, EntraSignInFailed
from sso_harness.browser.entra.screens import ELEMENTS, SNAPSHOT_JS, Snapshot, aadsts_of, inline_error, recognise
from sso_harness.browser.login import Credentials, LoginDriver
from sso_harness.browser.totp import totp
from sso_harness.protocols.secrets import remember_secret

__all__ = ["EntraLogin"]

NEXT = "#idSIButton9"
NO = "#idBtn_Back"
OTC_SUBMIT = "#idSubmit_SAOTCC_Continue, #idSIButton9"
FEDERATED = "federated"
"""The name :attr:`EntraLogin.screens` records for the round trip to the home IdP."""

#: Screens after which leaving the origin means "sent to the home IdP", not "done".
_BEFORE_CREDENTIALS = frozenset({"username", "account_picker", "account_type"})
_APPROVALS = {
    "push": "Microsoft Authenticator push approval",
    "number_match": "Microsoft Authenticator number matching",
    "phone_sign_in": "passwordless phone sign-in with Microsoft Authenticator",
}


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


@dataclass(eq=False)
class EntraLogin:
    """Sign in on login.microsoftonline.com (or the Entra-like mock), whatever screens come.

    ``stay_signed_in`` answers "Stay signed in?"; ``totp_secret`` (base32) answers
    a code prompt and "Verify your identity"; ``federated`` signs in at the home
    IdP of a federated domain. ``accept_consent`` and ``skip_mfa_registration``
    (default False) allow the driver past "Permissions requested" and "More
    information required"; otherwise those fail with a coded reason.
    ``attended`` waits up to ``attended_timeout_ms`` for a person to approve a
    push (``say`` tells them the number). ``account_type`` picks "work" or
    "personal" when the page asks. ``timeout_ms`` bounds each wait for the page
    to change; ``clock`` (epoch seconds) makes TOTP codes exact in tests.

    After :meth:`sign_in`, :attr:`screens` lists the screens seen, in order.
    """

    stay_signed_in: bool = False
    totp_secret: str | None = None
    federated: LoginDriver | None = None
    timeout_ms: float = 15_000
    screenshot_dir: Path | None = None
    clock: Callable[[], float] | None = None
    accept_consent: bool = False
    skip_mfa_registration: bool = False
    attended: bool = False
    attended_timeout_ms: float = 120_000
    account_type: str = "work"
    say: Callable[[str], None] = _stderr
    max_screens: int = 40
    screens: list[str] = field(default_factory=list, init=False)

    def __repr__(self) -> str:  # the TOTP secret is never printed
        secret = "<redacted>" if self.totp_secret else None
        return f"EntraLogin(stay_signed_in={self.stay_signed_in}, totp_secret={secret}, federated={self.federated!r})"

    # -- the loop -------------------------------------------------------------------------
    def sign_in(self, page: Page, credentials: Credentials) -> None:
        """Drive the sign-in until the browser leaves the sign-in origin; raise on a terminal screen."""
        self.screens = []
        origin = _origin(page.url)
        last: Snapshot | None = None
        acted: str | None = None
        away = False
        repeats = 0
        for _ in range(self.max_screens):
            timeout = self.attended_timeout_ms if self.attended and acted in _APPROVALS else self.timeout_ms
            snap = self._next_snapshot(page, origin, last, acted, away=away, timeout_ms=timeout)
            last, away = snap, False
            if snap.left:
                if self._before_credentials():
                    self._federate(page, credentials, snap)
                    acted, away = FEDERATED, True
                    continue
                return
            screen = recognise(snap)
            if screen is None:
                continue  # wait for the page to settle into something known (or time out)
            if self.screens and self.screens[-1] == screen:
                repeats += 1
                if repeats >= 3 and acted == screen:
                    raise self._fail(E.STUCK, f"the {screen} screen came back {repeats} times", snap)
            else:
                repeats = 0
                self.screens.append(screen)
            acted = self._act(page, screen, snap, credentials)
        raise self._fail(E.TOO_MANY_SCREENS, f"more than {self.max_screens} screens without leaving the sign-in page", last)

    def _act(self, page: Page, screen: str, snap: Snapshot, credentials: Credentials) -> str:
        """Act on ``screen``; return its name (the screen acted on) or raise."""
        error = inline_error(snap)
        if error is not None and screen in ("username", "password", "totp"):
            raise self._fail(E.CREDENTIALS_REJECTED, f"the {screen} was refused: {error}", snap, aadsts=aadsts_of(snap))
        if screen == "error":
            code = aadsts_of(snap)
            text = snap.visible.get("serviceError") or "; ".join(snap.headings)
            raise self._fail(E.AADSTS_ERROR, f"sign-in refused: {text}", snap, aadsts=code)
        if screen == "username":
            self._fill(page, ELEMENTS["loginfmt"], credentials.username)
            self._click(page, NEXT)
        elif screen == "account_picker":
            tile = f"[data-test-id={json.dumps(credentials.username)}]"
            self._click(page, tile if page.locator(f"{tile} >> visible=true").count() else "#otherTile")
        elif screen == "account_type":
            self._click(page, ELEMENTS["aadTile"] if self.account_type == "work" else ELEMENTS["msaTile"])
        elif screen == "password":
            self._fill(page, ELEMENTS["passwd"], credentials.password)
            self._click(page, NEXT)
        elif screen == "method_choice":
            self._need_secret(snap)
            choice = "[data-value=PhoneAppOTP]"
            if not page.locator(f"{choice} >> visible=true").count():
                raise self._fail(E.NO_TOTP_METHOD, "'Verify your identity' offers no authenticator-app code; "
                                 "register an authenticator app (TOTP) method for the test user", snap)
            self._click(page, choice)
        elif screen == "totp":
            secret = self._need_secret(snap)
            otc = totp(secret, at=self.clock() if self.clock else None)
            remember_secret(secret)
            remember_secret(otc)  # typed into a one-time-code field: kept out of every artifact
            self._fill(page, ELEMENTS["otc"], otc)
            self._click(page, OTC_SUBMIT)
        elif screen in _APPROVALS:
            self._approval(page, screen, snap)
        elif screen in ("mfa_denied", "mfa_timeout"):
            failure, what = (E.MFA_DENIED, "denied") if screen == "mfa_denied" else (E.MFA_TIMED_OUT, "not approved in time")
            raise self._fail(failure, f"the MFA approval was {what}; give the test user a TOTP method and pass totp_secret", snap)
        elif screen == "kmsi":
            self._click(page, NEXT if self.stay_signed_in else NO)
        elif screen == "proofup":
            if not self.skip_mfa_registration:
                raise self._fail(E.MFA_REGISTRATION_REQUIRED, "'More information required': the tenant wants the test user to "
                                 "register MFA methods; register a TOTP method for the user, or pass skip_mfa_registration=True", snap)
            if "proofUpSkip" not in snap.visible:
                raise self._fail(E.MFA_REGISTRATION_REQUIRED, "'More information required' and the page offers no skip any more; "
                                 "register a TOTP method for the test user", snap)
            self._click(page, ELEMENTS["proofUpSkip"])
        elif screen == "password_expired":
            raise self._fail(E.PASSWORD_EXPIRED, "the test user's password expired (or must change at first sign-in); "
                             "reset it and set it not to expire", snap)
        elif screen == "consent":
            if not self.accept_consent:
                raise self._fail(E.CONSENT_REQUIRED, "'Permissions requested': grant admin consent to the app for the tenant, "
                                 "or pass accept_consent=True", snap)
            self._click(page, ELEMENTS["consentAccept"])
        # auto_post: the page posts itself on; waiting for the next page is the whole action.
        return screen

    def _approval(self, page: Page, screen: str, snap: Snapshot) -> None:
        what = _APPROVALS[screen]
        if self.totp_secret and "anotherWay" in snap.visible:
            self._click(page, "#signInAnotherWay")  # to "Verify your identity", where a code will do
            return
        if not self.attended:
            raise self._fail(E.PUSH_NOT_AUTOMATABLE, f"{what} cannot be automated; give the test user a TOTP "
                             "(authenticator app code) method as default and pass totp_secret, or run attended", snap)
        number = snap.visible.get("displaySign") or snap.visible.get("remoteNgcSign") or ""
        self.say(f"Approve the sign-in in Microsoft Authenticator" + (f": enter {number}" if number else ""))

    def _before_credentials(self) -> bool:
        """Only the username (or an account choice) so far: leaving now means the home IdP of a federated domain."""
        return (FEDERATED not in self.screens and any(s in _BEFORE_CREDENTIALS for s in self.screens)
                and all(s in _BEFORE_CREDENTIALS or s == "auto_post" for s in self.screens))

    def _federate(self, page: Page, credentials: Credentials, snap: Snapshot) -> None:
        self.screens.append(FEDERATED)
        if self.federated is None:
            raise self._fail(E.FEDERATED_NO_DRIVER, "the domain is federated and the page went to its home IdP; "
                             "give the driver a federated= login driver for that IdP", snap)
        self.federated.sign_in(page, credentials)

    # -- waiting on the page ------------------------------------------------------------------
    def _next_snapshot(self, page: Page, origin: str, last: Snapshot | None, acted: str | None, *, away: bool,
                       timeout_ms: float) -> Snapshot:
        """Block until the page differs from ``last`` (or, ``away``, until it is back on ``origin``)."""
        arg = [origin, last.fingerprint if last else "", dict(ELEMENTS), away]
        for _ in range(5):  # a document torn down mid-evaluation is retried in the next one
            try:
                handle = page.wait_for_function(SNAPSHOT_JS, arg=arg, timeout=timeout_ms)
                value = handle.json_value()
                return Snapshot.from_json(value if isinstance(value, dict) else {})
            except PlaywrightError as exc:
                message = str(exc)
                if "Execution context was destroyed" in message or "navigat" in message.lower():
                    continue
                raise self._timed_out(page, last, acted, away) from exc
        raise self._timed_out(page, last, acted, away)

    def _timed_out(self, page: Page, last: Snapshot | None, acted: str | None, away: bool) -> Exception:
        """The error for a page that stopped changing: what it shows decides which."""
        if away:
            return EntraSignInFailed(E.STUCK, "the browser did not come back from the federated IdP", url=page.url, screens=self.screens)
        known = last is not None and (last.left or recognise(last) is not None)
        if known and acted in _APPROVALS:
            return EntraSignInFailed(E.APPROVAL_TIMED_OUT, "nobody approved the sign-in in Microsoft Authenticator in time",
                                     url=page.url, screens=self.screens)
        if known and acted is not None and acted != "auto_post":
            return EntraSignInFailed(E.STUCK, f"the page did not move on after the driver answered the {acted} screen",
                                     url=page.url, screens=self.screens)
        shot = screenshot(page, self.screenshot_dir, "entra-unknown-screen")
        return EntraScreenNotRecognised(page.url, last.pgid if last else "", last.headings if last else (), shot, screens=self.screens)

    # -- small actions ----------------------------------------------------------------------
    def _need_secret(self, snap: Snapshot) -> str:
        if not self.totp_secret:
            raise self._fail(E.TOTP_SECRET_MISSING, "the sign-in asks for an authenticator-app code and the driver has no "
                             "totp_secret; pass the test user's TOTP secret", snap)
        return self.totp_secret

    def _fill(self, page: Page, selector: str, value: str) -> None:
        page.locator(f"{selector} >> visible=true").first.fill(value, timeout=self.timeout_ms)

    def _click(self, page: Page, selector: str) -> None:
        page.locator(f"{selector} >> visible=true").first.click(timeout=self.timeout_ms)

    def _fail(self, code: str, message: str, snap: Snapshot | None, *, aadsts: int | None = None) -> EntraSignInFailed:
        return EntraSignInFailed(code, message, url=snap.url if snap else "", aadsts=aadsts, screens=self.screens)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
