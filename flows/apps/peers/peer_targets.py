"""One target description per real peer: what the e2e tests read, and nothing else.

A target says what a team would write in the targets file: the IdP (kind,
entity ID or issuer, metadata or discovery URL, launcher), its SPs (entity
ID, ACS, sign-on URL, expected landing URL), test users with what the IdP
should say about them, the flows to run, and the login driver for the
IdP's sign-in page. The peers lane builds these from the running peers
(:func:`simplesamlphp_idp_target`, :func:`simplesamlphp_sp_target`,
:func:`oidc_provider_target`); the tests then use only the target, the
shared journeys and :func:`sso_harness.expect.expect`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from cryptography import x509

from sso_harness.browser.drivers import OidcProviderDevLogin, SimpleSamlPhpLogin
from sso_harness.browser.login import Credentials, FormLogin, LoginDriver
from sso_harness.apps.peers.mock_partners import MockPartners
from sso_harness.apps.peers.oidc_provider_peer import OidcProviderPeer
from sso_harness.apps.peers.simplesamlphp_config import EMAIL_FORMAT, SspUser
from sso_harness.apps.peers.simplesamlphp_peer import SimpleSamlPhp
from sso_harness.mocks.base.directory import CLAIM

__all__ = [
    "TargetUser",
    "TargetSp",
    "TargetIdp",
    "TargetClient",
    "PeerTarget",
    "simplesamlphp_idp_target",
    "simplesamlphp_sp_target",
    "oidc_provider_target",
    "MOCK_IDP_LOGIN",
]

# The mock IdP's sign-in form (the same selectors as the mock lane's e2e conftest).
MOCK_IDP_LOGIN = FormLogin(username="input[name=username]", password="input[name=password]", submit="#signin")


@dataclass(frozen=True)
class TargetUser:
    """A test user and what the IdP is expected to assert about them."""

    username: str
    password: str = field(repr=False)
    name_id: str | None = None
    claims: Mapping[str, Any] = field(default_factory=dict)

    @property
    def credentials(self) -> Credentials:
        return Credentials(self.username, self.password)


@dataclass(frozen=True)
class TargetSp:
    entity_id: str
    acs_url: str
    sign_on_url: str
    """Where an SP-initiated login starts (a protected page)."""
    landing_url: str
    """Where the browser is expected to end, signed in (URL without the query)."""
    relay_state: str | None = None
    """The RelayState an IdP-initiated launch carries for this SP."""


@dataclass(frozen=True)
class TargetIdp:
    kind: str
    """``simplesamlphp``, ``mock-saml`` or ``oidc-provider``."""
    entity_id: str
    """SAML entity ID, or the OpenID issuer."""
    metadata_url: str
    """SAML metadata, or the OpenID discovery document."""
    signing_certs: tuple[x509.Certificate, ...] = ()
    launcher: str | None = None
    """IdP-initiated launcher; ``{sp}`` and ``{relay_state}`` are filled in (URL-encoded)."""


@dataclass(frozen=True)
class TargetClient:
    """The OAuth client registered at an OpenID provider (RFC 6749 §2)."""

    client_id: str
    client_secret: str = field(repr=False)
    scopes: tuple[str, ...] = ("openid", "email", "profile")
    pkce: bool = True
    auth_method: str = "client_secret_basic"


@dataclass(frozen=True)
class PeerTarget:
    name: str
    idp: TargetIdp
    login: LoginDriver
    users: tuple[TargetUser, ...]
    flows: tuple[str, ...]
    """Of ``saml-sp-initiated``, ``saml-idp-initiated``, ``oidc-code-pkce``."""
    sps: tuple[TargetSp, ...] = ()
    client: TargetClient | None = None
    name_id_format: str | None = None

    def launch_url(self, sp: TargetSp) -> str:
        """The IdP-initiated launcher URL for ``sp``."""
        if self.idp.launcher is None:
            raise LookupError(f"target {self.name}: the IdP has no launcher")
        return self.idp.launcher.format(sp=quote(sp.entity_id, safe=""), relay_state=quote(sp.relay_state or "", safe=""))


def _mock_sp(mocks: MockPartners, path: str) -> TargetSp:
    assert mocks.sp is not None
    s = mocks.sp.settings
    return TargetSp(entity_id=s.entity_id, acs_url=s.acs_url, sign_on_url=f"{s.base_url}{path}",
                    landing_url=f"{s.base_url}{path.split('?')[0]}", relay_state=path)


def simplesamlphp_idp_target(ssp: SimpleSamlPhp, mocks: MockPartners, users: tuple[SspUser, ...]) -> PeerTarget:
    """SimpleSAMLphp as the IdP, our mock SP as its SP; NameID is the ``mail`` attribute."""
    assert ssp.endpoints is not None and ssp.idp_signing_cert is not None
    e = ssp.endpoints
    return PeerTarget(
        name="simplesamlphp-idp",
        idp=TargetIdp(
            kind="simplesamlphp",
            entity_id=e.idp_entity_id,
            metadata_url=e.idp_metadata,
            signing_certs=(ssp.idp_signing_cert,),
            launcher=f"{e.sso_service}?spentityid={{sp}}&RelayState={{relay_state}}",
        ),
        login=SimpleSamlPhpLogin(),
        users=tuple(
            TargetUser(u.username, u.password, name_id=u.attributes["mail"][0],
                       claims={k: list(v) for k, v in u.attributes.items()})
            for u in users
        ),
        flows=("saml-sp-initiated", "saml-idp-initiated"),
        sps=(_mock_sp(mocks, "/protected/peers?from=simplesamlphp"),),
        name_id_format=EMAIL_FORMAT,
    )


def simplesamlphp_sp_target(ssp: SimpleSamlPhp, mocks: MockPartners) -> PeerTarget:
    """Our mock IdP, SimpleSAMLphp's ``saml:SP`` as its SP (signing in on its test page)."""
    assert ssp.endpoints is not None and mocks.idp is not None
    e, idp = ssp.endpoints, mocks.idp
    user = mocks.users["b.simon@contoso.com"]
    return PeerTarget(
        name="simplesamlphp-sp",
        idp=TargetIdp(kind="mock-saml", entity_id=idp.settings.entity_id, metadata_url=idp.settings.entity_id,
                      signing_certs=(idp.settings.signing.cert,)),
        login=MOCK_IDP_LOGIN,
        users=(TargetUser(user.username, user.password, name_id=user.email,
                          claims={CLAIM["givenname"]: ["B."], CLAIM["surname"]: ["Simon"],
                                  CLAIM["emailaddress"]: [user.email]}),),
        flows=("saml-sp-initiated",),
        sps=(TargetSp(entity_id=e.sp_entity_id, acs_url=e.sp_acs, sign_on_url=e.sp_login,
                      landing_url=e.sp_login.split("?")[0]),),
        name_id_format=EMAIL_FORMAT,
    )


def oidc_provider_target(peer: OidcProviderPeer, users: tuple[TargetUser, ...]) -> PeerTarget:
    """oidc-provider as the OpenID provider, the harness as its client (code flow + PKCE)."""
    if peer.issuer is None:
        raise RuntimeError("oidc-provider is not running")
    return PeerTarget(
        name="oidc-provider",
        idp=TargetIdp(kind="oidc-provider", entity_id=peer.issuer, metadata_url=peer.discovery_url),
        login=OidcProviderDevLogin(),
        users=users,
        flows=("oidc-code-pkce",),
        client=TargetClient(client_id=peer.client_id, client_secret=peer.client_secret),
    )
