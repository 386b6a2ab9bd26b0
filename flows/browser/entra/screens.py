"""Which Entra sign-in screen the browser shows, from what the real page shows.

The page (login.microsoftonline.com) is one Knockout application: most
screens change without a navigation, and the elements of other screens stay
in the DOM, hidden. So a screen is recognised by the elements that are
*visible* the way the page means it (not inside an element with class
``moveOffScreen``, not ``display:none``, not ``visibility:hidden``, and laid
out), together with ``$Config.pgid``, read from the page's inline
``$Config={...}`` script (or ``<meta name="PageID">``). Element ids and pgids
are entra.md §3's.

:data:`SNAPSHOT_JS` runs in the page and returns a :class:`Snapshot` only once
the page differs from the one the driver last saw (a new document, or other
visible elements or texts); :func:`recognise` is pure, so the rules are unit
tested without a browser.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

__all__ = ["ELEMENTS", "SCREENS", "SNAPSHOT_JS", "Snapshot", "recognise", "aadsts_of", "inline_error"]

#: Element name -> CSS selector of the real page (entra.md §3).
ELEMENTS: Final[Mapping[str, str]] = {
    "loginfmt": "input[name=loginfmt], #i0116",
    "passwd": "input[name=passwd], #i0118",
    "usernameError": "#usernameError",
    "passwordError": "#passwordError",
    "otcError": "#idSpan_SAOTCC_Error_OTC",
    "tiles": "#tilesHolder",
    "otherTile": "#otherTile",
    "aadTile": "#aadTileTitle, #aadTile",
    "msaTile": "#msaTileTitle, #msaTile",
    "proofs": "#idDiv_SAOTCS_Proofs",
    "otc": "input[name=otc], #idTxtBx_SAOTCC_OTC",
    "pushTitle": "#idDiv_SAOTCAS_Title, #idDiv_SAOTCAS_Description",
    "displaySign": "#idRichContext_DisplaySign",
    "remoteNgcSign": "#idRemoteNGC_DisplaySign",
    "anotherWay": "#signInAnotherWay",
    "mfaDenied": "#idDiv_SAASDS_Description, #idDiv_SAASDS_Title",
    "mfaTimedOut": "#idDiv_SAASTO_Description, #idDiv_SAASTO_Title",
    "kmsi": "#KmsiDescription",
    "proofUpNext": "#idSubmit_ProofUp_Redirect",
    "proofUpSkip": "#skipMfaRegistrationLink",
    "newPassword": "#newPassword, input[name=newpasswd]",
    "consentAccept": "#idBtn_Accept",
    "serviceError": "#service_exception_message",
}

#: pgid values (entra.md §3) that name a screen on their own.
PGIDS: Final[Mapping[str, str]] = {
    "KmsiInterrupt": "kmsi",
    "ConvergedProofUpRedirect": "proofup",
    "ConvergedChangePassword": "password_expired",
    "ConvergedError": "error",
}

#: Every screen name :func:`recognise` returns, with what it means.
SCREENS: Final[Mapping[str, str]] = {
    "username": "ConvergedSignIn: the username (loginfmt)",
    "account_picker": "ConvergedSignIn: 'Pick an account' tiles",
    "account_type": "ConvergedSignIn: work or school account, or personal account?",
    "password": "ConvergedSignIn: the password (passwd)",
    "method_choice": "ConvergedTFA: 'Verify your identity', the list of methods",
    "totp": "ConvergedTFA: a code from an authenticator app (otc)",
    "push": "ConvergedTFA: approve in Microsoft Authenticator",
    "number_match": "ConvergedTFA: approve in Microsoft Authenticator, entering the number shown",
    "phone_sign_in": "ConvergedSignIn: passwordless phone sign-in (number shown)",
    "mfa_denied": "ConvergedTFA: the approval was denied",
    "mfa_timeout": "ConvergedTFA: the approval was not given in time",
    "kmsi": "KmsiInterrupt: 'Stay signed in?'",
    "proofup": "ConvergedProofUpRedirect: 'More information required' (MFA registration)",
    "password_expired": "ConvergedChangePassword: 'Update your password'",
    "consent": "'Permissions requested' (consent)",
    "auto_post": "a hidden form that posts itself on",
    "error": "the error page (AADSTS code)",
}

SNAPSHOT_JS: Final = r"""([origin, prev, elements, awayOk]) => {
    const left = location.origin !== origin;
    if (left && awayOk) return false;
    if (document.readyState === 'loading') return false;
    if (!window.__ssoEntraDoc) window.__ssoEntraDoc = Math.random().toString(36).slice(2);
    const hidden = (el) => {
        for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
            if (e.classList.contains('moveOffScreen')) return true;
            const style = getComputedStyle(e);
            if (style.display === 'none' || style.visibility === 'hidden') return true;
        }
        return el.getClientRects().length === 0;
    };
    const visible = {};
    for (const [name, sel] of Object.entries(elements)) {
        const el = Array.from(document.querySelectorAll(sel)).find((e) => !hidden(e));
        // Text, not input values: what the driver types must not look like a new screen.
        if (el) visible[name] = el.tagName === 'INPUT' ? '' : ((el.innerText || '') + '').trim().slice(0, 300);
    }
    let pgid = '', errorCode = 0;
    const text = Array.from(document.scripts).map((s) => s.textContent || '').find((t) => t.includes('$Config=') || t.includes('$Config ='));
    if (text) {
        const m = text.match(/"pgid"\s*:\s*"([^"]*)"/); if (m) pgid = m[1];
        const e = text.match(/"iErrorCode"\s*:\s*(\d+)/); if (e) errorCode = Number(e[1]);
    }
    if (!pgid) { const meta = document.querySelector('meta[name="PageID"]'); if (meta) pgid = meta.getAttribute('content') || ''; }
    const headings = Array.from(document.querySelectorAll('[role=heading], h1, h2'))
        .filter((e) => !hidden(e)).map((e) => (e.innerText || '').trim()).filter((t) => t).slice(0, 5);
    const autoPost = document.querySelector('form[name=hiddenform]') !== null;
    const fingerprint = JSON.stringify([window.__ssoEntraDoc, location.href, pgid, visible, autoPost]);
    if (fingerprint === prev) return false;
    return {fingerprint, url: location.href, left, pgid, visible, headings, autoPost, errorCode};
}"""


@dataclass(frozen=True)
class Snapshot:
    """What the page showed at one moment: visible element names (with their text), pgid, headings."""

    url: str
    pgid: str = ""
    visible: Mapping[str, str] = field(default_factory=dict)
    headings: tuple[str, ...] = ()
    left: bool = False
    """The browser is no longer on the sign-in origin."""
    auto_post: bool = False
    error_code: int = 0
    """``$Config.iErrorCode`` when the page sets it."""
    fingerprint: str = ""

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Snapshot:
        visible = data.get("visible")
        headings = data.get("headings")
        code = data.get("errorCode")
        return cls(
            url=str(data.get("url", "")),
            pgid=str(data.get("pgid", "") or ""),
            visible={str(k): str(v) for k, v in visible.items()} if isinstance(visible, dict) else {},
            headings=tuple(str(h) for h in headings) if isinstance(headings, list) else (),
            left=bool(data.get("left")),
            auto_post=bool(data.get("autoPost")),
            error_code=code if isinstance(code, int) else 0,
            fingerprint=str(data.get("fingerprint", "")),
        )

    def shows(self, *names: str) -> bool:
        return any(n in self.visible for n in names)


def recognise(s: Snapshot) -> str | None:
    """The screen ``s`` shows (a key of :data:`SCREENS`), or None when it is none the driver knows.

    Order matters where screens share elements: an error page wins; the pgid of
    an interrupt wins over elements; a push with a number is number matching;
    the hidden ``#idBtn_Back`` of the password page means nothing (it is not
    how "Stay signed in?" is recognised: ``#KmsiDescription`` or its pgid is).
    """
    if s.shows("serviceError") or s.pgid == "ConvergedError":
        return "error"
    by_pgid = PGIDS.get(s.pgid)
    if by_pgid is not None and by_pgid != "error":
        return by_pgid
    if s.shows("newPassword"):
        return "password_expired"
    if s.shows("proofUpNext", "proofUpSkip"):
        return "proofup"
    if s.shows("consentAccept"):
        return "consent"
    if s.shows("mfaDenied"):
        return "mfa_denied"
    if s.shows("mfaTimedOut"):
        return "mfa_timeout"
    if s.shows("remoteNgcSign"):
        return "phone_sign_in"
    if s.shows("displaySign"):
        return "number_match"
    if s.shows("pushTitle"):
        return "push"
    if s.shows("otc"):
        return "totp"
    if s.shows("proofs"):
        return "method_choice"
    if s.shows("kmsi"):
        return "kmsi"
    if s.shows("aadTile", "msaTile"):
        return "account_type"
    if s.shows("tiles", "otherTile"):
        return "account_picker"
    if s.shows("passwd"):
        return "password"
    if s.shows("loginfmt"):
        return "username"
    if s.auto_post:
        return "auto_post"
    return None


_AADSTS = re.compile(r"AADSTS(\d+)")


def aadsts_of(s: Snapshot) -> int | None:
    """The AADSTS code the page shows (the message's ``AADSTSnnnnn``, else ``$Config.iErrorCode``)."""
    for text in (s.visible.get("serviceError", ""), *s.visible.values()):
        match = _AADSTS.search(text)
        if match:
            return int(match.group(1))
    return s.error_code or None


def inline_error(s: Snapshot) -> str | None:
    """The text of an inline error (username, password, code), if one is visible."""
    for name in ("usernameError", "passwordError", "otcError"):
        if name in s.visible:
            return s.visible[name] or name
    return None
