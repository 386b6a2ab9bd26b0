"""Every real peer on 127.0.0.1 at once, and the values the packaged peers targets file reads.

:class:`PeerStack` starts the peers that the chosen targets of
``peers_targets.yaml`` (:data:`PEERS_TARGETS`) need, each in its own folder
under ``workdir`` and on a port the kernel chose, and wires them the way an
administrator would (metadata exchanged, clients registered). Its
:attr:`PeerStack.env` then holds every ``${PEER_*}`` value those targets
read: URLs, the client credentials and the test users' passwords, which are
made per start. ``sso-harness peers up`` writes them to an env file for
``sso-harness run --env-file``; the e2e conftest fills the same file from
its own fixtures.

mod_auth_openidc sends its back-channel calls (discovery, JWKS, token)
through ``openidc_proxy_port`` on 127.0.0.1 when given: a run whose capture
proxy listens there (``sso-harness run --proxy-port``) sees that back
channel; without one, only the front channel is in the trace.

The ``openidc-rp`` target is a second mod_auth_openidc, for
``sso-harness attack``: it is registered with a provider at a loopback
issuer that nothing serves (``PEER_ATTACK_OP_ISSUER``, a port free now)
until the attack does, since the OIDC battery must hold the provider's key.
Its back channel goes direct: no capture proxy runs during an attack.
"""

from __future__ import annotations

import secrets
import socket
import urllib.request
from collections.abc import Iterable
from contextlib import ExitStack
from pathlib import Path

from sso_harness.apps.peers.entra_app import register_saml_app
from sso_harness.apps.peers.mellon_peer import MellonSp
from sso_harness.apps.peers.mock_partners import MockPartners
from sso_harness.apps.peers.oidc_provider_peer import OidcAccount, OidcProviderPeer
from sso_harness.apps.peers.openidc_peer import OpenidcRp
from sso_harness.apps.peers.simplesamlphp_config import SspRemoteSp, SspSettings, SspUser
from sso_harness.apps.peers.simplesamlphp_peer import SimpleSamlPhp

__all__ = ["PEERS_TARGETS", "TARGET_PEERS", "PeerStack", "ssp_users", "oidc_accounts", "MELLON_ENTRA_APP",
           "UNKNOWN_TARGET"]

PEERS_TARGETS = Path(__file__).resolve().with_name("peers_targets.yaml")
UNKNOWN_TARGET = "peers.unknown_target"

#: The peers each target of :data:`PEERS_TARGETS` needs running.
TARGET_PEERS: dict[str, tuple[str, ...]] = {
    "simplesamlphp-idp": ("simplesamlphp",),
    "simplesamlphp-sp": ("simplesamlphp",),
    "harness-oidc-provider": ("oidc-provider",),
    "mellon-simplesamlphp": ("simplesamlphp", "mellon"),
    "mellon-entra": ("mellon-entra",),
    "openidc-oidc-provider": ("openidc",),
    "openidc-rp": ("openidc-attack",),
}
MELLON_ENTRA_APP = "7d1f3b5e-2a4c-4e6f-8b0d-1c3e5a7f9b2d"  # the enterprise app's object ID in the mock tenant


def ssp_users() -> tuple[SspUser, ...]:
    """SimpleSAMLphp's test users (alice, bob); passwords are made per call."""
    return (
        SspUser("alice", secrets.token_urlsafe(12), {
            "uid": ("alice",), "mail": ("alice@peers.example",),
            "eduPersonAffiliation": ("member", "staff"), "cn": ("Alice Peer",),
        }),
        SspUser("bob", secrets.token_urlsafe(12), {
            "uid": ("bob",), "mail": ("bob@peers.example",), "eduPersonAffiliation": ("student",),
        }),
    )


def oidc_accounts() -> tuple[OidcAccount, ...]:
    """oidc-provider's test account ``carol`` and her claims (its dev login page takes any password)."""
    return (OidcAccount("carol", {"email": "carol@peers.example", "email_verified": True,
                                  "name": "Carol Peer", "given_name": "Carol", "family_name": "Peer"}),)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _direct_get(url: str) -> str:
    with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(url, timeout=10) as r:
        return str(r.read().decode("utf-8"))


