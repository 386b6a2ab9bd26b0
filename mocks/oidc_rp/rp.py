"""An OpenID Connect relying party (authorization code flow), hardened unless told otherwise.

It signs users in with one or more OpenID providers ("Sign in with X"),
each named, with its own client registration, through one shared callback.
Discovery, JWKS and the token request are back-channel calls through
:class:`sso_harness.mocks.web.outbound.OutboundHttp` (so the capture proxy records them
when given). Weaknesses (:mod:`sso_harness.mocks.oidc_rp.weaknesses`) switch single
defences off; the same class with none is the hardened relying party.

Routes::

    GET /login?provider=NAME     start: authorization request (state, nonce, PKCE S256)
    GET /callback                the redirect URI: code, state, iss (RFC 9207)
    GET /whoami                  who is signed in (``#user``: the email claim)
    GET /_admin/weaknesses, POST /_admin/weaknesses {"weaknesses": [...]}
"""

from __future__ import annotations

import html
import json
import secrets
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from sso_harness.protocols.oauth.pkce import s256_challenge
from sso_harness.mocks.base.clock import Clock, system_clock
from sso_harness.mocks.web.http import Request, Response, html_page, redirect
from sso_harness.mocks.oidc_rp.id_token import validate_id_token
from sso_harness.mocks.oidc_rp.weaknesses import RpWeakness, parse_rp_weaknesses
from sso_harness.mocks.web.outbound import OutboundError, OutboundHttp
from sso_harness.mocks.web.weak_app import WeakApp

__all__ = ["RpProvider", "OidcRelyingParty"]

R = RpWeakness


@dataclass(frozen=True)
class RpProvider:
    """One provider the relying party signs in with: its issuer and this client's registration there."""

    name: str
    issuer: str
    client_id: str
    client_secret: str = field(repr=False)


@dataclass(frozen=True)
class _Pending:
    provider: RpProvider
    nonce: str | None
    verifier: str | None
    redirect_uri: str


class _Refused(Exception):
    def __init__(self, check: str, detail: str) -> None:
        super().__init__(f"{check}: {detail}")
        self.check, self.detail = check, detail


