"""The attack lab on loopback: the attacker's site, its providers, and the targets made for proof.

Everything the security battery needs besides the mock fleet, served as one
:class:`~sso_harness.mocks.web.servers.ServerGroup`: the attacker's web site,
two loopback OpenID providers (an honest one and the attacker's own, both
login options of each relying party, which is the mix-up setting), the
hardened relying party, and the deliberately vulnerable SAML SP and relying
party whose weaknesses a test switches on. The vulnerable SAML SP trusts an
IdP key the lab generates (:attr:`AttackLab.idp_key`), so a "legitimately
signed response" for it is minted with that key; its IdP's SSO endpoint is
the attacker site's stub.

Use as a context manager; :meth:`AttackLab.reset` restores every target
and provider between tests. Who is attacked with which persona is the
security app's business (:mod:`sso_harness.apps.security.lab_subjects`).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from sso_harness.mocks.attack_lab.oidc_provider import LoopbackProvider, ProviderClient
from sso_harness.mocks.attack_lab.site import AttackerSite
from sso_harness.mocks.base.clock import Clock, system_clock
from sso_harness.mocks.base.keys import KeyAndCert, self_signed
from sso_harness.mocks.oidc_rp import OidcRelyingParty, RpProvider, RpWeakness
from sso_harness.mocks.saml.sp_engine import TrustedIdp
from sso_harness.mocks.sps.saml_weaknesses import SamlWeakness
from sso_harness.mocks.sps.vulnerable import VulnerableSamlSp
from sso_harness.mocks.web.outbound import OutboundHttp
from sso_harness.mocks.web.servers import LoopbackService, ServerGroup

__all__ = ["AttackLab", "LAB_IDP_ENTITY_ID", "RELYING_PARTIES"]

LAB_IDP_ENTITY_ID = "https://idp.lab.sso-harness.invalid/metadata"
"""The entity ID of the IdP the vulnerable SAML SP trusts (no such IdP runs: the lab holds its key)."""
RELYING_PARTIES: tuple[str, ...] = ("oidc-rp", "vulnerable-rp")
"""The lab's relying parties by name: the hardened one, and the one with switchable weaknesses."""
_COOKIE_PREFIXES = {"oidc-rp": "oidcrp", "vulnerable-rp": "vulnrp"}


class AttackLab(LoopbackService):
    """The lab's servers on ``host``. After :meth:`start`: :attr:`site`, :attr:`vulnerable_sp`,
    :attr:`honest` and :attr:`evil` (the providers), :attr:`relying_parties` (by name)."""

    def __init__(
        self,
        *,
        saml_weaknesses: Iterable[str | SamlWeakness] = (),
        rp_weaknesses: Iterable[str | RpWeakness] = (),
        outbound_proxy: str | None = None,
        clock: Clock = system_clock,
        host: str = "127.0.0.1",
    ) -> None:
        self.clock = clock
        self._saml_weaknesses = tuple(saml_weaknesses)
        self._rp_weaknesses = tuple(rp_weaknesses)
        self.outbound = OutboundHttp(outbound_proxy)
        self.attacker_key: KeyAndCert = self_signed("sso-harness attacker", now=clock(), valid_days=30)
        """The attacker's own key and certificate (re-signing, ID tokens under a wrong key)."""
        self.idp_key: KeyAndCert = self_signed("sso-harness lab idp", now=clock())
        """The key of the IdP the vulnerable SAML SP trusts."""
        self._servers = ServerGroup(host=host, prefix="lab")

    # -- lifecycle ---------------------------------------------------------------------------------
    def _start(self) -> None:
        names = ("attacker-site", "vulnerable-sp", "contoso-id", "attacker-id", *RELYING_PARTIES)
        url = {name: self._servers.bind(name) for name in names}
        self.site = AttackerSite(url["attacker-site"])
        trusted = TrustedIdp(LAB_IDP_ENTITY_ID, self.site.idp_stub_url, (self.idp_key[1],))
        self.vulnerable_sp = VulnerableSamlSp(base_url=url["vulnerable-sp"], idp=trusted,
                                              weaknesses=self._saml_weaknesses, clock=self.clock)
        self.honest, self.evil = (
            LoopbackProvider(url[name], name=name, clock=self.clock, attacker_key=self.attacker_key[0])
            for name in ("contoso-id", "attacker-id")
        )
        self.relying_parties = {
            name: self._rp(url[name], name, () if name == "oidc-rp" else self._rp_weaknesses) for name in RELYING_PARTIES
        }
        self._servers.start({"attacker-site": self.site, "vulnerable-sp": self.vulnerable_sp,
                             "contoso-id": self.honest, "attacker-id": self.evil, **self.relying_parties})

    def _rp(self, base: str, name: str, weaknesses: Iterable[str | RpWeakness]) -> OidcRelyingParty:
        providers = []
        for provider in self.providers:
            client = provider.register(ProviderClient(f"{name}-client", secrets.token_urlsafe(18), (f"{base}/callback",)))
            providers.append(RpProvider(provider.name, provider.issuer, client.client_id, client.client_secret))
        return OidcRelyingParty(base_url=base, providers=providers, weaknesses=weaknesses, outbound=self.outbound,
                                clock=self.clock, name=_COOKIE_PREFIXES[name])

    def stop(self) -> None:
        self._servers.stop()

    def reset(self) -> None:
        self.site.reset()
        self.vulnerable_sp.reset()
        for rp in self.relying_parties.values():
            rp.reset()
        for provider in self.providers:
            provider.reset()

    # -- parts -------------------------------------------------------------------------------------
    @property
    def providers(self) -> tuple[LoopbackProvider, LoopbackProvider]:
        """Both providers in the order every relying party lists them: the honest one first."""
        return self.honest, self.evil

    @property
    def oidc_rp(self) -> OidcRelyingParty:
        return self.relying_parties["oidc-rp"]

    @property
    def vulnerable_rp(self) -> OidcRelyingParty:
        return self.relying_parties["vulnerable-rp"]

    def urls(self) -> dict[str, str]:
        """Base URL of every lab server, by name."""
        return self._servers.urls()
