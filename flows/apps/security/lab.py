"""The attack lab on loopback: the attacker's site, its providers, and the targets made for proof.

Everything the battery needs besides the mock fleet: the attacker's web
site, two loopback OpenID providers (an honest one and the attacker's own,
both login options of each relying party, which is the mix-up setting), the
hardened relying party, and the deliberately vulnerable SAML SP and
relying party whose weaknesses a test switches on. The vulnerable SAML SP
trusts an IdP key the lab generates, so its "legitimately signed response"
is minted with it.

Use as a context manager; :meth:`AttackLab.reset` restores every target
and provider between tests.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from types import TracebackType

from sso_harness.apps.security.attacker_site import AttackerSite
from sso_harness.apps.security.driver import IdentityProbe
from sso_harness.apps.security.oidc_provider import LoopbackProvider, ProviderClient
from sso_harness.apps.security.saml_mint import Persona, SamlSigner, SpFacts
from sso_harness.apps.security.saml_tamper import AttackerKey, attacker_key
from sso_harness.apps.security.subjects import (
    OidcPersona,
    OidcRpUnderAttack,
    ProviderHandle,
    SamlSpUnderAttack,
)
from sso_harness.mocks.base.clock import Clock, system_clock
from sso_harness.mocks.web.http import MockServer
from sso_harness.mocks.oidc_rp import OidcRelyingParty, RpProvider, RpWeakness
from sso_harness.mocks.web.outbound import OutboundHttp
from sso_harness.mocks.saml.sp_engine import TrustedIdp
from sso_harness.mocks.sps.saml_weaknesses import SamlWeakness
from sso_harness.mocks.sps.vulnerable import VulnerableSamlSp

__all__ = ["AttackLab", "LAB_USER", "LAB_VICTIM", "OIDC_USER", "OIDC_VICTIM"]

LAB_USER = Persona("b.simon@contoso.com", "b.simon@contoso.com", {
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname": ("B.",),
    "http://schemas.microsoft.com/identity/claims/displayname": ("B. Simon",),
})
LAB_VICTIM = Persona("adele.vance@contoso.com", "adele.vance@contoso.com")
OIDC_USER = OidcPersona("b-simon", "b.simon@contoso.com", "b.simon@contoso.com", "B. Simon")
OIDC_VICTIM = OidcPersona("adele-vance", "adele.vance@contoso.com", "adele.vance@contoso.com", "Adele Vance")


class AttackLab:
    def __init__(
        self,
        *,
        saml_weaknesses: Iterable[str | SamlWeakness] = (),
        rp_weaknesses: Iterable[str | RpWeakness] = (),
        outbound_proxy: str | None = None,
        clock: Clock = system_clock,
    ) -> None:
        self.clock = clock
        self._saml_weaknesses = tuple(saml_weaknesses)
        self._rp_weaknesses = tuple(rp_weaknesses)
        self.outbound = OutboundHttp(outbound_proxy)
        self.key: AttackerKey = attacker_key(now=clock())
        self.site = AttackerSite()
        self._servers: dict[str, MockServer] = {}

    # -- lifecycle ---------------------------------------------------------------------------------
    def start(self) -> "AttackLab":
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def _start(self) -> None:
        self.site.start()
        idp_key, idp_cert = attacker_key("sso-harness lab idp", now=self.clock())
        self.saml_signer = SamlSigner("https://idp.lab.sso-harness.invalid/metadata", idp_key, idp_cert)
        trusted = TrustedIdp(self.saml_signer.idp_entity_id, self.site.idp_stub_url, (idp_cert,))
        self.vulnerable_sp = VulnerableSamlSp(base_url=self._server("vulnerable-sp").base_url, idp=trusted,
                                              weaknesses=self._saml_weaknesses, clock=self.clock)
        self.honest = LoopbackProvider(name="contoso-id", clock=self.clock, attacker_key=self.key[0]).start()
        self.evil = LoopbackProvider(name="attacker-id", clock=self.clock, attacker_key=self.key[0]).start()
        self.oidc_rp = self._rp("oidc-rp", "oidcrp", ())
        self.vulnerable_rp = self._rp("vulnerable-rp", "vulnrp", self._rp_weaknesses)
        apps = {"vulnerable-sp": self.vulnerable_sp, "oidc-rp": self.oidc_rp, "vulnerable-rp": self.vulnerable_rp}
        for name, server in self._servers.items():
            server.handler = apps[name]
            server.start()

    def _server(self, name: str) -> MockServer:
        # Bound now (the apps need their URLs), started once every app exists.
        server = self._servers[name] = MockServer(name=f"lab-{name}")
        return server

    def _rp(self, server_name: str, cookie_prefix: str, weaknesses: Iterable[str | RpWeakness]) -> OidcRelyingParty:
        base = self._server(server_name).base_url
        providers = []
        for provider in (self.honest, self.evil):
            client = ProviderClient(f"{server_name}-client", secrets.token_urlsafe(18), (f"{base}/callback",))
            provider.register(client)
            providers.append(RpProvider(provider.name, provider.issuer, client.client_id, client.client_secret))
        return OidcRelyingParty(base_url=base, providers=providers, weaknesses=weaknesses, outbound=self.outbound,
                                clock=self.clock, name=cookie_prefix)

    def stop(self) -> None:
        for server in self._servers.values():
            try:
                server.stop()
            except Exception:  # a server that never started has nothing to stop
                pass
        self._servers = {}
        for part in ("honest", "evil"):
            provider = getattr(self, part, None)
            if provider is not None:
                provider.stop()
        try:
            self.site.stop()
        except Exception:  # never started
            pass

    def __enter__(self) -> "AttackLab":
        return self.start()

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()

    def reset(self) -> None:
        self.site.forget()
        for app in (self.vulnerable_sp, self.oidc_rp, self.vulnerable_rp):
            app.reset()
        for provider in (self.honest, self.evil):
            provider.reset()

    # -- the targets, described for the battery ------------------------------------------------------
    def vulnerable_saml_subject(self) -> SamlSpUnderAttack:
        sp = self.vulnerable_sp
        return SamlSpUnderAttack(
            name="vulnerable-sp", facts=SpFacts(sp.entity_id, sp.acs_url), user=LAB_USER, victim=LAB_VICTIM,
            probe=IdentityProbe(f"{sp.base_url}/whoami", "//*[@id='user']"), sign_on_url=f"{sp.base_url}/login",
            sp_initiated_only=True, session_cookies=(sp.cookie("session"),), signer=self.saml_signer,
        )

    def rp_subject(self, which: str = "oidc-rp") -> OidcRpUnderAttack:
        rp = {"oidc-rp": self.oidc_rp, "vulnerable-rp": self.vulnerable_rp}[which]
        handles = tuple(ProviderHandle(p.name, provider, p.client_id)
                        for p, provider in zip(rp.providers.values(), (self.honest, self.evil), strict=True))
        return OidcRpUnderAttack(
            name=which, login_url=rp.login_url, callback_url=rp.callback_url,
            probe=IdentityProbe(f"{rp.base_url}/whoami", "//*[@id='user']"), providers=handles,
            user=OIDC_USER, victim=OIDC_VICTIM, session_cookies=(rp.cookie("session"),),
        )
