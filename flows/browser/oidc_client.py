"""The harness as an OpenID Connect client (authorization code, PKCE S256).

Used to test an OpenID provider directly, as the OpenID conformance suite
does: discovery, an authorization request through the real browser, the
callback caught on a loopback page, the token exchange, and ID-token
verification against the provider's JWKS. The harness's own back-channel
calls (discovery, JWKS, token, UserInfo) go through the capture proxy, so
they are in the trace as back-channel hops.

A target's ``oidc_client`` flow runs this (``sso_harness.targets.runner``):
the SP entry describes the harness's client registration. The
``redirect_uri`` is the harness's loopback callback page unless one is
configured; a configured loopback ``http://127.0.0.1:PORT/PATH`` is served
as it is, any other is only watched for in the browser's URL (so it
supports ``response_mode`` query only). The client secret is handed in by
the caller (from the environment) and only ever sent to the token endpoint.
"""

from __future__ import annotations

import base64
import hashlib
import contextlib
import json
import secrets
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from playwright.sync_api import Page

from sso_harness.browser.login import Credentials, LoginDriver, sign_in_noting_screens
from sso_harness.trace.recording import FlowRecording
from sso_harness.trace.decoders import DecodeContext
from sso_harness.trace.trace import Trace
from sso_harness.browser.callback_page import CallbackPage

__all__ = ["OidcClientConfig", "OidcRun", "oidc_as_client", "opener_for", "get_json"]


@dataclass(frozen=True)
class OidcClientConfig:
    issuer: str
    client_id: str
    client_secret: str | None = field(default=None, repr=False)  # from the environment; never shown
    scopes: tuple[str, ...] = ("openid", "email", "profile")
    pkce: bool = True
    auth_method: str = "client_secret_basic"  # or client_secret_post, none
    redirect_port: int = 0  # fixed when the provider needs a registered redirect URI
    extra: dict[str, str] = field(default_factory=dict)
    redirect_uri: str | None = None  # a registered one; None: the loopback page on redirect_port
    response_mode: str | None = None  # query or form_post; None: not sent (the provider's default)
    discovery_url: str | None = None  # None: issuer + /.well-known/openid-configuration
    userinfo: bool = False  # call the UserInfo endpoint with the access token after the exchange


@dataclass(frozen=True)
class OidcRun:
    """What the flow produced; tokens stay here, never in reports."""

    trace: Trace
    state: str
    nonce: str
    token_status: int
    token_response: dict[str, Any] = field(repr=False)
    redirect_uri: str = ""
    scopes_requested: tuple[str, ...] = ()


def opener_for(proxy_url: str | None, cafile: str | None = None) -> urllib.request.OpenerDirector:
    """A urllib opener through the capture proxy (when given), trusting its CA (``cafile``) for HTTPS."""
    handlers: list[urllib.request.BaseHandler] = [
        urllib.request.ProxyHandler({"http": proxy_url, "https": proxy_url} if proxy_url else {})
    ]
    if cafile:
        handlers.append(urllib.request.HTTPSHandler(context=ssl.create_default_context(cafile=cafile)))
    return urllib.request.build_opener(*handlers)


def get_json(opener: urllib.request.OpenerDirector, url: str) -> dict[str, Any]:
    """The JSON object at ``url``; ValueError when the document is JSON but not an object."""
    with opener.open(url, timeout=10) as r:
        document = json.loads(r.read())
    if not isinstance(document, dict):
        raise ValueError(f"{url} answered JSON that is not an object: {type(document).__name__}")
    return document


def _served(config: OidcClientConfig) -> CallbackPage | None:
    """The loopback page to serve, or None when a configured redirect URI is someone else's."""
    if config.redirect_uri is None:
        return CallbackPage(config.redirect_port)
    parts = urlsplit(config.redirect_uri)
    if parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost") and parts.port:
        return CallbackPage(parts.port, host="127.0.0.1", path=parts.path or "/")
    return None


def oidc_as_client(
    page: Page,
    recording: FlowRecording,
    config: OidcClientConfig,
    *,
    login: LoginDriver,
    credentials: Credentials,
    proxy_url: str | None,
    cafile: str | None = None,
    timeout_ms: float = 15_000,
    before_sign_in: Callable[[Page], None] | None = None,
) -> OidcRun:
    """Sign in as the client ``config`` describes and return the trace and the token answer.

    ``before_sign_in`` runs on the first page the provider shows (an
    email-first page, a "Next" button) before the login driver. A refusal
    at the redirect URI (``error=...``) is a result: no token call is made,
    ``token_status`` is 0. The trace is decoded with the provider's JWKS.
    """
    opener = opener_for(proxy_url, cafile)
    discovery_url = config.discovery_url or config.issuer.rstrip("/") + "/.well-known/openid-configuration"
    discovery = get_json(opener, discovery_url)
    jwks = get_json(opener, discovery["jwks_uri"])
    state, nonce = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
    verifier = secrets.token_urlsafe(48)
    catcher = _served(config)
    with catcher if catcher is not None else contextlib.nullcontext():
        redirect_uri = catcher.redirect_uri if catcher is not None else str(config.redirect_uri)
        params = {"response_type": "code", "client_id": config.client_id, "redirect_uri": redirect_uri,
                  "scope": " ".join(config.scopes), "state": state, "nonce": nonce, **config.extra}
        if config.response_mode:
            params["response_mode"] = config.response_mode
        if config.pkce:
            challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            params.update(code_challenge=challenge, code_challenge_method="S256")
        authorize = discovery["authorization_endpoint"] + "?" + urlencode(params)
        page.goto(authorize, timeout=timeout_ms)
        if before_sign_in is not None and not page.url.startswith(redirect_uri):
            before_sign_in(page)
        if not page.url.startswith(redirect_uri):
            sign_in_noting_screens(login, page, credentials, recording)
        page.wait_for_url(lambda u: u.startswith(redirect_uri), timeout=timeout_ms)
        page.wait_for_load_state("load", timeout=timeout_ms)
        received = catcher.received if catcher is not None else None
        callback = received if received is not None else dict(parse_qsl(urlsplit(page.url).query))
    recording.context = DecodeContext(jwks=jwks, now=recording.now())
    if "code" not in callback:
        # The provider refused (error=...): there is no code to redeem; the trace shows why.
        return OidcRun(recording.trace(), state, nonce, 0, {}, redirect_uri, config.scopes)
    body = {"grant_type": "authorization_code", "code": callback.get("code", ""), "redirect_uri": redirect_uri}
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
    access_token = payload.get("access_token") if isinstance(payload, dict) else None
    userinfo_endpoint = discovery.get("userinfo_endpoint")
    if config.userinfo and status == 200 and isinstance(access_token, str) and isinstance(userinfo_endpoint, str):
        call = urllib.request.Request(userinfo_endpoint, headers={"Authorization": f"Bearer {access_token}",
                                                                  "Accept": "application/json"})
        try:
            with opener.open(call, timeout=10) as r:
                r.read()  # recorded by the proxy; the trace decodes it
        except urllib.error.HTTPError as err:  # a refusal is in the trace too
            err.read()
    return OidcRun(recording.trace(), state, nonce, status, payload, redirect_uri, config.scopes)
