"""oidc-provider (npm) as a real OpenID Provider on 127.0.0.1.

The checked-in script ``flows/apps/peers/oidc_provider/server.mjs`` configures one
client, PKCE, RS256 keys generated at start, the test accounts and the
built-in login/consent pages; Node runs its copy in the tools folder, next to
the installed oidc-provider (see :mod:`sso_harness.apps.peers.install`).
This module starts it with Node.js, waits for
the JSON line it prints once listening (an event, not a poll: see
:mod:`sso_harness.apps.peers.process`), and stops it.

The client is registered as a *native* application with the redirect URI
``http://127.0.0.1/callback``: for native clients oidc-provider accepts any
port on a loopback redirect URI (RFC 8252 §7.3), so the harness's callback
catcher binds an ephemeral port per flow and parallel workers never race
for a port chosen in advance.

Endpoints (oidc-provider defaults, under the issuer):
    /.well-known/openid-configuration   discovery (OIDC Discovery §4)
    /jwks                               signing keys
    /auth                               authorization endpoint
    /token                              token endpoint
    /interaction/<uid>                  devInteractions login, then consent
"""

from __future__ import annotations

import json
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sso_harness.apps.peers.install import (
    INSTALL_HINT,
    PeersNotInstalled,
    missing_oidc_provider,
    node_binary,
    oidc_provider_script,
)
from sso_harness.apps.peers.process import PeerProcess, PeerStartError

__all__ = ["OidcAccount", "OidcProviderPeer", "LOOPBACK_REDIRECT"]

READY = re.compile(r'^\{"event":"listening".*\}\s*$')
LOOPBACK_REDIRECT = "http://127.0.0.1/callback"


@dataclass(frozen=True)
class OidcAccount:
    """A test account: the login typed on the dev login page, and its claims."""

    account_id: str
    claims: Mapping[str, Any] = field(default_factory=dict)


class OidcProviderPeer:
    """One oidc-provider server. Use as a context manager, or :meth:`start`/:meth:`stop`."""

    def __init__(
        self,
        workdir: Path,
        *,
        accounts: tuple[OidcAccount, ...],
        client_id: str = "sso-harness-peer",
        client_secret: str | None = None,
        redirect_uris: tuple[str, ...] = (LOOPBACK_REDIRECT,),
        application_type: str = "native",
        start_timeout: float = 20.0,
    ) -> None:
        self.workdir = workdir
        self.accounts = accounts
        self.client_id = client_id
        self.client_secret = client_secret or secrets.token_urlsafe(24)
        self.redirect_uris = redirect_uris
        self.application_type = application_type
        self.start_timeout = start_timeout
        self.issuer: str | None = None
        self._process: PeerProcess | None = None

    @property
    def log_path(self) -> Path:
        return self.workdir / "oidc-provider.log"

    @property
    def discovery_url(self) -> str:
        if self.issuer is None:
            raise RuntimeError("oidc-provider is not running")
        return f"{self.issuer}/.well-known/openid-configuration"

    def start(self) -> "OidcProviderPeer":
        problems = missing_oidc_provider()
        if problems:
            raise PeersNotInstalled(f"oidc-provider cannot run: {'; '.join(problems)}; {INSTALL_HINT}")
        self.workdir.mkdir(parents=True, exist_ok=True)
        accounts_file = self.workdir / "accounts.json"
        accounts_file.write_text(json.dumps({a.account_id: dict(a.claims) for a in self.accounts}), encoding="utf-8")
        script = oidc_provider_script()
        argv = [node_binary() or "node", str(script), "--port", "0",
                "--client-id", self.client_id,
                "--application-type", self.application_type, "--accounts", str(accounts_file)]
        for uri in self.redirect_uris:
            argv += ["--redirect-uri", uri]
        # NODE_ENV unset: oidc-provider's development defaults are what a test peer wants.
        env = {k: v for k, v in os.environ.items() if k != "NODE_ENV"}
        # Through the environment: a secret starting with "-" would be read as an option,
        # and argv shows up in process lists and start-up errors.
        env["SSO_HARNESS_PEER_CLIENT_SECRET"] = self.client_secret
        self._process = PeerProcess(argv, name="oidc-provider", log_path=self.log_path, env=env, cwd=script.parent)
        line = self._process.start(READY, timeout=self.start_timeout)
        try:
            self.issuer = str(json.loads(line.group(0))["issuer"])
        except (ValueError, KeyError) as exc:
            self.stop()
            raise PeerStartError(f"oidc-provider printed an unreadable ready line {line.group(0)!r}: {exc}") from None
        return self

    def stop(self) -> None:
        if self._process is not None:
            self._process.stop()
            self._process = None

    def __enter__(self) -> "OidcProviderPeer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
