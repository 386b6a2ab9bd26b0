"""Login drivers for the sign-in pages of real peers and vendors: SimpleSAMLphp, oidc-provider, JumpCloud.

Each driver implements :class:`sso_harness.browser.login.LoginDriver`: it waits on
page state, never on time, and fails with the URL, the selector it missed
and a screenshot (:class:`~sso_harness.browser.login.LoginPageNotRecognised`), or
with :class:`SignInRefused` when the page itself says no.
"""

from __future__ import annotations

from sso_harness.browser.drivers.jumpcloud import JUMPCLOUD_SELECTORS, JumpCloudLogin
from sso_harness.browser.drivers.oidc_provider import OIDC_PROVIDER_SELECTORS, OidcProviderDevLogin
from sso_harness.browser.drivers.page_state import LEFT, SignInRefused, screenshot, wait_for_screen
from sso_harness.browser.drivers.simplesamlphp import SSP_SELECTORS, SimpleSamlPhpLogin

__all__ = [
    "JUMPCLOUD_SELECTORS",
    "JumpCloudLogin",
    "LEFT",
    "OIDC_PROVIDER_SELECTORS",
    "OidcProviderDevLogin",
    "SSP_SELECTORS",
    "SignInRefused",
    "SimpleSamlPhpLogin",
    "screenshot",
    "wait_for_screen",
]
