"""mod_auth_mellon (Apache) as a real SAML SP on 127.0.0.1, trusting one IdP by its metadata.

Everything an administrator would set up: a key pair of the SP's own, the
SP metadata describing it (entity ID ``<base>/mellon/metadata``, the ACS
``<base>/mellon/postResponse``), the IdP's metadata on disk (mellon reads
it when it starts, so the IdP must already answer), and ``/protected/``
guarded by mellon. The IdP's metadata may be given after construction
(set :attr:`MellonSp.idp_metadata_xml` before :meth:`MellonSp.start`): an IdP
that issues per-app metadata, like Entra ID, needs the SP's entity ID and
ACS first, and those are known once the port is reserved.
The IdP then needs the SP's metadata
(:attr:`MellonSp.metadata_xml`): registering it is the caller's part, as
it is the IdP administrator's in real life.

Readiness: Apache's ready line, then mellon serving its own metadata at
``/mellon/metadata`` (which fails when mellon cannot load its files).
"""

from __future__ import annotations

from pathlib import Path

from sso_harness.apps.peers.apache_config import MellonSettings, mellon_block, mellon_sp_metadata
from sso_harness.apps.peers.apache_peer import ApacheInstance
from sso_harness.apps.peers.install import INSTALL_HINT, PeersNotInstalled, missing_apache
from sso_harness.apps.peers.process import PeerStartError
from sso_harness.apps.peers.saml_entities import SamlEntity, read_entity
from sso_harness.mocks.base.keys import make_keypair
from sso_harness.protocols import DecodeError

__all__ = ["MellonSp", "EMAIL_NAME_ID"]

ENDPOINT = "/mellon"
EMAIL_NAME_ID = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"


class MellonSp:
    """One mellon SP. Its port (hence every URL), key and metadata are fixed at construction;
    :meth:`start` starts it."""

    def __init__(self, workdir: Path, idp_metadata_xml: str = "", *, name_id_format: str = EMAIL_NAME_ID,
                 start_timeout: float = 20.0) -> None:
        self.workdir = workdir
        self.idp_metadata_xml = idp_metadata_xml
        self.name_id_format = name_id_format
        workdir.mkdir(parents=True, exist_ok=True)
        self.apache = ApacheInstance("mellon", workdir / "apache-mellon.log", start_timeout=start_timeout)
        # The SP's own key and metadata exist from here on: an IdP can register it before it runs.
        self._keys = make_keypair("mod_auth_mellon sp", self.apache.root / "sp", stem="sp")
        self.metadata_xml = mellon_sp_metadata(self.entity_id, self.base_url, self._keys.cert_b64,
                                               endpoint_path=ENDPOINT, name_id_format=name_id_format)

    @property
    def base_url(self) -> str:
        return self.apache.base_url

    @property
    def entity_id(self) -> str:
        return f"{self.base_url}{ENDPOINT}/metadata"

    @property
    def acs_url(self) -> str:
        return f"{self.base_url}{ENDPOINT}/postResponse"

    @property
    def protected_url(self) -> str:
        return self.apache.protected_url

    def entity(self) -> SamlEntity:
        """The SP as its metadata describes it (what the IdP registers)."""
        return read_entity(self.metadata_xml, "sp")

    def start(self) -> "MellonSp":
        problems = missing_apache("auth_mellon")
        if problems:
            self.apache.stop()
            raise PeersNotInstalled(f"mod_auth_mellon cannot run: {'; '.join(problems)}; {INSTALL_HINT}")
        if not self.idp_metadata_xml:
            self.apache.stop()
            raise PeerStartError("mellon needs the IdP's metadata before it starts (idp_metadata_xml is empty)")
        root, keys = self.apache.root, self._keys
        settings = MellonSettings(entity_id=self.entity_id, key_file=keys.key_file, cert_file=keys.cert_file,
                                  sp_metadata_file=root / "sp" / "sp-metadata.xml",
                                  idp_metadata_file=root / "sp" / "idp-metadata.xml", endpoint_path=ENDPOINT)
        settings.sp_metadata_file.write_text(self.metadata_xml, encoding="utf-8")
        settings.idp_metadata_file.write_text(self.idp_metadata_xml, encoding="utf-8")
        (root / "post").mkdir()
        body = mellon_block(settings, root / "post", root / "run" / "mellon.lock")
        served = self.apache.start(("auth_mellon",), body, health_path=f"{ENDPOINT}/metadata")
        try:
            if read_entity(served, "sp").entity_id != self.entity_id:
                raise PeerStartError(f"mellon's metadata names another entity than {self.entity_id}")
        except DecodeError as exc:
            self.stop()
            raise PeerStartError(f"mellon did not serve its SP metadata ({exc}):\n{served[:400]}") from None
        return self

    def stop(self) -> None:
        self.apache.stop()

    def __enter__(self) -> "MellonSp":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
