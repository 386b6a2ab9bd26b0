"""Our mock SP and mock IdP as SimpleSAMLphp's partners, federated the way admins do it.

The peers lane has its own pair rather than re-pointing the session's mock
fleet: trusting SimpleSAMLphp would replace the fleet SP's trusted IdP and
break the mock lane tests that share the worker. The wiring is the real
procedure in both directions: SimpleSAMLphp gets our metadata as PHP
metadata entries (:mod:`sso_harness.apps.peers.simplesamlphp_config`), and our mocks
read SimpleSAMLphp's own metadata documents, fetched from the running
server.

Order matters because every entity ID contains a port: start the mocks
(:meth:`MockPartners.start`), give their metadata to SimpleSAMLphp's
configuration, start SimpleSAMLphp, then :meth:`MockPartners.federate`.
"""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives import serialization

from sso_harness.apps.peers.saml_entities import SamlEntity, read_entity
from sso_harness.apps.peers.simplesamlphp_peer import SimpleSamlPhp
from sso_harness.mocks.base.directory import MockUser, default_users
from sso_harness.mocks.web.http import MockServer
from sso_harness.mocks.base.keys import KeyRing
from sso_harness.mocks.saml.idp import IdpSettings, MockSamlIdp
from sso_harness.mocks.saml.sp import MockSamlSp, SpSettings

__all__ = ["MockPartners"]


class MockPartners:
    """A mock SP and a mock IdP on ephemeral loopback ports. Use as a context manager."""

    def __init__(self, workdir: Path, *, users: dict[str, MockUser] | None = None) -> None:
        self.workdir = workdir
        self.users = users if users is not None else default_users()
        self._servers: list[MockServer] = []
        self.sp: MockSamlSp | None = None
        self.idp: MockSamlIdp | None = None

    def start(self) -> "MockPartners":
        keys = KeyRing(self.workdir / "mock-keys")
        sp_server = MockServer(name="peers-mock-sp")
        idp_server = MockServer(name="peers-mock-idp")
        self._servers = [sp_server, idp_server]
        self.sp = MockSamlSp(SpSettings(base_url=sp_server.base_url, signing=keys.get("peers-mocksp")))
        self.idp = MockSamlIdp(
            IdpSettings(
                base_url=idp_server.base_url,
                signing=keys.get("peers-mockidp-signing"),
                wrong_key=keys.get("peers-rogue"),
                users=self.users,
            )
        )
        sp_server.handler, idp_server.handler = self.sp, self.idp
        for server in self._servers:
            server.start()
        return self

    @property
    def sp_entity(self) -> SamlEntity:
        """The mock SP as SimpleSAMLphp's IdP sees it (from the SP's metadata)."""
        assert self.sp is not None, "start() first"
        return read_entity(self.sp.metadata_xml, "sp")

    @property
    def idp_entity(self) -> SamlEntity:
        """The mock IdP as SimpleSAMLphp's SP sees it (from the IdP's metadata)."""
        assert self.idp is not None, "start() first"
        return read_entity(self.idp.metadata_xml, "idp")

    def federate(self, ssp: SimpleSamlPhp) -> None:
        """Make the mock SP trust SimpleSAMLphp's IdP (also unsolicited, for IdP-initiated
        launches) and the mock IdP serve SimpleSAMLphp's SP, from SimpleSAMLphp's metadata."""
        assert self.sp is not None and self.idp is not None and ssp.endpoints is not None
        assert ssp.idp_signing_cert is not None
        # IdP-initiated SSO (SAML profiles §4.1.5) needs an SP that accepts unsolicited Responses.
        self.sp.engine.allow_unsolicited = True
        cert_pem = ssp.idp_signing_cert.public_bytes(serialization.Encoding.PEM)
        self.sp.trust_idp(ssp.idp_metadata_xml, ssp.endpoints.idp_entity_id, cert_pem)
        self.idp.trust_sp(ssp.sp_metadata_xml)

    def reset(self) -> None:
        """Forget sessions, pending requests and faults (trust is kept)."""
        for mock in (self.sp, self.idp):
            if mock is not None:
                mock.reset()

    def stop(self) -> None:
        for server in self._servers:
            try:
                server.stop()
            except Exception:  # a server that never started has nothing to stop
                pass
        self._servers = []

    def __enter__(self) -> "MockPartners":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
