"""An OpenID provider on loopback that the attacker controls, for relying-party attacks.

By default it is an honest provider (OIDC Core §3.1, authorization code
flow): discovery, JWKS, an authorization endpoint that signs in the persona
it is told to (no login page: the battery is about the relying party), a
token endpoint checking client, redirect URI, single use and PKCE (RFC 7636
§4.6, and RFC 9700 §4.8.2: a verifier for a code issued without a challenge
is refused), and the RFC 9207 ``iss`` parameter on every response.

Per attempt, the battery switches it (and :meth:`reset` switches it back):

* ``persona``: who signs in at the authorization endpoint (an :class:`EndUser`);
* ``hold``: issue the code but keep the browser here instead of redirecting
  (the attacker "steals" the code or the state of a flow);
* ``tamper``: the next ID token is tampered (:mod:`sso_harness.mocks.attack_lab.id_tokens`)
  and names another end user;
* ``advertise_pkce``: whether discovery lists ``code_challenge_methods_supported``;
* ``lax_redirect``: accept any redirect URI (a provider with loose matching);
* ``forward_to``: send the browser on to another provider (mix-up, RFC 9700 §4.4).

Everything it saw is kept: authorization requests, held redirects, and the
codes its token endpoint was asked to redeem (including codes it never
issued: the evidence of a mix-up).

The provider is an app built with its base URL (which is its issuer); the
attack lab serves it, or :func:`serve_provider` alone.
"""

from __future__ import annotations

import base64
import secrets
import threading
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urlencode

from cryptography.hazmat.primitives.asymmetric import rsa

from sso_harness.mocks.attack_lab.id_tokens import IdTokenKey, Tamper, claims_for, issue_id_token
from sso_harness.mocks.base.clock import Clock, system_clock
from sso_harness.mocks.base.keys import new_rsa_key
from sso_harness.mocks.web.http import Request, Response, html_page, json_response, redirect
from sso_harness.mocks.web.servers import serve_app
from sso_harness.protocols.jose import jwks_from_keys
from sso_harness.protocols.oauth.pkce import s256_challenge

__all__ = ["EndUser", "LoopbackProvider", "ProviderClient", "Authorization", "Redemption", "IssuedCode", "serve_provider"]


class EndUser(Protocol):
    """Who the provider signs in: ``sub`` and ``email`` go into the ID token, and ``name``."""

    @property
    def sub(self) -> str: ...

    @property
    def email(self) -> str: ...

    @property
    def name(self) -> str: ...


@dataclass(frozen=True)
class ProviderClient:
    client_id: str
    client_secret: str = field(repr=False)
    redirect_uris: tuple[str, ...] = ()


@dataclass(frozen=True)
class IssuedCode:
    client_id: str
    redirect_uri: str
    persona: EndUser
    nonce: str | None
    challenge: str | None
    method: str | None


@dataclass(frozen=True)
class Authorization:
    """One authorization request as received (the query parameters)."""

    params: Mapping[str, str]
    code: str | None = None


@dataclass(frozen=True)
class Redemption:
    code: str
    issued_here: bool
    client_id: str
    outcome: str


@dataclass
class _Switches:
    persona: EndUser | None = None
    hold: bool = False
    tamper: tuple[Tamper, EndUser] | None = None
    """The next ID token is tampered this way and names this end user (the victim)."""
    advertise_pkce: bool = True
    lax_redirect: bool = False
    forward_to: tuple["LoopbackProvider", str] | None = None


