"""The Entra-like sign-in pages: our own markup, Microsoft's element names.

Only the names automation relies on are shared with the real page
(entra.md §3): ``input[name=loginfmt]`` (``#i0116``) and ``#idSIButton9``;
``input[name=passwd]`` (``#i0118``); the "Stay signed in?" page with
``#KmsiDescription``, ``#idBtn_Back`` (No) before ``#idSIButton9`` (Yes);
the verification-code page with ``input[name=otc]``; errors in
``#usernameError``, ``#passwordError`` and ``#service_exception_message``.
Each page also carries a ``$Config`` object naming the screen (``pgid``),
the flow token and the post URL, as the real server-rendered HTML does, so a
browser-less client can read them. The pages work without JavaScript.

The other screens a sign-in can meet (entra.md §3; :mod:`.screens` in the
harness's driver reads the same names): the "Pick an account" tiles
(``[data-test-id=<upn>]``, ``#otherTile``); the work-or-personal choice
(``#aadTile``/``#aadTileTitle``, ``#msaTile``/``#msaTileTitle``); "Verify your
identity" (``#idDiv_SAOTCS_Proofs`` with ``div[data-value=PhoneAppOTP]``...);
the Authenticator push (``#idDiv_SAOTCAS_Title``, the number to match in
``#idRichContext_DisplaySign``, ``#signInAnotherWay``); phone sign-in
(``#idRemoteNGC_DisplaySign``); MFA denied / timed out
(``#idDiv_SAASDS_Description`` / ``#idDiv_SAASTO_Description``); "More
information required" (pgid ``ConvergedProofUpRedirect``,
``#idSubmit_ProofUp_Redirect``, ``#skipMfaRegistrationLink`` while skipping is
allowed); password expired (pgid ``ConvergedChangePassword``); "Permissions
requested" (``#idBtn_Accept``, ``#idBtn_Back``). Elements a screen does not
use stay in the DOM hidden as the real page hides them: class
``moveOffScreen`` (zero-sized, still laid out), ``display:none`` or
``visibility:hidden``; a driver that only checks for layout boxes sees them.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping

from sso_harness.mocks.web.http import Response

__all__ = [
    "username_page",
    "password_page",
    "otc_page",
    "kmsi_page",
    "error_page",
    "hidden_form",
    "signed_out_page",
    "account_picker_page",
    "account_type_page",
    "method_choice_page",
    "push_page",
    "mfa_failed_page",
    "proofup_page",
    "change_password_page",
    "consent_page",
    "auto_post_page",
    "FlowFields",
    "PGID",
]

#: ``$Config.pgid`` of each screen, as the real page names them (entra.md §3).
PGID = {
    "signin": "ConvergedSignIn",
    "tfa": "ConvergedTFA",
    "kmsi": "KmsiInterrupt",
    "proofup": "ConvergedProofUpRedirect",
    "change_password": "ConvergedChangePassword",
    "consent": "Consent",
    "error": "ConvergedError",
}

_STYLE = (
    "body{font-family:Segoe UI,Helvetica,Arial,sans-serif;background:#f2f2f2;margin:0}"
    ".box{background:#fff;max-width:440px;margin:60px auto;padding:44px;box-shadow:0 2px 6px rgba(0,0,0,.2)}"
    ".title{font-size:24px;font-weight:600;margin:16px 0}.alert-error{color:#e81123}"
    "input[type=email],input[type=password],input[type=tel]{width:100%;border:0;border-bottom:1px solid #666;padding:6px 0;font-size:15px}"
    ".has-error{border-bottom-color:#e81123!important}.buttons{text-align:right;margin-top:24px}"
    "input[type=submit],input[type=button]{min-width:108px;padding:6px 12px;margin-left:4px}"
    ".primary{background:#0067b8;color:#fff;border:0}.identity{font-size:15px}"
    # The real page's hiding class: the element keeps a (zero-sized) box, so
    # only a check for this class (or a size check) tells it is hidden.
    ".moveOffScreen{position:fixed;bottom:0;right:0;height:0!important;width:0!important;overflow:hidden;opacity:0!important}"
    ".table{display:block;padding:8px;cursor:pointer;border:1px solid #ddd;margin:4px 0;width:100%;text-align:left}"
    # A tile is clickable all over, as on the real page: its button fills it.
    ".table>.table-cell{display:block;width:100%;padding:8px 0;text-align:left;background:none;border:0;cursor:pointer}"
)


class FlowFields(dict[str, str]):
    """The hidden inputs every step posts back: ``ctx``, ``flowToken``, ``canary``."""


def _hidden(fields: Mapping[str, str]) -> str:
    return "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">' for k, v in fields.items()
    )


def _page(title: str, pgid: str, config: Mapping[str, object], body: str, *, status: int = 200) -> Response:
    data = json.dumps({"pgid": pgid, **config}, separators=(",", ":")).replace("</", "<\\/")
    doc = (
        "<!DOCTYPE html><html dir='ltr' lang='en'><head><meta charset='utf-8'>"
        f"<meta name='PageID' content='{html.escape(pgid)}'>"
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style>"
        f"<script>//<![CDATA[\n$Config={data};\n//]]></script></head>"
        f"<body><div class='box' data-pgid='{pgid}'>{body}</div></body></html>"
    )
    return Response(status=status, body=doc.encode(), headers=[("X-Frame-Options", "DENY")])


def _config(fields: Mapping[str, str], url_post: str) -> dict[str, object]:
    return {"sFT": fields.get("flowToken", ""), "sCtx": fields.get("ctx", ""), "canary": fields.get("canary", ""), "urlPost": url_post}


def username_page(
    action: str, fields: Mapping[str, str], *, login_hint: str = "", error: str = "", error_code: int | None = None, brand: str = ""
) -> Response:
    """ConvergedSignIn, username step."""
    err = (
        f'<div id="usernameError" class="alert alert-error" role="alert" data-aadsts="{error_code or ""}">{html.escape(error)}</div>'
        if error
        else ""
    )
    cls = "form-control ltr_override has-error" if error else "form-control ltr_override"
    body = (
        f'<div class="banner">{html.escape(brand or "Microsoft")}</div>'
        f'<form name="f1" id="i0281" method="post" action="{html.escape(action)}" autocomplete="off" novalidate>'
        '<div id="loginHeader" class="title" role="heading" aria-level="1">Sign in</div>'
        f"{err}"
        f'<input type="email" name="loginfmt" id="i0116" maxlength="113" class="{cls}" aria-required="true" '
        f'placeholder="Email, phone, or Skype" value="{html.escape(login_hint)}" autofocus>'
        '<div><a id="cantAccessAccount" href="#">Can\'t access your account?</a></div>'
        f"{_hidden(fields)}"
        '<div class="buttons"><input type="submit" id="idSIButton9" class="win-button button_primary primary" value="Next"></div>'
        "</form>"
    )
    config = {**_config(fields, action), "iErrorCode": error_code or 0, "sErrTxt": error}
    return _page("Sign in to your account", "ConvergedSignIn", config, body)


def password_page(action: str, fields: Mapping[str, str], *, username: str, error: str = "", error_code: int | None = None) -> Response:
    """ConvergedSignIn, password step. ``#idBtn_Back`` is in the DOM before the submit, as on the real page."""
    err = (
        f'<div id="passwordError" class="alert alert-error" role="alert" data-aadsts="{error_code or ""}">{html.escape(error)} '
        '<a id="idA_IL_ForgotPassword0" href="#">Reset it now.</a></div>'
        if error
        else ""
    )
    cls = "form-control has-error" if error else "form-control"
    body = (
        f'<form name="f1" method="post" action="{html.escape(action)}" autocomplete="off">'
        f'<div id="displayName" class="identity" title="{html.escape(username)}">{html.escape(username)}</div>'
        '<div id="loginHeader" class="title" role="heading" aria-level="1">Enter password</div>'
        f"{err}"
        f'<input type="email" name="loginfmt" value="{html.escape(username)}" class="moveOffScreen" tabindex="-1" aria-hidden="true">'
        f'<input type="password" name="passwd" id="i0118" class="{cls}" aria-required="true" placeholder="Password" autofocus>'
        '<div><a id="idA_PWD_ForgotPassword" href="#">Forgot my password</a></div>'
        f"{_hidden(fields)}"
        '<div class="buttons"><input type="button" id="idBtn_Back" class="moveOffScreen" value="Back">'
        '<input type="submit" id="idSIButton9" class="win-button button_primary primary" value="Sign in"></div>'
        "</form>"
    )
    config = {**_config(fields, action), "sPOST_Username": username, "iErrorCode": error_code or 0, "sErrTxt": error}
    return _page("Sign in to your account", "ConvergedSignIn", config, body)


