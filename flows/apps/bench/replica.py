"""A static replica of the SP-initiated SAML hop sequence: the browser's floor.

Same origins (an SP and an IdP server), same hops, same kinds (302, 302,
form page, form POST, auto-submitting POST, 302, page) and payloads of the
same size as the real flow, but every answer is precomputed: no crypto, no
pysaml2, no proxy. What a real flow costs beyond walking this is ours.
"""

from __future__ import annotations

import base64
import os
from types import TracebackType

from sso_harness.mocks.web.http import MockServer, Request, Response, auto_post_form, html_page, redirect

__all__ = ["Replica"]

LOGIN_FORM = (
    "<h1>Mock IdP sign-in</h1><form method='post' action='/login'>"
    "<input type='hidden' name='ctx' value='static'>"
    "<label>Username <input name='username' autocomplete='username'></label>"
    "<label>Password <input name='password' type='password' autocomplete='current-password'></label>"
    "<button id='signin' type='submit'>Sign in</button></form>"
)


class Replica:
    """Two static servers on 127.0.0.1; ``start_url`` begins the walk."""

    def __init__(self, *, request_bytes: int = 700, response_bytes: int = 9000) -> None:
        self._saml_request = base64.b64encode(os.urandom(request_bytes)).decode()
        self._saml_response = base64.b64encode(os.urandom(response_bytes)).decode()
        self.sp = MockServer(self._sp, name="replica-sp")
        self.idp = MockServer(self._idp, name="replica-idp")

    @property
    def start_url(self) -> str:
        return f"{self.sp.base_url}/protected/x"

    def _sp(self, request: Request) -> Response:
        if request.path == "/acs":
            return redirect("/protected/x").set_cookie("replica_sp", "s")
        if request.cookies.get("replica_sp"):
            return html_page("Protected", "<h1>Protected page</h1><p id='user'>b.simon@contoso.com</p>")
        return redirect(f"{self.idp.base_url}/sso?SAMLRequest={self._saml_request}&RelayState=%2Fprotected%2Fx")

    def _idp(self, request: Request) -> Response:
        if request.path == "/sso":
            return redirect("/login?ctx=static")
        if request.method == "GET":
            return html_page("Sign in", LOGIN_FORM)
        fields = {"SAMLResponse": self._saml_response, "RelayState": "/protected/x"}
        return auto_post_form(f"{self.sp.base_url}/acs", fields).set_cookie("replica_idp", "i")

    def __enter__(self) -> "Replica":
        self.sp.start()
        self.idp.start()
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        self.sp.stop()
        self.idp.stop()
