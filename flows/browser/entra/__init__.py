"""The Microsoft Entra ID sign-in page as a login driver: a state machine over its real screens.

:mod:`.screens` recognises a screen from what the real page shows
(``$Config.pgid`` and visible element names, hidden meaning hidden as the
page means it); :mod:`.driver` acts on each and loops until the browser leaves
the sign-in origin; :mod:`.errors` holds the coded failures.
"""

from __future__ import annotations

from sso_harness.browser.entra.driver import FEDERATED, EntraLogin
from sso_harness.browser.entra.errors import EntraScreenNotRecognised, EntraSignInFailed
from sso_harness.browser.entra.screens import SCREENS, Snapshot, recognise
from sso_harness.browser.login import SignInRefused

__all__ = ["EntraLogin", "EntraSignInFailed", "EntraScreenNotRecognised", "SignInRefused", "SCREENS", "FEDERATED", "Snapshot", "recognise"]