def otc_page(action: str, fields: Mapping[str, str], *, username: str, error: str = "") -> Response:
    """ConvergedTFA: a code from an authenticator app (TOTP, RFC 6238)."""
    err = f'<div id="idSpan_SAOTCC_Error_OTC" class="alert-error" role="alert">{html.escape(error)}</div>' if error else ""
    body = (
        f'<form name="f1" method="post" action="{html.escape(action)}" autocomplete="off">'
        f'<div id="displayName" class="identity">{html.escape(username)}</div>'
        '<div id="idDiv_SAOTCC_Title" class="title" role="heading" aria-level="1">Enter code</div>'
        '<div id="idDiv_SAOTCC_Description">Enter the code displayed in the authenticator app on your mobile device</div>'
        f"{err}"
        '<input type="tel" name="otc" id="idTxtBx_SAOTCC_OTC" maxlength="8" autocomplete="one-time-code" placeholder="Code" autofocus>'
        f"{_hidden(fields)}"
        '<div class="buttons"><input type="submit" id="idSubmit_SAOTCC_Continue" class="primary" value="Verify"></div>'
        "</form>"
    )
    return _page("Sign in to your account", "ConvergedTFA", _config(fields, action), body)


def kmsi_page(action: str, fields: Mapping[str, str], *, username: str) -> Response:
    """KmsiInterrupt. The buttons post ``LoginOptions`` (Yes = 1, No = 3); No comes first in the DOM."""
    body = (
        f'<form name="f1" method="post" action="{html.escape(action)}">'
        f'<div id="displayName" class="identity">{html.escape(username)}</div>'
        '<div class="title" role="heading" aria-level="1" data-bind="text: str[\'STR_Kmsi_Title\']">Stay signed in?</div>'
        '<div id="KmsiDescription">Do this to reduce the number of times you are asked to sign in.</div>'
        '<label><input type="checkbox" id="KmsiCheckboxField" name="DontShowAgain"> Don\'t show this again</label>'
        f"{_hidden(fields)}"
        '<div class="buttons">'
        '<input type="submit" id="idBtn_Back" name="LoginOptions" value="No">'
        '<input type="submit" id="idSIButton9" name="LoginOptions" class="primary" value="Yes"></div>'
        "</form>"
    )
    return _page("Sign in to your account", "KmsiInterrupt", _config(fields, action), body)


