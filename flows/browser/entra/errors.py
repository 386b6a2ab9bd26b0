"""How the Entra driver fails: a coded refusal, or a screen it does not know.

Code matches :attr:`EntraSignInFailed.code` (and :attr:`EntraSignInFailed.aadsts`
for an error page), never the message. Messages are one line: what happened,
where, and the setting or flag that would change it. They never carry a
password or a TOTP secret.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Final

from sso_harness.browser.login import LoginPageNotRecognised, SignInRefused

__all__ = [
    "EntraSignInFailed",
    "EntraScreenNotRecognised",
    "AADSTS_ERROR",
    "CREDENTIALS_REJECTED",
    "FEDERATED_NO_DRIVER",
    "TOTP_SECRET_MISSING",
    "NO_TOTP_METHOD",
    "PUSH_NOT_AUTOMATABLE",
    "APPROVAL_TIMED_OUT",
    "MFA_DENIED",
    "MFA_TIMED_OUT",
    "MFA_REGISTRATION_REQUIRED",
    "PASSWORD_EXPIRED",
    "CONSENT_REQUIRED",
    "STUCK",
    "TOO_MANY_SCREENS",
    "UNKNOWN_SCREEN",
]

AADSTS_ERROR: Final = "entra.aadsts"
"""The page is Entra's error page; :attr:`EntraSignInFailed.aadsts` holds the code when the page shows one."""
CREDENTIALS_REJECTED: Final = "entra.credentials_rejected"
"""The page answered a username, password or code with an inline error."""
FEDERATED_NO_DRIVER: Final = "entra.federated_no_driver"
TOTP_SECRET_MISSING: Final = "entra.totp_secret_missing"
NO_TOTP_METHOD: Final = "entra.no_totp_method"
PUSH_NOT_AUTOMATABLE: Final = "entra.push_not_automatable"
"""Authenticator push, number matching or phone sign-in, with no way round it."""
APPROVAL_TIMED_OUT: Final = "entra.approval_timed_out"
"""Attended mode: nobody approved on the phone in time."""
MFA_DENIED: Final = "entra.mfa_denied"
MFA_TIMED_OUT: Final = "entra.mfa_timed_out"
MFA_REGISTRATION_REQUIRED: Final = "entra.mfa_registration_required"
PASSWORD_EXPIRED: Final = "entra.password_expired"
CONSENT_REQUIRED: Final = "entra.consent_required"
STUCK: Final = "entra.stuck"
"""The driver acted on a screen and the page did not move on."""
TOO_MANY_SCREENS: Final = "entra.too_many_screens"
UNKNOWN_SCREEN: Final = "entra.unknown_screen"


class EntraSignInFailed(SignInRefused):
    """The sign-in cannot go on: ``code`` says why, ``aadsts`` is the AADSTS number of an error page.

    ``screens`` is the sequence of screens the driver had seen, ``url`` where it stopped.
    """

    def __init__(self, code: str, message: str, *, url: str, aadsts: int | None = None, screens: Sequence[str] = ()) -> None:
        self.code, self.url, self.aadsts, self.screens = code, url, aadsts, tuple(screens)
        one_line = " ".join(message.split())
        super().__init__(f"{code}: {one_line} (at {url})")


class EntraScreenNotRecognised(LoginPageNotRecognised):
    """No known sign-in screen appeared: the URL, the page's ``pgid``, its visible headings and a screenshot."""

    code: Final = UNKNOWN_SCREEN

    def __init__(self, url: str, pgid: str, headings: Sequence[str], screenshot: Path | None, *, screens: Sequence[str] = ()) -> None:
        self.pgid, self.headings, self.screens = pgid, tuple(headings), tuple(screens)
        shown = "; ".join(h for h in self.headings if h) or "(none)"
        seen = " → ".join(self.screens) or "(none)"
        super().__init__(url, "a known Entra sign-in screen", screenshot,
                         f"; {UNKNOWN_SCREEN}: pgid {pgid or '(none)'}; headings: {shown}; screens so far: {seen}")
