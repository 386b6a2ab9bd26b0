"""Start the whole mock fleet on loopback, wired to trust each other.

Ports are bound first (ephemeral on 127.0.0.1 unless the config fixes
them), because entity IDs, reply URLs and metadata contain them. Then the
IdPs are built, the SPs are configured the way each guide says (certificate
copied, metadata uploaded, SSO switched on), and every server starts.

``reset()`` restores the start state of every mock (configuration, faults,
sessions) cheaply, so one fleet serves a whole test session.

Start-up cost is mostly importing pysaml2 and generating RSA keys. With a
``key_pool`` the keys come from keys generated ahead of time, and ``stop()``
generates as many back for the next start; the pytest plugin passes one and
starts the fleet beside the browser launch (:mod:`sso_harness.mocks.web.background`).

The generic IdP/SP pair (``fleet.idp``, ``fleet.sp``) is the foundation's
protocol-level pair; the seed systems are ``entra``, ``jumpcloud``,
``atlassian``, ``alibaba``, ``mitel`` and ``jira``.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from sso_harness.mocks.web.app import MockApp, Sleeper
from sso_harness.mocks.base.clock import Clock, IdSource, random_ids, system_clock
from sso_harness.mocks.config import FleetConfig
from sso_harness.mocks.base.directory import MockUser, default_users
from sso_harness.mocks.entra.claims import sts_issuer
from sso_harness.mocks.entra.context import GuidSource, random_guids
from sso_harness.mocks.entra.idp import EntraIdp
from sso_harness.mocks.jumpcloud.idp import JumpCloudIdp
from sso_harness.mocks.base.key_pool import KeyPool
from sso_harness.mocks.base.keys import KeyPair, KeyRing
from sso_harness.mocks.web.outbound import OutboundHttp
from sso_harness.mocks.web.servers import LoopbackService, ServerGroup
from sso_harness.mocks.base.faults import ResponseFaults
from sso_harness.mocks.saml.idp import IdpSettings, MockSamlIdp
from sso_harness.mocks.saml.metadata import cert_b64, parse_idp_metadata
from sso_harness.mocks.saml.sp import MockSamlSp, SpSettings
from sso_harness.mocks.saml.sp_engine import TrustedIdp
from sso_harness.mocks.scenario import IDS, KEY_NAMES, Urls, build_tenants, jumpcloud_setup, screen_scripts, sp_accounts
from sso_harness.mocks.sps.alibaba import AlibabaCloudSsoSp
from sso_harness.mocks.sps.atlassian import AtlassianSp
from sso_harness.mocks.sps.jira import CALLBACK, SCOPE_SETS, JiraOAuthClient, OAuthIntegration
from sso_harness.mocks.sps.mitel import MitelSp

__all__ = ["MockFleet", "SamlFleet"]


class MockFleet(LoopbackService):
    """Every mock on loopback. Use as a context manager."""

    def __init__(
        self,
        config: FleetConfig | None = None,
        *,
        clock: Clock = system_clock,
        new_id: IdSource = random_ids,
        new_guid: GuidSource = random_guids,
        users: dict[str, MockUser] | None = None,
        outbound_proxy: str | None = None,
        keys: KeyRing | None = None,
        sleep: Sleeper = time.sleep,
        key_pool: KeyPool | None = None,
    ) -> None:
        self.config = config or FleetConfig()
        self.clock, self.new_id, self.new_guid, self.sleep = clock, new_id, new_guid, sleep
        self.users = users if users is not None else default_users()
        self.outbound = OutboundHttp(outbound_proxy or self.config.outbound_proxy)
        self._keys = keys
        self._key_pool = key_pool
        self._own_ring: KeyRing | None = None
        self._dir: Path | None = None
        self._servers = ServerGroup(host=self.config.host)
        self.mocks: dict[str, MockApp] = {}

    # -- lifecycle ----------------------------------------------------------------------------
    def _start(self) -> None:
        self._dir = Path(tempfile.mkdtemp(prefix="sso-harness-mocks-"))
        c = self.config
        if self._keys is None:
            keys_dir = Path(c.keys_dir) if c.keys_dir else self._dir
            self._keys = self._own_ring = KeyRing(keys_dir, persist=bool(c.keys_dir), pool=self._key_pool)
        for name in c.mocks:
            self._servers.bind(name, c.ports.get(name, 0))
        self.rogue: KeyPair = self._keys.get("rogue-signing", "rogue signer")
        if "idp" in c.mocks and "sp" in c.mocks:
            self._generic_pair()
        if "entra" in c.mocks:
            self._seed_systems()
        self._servers.start(self.mocks)

    def _url(self, name: str) -> str:
        # A mock left out of the config still needs a URL for the others' settings.
        return self._servers.urls().get(name, f"http://{self.config.host}:9/{name}-not-started")

    def _generic_pair(self) -> None:
        assert self._keys is not None
        idp_keys, sp_keys = self._keys.get("mockidp-signing"), self._keys.get("mocksp")
        self.sp = MockSamlSp(SpSettings(base_url=self._url("sp"), signing=sp_keys), clock=self.clock)
        self.idp = MockSamlIdp(
            IdpSettings(base_url=self._url("idp"), signing=idp_keys, wrong_key=self.rogue, users=self.users, sp_metadata=[self.sp.metadata_xml]),
            clock=self.clock,
            new_id=self.new_id,
        )
        self.sp.trust_idp(self.idp.metadata_xml, self.idp.settings.entity_id, idp_keys.cert_pem.encode())
        self.mocks.update(idp=self.idp, sp=self.sp)

    def _seed_systems(self) -> None:
        assert self._keys is not None
        keys, c = self._keys, self.config
        entra_url, jc_url = self._url("entra"), self._url("jumpcloud")
        atl_url, ali_url, mitel_url, jira_url = (self._url(n) for n in ("atlassian", "alibaba", "mitel", "jira"))
        ids = IDS
        urls = Urls(
            entra=entra_url,
            jumpcloud=jc_url,
            atlassian_entity_id=f"{atl_url}/saml/{ids.atlassian_org}",
            atlassian_acs=f"{atl_url}/login/callback?connection=saml-{ids.atlassian_org}",
            atlassian_instance=f"{atl_url}/site/contoso",
            alibaba_entity_id=f"{ali_url}/saml/sp/{ids.alibaba_directory}",
            alibaba_acs=f"{ali_url}/saml/acs/{ids.alibaba_directory}",
            mitel_entity_id=f"{mitel_url}/saml/metadata",
            mitel_acs=f"{mitel_url}/saml/acs",
            mitel_sign_on=f"{mitel_url}/portal",
            jira_redirect=f"{jira_url}{CALLBACK}",
        )
        jc_signing = keys.get(KEY_NAMES["jumpcloud"], "JumpCloud")
        jc_users, jc_apps = jumpcloud_setup(jc_url, entra_url, urls.atlassian_entity_id, urls.atlassian_acs)
        self.jumpcloud = JumpCloudIdp(
            base_url=jc_url, users=jc_users, apps=jc_apps, signing=jc_signing, wrong_key=self.rogue,
            clock=self.clock, new_id=self.new_id, sleep=self.sleep,
        )
        office365 = jc_apps[0]
        tenants = build_tenants(urls, c, cert_b64(jc_signing.cert), office365.idp_entity_id, self.jumpcloud.sso_url(office365.slug))
        self.entra = EntraIdp(
            base_url=entra_url, tenants=tenants, keys=keys, wrong_key=self.rogue,
            clock=self.clock, new_id=self.new_id, new_guid=self.new_guid, sleep=self.sleep, screens=screen_scripts(c),
        )
        self.tenant_id = tenants[0].tenant_id
        tid = self.tenant_id
        entra_idp = sts_issuer(tid)
        sso = self.entra.saml_url(tid)
        accounts = sp_accounts()
        atlassian_cert = self.entra.signing_key(ids.atlassian_app).cert
        self.atlassian = AtlassianSp(
            base_url=atl_url, org_id=ids.atlassian_org, instances=("contoso",), accounts=accounts["atlassian"],
            idp=TrustedIdp(entra_idp, sso, (atlassian_cert,)), clock=self.clock,
        )
        mitel_certs = tuple(keys.get(cert.key, "accounts.accesscontrol.windows.net").cert for cert in self.entra.enterprise_app(ids.mitel_app)[1].certificates)
        self.mitel = MitelSp(base_url=mitel_url, accounts=accounts["mitel"], idp=TrustedIdp(entra_idp, sso, mitel_certs), clock=self.clock)
        upload = c.alibaba.get("upload_idp_metadata", True)
        ali_idp = None
        if upload:
            info = parse_idp_metadata(self.entra.metadata.document(tid, ids.alibaba_app))
            ali_idp = TrustedIdp(info.entity_id, info.sso_url, info.certificates)
        self.alibaba = AlibabaCloudSsoSp(
            base_url=ali_url, directory_id=ids.alibaba_directory, accounts=accounts["alibaba"], idp=ali_idp,
            sso_enabled=bool(c.alibaba.get("sso_enabled", upload)), clock=self.clock,
        )
        self.jira = JiraOAuthClient(base_url=jira_url, integration=self._jira_integration(entra_url, tid), outbound=self.outbound, clock=self.clock)
        for name in ("entra", "jumpcloud", "atlassian", "alibaba", "mitel", "jira"):
            self.mocks[name] = getattr(self, name)

    def _jira_integration(self, entra_url: str, tenant_id: str) -> OAuthIntegration:
        j, ids = self.config.jira, IDS
        segment = tenant_id if j.get("endpoints", "common") == "tenant" else "common"
        scopes = j.get("scopes", "imap-pop")
        secret = j.get("client_secret", "value")
        secret = ids.jira_secret_value if secret == "value" else ids.jira_secret_id if secret == "secret-id" else str(secret)
        return OAuthIntegration(
            integration_id=ids.jira_integration,
            name="Contoso support mail",
            authorization_endpoint=f"{entra_url}/{segment}/oauth2/v2.0/authorize",
            token_endpoint=f"{entra_url}/{segment}/oauth2/v2.0/token",
            client_id=ids.jira_client,
            client_secret=secret,
            scopes=SCOPE_SETS[scopes] if isinstance(scopes, str) else tuple(scopes),
        )

    def reset(self) -> None:
        for mock in self.mocks.values():
            mock.reset()

    def stop(self) -> None:
        self._servers.stop()
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None
        if self._own_ring is not None:
            self._own_ring.refill_pool()  # ahead of time for the next start, off this start's path

    # -- conveniences --------------------------------------------------------------------------
    def inject(self, mock: str, faults: ResponseFaults, *, app: str | None = None, once: bool = False) -> None:
        self.mocks[mock].inject(faults, app=app, once=once)

    def urls(self) -> dict[str, str]:
        """Base URL of every running mock, by name."""
        return self._servers.urls()

    def endpoints(self) -> dict[str, str]:
        """The URLs a person copies into a guide's fields, by a dotted name."""
        out: dict[str, str] = {}
        if "entra" in self.mocks:
            e, tid, ids = self.entra, self.tenant_id, IDS
            out.update(
                {
                    "entra.tenant_id": tid,
                    "entra.saml_sso": e.saml_url(tid),
                    "entra.federation_metadata": e.federation_metadata_url(tid),
                    "entra.app_federation_metadata.atlassian": e.federation_metadata_url(tid, ids.atlassian_app),
                    "entra.app_federation_metadata.alibaba": e.federation_metadata_url(tid, ids.alibaba_app),
                    "entra.app_federation_metadata.mitel": e.federation_metadata_url(tid, ids.mitel_app),
                    "entra.openid_configuration": e.discovery_url(tid),
                    "entra.openid_configuration.common": e.discovery_url("common"),
                    "entra.jwks": e.jwks_url(tid),
                    "entra.authorize": e.authorize_url(tid),
                    "entra.token": e.token_url(tid),
                    "entra.user_access_url.atlassian": e.user_access_url(tid, ids.atlassian_app),
                    "entra.user_access_url.alibaba": e.user_access_url(tid, ids.alibaba_app),
                    "entra.user_access_url.mitel": e.user_access_url(tid, ids.mitel_app),
                    "entra.my_apps": f"{e.base_url}/myapps?tenantId={tid}",
                    "jumpcloud.office365.sso": self.jumpcloud.sso_url("office365"),
                    "jumpcloud.office365.metadata": self.jumpcloud.metadata_url("office365"),
                    "jumpcloud.user_console": f"{self.jumpcloud.base_url}/userconsole",
                    "atlassian.instance": self.atlassian.instance_url("contoso"),
                    "atlassian.metadata": self.atlassian.entity_id,
                    "atlassian.acs": self.atlassian.acs_url,
                    "alibaba.user_logon_url": self.alibaba.user_logon_url,
                    "alibaba.sp_metadata": f"{self.alibaba.base_url}/settings/sp-metadata.xml",
                    "alibaba.acs": self.alibaba.acs_url,
                    "mitel.portal": self.mitel.app_url("portal"),
                    "mitel.metadata": self.mitel.entity_id,
                    "mitel.acs": self.mitel.acs_url,
                    "jira.test_connection": self.jira.test_connection_url,
                    "jira.redirect_url": self.jira.redirect_url,
                }
            )
        if "idp" in self.mocks:
            out.update({"idp.metadata": self.idp.settings.entity_id, "sp.metadata": self.sp.settings.entity_id, "sp.protected": f"{self.sp.settings.base_url}/protected/"})
        return out


class SamlFleet(MockFleet):
    """Only the generic IdP/SP pair: the foundation's fleet, quick to start."""

    def __init__(self, config: FleetConfig | None = None, **kwargs: object) -> None:
        super().__init__(config or FleetConfig(mocks=("idp", "sp")), **kwargs)  # type: ignore[arg-type]  # kwargs are MockFleet's keyword arguments, passed through