def error_page(
    message: str, code: int, *, request_id: str, correlation_id: str, timestamp: str, app_name: str = ""
) -> Response:
    """The ESTS error page: the AADSTS message and the troubleshooting details."""
    app = f"<div>App name: <span id='appName'>{html.escape(app_name)}</span></div>" if app_name else ""
    body = (
        '<div class="title" role="heading" aria-level="1">Sign in</div>'
        "<div id='errorTitle'>Sorry, but we're having trouble signing you in.</div>"
        f'<div id="service_exception_message" class="alert-error" data-aadsts="{code}">{html.escape(message)}</div>'
        "<div id='debugDetails'><div class='title'>Troubleshooting details</div>"
        f"{app}<div>Request Id: <span id='requestId'>{request_id}</span></div>"
        f"<div>Correlation Id: <span id='correlationId'>{correlation_id}</span></div>"
        f"<div>Timestamp: <span id='timestamp'>{timestamp}</span></div>"
        f"<div>Message: <span id='errorMessage'>{html.escape(message)}</span></div></div>"
    )
    config = {
        "iErrorCode": code,
        "strServiceExceptionMessage": message,
        "sessionId": request_id,
        "correlationId": correlation_id,
    }
    return _page("Sign in to your account", "ConvergedError", config, body)


def hidden_form(action: str, fields: Mapping[str, str]) -> Response:
    """The "Working..." page that posts the result to the app (SAMLResponse, or code for form_post)."""
    body = (
        f'<form method="POST" name="hiddenform" action="{html.escape(action)}">{_hidden(fields)}'
        '<noscript><p>Script is disabled. Click Submit to continue.</p><input type="submit" value="Submit"></noscript></form>'
        "<script>document.forms[0].submit()</script>"
    )
    doc = f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Working...</title></head><body>{body}</body></html>"
    return Response(body=doc.encode())


