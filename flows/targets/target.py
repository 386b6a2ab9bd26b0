"""The target model: what a targets file describes, as typed values.

Values like ``{user.email}`` in expectations are templates, filled per test
user when the flow runs, so one SP description serves several users.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = ["FlowKind", "FLOW_KINDS", "LoginSpec", "IdpSpec", "Expectations", "SpSpec", "TestUser", "Target"]

FlowKind = Literal["sp_initiated", "idp_initiated", "oauth_code", "oidc", "wsfed", "slo_sp", "slo_idp"]
FLOW_KINDS: tuple[str, ...] = ("sp_initiated", "idp_initiated", "oauth_code", "oidc", "wsfed", "slo_sp", "slo_idp")
DRIVERS = ("entra", "form", "simplesamlphp", "oidc-provider", "jumpcloud", "okta")


@dataclass(frozen=True)
class LoginSpec:
    """Which login driver signs in, and its options (selectors for ``form``)."""

    driver: str = "form"
    username_selector: str | None = None
    password_selector: str | None = None
    submit_selector: str | None = None
    totp_secret: str | None = field(default=None, repr=False)
    federated: "LoginSpec | None" = None
    stay_signed_in: bool = False


@dataclass(frozen=True)
class IdpSpec:
    kind: str  # entra, jumpcloud, okta, simplesamlphp, oidc-provider, generic, mock
    login: LoginSpec = LoginSpec()
    tenant: str | None = None
    metadata_url: str | None = None
    signing_certs: tuple[str, ...] = ()  # PEM file paths, for rollover several at once
    launch_url: str | None = None  # IdP-initiated: My Apps, SSOService.php?spentityid=...
    issuer: str | None = None  # OIDC issuer (discovery at issuer/.well-known/openid-configuration)


@dataclass(frozen=True)
class Expectations:
    name_id: str | None = None
    name_id_format: str | None = None
    claims: dict[str, list[str]] = field(default_factory=dict)
    relay_state: str | None = None
    landing_url: str | None = None
    signature: Literal["trusted", "any"] = "trusted"
    cert_expiry_days: int = 30


@dataclass(frozen=True)
class SpSpec:
    name: str
    entity_id: str | None = None
    acs: str | None = None
    sign_on_url: str | None = None  # SP-initiated start
    landing_url: str | None = None
    launch_url: str | None = None  # IdP-initiated launcher for this SP (overrides the IdP's)
    idp_metadata_url: str | None = None  # this app's own IdP metadata (Entra: "App Federation Metadata Url")
    logout_url: str | None = None
    flows: tuple[str, ...] = ("sp_initiated",)
    expect: Expectations = Expectations()
    client_id: str | None = None  # OAuth/OIDC
    client_secret: str | None = field(default=None, repr=False)
    scopes: tuple[str, ...] = ()


@dataclass(frozen=True)
class TestUser:
    username: str
    password: str = field(repr=False)
    attributes: dict[str, str] = field(default_factory=dict)  # email, upn, ... for {user.x} templates

    def fill(self, template: str | None) -> str | None:
        """``{user.email}`` → this user's value; other text unchanged."""
        if template is None:
            return None
        out = template.replace("{user.username}", self.username)
        for key, value in self.attributes.items():
            out = out.replace("{user." + key + "}", value)
        return out


@dataclass(frozen=True)
class Target:
    name: str
    idp: IdpSpec
    sps: tuple[SpSpec, ...]
    users: tuple[TestUser, ...]
    attack_allowed: bool = False
    allow_egress: bool = True
    description: str = ""