class OidcRelyingParty(WeakApp[RpWeakness]):
    name = "oidcrp"

    def __init__(
        self,
        *,
        base_url: str,
        providers: Sequence[RpProvider],
        weaknesses: Iterable[str | RpWeakness] = (),
        outbound: OutboundHttp | None = None,
        clock: Clock = system_clock,
        name: str | None = None,
    ) -> None:
        super().__init__(base_url=base_url, parse=parse_rp_weaknesses, weaknesses=weaknesses, clock=clock)
        if name:
            self.name = name
        if not providers:
            raise ValueError("a relying party needs at least one provider")
        self.providers = {p.name: p for p in providers}
        self.default_provider = providers[0].name
        self.outbound = outbound or OutboundHttp()
        self._lock = threading.Lock()
        self._flows: dict[str, dict[str, _Pending]] = {}
        self._sessions: dict[str, dict[str, Any]] = {}
        r = self.routes
        r.add("GET", "/login", self._login)
        r.add("GET", "/callback", self._callback)
        r.add("GET", "/whoami", self._whoami)
        r.add("GET", "/", lambda req, _: redirect("/whoami"))

    @property
    def callback_url(self) -> str:
        return f"{self.base_url}/callback"

    def login_url(self, provider: str | None = None) -> str:
        return f"{self.base_url}/login?provider={provider or self.default_provider}"

    def reset_state(self) -> None:
        super().reset_state()
        with self._lock:
            self._flows.clear()
            self._sessions.clear()

    # -- back channel -------------------------------------------------------------------------
    def _json(self, url: str) -> dict[str, Any]:
        answer = self.outbound.get(url)
        data = json.loads(answer.body or b"{}")
        if answer.status != 200 or not isinstance(data, dict):
            raise _Refused("provider", f"{url} answered {answer.status}")
        return data

    def _discovery(self, provider: RpProvider) -> dict[str, Any]:
        return self._json(provider.issuer.rstrip("/") + "/.well-known/openid-configuration")

    # -- login ----------------------------------------------------------------------------------
    def _login(self, request: Request, _: Mapping[str, str]) -> Response:
        provider = self.providers.get(request.query.get("provider", self.default_provider))
        if provider is None:
            return self._refused(_Refused("provider", "unknown provider"))
        try:
            discovery = self._discovery(provider)
        except (_Refused, OutboundError, ValueError) as exc:
            return self._refused(exc if isinstance(exc, _Refused) else _Refused("provider", str(exc)))
        state, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
        advertised = "S256" in (discovery.get("code_challenge_methods_supported") or [])
        pkce = not self.on(R.NO_PKCE) and (advertised or not self.on(R.PKCE_IF_ADVERTISED))
        verifier = secrets.token_urlsafe(48) if pkce else None
        redirect_uri = self.callback_url
        if self.on(R.REDIRECT_URI_FROM_REQUEST) and request.query.get("redirect_uri"):
            redirect_uri = request.query["redirect_uri"]
        params = {"response_type": "code", "client_id": provider.client_id, "redirect_uri": redirect_uri,
                  "scope": "openid email profile", "state": state, "nonce": nonce}
        if verifier is not None:
            params.update(code_challenge=s256_challenge(verifier), code_challenge_method="S256")
        flow_id = request.cookies.get(self.cookie("flow")) or secrets.token_urlsafe(24)
        with self._lock:
            self._flows.setdefault(flow_id, {})[state] = _Pending(provider, nonce, verifier, redirect_uri)
        target = str(discovery.get("authorization_endpoint", ""))
        return redirect(target + ("&" if "?" in target else "?") + urlencode(params)).set_cookie(self.cookie("flow"), flow_id)

    # -- callback --------------------------------------------------------------------------------
    def _callback(self, request: Request, _: Mapping[str, str]) -> Response:
        try:
            claims = self._complete(request)
        except _Refused as refused:
            return self._refused(refused)
        except (OutboundError, ValueError) as exc:
            return self._refused(_Refused("provider", str(exc)))
        session = secrets.token_urlsafe(24)
        with self._lock:
            self._sessions[session] = claims
        return redirect("/whoami").set_cookie(self.cookie("session"), session)

    def _pending(self, request: Request) -> _Pending:
        q = request.query
        flow_id = request.cookies.get(self.cookie("flow"), "")
        with self._lock:
            flows = self._flows.get(flow_id, {})
            pending = flows.pop(q.get("state", ""), None) if q.get("state") else None
            if pending is None and self.on(R.NO_STATE_CHECK):
                pending = flows.pop(next(iter(flows)), None) if flows else None
        if pending is not None:
            return pending
        if not self.on(R.NO_STATE_CHECK):
            raise _Refused("state", "missing" if "state" not in q else "does not match a login this browser started")
        # No flow to bind to: the careless path redeems whatever code it is given.
        return _Pending(self.providers[self.default_provider], None, None, self.callback_url)

    def _complete(self, request: Request) -> dict[str, Any]:
        q = request.query
        pending = self._pending(request)
        if "error" in q:
            raise _Refused("provider", q.get("error_description") or q["error"])
        provider = pending.provider
        discovery = self._discovery(provider)
        if not self.on(R.NO_MIXUP_DEFENSE) and discovery.get("authorization_response_iss_parameter_supported"):
            if q.get("iss") != provider.issuer:
                raise _Refused("iss", f"the response comes from {q.get('iss')!r}, the login went to {provider.issuer!r} (RFC 9207)")
        if not q.get("code"):
            raise _Refused("code", "the callback carries no code")
        fields = {"grant_type": "authorization_code", "code": q["code"], "redirect_uri": pending.redirect_uri,
                  "client_id": provider.client_id, "client_secret": provider.client_secret}
        if pending.verifier is not None:
            fields["code_verifier"] = pending.verifier
        answer = self.outbound.post_form(str(discovery.get("token_endpoint", "")), fields)
        body = json.loads(answer.body or b"{}")
        if answer.status != 200 or not isinstance(body, dict) or not body.get("id_token"):
            detail = body.get("error_description") or body.get("error") if isinstance(body, dict) else None
            raise _Refused("token", str(detail or f"HTTP {answer.status}"))
        jwks = self._json(str(discovery.get("jwks_uri", "")))
        claims, problems = validate_id_token(
            str(body["id_token"]), jwks=jwks, issuer=provider.issuer, client_id=provider.client_id,
            nonce=pending.nonce, now=self.clock(), weaknesses=self.weaknesses,
        )
        if claims is None:
            raise _Refused("id_token", "; ".join(problems))
        return claims

    # -- pages ------------------------------------------------------------------------------------
    def signed_in(self, request: Request) -> dict[str, Any] | None:
        with self._lock:
            return self._sessions.get(request.cookies.get(self.cookie("session"), ""))

    def _whoami(self, request: Request, _: Mapping[str, str]) -> Response:
        claims = self.signed_in(request)
        if claims is None:
            return html_page("Not signed in", "<h1 id='signed-out'>Not signed in</h1>", status=401)
        who = str(claims.get("email") or claims.get("sub") or "")
        return html_page("Signed in", f"<h1>Signed in</h1><p>Signed in as <span id='user'>{html.escape(who)}</span></p>")

    def _refused(self, refused: _Refused | Exception) -> Response:
        check, detail = (refused.check, refused.detail) if isinstance(refused, _Refused) else ("error", str(refused))
        body = (f"<h1 id='sso-error'>Sign-in failed</h1><ul id='failed-checks'><li data-check='{html.escape(check)}'>"
                f"<b>{html.escape(check)}</b>: {html.escape(detail)}</li></ul>")
        return html_page("Sign-in failed", body, status=403)
