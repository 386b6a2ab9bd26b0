"""SimpleSAMLphp 1.19 as a real peer on 127.0.0.1: IdP and SP in one installation.

Served by PHP's built-in web server from Debian's package
(``php -S 127.0.0.1:0 -t /usr/share/simplesamlphp/www``) with
``SIMPLESAMLPHP_CONFIG_DIR`` pointing at a folder generated for this
session (:mod:`sso_harness.apps.peers.simplesamlphp_config`). The kernel picks the
port; the server's banner says which, and the configuration reads it
back from ``$_SERVER['SERVER_PORT']``.

Readiness is two events, no polling: the banner line (printed once the
socket listens, see :mod:`sso_harness.apps.peers.process`), then one blocking fetch of
the IdP's and the SP's metadata, which proves the configuration loads (a
broken config answers 500 with SimpleSAMLphp's own message, quoted in the
error).

Endpoints (SimpleSAMLphp 1.19 paths):
    saml2/idp/metadata.php                         IdP metadata; its URL is the IdP's entity ID
    saml2/idp/SSOService.php                       IdP SSO (HTTP-Redirect/POST AuthnRequests)
    saml2/idp/SSOService.php?spentityid=..&RelayState=..   IdP-initiated launcher
    module.php/saml/sp/metadata.php/peer-sp        SP metadata; its URL is the SP's entity ID
    module.php/saml/sp/saml2-acs.php/peer-sp       SP Assertion Consumer Service
    module.php/core/authenticate.php?as=peer-sp    SP test page: signs in, then shows the attributes
"""

from __future__ import annotations

import os
import re
import secrets
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlencode

from cryptography import x509

from sso_harness.apps.peers.install import (
    INSTALL_HINT,
    PeersNotInstalled,
    missing_simplesamlphp,
    php_binary,
    simplesamlphp_root,
)
from sso_harness.apps.peers.process import PeerProcess, PeerStartError
from sso_harness.apps.peers.saml_entities import read_entity
from sso_harness.apps.peers.simplesamlphp_config import SP_AUTHSOURCE, SspRemoteSp, SspSecrets, SspSettings, write_config
from sso_harness.protocols import DecodeError
from sso_harness.mocks.base.keys import make_keypair

__all__ = ["SimpleSamlPhp", "SspEndpoints"]

BANNER = re.compile(r"Development Server \(http://(?P<host>[0-9.]+):(?P<port>\d+)\) started")


@dataclass(frozen=True)
class SspEndpoints:
    """The URLs of one running SimpleSAMLphp."""

    base_url: str

    @property
    def idp_metadata(self) -> str:
        return f"{self.base_url}/saml2/idp/metadata.php"

    @property
    def idp_entity_id(self) -> str:
        return self.idp_metadata

    @property
    def sso_service(self) -> str:
        return f"{self.base_url}/saml2/idp/SSOService.php"

    def idp_initiated(self, sp_entity_id: str, relay_state: str | None = None) -> str:
        """SimpleSAMLphp's unsolicited-response launcher for ``sp_entity_id``."""
        params = {"spentityid": sp_entity_id}
        if relay_state is not None:
            params["RelayState"] = relay_state
        return f"{self.sso_service}?{urlencode(params)}"

    @property
    def sp_metadata(self) -> str:
        return f"{self.base_url}/module.php/saml/sp/metadata.php/{SP_AUTHSOURCE}"

    @property
    def sp_entity_id(self) -> str:
        return self.sp_metadata

    @property
    def sp_acs(self) -> str:
        return f"{self.base_url}/module.php/saml/sp/saml2-acs.php/{SP_AUTHSOURCE}"

    @property
    def sp_login(self) -> str:
        return f"{self.base_url}/module.php/core/authenticate.php?as={SP_AUTHSOURCE}"

    @property
    def idp_login_path(self) -> str:
        """Path of the ``exampleauth`` sign-in page."""
        return "/module.php/core/loginuserpass.php"


