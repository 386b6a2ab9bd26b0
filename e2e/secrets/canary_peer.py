"""A small OpenID provider and a relying party on loopback that issue the planted canaries.

Real HTTP, a real RSA key and real RS256 ID tokens; nothing is faked for
the harness's sake. Two servers, so the provider and the portal are two
origins, as in life:

- the **provider** (:class:`CanaryOp`): discovery, JWKS, ``/authorize``
  with a sign-in page shaped like JumpCloud's (so the harness's
  ``jumpcloud`` driver signs in, TOTP step included), ``/token`` (client
  authentication by ``client_secret_basic`` or ``client_secret_post``,
  PKCE S256 checked) and ``/userinfo`` (Bearer access token). It sets its
  session cookie at sign-in, and always issues the canary code, access and
  refresh tokens; ID tokens are signed per flow (they carry its nonce) and
  kept in :attr:`CanaryOp.id_tokens`.
- the **portal** (:class:`CanaryPortal`), a confidential client of that
  provider: ``/login`` sends the browser to ``/authorize``; ``/callback``
  redeems the code server-side (real HTTP, not through the harness's
  proxy), sets the portal's session cookie and answers a page whose script
  calls the portal's API with ``Authorization: Bearer`` :data:`API_BEARER`
  before going on to ``/home``, the signed-in page. Its single-page app
  (``/spa/login``, a public client) redeems the code in the browser
  instead, calls UserInfo with the access token, then the portal's API, and
  lands on ``/spa/home``: so the tokens pass through the browser too.

Everything runs on 127.0.0.1 on ports the kernel chooses. The pages hold
only the values a real one would show (never a password).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import json
import secrets
import threading
import time
import urllib.request
from dataclasses import dataclass
from types import TracebackType
from typing import Any
from urllib.parse import urlencode

from cryptography.hazmat.primitives.asymmetric import rsa

from sso_harness.mocks.entra.totp import verify_totp
from sso_harness.mocks.web.http import MockServer, Request, Response, html_page, json_response, redirect
from sso_harness.protocols.jose import jwks_from_keys
from sso_harness.protocols.jose.sign import sign_jwt

from .canaries import (
    ACCESS_TOKEN,
    API_BEARER,
    CLIENT_SECRET,
    CODE,
    MFA_USER,
    OP_SESSION_COOKIE,
    PASSWORD,
    PLAIN_USER,
    REFRESH_TOKEN,
    RP_SESSION_COOKIE,
    TOTP_SECRET,
)

__all__ = ["CanaryOp", "CanaryPortal", "HARNESS_CLIENT", "PORTAL_CLIENT", "SPA_CLIENT", "canary_peers"]

HARNESS_CLIENT = "canary-harness"  # the harness as the client (oidc_client flows)
PORTAL_CLIENT = "canary-portal"  # the portal's registration (confidential: redeems server-side)
SPA_CLIENT = "canary-spa"  # the portal's single-page app (public: redeems in the browser)
_OP_COOKIE = "canary_op_session"
_RP_COOKIE = "canary_portal_session"
_KID = "canary-key-1"


@dataclass(frozen=True)
class _Pending:
    """An authorization request waiting for its user to sign in."""

    client_id: str
    redirect_uri: str
    state: str
    nonce: str
    challenge: str
    scope: str


@dataclass(frozen=True)
class _Grant:
    """What the issued code stands for."""

    pending: _Pending
    user: str


def _login_page(ctx: str, error: str = "") -> Response:
    note = f"<p id='login-error'>{html.escape(error)}</p>" if error else ""
    return html_page("Canary ID - Sign in", (
        f"<h1>Sign in</h1>{note}<form method='post' action='/login'>"
        f"<input type='hidden' name='ctx' value='{html.escape(ctx)}'>"
        "<input name='email' type='email' autocomplete='username'>"
        "<input name='password' type='password' autocomplete='current-password'>"
        "<button id='login-submit' type='submit'>Continue</button></form>"))


def _totp_page(ctx: str, error: str = "") -> Response:
    note = f"<p id='totp-error'>{html.escape(error)}</p>" if error else ""
    return html_page("Canary ID - Verify", (
        f"<form id='totp-form' method='post' action='/login/totp'><h1 id='totp-title'>Enter your code</h1>{note}"
        f"<input type='hidden' name='ctx' value='{html.escape(ctx)}'>"
        "<input id='otp' name='otp' inputmode='numeric' autocomplete='one-time-code'>"
        "<button id='totp-submit' type='submit'>Verify</button></form>"))


class CanaryOp:
    """The OpenID provider; ``issuer`` once started. ``id_tokens`` lists every ID token issued."""

    def __init__(self) -> None:
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._server = MockServer(self._handle, name="canary-op")
        self._lock = threading.Lock()
        self._pending: dict[str, _Pending] = {}
        self._signed_in: dict[str, str] = {}  # ctx -> user who passed the password step
        self._grant: _Grant | None = None
        self.id_tokens: list[str] = []
        self.portal_redirect_uri = ""  # set by the portal once it has a port

    @property
    def issuer(self) -> str:
        return self._server.base_url

    def start(self) -> CanaryOp:
        self._server.start()
        return self

    def stop(self) -> None:
        self._server.stop()

    # -- routing ---------------------------------------------------------------------------------------------

    def _handle(self, request: Request) -> Response:
        routes = {
            ("GET", "/.well-known/openid-configuration"): self._discovery,
            ("GET", "/jwks"): lambda _r: json_response(jwks_from_keys([(self._key.public_key(), _KID, "RS256")])),
            ("GET", "/authorize"): self._authorize,
            ("POST", "/login"): self._login,
            ("POST", "/login/totp"): self._totp,
            ("POST", "/token"): self._token,
            ("GET", "/userinfo"): self._userinfo,
        }
        routes[("POST", "/userinfo")] = self._userinfo
        route = routes.get((request.method, request.path))
        answer = route(request) if route is not None else html_page("Not found", "<h1>404</h1>", status=404)
        if request.path in ("/token", "/userinfo") and request.headers.get("origin"):
            # The SPA reads these answers from its own origin (simple requests: no preflight needed).
            answer.headers.append(("Access-Control-Allow-Origin", request.headers["origin"]))
        return answer

    def _discovery(self, _request: Request) -> Response:
        base = self.issuer
        return json_response({
            "issuer": base, "authorization_endpoint": f"{base}/authorize", "token_endpoint": f"{base}/token",
            "userinfo_endpoint": f"{base}/userinfo", "jwks_uri": f"{base}/jwks", "response_types_supported": ["code"],
            "subject_types_supported": ["public"], "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"], "scopes_supported": ["openid", "email", "profile"],
        })

    # -- front channel ---------------------------------------------------------------------------------------

    def _authorize(self, request: Request) -> Response:
        q = request.query
        client, redirect_uri = q.get("client_id", ""), q.get("redirect_uri", "")
        if client not in (HARNESS_CLIENT, PORTAL_CLIENT, SPA_CLIENT) or not redirect_uri.startswith("http://127.0.0.1:"):
            return html_page("Error", "<h1 id='error'>unknown client or redirect_uri</h1>", status=400)
        pending = _Pending(client, redirect_uri, q.get("state", ""), q.get("nonce", ""), q.get("code_challenge", ""),
                           q.get("scope", "openid"))
        if request.cookies.get(_OP_COOKIE) == OP_SESSION_COOKIE:
            return self._issue(pending, MFA_USER)
        ctx = secrets.token_urlsafe(12)
        with self._lock:
            self._pending[ctx] = pending
        return _login_page(ctx)

    def _login(self, request: Request) -> Response:
        form = request.form
        ctx, user = form.get("ctx", ""), form.get("email", "")
        if ctx not in self._pending:
            return _login_page(ctx, "This sign-in has expired; start again.")
        if user not in (MFA_USER, PLAIN_USER) or form.get("password") != PASSWORD:
            return _login_page(ctx, "Incorrect email or password.")
        if user == MFA_USER:
            with self._lock:
                self._signed_in[ctx] = user
            return _totp_page(ctx)
        return self._complete(ctx, user)

    def _totp(self, request: Request) -> Response:
        form = request.form
        ctx = form.get("ctx", "")
        user = self._signed_in.get(ctx)
        if user is None:
            return _login_page(ctx, "This sign-in has expired; start again.")
        if not verify_totp(TOTP_SECRET, form.get("otp", ""), dt.datetime.now(dt.timezone.utc)):
            return _totp_page(ctx, "That code is not valid.")
        return self._complete(ctx, user)

    def _complete(self, ctx: str, user: str) -> Response:
        with self._lock:
            pending = self._pending.pop(ctx)
            self._signed_in.pop(ctx, None)
        return self._issue(pending, user).set_cookie(_OP_COOKIE, OP_SESSION_COOKIE)

    def _issue(self, pending: _Pending, user: str) -> Response:
        with self._lock:
            self._grant = _Grant(pending, user)
        return redirect(pending.redirect_uri + "?" + urlencode({"code": CODE, "state": pending.state}))

    # -- back channel ----------------------------------------------------------------------------------------

    def _client(self, request: Request) -> str | None:
        """The client's ID: a confidential one authenticated (Basic header or form secret), or the public SPA."""
        auth = request.headers.get("authorization", "")
        if auth.startswith("Basic "):
            client, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
        else:
            client, secret = request.form.get("client_id", ""), request.form.get("client_secret", "")
        if client == SPA_CLIENT and not secret:
            return client
        return client if client in (HARNESS_CLIENT, PORTAL_CLIENT) and secret == CLIENT_SECRET else None

    def _token(self, request: Request) -> Response:
        form = request.form
        client = self._client(request)
        if client is None:
            return json_response({"error": "invalid_client"}, status=401)
        grant = self._grant
        if form.get("code") != CODE or grant is None or grant.pending.client_id != client:
            return json_response({"error": "invalid_grant"}, status=400)
        if grant.pending.redirect_uri != form.get("redirect_uri"):
            return json_response({"error": "invalid_grant", "error_description": "redirect_uri differs"}, status=400)
        if grant.pending.challenge:
            digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
            if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant.pending.challenge:
                return json_response({"error": "invalid_grant", "error_description": "PKCE verification failed"}, status=400)
        now = int(time.time())
        claims: dict[str, Any] = {"iss": self.issuer, "aud": client, "sub": grant.user.split("@")[0], "email": grant.user,
                                  "email_verified": True, "iat": now, "exp": now + 600, "auth_time": now}
        if grant.pending.nonce:
            claims["nonce"] = grant.pending.nonce
        id_token = sign_jwt(claims, self._key, "RS256", _KID)
        with self._lock:
            self.id_tokens.append(id_token)
        return json_response({"access_token": ACCESS_TOKEN, "refresh_token": REFRESH_TOKEN, "id_token": id_token,
                              "token_type": "Bearer", "expires_in": 600, "scope": grant.pending.scope},
                             headers=[("Cache-Control", "no-store")])

    def _userinfo(self, request: Request) -> Response:
        bearer = request.headers.get("authorization", "").removeprefix("Bearer ") or request.form.get("access_token")
        if bearer != ACCESS_TOKEN or self._grant is None:
            return json_response({"error": "invalid_token"}, status=401)
        user = self._grant.user
        return json_response({"sub": user.split("@")[0], "email": user, "email_verified": True})


