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
    "FlowFields",
]

_STYLE = (
    "body{font-family:Segoe UI,Helvetica,Arial,sans-serif;background:#f2f2f2;margin:0}"
    ".box{background:#fff;max-width:440px;margin:60px auto;padding:44px;box-shadow:0 2px 6px rgba(0,0,0,.2)}"
    ".title{font-size:24px;font-weight:600;margin:16px 0}.alert-error{color:#e81123}"
    "input[type=email],input[type=password],input[type=tel]{width:100%;border:0;border-bottom:1px solid #666;padding:6px 0;font-size:15px}"
    ".has-error{border-bottom-color:#e81123!important}.buttons{text-align:right;margin-top:24px}"
    "input[type=submit],input[type=button]{min-width:108px;padding:6px 12px;margin-left:4px}"
    ".primary{background:#0067b8;color:#fff;border:0}.identity{font-size:15px}"
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
        f'<input type="hidden" name="loginfmt" value="{html.escape(username)}">'
        f'<input type="password" name="passwd" id="i0118" class="{cls}" aria-required="true" placeholder="Password" autofocus>'
        '<div><a id="idA_PWD_ForgotPassword" href="#">Forgot my password</a></div>'
        f"{_hidden(fields)}"
        '<div class="buttons"><input type="button" id="idBtn_Back" value="Back" style="display:none">'
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
