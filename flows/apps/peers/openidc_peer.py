"""mod_auth_openidc (Apache) as a real OpenID Connect relying party on 127.0.0.1.

The RP's redirect URI (``<base>/protected/redirect_uri``) is known from
construction, before anything runs: register it at the provider first
(as an administrator registers a web client), then :meth:`OpenidcRp.start`
with the provider's discovery URL and the client's credentials. The RP
signs users in with the authorization code flow, PKCE S256 and
``client_secret_basic``; ``REMOTE_USER`` is the ``sub`` claim.

With ``outgoing_proxy`` (``host:port``) its calls to the provider
(discovery, JWKS, token) go through that HTTP proxy: the capture proxy
then sees the back channel, as it would for any RP configured with a
proxy. Without it those calls stay invisible to the harness.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from sso_harness.apps.peers.apache_config import PROTECTED_PATH, OpenidcSettings, openidc_block
from sso_harness.apps.peers.apache_peer import ApacheInstance
from sso_harness.apps.peers.install import INSTALL_HINT, PeersNotInstalled, missing_apache

__all__ = ["OpenidcRp"]


class OpenidcRp:
    """One mod_auth_openidc RP. The port (hence the redirect URI) is fixed at construction."""

    def __init__(self, workdir: Path, *, start_timeout: float = 20.0) -> None:
        workdir.mkdir(parents=True, exist_ok=True)
        self.apache = ApacheInstance("openidc", workdir / "apache-openidc.log", start_timeout=start_timeout)

    @property
    def base_url(self) -> str:
        return self.apache.base_url

    @property
    def protected_url(self) -> str:
        return self.apache.protected_url

    @property
    def redirect_uri(self) -> str:
        return f"{self.base_url}{PROTECTED_PATH}redirect_uri"

    def start(self, *, discovery_url: str, client_id: str, client_secret: str,
              outgoing_proxy: str | None = None) -> "OpenidcRp":
        problems = missing_apache("auth_openidc")
        if problems:
            self.apache.stop()
            raise PeersNotInstalled(f"mod_auth_openidc cannot run: {'; '.join(problems)}; {INSTALL_HINT}")
        settings = OpenidcSettings(discovery_url=discovery_url, client_id=client_id, client_secret=client_secret,
                                   redirect_uri=self.redirect_uri, crypto_passphrase=secrets.token_urlsafe(24),
                                   outgoing_proxy=outgoing_proxy)
        # "/" is public: the module is loaded and the server answers; the provider is
        # contacted only when someone signs in, as with any mod_auth_openidc.
        self.apache.start(("auth_openidc",), openidc_block(settings), health_path="/")
        return self

    def stop(self) -> None:
        self.apache.stop()

    def __enter__(self) -> "OpenidcRp":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