_CALLBACK_PAGE = f"""<h1 id='status'>Loading your profile...</h1>
<script>
fetch('/api/me', {{headers: {{'Authorization': 'Bearer {API_BEARER}'}}}})
  .then(r => r.json()).then(() => {{ location.href = '/home'; }});
</script>"""


_SPA_CALLBACK_PAGE = """<h1 id='status'>Signing in...</h1>
<script>
const code = new URLSearchParams(location.search).get('code');
const form = (fields) => ({method: 'POST', headers: {'Content-Type': 'application/x-www-form-urlencoded'},
                           body: new URLSearchParams(fields).toString()});
fetch('%(op)s/token', form({grant_type: 'authorization_code', client_id: '%(client)s', code: code,
                            redirect_uri: location.origin + '/spa/callback'}))
  .then(r => r.json())
  .then(tokens => fetch('%(op)s/userinfo', form({access_token: tokens.access_token})))
  .then(() => fetch('/api/me', {headers: {'Authorization': 'Bearer %(bearer)s'}}))
  .then(() => { location.href = '/spa/home'; });
</script>"""


class CanaryPortal:
    """The relying party: a confidential client of ``op`` that redeems its code server-side."""

    def __init__(self, op: CanaryOp) -> None:
        self.op = op
        self._server = MockServer(self._handle, name="canary-portal")

    @property
    def base_url(self) -> str:
        return self._server.base_url

    def start(self) -> CanaryPortal:
        self._server.start()
        return self

    def stop(self) -> None:
        self._server.stop()

    def _handle(self, request: Request) -> Response:
        signed_in = request.cookies.get(_RP_COOKIE) == RP_SESSION_COOKIE
        if request.path == "/login":
            params = {"response_type": "code", "client_id": PORTAL_CLIENT, "redirect_uri": f"{self.base_url}/callback",
                      "scope": "openid email", "state": secrets.token_urlsafe(12), "nonce": secrets.token_urlsafe(12)}
            return redirect(f"{self.op.issuer}/authorize?{urlencode(params)}")
        if request.path == "/callback":
            return self._callback(request)
        if request.path == "/spa/login":
            params = {"response_type": "code", "client_id": SPA_CLIENT, "redirect_uri": f"{self.base_url}/spa/callback",
                      "scope": "openid email", "state": secrets.token_urlsafe(12), "nonce": secrets.token_urlsafe(12)}
            return redirect(f"{self.op.issuer}/authorize?{urlencode(params)}")
        if request.path == "/spa/callback":
            page = _SPA_CALLBACK_PAGE % {"op": self.op.issuer, "client": SPA_CLIENT, "bearer": API_BEARER}
            return html_page("Signing in", page).set_cookie(_RP_COOKIE, RP_SESSION_COOKIE)
        if request.path == "/spa/home":
            return html_page("Portal app", "<h1 id='signed-in'>Signed in to the portal app</h1>")
        if request.path == "/api/me":
            if request.headers.get("authorization") != f"Bearer {API_BEARER}" or not signed_in:
                return json_response({"error": "unauthorized"}, status=401)
            return json_response({"name": "Alice Canary"})
        if request.path == "/home" and signed_in:
            return html_page("Portal", "<h1 id='signed-in'>Signed in to the portal</h1>")
        if request.path == "/home":
            return redirect("/login")
        return html_page("Not found", "<h1>404</h1>", status=404)

    def _callback(self, request: Request) -> Response:
        body = urlencode({"grant_type": "authorization_code", "code": request.query.get("code", ""),
                          "redirect_uri": f"{self.base_url}/callback"}).encode()
        basic = base64.b64encode(f"{PORTAL_CLIENT}:{CLIENT_SECRET}".encode()).decode()
        call = urllib.request.Request(f"{self.op.issuer}/token", data=body, headers={
            "Authorization": f"Basic {basic}", "Content-Type": "application/x-www-form-urlencoded"})
        # Straight to the provider on loopback: a server's own calls do not pass the browser's proxy.
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(call, timeout=10) as answer:
            tokens = json.loads(answer.read())
        if "id_token" not in tokens:
            return html_page("Error", "<h1 id='error'>sign-in failed</h1>", status=502)
        return html_page("Signing in", _CALLBACK_PAGE).set_cookie(_RP_COOKIE, RP_SESSION_COOKIE)


class canary_peers:  # noqa: N801 - used like a function: ``with canary_peers() as (op, portal)``
    """Start the provider and the portal; stop both on exit."""

    def __enter__(self) -> tuple[CanaryOp, CanaryPortal]:
        self.op = CanaryOp().start()
        self.portal = CanaryPortal(self.op).start()
        return self.op, self.portal

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.portal.stop()
        self.op.stop()

