"""Start the mock IdP and SP together, wired to trust each other.

Ports are bound first (ephemeral on 127.0.0.1), because entity IDs and
endpoint URLs, and therefore the metadata each side must load, contain them.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from types import TracebackType

from mocks.clock import Clock, system_clock
from mocks.directory import MockUser, default_users
from mocks.http import MockServer
from mocks.keys import make_keypair
from mocks.saml.idp import IdpSettings, MockSamlIdp
from mocks.saml.sp import MockSamlSp, SpSettings

__all__ = ["SamlFleet"]


class SamlFleet:
    """A mock SAML IdP and SP on loopback. Use as a context manager.

    ``reset()`` restores a clean state (no faults, no sessions, no pending
    requests) cheaply, so one fleet can serve a whole test session.
    """

    def __init__(self, *, clock: Clock = system_clock, users: dict[str, MockUser] | None = None) -> None:
        self.clock = clock
        self.users = users if users is not None else default_users()
        self._dir: Path | None = None
        self._servers: list[MockServer] = []
        self.idp: MockSamlIdp
        self.sp: MockSamlSp

    def start(self) -> "SamlFleet":
        self._dir = Path(tempfile.mkdtemp(prefix="sso-harness-mocks-"))
        idp_http, sp_http = MockServer(name="mock-idp"), MockServer(name="mock-sp")
        self._servers = [idp_http, sp_http]
        idp_keys = make_keypair("mock-idp-signing", self._dir)
        rogue_keys = make_keypair("mock-idp-rogue", self._dir)
        sp_keys = make_keypair("mock-sp", self._dir)

        self.sp = MockSamlSp(SpSettings(base_url=sp_http.base_url, signing=sp_keys), clock=self.clock)
        self.idp = MockSamlIdp(
            IdpSettings(
                base_url=idp_http.base_url,
                signing=idp_keys,
                wrong_key=rogue_keys,
                users=self.users,
                sp_metadata=[self.sp.metadata_xml],
            ),
            clock=self.clock,
        )
        self.sp.trust_idp(self.idp.metadata_xml, self.idp.settings.entity_id, idp_keys.cert_pem.encode())
        idp_http.handler, sp_http.handler = self.idp, self.sp
        for server in self._servers:
            server.start()
        return self

    def reset(self) -> None:
        self.idp.reset()
        self.sp.reset()

    def stop(self) -> None:
        for server in self._servers:
            server.stop()
        self._servers = []
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None

    def urls(self) -> dict[str, str]:
        return {"idp": self.idp.settings.base_url, "sp": self.sp.settings.base_url}

    def __enter__(self) -> "SamlFleet":
        return self.start()

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()