class LoopbackProvider:
    """The provider at ``base_url`` (its issuer); thread-safe."""

    def __init__(
        self, base_url: str, *, name: str = "provider", clock: Clock = system_clock, attacker_key: rsa.RSAPrivateKey | None = None
    ) -> None:
        self.issuer = base_url.rstrip("/")
        self.name = name
        self.clock = clock
        self.signing = IdTokenKey(new_rsa_key(), f"{name}-1")
        self._attacker = attacker_key
        self._lock = threading.Lock()
        self.clients: dict[str, ProviderClient] = {}
        self.switches = _Switches()
        self._codes: dict[str, IssuedCode] = {}
        self.authorizations: list[Authorization] = []
        self.held: list[str] = []
        self.redemptions: list[Redemption] = []

    @property
    def authorization_endpoint(self) -> str:
        return f"{self.issuer}/authorize"

    def register(self, client: ProviderClient) -> ProviderClient:
        self.clients[client.client_id] = client
        return client

    def reset(self) -> None:
        """Honest again, and forget what was seen (registered clients stay)."""
        with self._lock:
            self.switches = _Switches()
            self._codes.clear()
            self.authorizations.clear()
            self.held.clear()
            self.redemptions.clear()

    @property
    def attacker_key(self) -> rsa.RSAPrivateKey:
        if self._attacker is None:
            self._attacker = new_rsa_key()
        return self._attacker

    # -- the attacker's direct moves ---------------------------------------------------------------
    def mint_code(self, client_id: str, redirect_uri: str, persona: EndUser) -> str:
        """A code for ``persona`` as if the attacker had sent their own authorization request
        (no nonce, no PKCE challenge: the attacker writes that request)."""
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._codes[code] = IssuedCode(client_id, redirect_uri, persona, None, None, None)
        return code

    def last_authorization(self) -> Authorization | None:
        with self._lock:
            return self.authorizations[-1] if self.authorizations else None

    # -- HTTP --------------------------------------------------------------------------------------
    def __call__(self, request: Request) -> Response:
        routes = {
            "/.well-known/openid-configuration": self._discovery,
            "/jwks": lambda r: json_response(jwks_from_keys([(self.signing.key, self.signing.kid, "RS256")])),
            "/authorize": self._authorize,
            "/token": self._token,
        }
        handler = routes.get(request.path)
        return handler(request) if handler else html_page("Not found", "<h1>404</h1>", status=404)

    def _discovery(self, request: Request) -> Response:
        doc: dict[str, object] = {
            "issuer": self.issuer,
            "authorization_endpoint": self.authorization_endpoint,
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "authorization_response_iss_parameter_supported": True,
        }
        if self.switches.advertise_pkce:
            doc["code_challenge_methods_supported"] = ["S256"]
        return json_response(doc)

    def _authorize(self, request: Request) -> Response:
        q = dict(request.query)
        s = self.switches
        client = self.clients.get(q.get("client_id", ""))
        redirect_uri = q.get("redirect_uri", "")
        if client is None or (redirect_uri not in client.redirect_uris and not s.lax_redirect):
            with self._lock:
                self.authorizations.append(Authorization(q))
            return html_page("Error", "<h1 id='op-error'>invalid_request: unknown client or redirect_uri</h1>", status=400)
        if s.forward_to is not None:
            other, other_client = s.forward_to
            with self._lock:
                self.authorizations.append(Authorization(q))
            return redirect(f"{other.authorization_endpoint}?{urlencode({**q, 'client_id': other_client})}")
        if s.persona is None:
            return html_page("Error", "<h1 id='op-error'>nobody is set to sign in</h1>", status=500)
        code = secrets.token_urlsafe(24)
        issued = IssuedCode(client.client_id, redirect_uri, s.persona, q.get("nonce"),
                            q.get("code_challenge"), q.get("code_challenge_method"))
        params = {"code": code, "iss": self.issuer}
        if "state" in q:
            params["state"] = q["state"]
        target = redirect_uri + ("&" if "?" in redirect_uri else "?") + urlencode(params)
        with self._lock:
            self._codes[code] = issued
            self.authorizations.append(Authorization(q, code))
            if s.hold:
                self.held.append(target)
        if s.hold:
            return html_page("Held", "<h1 id='op-held'>The attacker holds this authorization response</h1>")
        return redirect(target)

    def _token(self, request: Request) -> Response:
        form = request.form
        client_id, secret = _client_credentials(request)
        code = form.get("code", "")
        with self._lock:
            issued = self._codes.pop(code, None)
        problem = self._token_problem(issued, form, client_id, secret)
        with self._lock:
            self.redemptions.append(Redemption(code, issued is not None, client_id, problem or "ok"))
        if problem is not None or issued is None:
            return json_response({"error": "invalid_grant", "error_description": problem}, status=400)
        return json_response(self._tokens(issued))

    def _token_problem(self, issued: IssuedCode | None, form: Mapping[str, str], client_id: str, secret: str) -> str | None:
        client = self.clients.get(client_id)
        if client is None or not secrets.compare_digest(client.client_secret, secret):
            return "client authentication failed"
        if form.get("grant_type") != "authorization_code":
            return "unsupported grant_type"
        if issued is None:
            return "unknown or already used code"
        if issued.client_id != client_id:
            return "the code was issued to another client"
        if form.get("redirect_uri") != issued.redirect_uri:
            return "redirect_uri differs from the authorization request's"
        verifier = form.get("code_verifier")
        if issued.challenge is None:
            return "code_verifier sent for a code issued without a challenge (RFC 9700 §4.8.2)" if verifier else None
        if not verifier:
            return "code_verifier missing (the authorization request had a code_challenge)"
        derived = verifier if issued.method == "plain" else s256_challenge(verifier)
        if not secrets.compare_digest(derived, issued.challenge):
            return "code_verifier does not match the code_challenge"
        return None

    def _tokens(self, issued: IssuedCode) -> dict[str, object]:
        now = self.clock()
        with self._lock:
            tampering, self.switches.tamper = self.switches.tamper, None
        tamper, p = tampering if tampering is not None else (None, issued.persona)
        claims = claims_for(issuer=self.issuer, client_id=issued.client_id, sub=p.sub, email=p.email, name=p.name,
                            nonce=issued.nonce, now=now)
        token = issue_id_token(claims, self.signing, tamper=tamper, attacker=self.attacker_key if tamper == "wrong-key" else None, now=now)
        return {"access_token": secrets.token_urlsafe(24), "token_type": "Bearer", "expires_in": 600, "id_token": token,
                "scope": "openid email profile"}


def _client_credentials(request: Request) -> tuple[str, str]:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("basic "):
        try:
            user, _, password = base64.b64decode(auth[6:]).decode("utf-8").partition(":")
            return user, password
        except (ValueError, UnicodeDecodeError):
            return "", ""
    form = request.form
    return form.get("client_id", ""), form.get("client_secret", "")


def serve_provider(*, name: str = "provider", clock: Clock = system_clock) -> AbstractContextManager[LoopbackProvider]:
    """One provider alone on loopback (ephemeral port), for a ``with`` block."""
    build: Callable[[str], LoopbackProvider] = lambda url: LoopbackProvider(url, name=name, clock=clock)
    return serve_app(build, name=f"oidc-{name}")