def signed_out_page() -> Response:
    body = '<div class="title" role="heading" aria-level="1">You signed out of your account</div><div id="SignOutStatusMessage">It\'s a good idea to close all browser windows.</div>'
    return _page("Sign out", "SignOut", {}, body)


# -- the other screens of a sign-in ---------------------------------------------------------
def _form(action: str, fields: Mapping[str, str], step: str, inner: str) -> str:
    """A form posting back with the flow's hidden inputs and the screen it answers (``step``)."""
    return (
        f'<form name="f1" method="post" action="{html.escape(action)}" autocomplete="off">'
        f'{inner}{_hidden({**fields, "step": step})}</form>'
    )


def _identity(username: str) -> str:
    return f'<div id="displayName" class="identity">{html.escape(username)}</div>' if username else ""


def account_picker_page(action: str, fields: Mapping[str, str], *, accounts: tuple[str, ...]) -> Response:
    """ConvergedSignIn, "Pick an account": one tile per account this browser knows, and "Use another account"."""
    tiles = "".join(
        f'<button type="submit" name="loginfmt" value="{html.escape(upn)}" class="table" role="button" '
        f'data-test-id="{html.escape(upn)}"><div class="table-cell"><small>{html.escape(upn)}</small></div></button>'
        for upn in accounts
    )
    inner = (
        '<div id="loginHeader" class="title" role="heading" aria-level="1">Pick an account</div>'
        f'<div id="tilesHolder" role="listbox">{tiles}'
        '<button type="submit" name="other" value="1" id="otherTile" class="table" role="button">'
        '<div id="otherTileText">Use another account</div></button></div>'
        # The username field stays in the DOM, off screen, until "Use another account".
        '<input type="email" name="loginfmt_unused" id="i0116" class="moveOffScreen" tabindex="-1" aria-hidden="true">'
    )
    return _page("Sign in to your account", PGID["signin"], _config(fields, action), _form(action, fields, "account_picker", inner))


def account_type_page(action: str, fields: Mapping[str, str], *, username: str) -> Response:
    """ConvergedSignIn: the name is both a work or school account and a personal one; which?"""
    inner = (
        _identity(username)
        + '<div id="loginHeader" class="title" role="heading" aria-level="1">Let\'s find your account</div>'
        '<div>It looks like this email is used with more than one account from Microsoft. Which one do you want to use?</div>'
        '<button type="submit" name="account" value="aad" id="aadTile" class="table" role="button">'
        '<div id="aadTileTitle">Work or school account</div><small>Created by your IT department</small></button>'
        '<button type="submit" name="account" value="msa" id="msaTile" class="table" role="button">'
        '<div id="msaTileTitle">Personal account</div><small>Created by you</small></button>'
    )
    return _page("Sign in to your account", PGID["signin"], _config(fields, action), _form(action, fields, "account_type", inner))


#: The "Verify your identity" methods: ``data-value`` and the line the page shows.
METHODS = {
    "PhoneAppNotification": "Approve a request on my Microsoft Authenticator app",
    "PhoneAppOTP": "Use a verification code",
    "OneWaySMS": "Text +X XXXXXXXX42",
    "TwoWayVoiceMobile": "Call +X XXXXXXXX42",
}