class PeerStack:
    """The peers of ``targets`` (names of :data:`TARGET_PEERS`; empty: all). Use as a context manager."""

    def __init__(self, workdir: Path, targets: Iterable[str] = (), *, openidc_proxy_port: int | None = None) -> None:
        chosen = tuple(targets) or tuple(TARGET_PEERS)
        unknown = [t for t in chosen if t not in TARGET_PEERS]
        if unknown:
            raise LookupError(f"{UNKNOWN_TARGET}: no peer target {', '.join(unknown)} (known: {', '.join(TARGET_PEERS)})")
        self.targets = chosen
        self.peers = {p for t in chosen for p in TARGET_PEERS[t]}
        self.workdir = workdir
        self.openidc_proxy_port = openidc_proxy_port
        self.env: dict[str, str] = {}
        self._stack = ExitStack()

    def start(self) -> "PeerStack":
        try:
            if self.peers & {"simplesamlphp", "mellon"}:
                self._simplesamlphp()
            if "oidc-provider" in self.peers:
                self._oidc_provider()
            if "openidc" in self.peers:
                self._openidc()
            if "openidc-attack" in self.peers:
                self._openidc_attack()
            if "mellon-entra" in self.peers:
                self._mellon_entra()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        self._stack.close()

    def __enter__(self) -> "PeerStack":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- one method per peer group: start, wire, and record what the targets read -----------------
    def _simplesamlphp(self) -> None:
        users = ssp_users()
        work = self.workdir / "simplesamlphp"
        mocks = self._stack.enter_context(MockPartners(work))
        # The SP asks for ForceAuthn, as the simplesamlphp-sp target's force_authn checks.
        settings = SspSettings(users=users, remote_sps=(SspRemoteSp(mocks.sp_entity),), remote_idps=(mocks.idp_entity,),
                               sp_force_authn=True)
        ssp = self._stack.enter_context(SimpleSamlPhp(settings, work / "ssp"))
        mocks.federate(ssp)
        assert ssp.endpoints is not None and mocks.sp is not None and mocks.idp is not None
        sp = mocks.sp.settings
        landing = f"{sp.base_url}/protected/peers?from=simplesamlphp"
        mock_user = mocks.users["b.simon@contoso.com"]
        self.env.update({
            "PEER_SSP_URL": ssp.endpoints.base_url,
            "PEER_MOCK_SP_URL": sp.base_url,
            "PEER_MOCK_SP_ENTITY": sp.entity_id,
            "PEER_MOCK_SP_ACS": sp.acs_url,
            "PEER_SSP_LAUNCH": ssp.endpoints.idp_initiated(sp.entity_id, landing.removeprefix(sp.base_url)),
            "PEER_MOCK_IDP_METADATA": mocks.idp.settings.entity_id,
            "PEER_MOCK_USER": mock_user.username,
            "PEER_MOCK_USER_MAIL": mock_user.email,
            "PEER_MOCK_USER_PASSWORD": mock_user.password,
            "PEER_ALICE_PASSWORD": users[0].password,
            "PEER_BOB_PASSWORD": users[1].password,
        })
        if "mellon" in self.peers:
            mellon = self._stack.enter_context(MellonSp(self.workdir / "mellon", ssp.idp_metadata_xml))
            ssp.add_remote_sp(SspRemoteSp(mellon.entity()))  # NameID: the mail attribute, emailAddress format
            self.env["PEER_MELLON_URL"] = mellon.base_url
            self.env["PEER_MELLON_LAUNCH"] = ssp.endpoints.idp_initiated(mellon.entity_id, mellon.protected_url)

    def _oidc_provider(self) -> None:
        op = self._stack.enter_context(OidcProviderPeer(self.workdir / "oidc-provider", accounts=oidc_accounts()))
        assert op.issuer is not None
        self.env.update({"PEER_OP_ISSUER": op.issuer, "PEER_OP_CLIENT_ID": op.client_id,
                         "PEER_OP_CLIENT_SECRET": op.client_secret})
        self.env.setdefault("PEER_CAROL_PASSWORD", secrets.token_urlsafe(12))

    def _openidc(self) -> None:
        work = self.workdir / "openidc"
        rp = self._stack.enter_context(OpenidcRp(work / "rp"))
        # The redirect URI is known before the RP runs: register the client first, as an admin would.
        op = self._stack.enter_context(OidcProviderPeer(work / "op", accounts=oidc_accounts(), client_id="mod-auth-openidc",
                                                        redirect_uris=(rp.redirect_uri,), application_type="web"))
        proxy = f"127.0.0.1:{self.openidc_proxy_port}" if self.openidc_proxy_port else None
        rp.start(discovery_url=op.discovery_url, client_id=op.client_id, client_secret=op.client_secret, outgoing_proxy=proxy)
        assert op.issuer is not None
        self.env.update({"PEER_OPENIDC_OP_ISSUER": op.issuer, "PEER_OPENIDC_URL": rp.base_url})
        self.env.setdefault("PEER_CAROL_PASSWORD", secrets.token_urlsafe(12))

    def _openidc_attack(self) -> None:
        rp = self._stack.enter_context(OpenidcRp(self.workdir / "openidc-attack"))
        # The RP's own port is taken by now, so the kernel cannot hand the same one out as the issuer's.
        issuer, secret = f"http://127.0.0.1:{_free_port()}", secrets.token_urlsafe(24)
        rp.start(discovery_url=f"{issuer}/.well-known/openid-configuration", client_id="mod-auth-openidc",
                 client_secret=secret)
        self.env.update({"PEER_ATTACK_OP_ISSUER": issuer, "PEER_OPENIDC_RP_URL": rp.base_url,
                         "PEER_OPENIDC_RP_SECRET": secret})
        self.env.setdefault("PEER_CAROL_PASSWORD", secrets.token_urlsafe(12))

    def _mellon_entra(self) -> None:
        from sso_harness.mocks.fleet import MockFleet

        fleet = self._stack.enter_context(MockFleet())
        sp = MellonSp(self.workdir / "mellon-entra")  # port, key and metadata: not running yet
        self._stack.callback(sp.stop)
        register_saml_app(fleet.entra, fleet.tenant_id, sp.entity(), app_id=MELLON_ENTRA_APP,
                          display_name="Apache mod_auth_mellon", certificate_key="peer-mellon-app")
        app_metadata = fleet.entra.federation_metadata_url(fleet.tenant_id, MELLON_ENTRA_APP)
        sp.idp_metadata_xml = _direct_get(app_metadata)
        sp.start()
        user = fleet.entra.tenant(fleet.tenant_id).users[0]
        self.env.update({
            "PEER_ENTRA_TENANT": fleet.tenant_id,
            "PEER_ENTRA_METADATA": fleet.entra.federation_metadata_url(fleet.tenant_id),
            "PEER_ENTRA_APP_METADATA": app_metadata,
            "PEER_MELLON_ENTRA_URL": sp.base_url,
            "PEER_ENTRA_USER": user.upn,
            "PEER_ENTRA_MAIL": user.mail,
            "PEER_ENTRA_PASSWORD": user.password,
        })

