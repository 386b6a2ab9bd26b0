"""What ``sso-harness capture`` was asked to do, as one value."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sso_harness.browser.signed_in import SignInRule

__all__ = ["CaptureOptions", "CaptureSetupError", "has_display", "default_bundle_path"]


class CaptureSetupError(ValueError):
    """The options cannot work (a missing environment variable, an unknown driver); the message says why."""


def has_display(env: Mapping[str, str] = os.environ) -> bool:
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def default_bundle_path(stamp: str) -> Path:
    return Path("reports") / "bundles" / f"sso-capture-{stamp}.zip"


@dataclass(frozen=True)
class CaptureOptions:
    """``user_env``/``password_env`` name environment variables; the values never enter this object.

    ``username_selector``/``password_selector``/``submit_selector`` override the login driver's
    selectors (CSS); ``signed_in`` describes what "signed in" looks like at the SP (None: the SAML
    default, when the flow posted a SAMLResponse).
    """

    url: str
    out: Path | None = None
    headed: bool = False
    login: str | None = None
    user_env: str | None = None
    password_env: str | None = None
    until: str | None = None
    timeout: float = 120.0
    redact: bool = True
    pii: bool = False
    idp_certs: tuple[Path, ...] = ()
    idp_metadata: tuple[str, ...] = ()
    loopback_only: bool = False
    argv: tuple[str, ...] = ()
    username_selector: str | None = None
    password_selector: str | None = None
    submit_selector: str | None = None
    signed_in: SignInRule | None = None

    def check_selectors(self) -> None:
        """Raises :class:`CaptureSetupError` for selectors given without ``--login``."""
        given = [name for name, value in (("--username-selector", self.username_selector),
                                          ("--password-selector", self.password_selector),
                                          ("--submit-selector", self.submit_selector)) if value]
        if given and self.login is None:
            raise CaptureSetupError(f"{', '.join(given)} need --login DRIVER (the selectors are that driver's)")

    def credentials(self, env: Mapping[str, str]) -> tuple[str, str] | None:
        """(username, password) from the environment when ``--login`` is given; raises when they are missing."""
        if self.login is None:
            return None
        if not self.user_env or not self.password_env:
            raise CaptureSetupError("--login needs --user-env VAR and --password-env VAR: the names of environment "
                                    "variables holding the test user's name and password")
        missing = [name for name in (self.user_env, self.password_env) if not env.get(name)]
        if missing:
            raise CaptureSetupError(f"environment variable(s) not set: {', '.join(missing)} (named by --user-env/--password-env)")
        return env[self.user_env], env[self.password_env]

    def headed_mode(self, env: Mapping[str, str]) -> tuple[bool, str | None]:
        """(headed?, a note for the user). Headed with --headed, or with a display and no --login."""
        display = has_display(env)
        if self.headed and not display:
            return False, ("--headed: there is no display here ($DISPLAY is not set), so the browser runs headless and "
                           "nobody can sign in by hand; use --login DRIVER with --user-env/--password-env instead")
        if self.headed:
            return True, "a browser window opens: sign in by hand; the capture stops at the landing URL, the timeout or Ctrl-C"
        if display and self.login is None:
            return True, "a display is present and no --login was given: sign in by hand in the browser window"
        if self.login is None:
            return False, ("no display and no --login: nobody can sign in, so this records what the browser does on its own "
                           "until the landing URL, the timeout or Ctrl-C")
        return False, None
