"""The sign-in screens a flow went through, as one strip above the timeline.

The login driver names each screen it recognised (the Entra driver:
``username``, ``password``, ``method_choice``, ``totp``, ``kmsi``...; a
round trip to a federated domain's IdP is ``federated``). The strip shows
them in order, so a reader sees at a glance which pages the user was put
through, which the hops alone do not tell (the real page changes screens
without a navigation).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

__all__ = ["render_screens", "TERMINAL_SCREENS"]

#: Screens that end a sign-in without success: shown in the error colour.
TERMINAL_SCREENS = frozenset({"error", "mfa_denied", "mfa_timeout", "password_expired"})


def render_screens(screens: Sequence[str]) -> str:
    """The strip (``ol#signin-screens``), or nothing when no screens were recorded."""
    if not screens:
        return ""
    items = []
    for i, name in enumerate(screens, 1):
        kind = " fed" if name == "federated" else " bad" if name in TERMINAL_SCREENS else ""
        items.append(f'<li class="s"><span class="scr{kind}" title="screen {i}">{escape(name)}</span></li>')
    label = f'<li class="lbl">Sign-in screens ({len(screens)})</li>'
    return f'<ol class="screens card" id="signin-screens" aria-label="sign-in screens">{label}{"".join(items)}</ol>'