class SimpleSamlPhp:
    """One SimpleSAMLphp server. Use as a context manager, or :meth:`start`/:meth:`stop`."""

    def __init__(self, settings: SspSettings, workdir: Path, *, workers: int = 2, start_timeout: float = 20.0) -> None:
        self.settings = settings
        self.workdir = workdir
        self.workers = workers
        self.start_timeout = start_timeout
        self._process: PeerProcess | None = None
        self.endpoints: SspEndpoints | None = None
        self.idp_metadata_xml = ""
        self.sp_metadata_xml = ""
        self.idp_signing_cert: x509.Certificate | None = None
        self.sp_signing_cert: x509.Certificate | None = None
        self._secrets: SspSecrets | None = None

    @property
    def config_dir(self) -> Path:
        return self.workdir / "config"

    @property
    def log_path(self) -> Path:
        return self.workdir / "server.log"

    def start(self) -> "SimpleSamlPhp":
        problems = missing_simplesamlphp()
        if problems:
            raise PeersNotInstalled(f"SimpleSAMLphp cannot run: {'; '.join(problems)}; {INSTALL_HINT}")
        keys = self.workdir / "keys"
        idp_key = make_keypair("simplesamlphp idp", keys, stem="idp")
        sp_key = make_keypair("simplesamlphp sp", keys, stem="sp")
        self.idp_signing_cert, self.sp_signing_cert = idp_key.cert, sp_key.cert
        self._secrets = SspSecrets(
            secret_salt=secrets.token_urlsafe(32),
            admin_password=secrets.token_urlsafe(18),
            idp_key_file=idp_key.key_file,
            idp_cert_file=idp_key.cert_file,
            sp_key_file=sp_key.key_file,
            sp_cert_file=sp_key.cert_file,
        )
        write_config(self.config_dir, self.settings, self._secrets)
        www = simplesamlphp_root() / "www"
        env = {**os.environ, "SIMPLESAMLPHP_CONFIG_DIR": str(self.config_dir), "PHP_CLI_SERVER_WORKERS": str(self.workers)}
        php = php_binary() or "php"
        # display_errors off: a PHP notice printed before a redirect would break its headers.
        argv = [php, "-d", "display_errors=0", "-d", "log_errors=1", "-S", "127.0.0.1:0", "-t", str(www)]
        self._process = PeerProcess(argv, name="SimpleSAMLphp", log_path=self.log_path, env=env, cwd=www)
        deadline = time.monotonic() + self.start_timeout
        banner = self._process.start(BANNER, timeout=self.start_timeout)
        self.endpoints = SspEndpoints(f"http://127.0.0.1:{banner['port']}")
        try:
            self.idp_metadata_xml = self._metadata(self.endpoints.idp_metadata, "idp", self.endpoints.idp_entity_id, deadline)
            self.sp_metadata_xml = self._metadata(self.endpoints.sp_metadata, "sp", self.endpoints.sp_entity_id, deadline)
        except BaseException:
            self.stop()
            raise
        return self

    def add_remote_sp(self, sp: SspRemoteSp) -> None:
        """Register one more SP at the running IdP (an SP started after it, whose URLs
        depend on its port). SimpleSAMLphp reads its metadata files per request, so
        the next AuthnRequest from that SP is recognised; no restart."""
        if self._secrets is None:
            raise RuntimeError("SimpleSAMLphp is not started")
        others = tuple(r for r in self.settings.remote_sps if r.entity.entity_id != sp.entity.entity_id)
        self.settings = replace(self.settings, remote_sps=(*others, sp))
        write_config(self.config_dir, self.settings, self._secrets)

    def _metadata(self, url: str, role: str, entity_id: str, deadline: float) -> str:
        """Fetch and check one metadata document. SimpleSAMLphp answers a configuration error
        with an HTML page and status 200, so only a readable EntityDescriptor means "ready"."""
        body = self._fetch(url, deadline)
        try:
            entity = read_entity(body, role)
        except DecodeError as exc:
            raise PeerStartError(
                f"SimpleSAMLphp did not serve {role.upper()} metadata at {url} ({exc}): {_page_text(body)}\n"
                f"server output:\n{self._output()}"
            ) from None
        if entity.entity_id != entity_id:
            raise PeerStartError(f"SimpleSAMLphp's metadata at {url} names {entity.entity_id!r}, not {entity_id!r}")
        return body

    def _fetch(self, url: str, deadline: float) -> str:
        """GET ``url`` directly (not through the capture proxy: this is set-up, not a flow)."""
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        timeout = max(0.5, deadline - time.monotonic())
        try:
            with opener.open(url, timeout=timeout) as response:
                body: bytes = response.read()
            return body.decode("utf-8", "replace")
        except urllib.error.HTTPError as err:
            text = _page_text(err.read().decode("utf-8", "replace"))
            raise PeerStartError(
                f"SimpleSAMLphp answered {err.code} for {url}: {text}\nserver output:\n{self._output()}"
            ) from None
        except OSError as err:
            raise PeerStartError(f"SimpleSAMLphp did not answer {url}: {err}\nserver output:\n{self._output()}") from None

    def _output(self) -> str:
        tail = self._process.output_tail() if self._process else ""
        ssp_log = self.config_dir / "log" / "simplesamlphp.log"
        if ssp_log.is_file():
            lines = ssp_log.read_text(encoding="utf-8", errors="replace").splitlines()[-20:]
            tail += "\nsimplesamlphp.log:\n" + "\n".join(lines)
        return tail

    def stop(self) -> None:
        if self._process is not None:
            self._process.stop()
            self._process = None

    def __enter__(self) -> "SimpleSamlPhp":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _page_text(html: str, limit: int = 600) -> str:
    """The words of an HTML page, for an error message (no parsing: tags are dropped)."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    return " ".join(re.sub(r"<[^>]+>", " ", text).split())[:limit]


