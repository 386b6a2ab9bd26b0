"""The harness as an OpenID Connect client (authorization code, PKCE S256).

Used to test an OpenID provider directly, as the OpenID conformance suite
does: discovery, an authorization request through the real browser, the
callback caught on a loopback page, the token exchange, and ID-token
verification against the provider's JWKS. The harness's own back-channel
calls (discovery, JWKS, token) go through the capture proxy, so they are in
the trace as back-channel hops.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import urllib.request
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from playwright.sync_api import Page

from sso_harness.browser.login import Credentials, LoginDriver
from sso_harness.trace.recording import FlowRecording
from sso_harness.trace.decoders import DecodeContext
from sso_harness.trace.trace import Trace
from sso_harness.browser.callback_page import CallbackPage

__all__ = ["OidcClientConfig", "OidcRun", "oidc_as_client"]


@dataclass(frozen=True)
class OidcClientConfig:
    issuer: str
    client_id: str
    client_secret: str | None = None
    scopes: tuple[str, ...] = ("openid", "email", "profile")
    pkce: bool = True
    auth_method: str = "client_secret_basic"  # or client_secret_post, none
    redirect_port: int = 0  # fixed when the provider needs a registered redirect URI
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class OidcRun:
    """What the flow produced; tokens stay here, never in reports."""

    trace: Trace
    state: str
    nonce: str
    token_status: int
    token_response: dict[str, Any] = field(repr=False)


def _opener(proxy_url: str | None) -> urllib.request.OpenerDirector:
    handlers = [urllib.request.ProxyHandler({"http": proxy_url, "https": proxy_url} if proxy_url else {})]
    return urllib.request.build_opener(*handlers)


def _get_json(opener: urllib.request.OpenerDirector, url: str) -> dict[str, Any]:
    """The JSON object at ``url``; ValueError when the document is JSON but not an object."""
    with opener.open(url, timeout=10) as r:
        document = json.loads(r.read())
    if not isinstance(document, dict):
        raise ValueError(f"{url} answered JSON that is not an object: {type(document).__name__}")
    return document


def oidc_as_client(
    page: Page,
    recording: FlowRecording,
    config: OidcClientConfig,
    *,
    login: LoginDriver,
    credentials: Credentials,
    proxy_url: str | None,
    timeout_ms: float = 15_000,
) -> OidcRun:
    opener = _opener(proxy_url)
    discovery = _get_json(opener, config.issuer.rstrip("/") + "/.well-known/openid-configuration")
    jwks = _get_json(opener, discovery["jwks_uri"])
    state, nonce = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
    verifier = secrets.token_urlsafe(48)
    with CallbackPage(config.redirect_port) as catcher:
        params = {"response_type": "code", "client_id": config.client_id, "redirect_uri": catcher.redirect_uri,
                  "scope": " ".join(config.scopes), "state": state, "nonce": nonce, **config.extra}
        if config.pkce:
            challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            params.update(code_challenge=challenge, code_challenge_method="S256")
        authorize = discovery["authorization_endpoint"] + "?" + urlencode(params)
        page.goto(authorize, timeout=timeout_ms)
        if not page.url.startswith(catcher.redirect_uri):
            login.sign_in(page, credentials)
        page.wait_for_url(lambda u: u.startswith(catcher.redirect_uri), timeout=timeout_ms)
        page.wait_for_load_state("load", timeout=timeout_ms)
        callback = dict(parse_qsl(urlsplit(page.url).query))
        if "code" not in callback:
            # The provider refused (error=...): there is no code to redeem; the trace shows why.
            recording.context = DecodeContext(jwks=jwks, now=recording.now())
            return OidcRun(recording.trace(), state, nonce, 0, {})
        body = {"grant_type": "authorization_code", "code": callback.get("code", ""), "redirect_uri": catcher.redirect_uri}
        if config.pkce:
            body["code_verifier"] = verifier
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}
        if config.auth_method == "client_secret_basic" and config.client_secret:
            basic = base64.b64encode(f"{config.client_id}:{config.client_secret}".encode()).decode()
            headers["Authorization"] = f"Basic {basic}"
        else:
            body["client_id"] = config.client_id
            if config.auth_method == "client_secret_post" and config.client_secret:
                body["client_secret"] = config.client_secret
        request = urllib.request.Request(discovery["token_endpoint"], data=urlencode(body).encode(), headers=headers)
        try:
            with opener.open(request, timeout=10) as r:
                status, payload = r.status, json.loads(r.read())
        except urllib.error.HTTPError as err:  # an error answer is a result, not a crash
            status, payload = err.code, json.loads(err.read() or b"{}")
    recording.context = DecodeContext(jwks=jwks, now=recording.now())
    trace = recording.trace()
    return OidcRun(trace, state, nonce, status, payload)