def method_choice_page(action: str, fields: Mapping[str, str], *, username: str, methods: tuple[str, ...]) -> Response:
    """ConvergedTFA, "Verify your identity": one tile per registered method (``div[data-value]``)."""
    proofs = "".join(
        f'<div class="table" role="button" data-value="{html.escape(m)}">'
        f'<button type="submit" name="method" value="{html.escape(m)}" class="table-cell text-left content">'
        f"{html.escape(METHODS.get(m, m))}</button></div>"
        for m in methods
    )
    inner = (
        _identity(username)
        + '<div id="idDiv_SAOTCS_Title" class="title" role="heading" aria-level="1">Verify your identity</div>'
        f'<div id="idDiv_SAOTCS_Proofs" role="list">{proofs}</div>'
        # The code box of the next view is already in the DOM, hidden.
        '<input type="tel" id="idTxtBx_SAOTCC_OTC_unused" style="display:none">'
    )
    return _page("Sign in to your account", PGID["tfa"], _config(fields, action), _form(action, fields, "method_choice", inner))


def push_page(
    action: str, fields: Mapping[str, str], *, username: str, number: str | None = None, phone_sign_in: bool = False,
    another_way: bool = True, poll_url: str | None = None,
) -> Response:
    """An Authenticator approval: MFA push (ConvergedTFA), with the number to match, or passwordless phone sign-in.

    Nothing on the page moves it on: the approval happens on the phone. With ``poll_url`` the page asks
    it (``POST`` of ``{AuthMethodId, Method, Ctx, FlowToken}``, as the real page calls ``SAS/EndAuth``)
    until the phone answered, then posts its form. ``#signInAnotherWay`` leads to
    "Verify your identity" when other methods are registered.
    """
    if phone_sign_in:
        inner = (
            _identity(username)
            + '<div id="loginHeader" class="title" role="heading" aria-level="1">Approve sign in request</div>'
            '<div id="idDiv_RemoteNGC_PollingDescription">Open your Authenticator app, and enter the number shown to sign in.</div>'
            f'<div id="idRemoteNGC_DisplaySign" class="displaySign">{html.escape(number or "")}</div>'
        )
        pgid = PGID["signin"]
    else:
        sign = f'<div id="idRichContext_DisplaySign" class="displaySign">{html.escape(number)}</div>' if number else ""
        inner = (
            _identity(username)
            + '<div id="idDiv_SAOTCAS_Title" class="title" role="heading" aria-level="1">Approve sign in request</div>'
            f"{sign}"
            '<div id="idDiv_SAOTCAS_Description">'
            + ("Open your Authenticator app, and enter the number shown to sign in." if number else "Open your Authenticator app and approve the request to sign in.")
            + "</div>"
        )
        pgid = PGID["tfa"]
    if another_way:
        inner += '<button type="submit" name="another" value="1" id="signInAnotherWay">I can\'t use my Microsoft Authenticator app right now</button>'
    if poll_url:
        inner += _poll_script(poll_url, "PhoneAppNotification")
    return _page("Sign in to your account", pgid, _config(fields, action), _form(action, fields, "push", inner))


def _poll_script(url: str, method: str) -> str:
    """Ask ``url`` every half second whether the phone answered; post the form once it has (``Retry`` false)."""
    target = json.dumps(url).replace("</", "<\\/")
    return (
        "<script>(function(){var f=document.forms[0];function ask(){"
        f"fetch({target},{{method:'POST',headers:{{'Content-Type':'application/json'}},"
        f"body:JSON.stringify({{AuthMethodId:'{method}',Method:'EndAuth',Ctx:f.ctx.value,FlowToken:f.flowToken.value}})}})"
        ".then(function(r){return r.json();}).then(function(d){if(d.Retry===false){f.submit();}else{setTimeout(ask,500);}})"
        ".catch(function(){setTimeout(ask,1000);});}setTimeout(ask,500);})();</script>"
    )


