"""The seed scenario: the five guides' configurations, wired to each other.

Contoso (the tenant of Microsoft's tutorials) has B.Simon and Britta Simon,
enterprise apps for Atlassian Cloud, Alibaba CloudSSO ("CloudSSODemo") and
Mitel Connect, an app registration for Jira's incoming mail, and the domain
``fabrikam.com`` federated to the JumpCloud-like IdP. A second tenant,
Northwind Traders, exists so a user of another tenant can be refused
(AADSTS50020). IDs are fixed, so tests and configs can name them; URLs come
from the ports the fleet bound.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from sso_harness.mocks.config import ConfigError, FleetConfig
from sso_harness.mocks.entra.tenant import (
    NAMEID_EMAIL,
    AppRegistration,
    ClientSecret,
    EnterpriseApp,
    EntraUser,
    FederatedDomain,
    RedirectUri,
    SigningCertificate,
    Tenant,
)
from sso_harness.mocks.jumpcloud.org import JcApp, JcAttribute, JcUser
from sso_harness.mocks.sps.base import Account

__all__ = ["Ids", "IDS", "NESTOR_UPN", "NESTOR_MAIL", "JONI_MAIL", "JONI_GUEST_UPN", "ISAIAH_UPN", "ISAIAH_TOTP", "Urls", "build_tenants", "jumpcloud_setup", "sp_accounts", "screen_scripts", "KEY_NAMES"]


@dataclass(frozen=True)
class Ids:
    contoso: str = "c0a8e5d2-3b1f-4e6a-9d47-5f2b8c1e7a90"
    northwind: str = "5e7f1a2b-8c9d-4e0f-a1b2-c3d4e5f60718"
    atlassian_app: str = "2f6a4c1e-7d3b-4e8a-9f21-0c5b6a7d8e91"
    alibaba_app: str = "8b1d3e5f-2a4c-4b6d-8e0f-1a3c5e7b9d20"
    mitel_app: str = "4c2e6a8b-0d1f-4a3c-b5e7-9f1b3d5a7c82"
    jira_client: str = "9a7b5c3d-1e2f-4a6b-8c0d-2e4f6a8b0c13"
    jira_secret_id: str = "6d8f0a2c-4e6b-4d8f-a0c2-e4a6c8e0a2b4"
    jira_secret_value: str = "Jq8Q~mock.SecretValue_For-Jira-only~7f3kQ2"
    spa_client: str = "0f3e5d7c-9b1a-4c3e-8d5f-7a9c1e3b5d24"
    jira_integration: str = "e1d2c3b4-a5f6-4071-8293-a4b5c6d7e8f9"
    atlassian_org: str = "b7c1d9e3-5f7a-4b9c-8d1e-3f5a7c9e1b35"
    alibaba_directory: str = "d-0b7c1e2f3a4b"
    group_sso_testers: str = "11111111-2222-4333-8444-555555555501"
    group_atlassian: str = "11111111-2222-4333-8444-555555555502"
    group_m365: str = "11111111-2222-4333-8444-555555555503"


IDS = Ids()

#: Users of the directory variety (issue #14), named where tests need them.
NESTOR_UPN = "nestor.wilke@contoso.onmicrosoft.com"
NESTOR_MAIL = "nestor.wilke@contoso.com"
JONI_MAIL = "joni.sherman@northwindtraders.com"
JONI_GUEST_UPN = "joni.sherman_northwindtraders.com#EXT#@contoso.onmicrosoft.com"
ISAIAH_UPN = "isaiah.langer@fabrikam.com"
#: Base32 TOTP secret of Isaiah's JumpCloud MFA (RFC 6238; compute codes with sso_harness.mocks.entra.totp).
ISAIAH_TOTP = "KRSXG5CTMVRXEZLUKN2XAZLS"

#: Key-ring names of the signing keys the scenario uses.
KEY_NAMES = {
    "tenant": "entra-tenant-signing",
    "atlassian": "entra-app-atlassian",
    "alibaba": "entra-app-alibaba",
    "mitel": "entra-app-mitel",
    "mitel_next": "entra-app-mitel-next",
    "jumpcloud": "jumpcloud-signing",
}


@dataclass(frozen=True)
class Urls:
    """Base URLs (and the SP endpoints the IdP side must know)."""

    entra: str
    jumpcloud: str
    atlassian_entity_id: str
    atlassian_acs: str
    atlassian_instance: str
    alibaba_entity_id: str
    alibaba_acs: str
    mitel_entity_id: str
    mitel_acs: str
    mitel_sign_on: str
    jira_redirect: str


def _users() -> tuple[EntraUser, ...]:
    i = IDS
    return (
        EntraUser("b.simon@contoso.com", "Pa55w.rd-simon", "6b4c1f7e-4f4a-4a59-9a43-5d3f2f0e8a11", "B.Simon", "B.", "Simon",
                  "b.simon@contoso.com", (i.group_sso_testers, i.group_atlassian)),
        EntraUser("brittasimon@contoso.com", "Pa55w.rd-britta", "3d5f7a9c-1e3b-4d5f-8a9c-1e3b5d7f9a46", "Britta Simon", "Britta", "Simon",
                  "brittasimon@contoso.com", (i.group_sso_testers,)),
        EntraUser("adele.vance@contoso.com", "Pa55w.rd-adele", "0d6e7b2c-91a4-4f7e-8c55-2a1b3c4d5e6f", "Adele Vance", "Adele", "Vance",
                  "adele.vance@contoso.com", ()),
        EntraUser("lee.gu@contoso.com", "Pa55w.rd-lee", "7e9a1c3e-5b7d-4f9a-8c1e-3b5d7f9a1c57", "Lee Gu", "Lee", "Gu", "", (i.group_atlassian,)),
        EntraUser("diego.siciliani@contoso.com", "Pa55w.rd-diego", "9c1e3b5d-7f9a-4c1e-8b5d-7f9a1c3e5b68", "Diego Siciliani", "Diego",
                  "Siciliani", "diego.siciliani@contoso.com", (i.group_atlassian,), totp_secret="JBSWY3DPEHPK3PXP"),
        EntraUser("alex.wilber@fabrikam.com", "", "2b4d6f8a-0c2e-4b6d-8f0a-2c4e6b8d0f79", "Alex Wilber", "Alex", "Wilber",
                  "alex.wilber@fabrikam.com", (i.group_atlassian,), immutable_id="YWxleC53aWxiZXI="),
        # Directory variety (issue #14): each user differs from the others in one attribute a claim can come from.
        # A synced user whose UPN is on the initial domain while mail is on the vanity domain: user.mail and
        # user.userprincipalname give different values, so a NameID from the wrong source shows.
        EntraUser(NESTOR_UPN, "Pa55w.rd-nestor", "5f7a9c1e-3b5d-4f7a-9c1e-3b5d7f9a1c90", "Nestor Wilke", "Nestor", "Wilke",
                  NESTOR_MAIL, (i.group_atlassian, i.group_sso_testers), immutable_id="bmVzdG9yLndpbGtl"),
        # No mailbox (no Microsoft 365 licence): user.mail is empty, so a claim from it is left out.
        EntraUser("grady.archie@contoso.com", "Pa55w.rd-grady", "8d0f2b4d-6f8a-4d0f-b2b4-d6f8a0c2e4a1", "Grady Archie", "Grady",
                  "Archie", "", (i.group_m365,)),
        # A B2B guest from Northwind: the #EXT# UPN is made from the invited address, mail is that address.
        EntraUser(JONI_GUEST_UPN, "", "6a8c0e2b-4d6f-4a8c-8e2b-4d6f8a0c2eb2", "Joni Sherman", "Joni", "Sherman",
                  JONI_MAIL, (i.group_atlassian,), user_type="Guest"),
        # A second federated user, whose JumpCloud login asks for a TOTP code (JumpCloud MFA).
        EntraUser(ISAIAH_UPN, "", "3e5b7d9f-1a3c-4e5b-9d9f-1a3c5e7b9de5", "Isaiah Langer", "Isaiah", "Langer",
                  ISAIAH_UPN, (i.group_atlassian,), immutable_id="aXNhaWFoLmxhbmdlcg=="),
    )


def _apply(obj: Any, changes: Mapping[str, Any], where: str) -> Any:
    names = {f.name for f in fields(obj)}
    converted: dict[str, Any] = {}
    for key, value in changes.items():
        if key not in names:
            raise ConfigError(f"{where}.{key}: not a field")
        converted[key] = tuple(value) if isinstance(value, list) else value
    return replace(obj, **converted)


def _merge_users(users: tuple[EntraUser, ...], extra: tuple[Mapping[str, Any], ...]) -> tuple[EntraUser, ...]:
    by_upn = {u.upn.lower(): u for u in users}
    for i, data in enumerate(extra):
        upn = str(data["upn"])
        base = by_upn.get(upn.lower()) or EntraUser(upn, "", f"00000000-0000-4000-8000-{i:012d}", upn.split("@")[0])
        # screens is the user's sign-in script, not a directory attribute (see screen_scripts).
        by_upn[upn.lower()] = _apply(base, {k: v for k, v in data.items() if k != "screens"}, f"users[{i}]")
    return tuple(by_upn.values())


def screen_scripts(config: FleetConfig) -> dict[str, tuple[str, ...]]:
    """The ``screens`` scripts of the configured users, by UPN (validated when the config was read)."""
    return {str(u["upn"]): tuple(u["screens"]) for u in config.users if "screens" in u}


def build_tenants(urls: Urls, config: FleetConfig, jumpcloud_cert_b64: str, jumpcloud_idp_entity: str, jumpcloud_sso: str) -> tuple[Tenant, ...]:
    i = IDS
    k = KEY_NAMES
    apps = {
        "atlassian": EnterpriseApp(
            i.atlassian_app, "Atlassian Cloud", (urls.atlassian_entity_id,), (urls.atlassian_acs,),
            relay_state=urls.atlassian_instance, name_id_source="user.mail", name_id_format=NAMEID_EMAIL,
            certificates=(SigningCertificate(k["atlassian"]),), assignment_required=True, assignments=(i.group_atlassian,),
        ),
        "alibaba": EnterpriseApp(
            i.alibaba_app, "CloudSSODemo", (urls.alibaba_entity_id,), (urls.alibaba_acs,),
            name_id_source="user.userprincipalname", certificates=(SigningCertificate(k["alibaba"]),),
        ),
        "mitel": EnterpriseApp(
            i.mitel_app, "Mitel Connect", (urls.mitel_entity_id,), (urls.mitel_acs,), sign_on_url=urls.mitel_sign_on,
            name_id_source="user.mail",
            certificates=(SigningCertificate(k["mitel"]), SigningCertificate(k["mitel_next"], active=False)),
        ),
    }
    for key, changes in config.apps.items():
        apps[key] = _apply(apps[key], changes, f"apps.{key}")
    jira = AppRegistration(
        i.jira_client, "Jira Service Management mail",
        redirect_uris=(RedirectUri(urls.jira_redirect, "web"),),
        secrets=(ClientSecret(i.jira_secret_id, i.jira_secret_value, "Jira"),),
        api_permissions=("offline_access", "IMAP.AccessAsUser.All", "POP.AccessAsUser.All", "Mail.ReadWrite", "User.Read"),
        admin_consent=True, multi_tenant=True,
    )
    if "jira" in config.registrations:
        jira = _apply(jira, config.registrations["jira"], "registrations.jira")
    spa = AppRegistration(
        i.spa_client, "Contoso single-page app",
        redirect_uris=(RedirectUri("http://127.0.0.1:9/spa/callback", "spa"),),
        api_permissions=("User.Read", "offline_access"), admin_consent=True,
    )
    t = config.tenant
    contoso = Tenant(
        tenant_id=str(t.get("tenant_id", i.contoso)),
        display_name=str(t.get("display_name", "Contoso")),
        domains=tuple(t.get("domains", ("contoso.com", "contoso.onmicrosoft.com"))),
        federated_domains=(
            FederatedDomain(
                "fabrikam.com", issuer_uri=jumpcloud_idp_entity, passive_logon_uri=jumpcloud_sso,
                logoff_uri=f"{urls.jumpcloud}/logout", signing_certificate=jumpcloud_cert_b64,
                active_logon_uri=jumpcloud_sso, federation_brand_name="fabrikam.com",
            ),
        ),
        users=_merge_users(_users(), config.users),
        enterprise_apps=tuple(apps.values()),
        app_registrations=(jira, spa),
        signing_key=k["tenant"],
        groups=((i.group_sso_testers, "SSO testers"), (i.group_atlassian, "Atlassian users"), (i.group_m365, "M365 users")),
    )
    northwind = Tenant(
        tenant_id=i.northwind, display_name="Northwind Traders", domains=("northwindtraders.com",),
        users=(
            EntraUser("megan.bowen@northwindtraders.com", "Pa55w.rd-megan", "4a6c8e0b-2d4f-4a6c-8e0b-2d4f6a8c0e81", "Megan Bowen",
                      "Megan", "Bowen", "megan.bowen@northwindtraders.com"),
            # Invited into Contoso as a guest (JONI_GUEST_UPN); Megan is not, so she stays refused there (AADSTS50020).
            EntraUser(JONI_MAIL, "Pa55w.rd-joni", "1c3e5b7d-9f1a-4c3e-8b7d-9f1a3c5e7bc3", "Joni Sherman", "Joni", "Sherman", JONI_MAIL),
        ),
        signing_key=k["tenant"],
    )
    return contoso, northwind


def jumpcloud_setup(jumpcloud: str, entra: str, atlassian_entity_id: str, atlassian_acs: str) -> tuple[tuple[JcUser, ...], tuple[JcApp, ...]]:
    users = (
        JcUser("alex.wilber@fabrikam.com", "Pa55w.rd-alex", "Alex", "Wilber", "alex.wilber", ("M365 users",), "YWxleC53aWxiZXI="),
        JcUser("b.simon@contoso.com", "Pa55w.rd-jc-simon", "B.", "Simon", "b.simon", ("Atlassian users",)),
        JcUser("pat.outsider@fabrikam.com", "Pa55w.rd-pat", "Pat", "Outsider", "pat.outsider", ()),
        JcUser(ISAIAH_UPN, "Pa55w.rd-isaiah", "Isaiah", "Langer", "isaiah.langer", ("M365 users",), "aXNhaWFoLmxhbmdlcg==",
               totp_secret=ISAIAH_TOTP),
    )
    apps = (
        JcApp(
            "office365", "Microsoft 365", idp_entity_id=f"{jumpcloud}/fabrikam.com", sp_entity_id="urn:federation:MicrosoftOnline",
            acs_url=f"{entra}/login.srf", attributes=(JcAttribute("IDPEmail", "email"),), groups=("M365 users",),
            # Microsoft's rules for the federated domain: persistent NameID = ImmutableID, IDPEmail = UPN.
            name_id_field="immutable_id", name_id_format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
            # The same connector over WS-Fed (PreferredAuthenticationProtocol WsFed): UPN and ImmutableID claims.
            wsfed_claims=(JcAttribute("http://schemas.xmlsoap.org/claims/UPN", "email"),
                          JcAttribute("http://schemas.microsoft.com/LiveID/Federation/2008/05/ImmutableID", "immutable_id")),
        ),
        JcApp(
            "atlassian-cloud", "Atlassian Cloud", idp_entity_id=f"{jumpcloud}/saml2/atlassian-cloud", sp_entity_id=atlassian_entity_id,
            acs_url=atlassian_acs, attributes=(JcAttribute("email", "email"), JcAttribute("displayname", "displayname")),
            groups=("Atlassian users",),
        ),
    )
    return users, apps


def sp_accounts() -> dict[str, tuple[Account, ...]]:
    """Each SP's own users (provisioned the way each guide says)."""
    return {
        "atlassian": tuple(
            Account(e, n, e)
            for e, n in (
                ("b.simon@contoso.com", "B.Simon"), ("lee.gu@contoso.com", "Lee Gu"), ("diego.siciliani@contoso.com", "Diego Siciliani"),
                ("alex.wilber@fabrikam.com", "Alex Wilber"), ("adele.vance@contoso.com", "Adele Vance"),
                (NESTOR_MAIL, "Nestor Wilke"), (JONI_MAIL, "Joni Sherman"), (ISAIAH_UPN, "Isaiah Langer"),
            )
        ),
        "alibaba": (
            Account("b.simon@contoso.com", "B.Simon", "b.simon@contoso.com", "Pa55w.rd-cloudsso"),
            Account("brittasimon@contoso.com", "Britta Simon", "brittasimon@contoso.com", "Pa55w.rd-cloudsso"),
        ),
        "mitel": (
            Account("brittasimon@contoso.com", "Britta Simon", "brittasimon@contoso.com"),
            Account("b.simon@contoso.com", "B.Simon", "b.simon@contoso.com"),
        ),
    }