def mfa_failed_page(action: str, fields: Mapping[str, str], *, username: str, timed_out: bool) -> Response:
    """ConvergedTFA after a push was denied (``#idDiv_SAASDS_*``) or not answered in time (``#idDiv_SAASTO_*``)."""
    kind, title, text = (
        ("SAASTO", "We didn't hear from you", "We sent an identity verification request to your mobile device, but we didn't hear from you in time.")
        if timed_out
        else ("SAASDS", "Request denied", "We sent an identity verification request to your mobile device, but you denied it.")
    )
    inner = (
        _identity(username)
        + f'<div id="idDiv_{kind}_Title" class="title" role="heading" aria-level="1">{title}</div>'
        f'<div id="idDiv_{kind}_Description" class="alert-error">{html.escape(text)}</div>'
    )
    return _page("Sign in to your account", PGID["tfa"], {**_config(fields, action), "iErrorCode": 500121}, _form(action, fields, "mfa_failed", inner))


def proofup_page(action: str, fields: Mapping[str, str], *, username: str, skip_days: int | None) -> Response:
    """ConvergedProofUpRedirect, "More information required"; the skip link only while registration may still wait."""
    skip = (
        f'<div><button type="submit" name="skip" value="1" id="skipMfaRegistrationLink">'
        f"Skip for now ({skip_days} days until this is required)</button></div>"
        if skip_days is not None
        else ""
    )
    inner = (
        _identity(username)
        + '<div id="ProofUpTitle" class="title" role="heading" aria-level="1">More information required</div>'
        '<div id="ProofUpDescription">Your organization needs more information to keep your account secure</div>'
        f"{skip}"
        '<div class="buttons"><input type="submit" name="next" id="idSubmit_ProofUp_Redirect" class="primary" value="Next"></div>'
    )
    config = {**_config(fields, action), "iRemainingDaysToSkipMfaRegistration": skip_days if skip_days is not None else -1}
    return _page("Sign in to your account", PGID["proofup"], config, _form(action, fields, "proofup", inner))


def change_password_page(action: str, fields: Mapping[str, str], *, username: str) -> Response:
    """ConvergedChangePassword: the password expired (or must change at first sign-in)."""
    inner = (
        _identity(username)
        + '<div id="ChangePasswordTitle" class="title" role="heading" aria-level="1">Update your password</div>'
        '<div id="ChangePasswordDescription">You need to update your password because your password has expired.</div>'
        '<input type="password" name="oldpasswd" id="currentPassword" placeholder="Current password">'
        '<input type="password" name="newpasswd" id="newPassword" placeholder="New password">'
        '<input type="password" name="confirmnewpasswd" id="confirmNewPassword" placeholder="Confirm password">'
        '<div class="buttons"><input type="submit" id="idSIButton9" class="primary" value="Sign in"></div>'
    )
    return _page("Update your password", PGID["change_password"], _config(fields, action), _form(action, fields, "password_expired", inner))


def consent_page(action: str, fields: Mapping[str, str], *, username: str, app_name: str, permissions: tuple[str, ...]) -> Response:
    """"Permissions requested": Accept (``#idBtn_Accept``) or Cancel (``#idBtn_Back``)."""
    items = "".join(f"<li>{html.escape(p)}</li>" for p in permissions)
    inner = (
        _identity(username)
        + '<div id="consentHeader" class="title" role="heading" aria-level="1">Permissions requested</div>'
        f'<div id="appName">{html.escape(app_name)}</div><div>This app would like to:</div><ul id="permissionsList">{items}</ul>'
        '<div class="buttons"><input type="submit" name="consent" id="idBtn_Back" value="Cancel">'
        '<input type="submit" name="consent" id="idBtn_Accept" class="primary" value="Accept"></div>'
    )
    return _page("Permissions requested", PGID["consent"], _config(fields, action), _form(action, fields, "consent", inner))


def auto_post_page(action: str, fields: Mapping[str, str]) -> Response:
    """An interstitial that posts itself on (the real page's ``hiddenform``, as between steps of a federated sign-in)."""
    return hidden_form(action, {**fields, "step": "auto_post"})
