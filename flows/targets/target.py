"""The target model: what a targets file describes, as typed values.

Values like ``{user.email}`` in expectations are templates, filled per test
user when the flow runs, so one SP description serves several users.
Values like ``{mock.entra.saml_sso}`` are filled once, when the embedded mock
fleet has started (see :mod:`sso_harness.targets.mock_target`).

Everything here is frozen: a target is read once and never changed; the
per-flow view of an SP (:meth:`SpSpec.for_flow`) is a new value.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Literal

from sso_harness.browser.signed_in import SignInRule

__all__ = [
    "FlowKind", "FLOW_KINDS", "OAUTH_FLOWS", "RESPONSE_MODES", "TOKEN_AUTH_METHODS", "DRIVERS", "STEP_KINDS", "LoginSpec", "IdpSpec", "Expectations", "SignedInSpec",
    "JourneyStep", "Steps", "FlowOverride", "SpSpec", "TestUser", "Target",
]

FlowKind = Literal["sp_initiated", "idp_initiated", "oauth_code", "oidc", "oidc_client", "wsfed", "slo_sp", "slo_idp"]
FLOW_KINDS: tuple[str, ...] = ("sp_initiated", "idp_initiated", "oauth_code", "oidc", "oidc_client", "wsfed", "slo_sp", "slo_idp")
OAUTH_FLOWS: tuple[str, ...] = ("oauth_code", "oidc", "oidc_client")  # flows judged by the OAuth/OIDC expectations
RESPONSE_MODES: tuple[str, ...] = ("query", "form_post")
TOKEN_AUTH_METHODS: tuple[str, ...] = ("client_secret_basic", "client_secret_post", "none")
DRIVERS = ("entra", "form", "simplesamlphp", "oidc-provider", "jumpcloud", "okta")
STEP_KINDS: tuple[str, ...] = ("click", "fill", "select", "wait_for_url", "wait_for_selector", "assert_text")
StepKind = Literal["click", "fill", "select", "wait_for_url", "wait_for_selector", "assert_text"]


@dataclass(frozen=True)
class LoginSpec:
    """Which login driver signs in, and its options (selectors for ``form``).

    ``totp_secret`` answers TOTP prompts (``entra``, ``jumpcloud``). For
    ``entra`` only: ``accept_consent`` lets the driver accept "Permissions
    requested", ``skip_mfa_registration`` lets it skip "More information
    required", ``attended`` waits for a person to approve a push sign-in
    (all default false: those screens then fail the sign-in with a coded reason).
    """

    driver: str = "form"
    username_selector: str | None = None
    password_selector: str | None = None
    submit_selector: str | None = None
    totp_secret: str | None = field(default=None, repr=False)
    federated: "LoginSpec | None" = None
    stay_signed_in: bool = False
    accept_consent: bool = False
    skip_mfa_registration: bool = False
    attended: bool = False


@dataclass(frozen=True)
class IdpSpec:
    """The IdP, with every value a setup guide asks an admin to copy.

    ``entity_id`` (Entra: "Microsoft Entra Identifier", Okta: "Identity
    Provider Issuer") is checked against each SAML Response's Issuer;
    ``sign_in_url`` (Entra: "Login URL") against where the SP sent its
    AuthnRequest; ``logout_url`` starts ``slo_idp`` flows when the SP names
    no logout URL. The WS-Federation and OAuth endpoint keys are recorded
    for reports and the checks that use them.
    """

    kind: str  # entra, jumpcloud, okta, simplesamlphp, oidc-provider, generic, mock
    login: LoginSpec = LoginSpec()
    tenant: str | None = None
    metadata_url: str | None = None
    signing_certs: tuple[str, ...] = ()  # PEM file paths, for rollover several at once
    launch_url: str | None = None  # IdP-initiated: My Apps, SSOService.php?spentityid=...
    issuer: str | None = None  # OIDC issuer (discovery at issuer/.well-known/openid-configuration)
    entity_id: str | None = None  # SAML issuer
    sign_in_url: str | None = None  # SAML SSO service (Redirect/POST)
    logout_url: str | None = None  # SAML SLO service
    wsfed_passive_url: str | None = None  # WS-Federation passive sign-on endpoint
    wsfed_active_url: str | None = None  # WS-Trust active endpoint (usernamemixed)
    authorize_url: str | None = None
    token_url: str | None = None
    jwks_uri: str | None = None
    discovery_url: str | None = None  # .well-known/openid-configuration


@dataclass(frozen=True)
class Expectations:
    """What the SP must receive. ``relay_state=None`` means "not checked"; so does every other ``None`` or empty value.

    SAML flows use ``name_id``, ``name_id_format``, ``claims`` (attributes),
    ``relay_state``, ``signature`` (of the Response) and ``cert_expiry_days``.
    OAuth/OIDC flows (:data:`OAUTH_FLOWS`) use ``id_token`` (claims of the ID
    token; with ``signature: trusted`` it must also verify against the
    issuer's JWKS), ``access_token`` (claims, when the access token is a
    JWT), ``userinfo`` (claims the UserInfo endpoint returned; the harness
    calls it only as the client, ``oidc_client``), ``scopes`` (each must be
    granted: the token response's ``scope``, or the requested scopes when the
    response omits it, RFC 6749 §5.1), ``refresh_token`` (true: one must be
    issued; false: none may be) and ``error`` / ``error_description`` (the
    flow must end in this OAuth error, from the authorization or the token
    response; ``error_description`` is a substring, e.g. an AADSTS code).
    Claim values are ``{user.x}`` templates; a claim that is a list (``aud``,
    ``amr``) must contain every value given, any other claim must equal the
    single value given.
    """

    name_id: str | None = None
    name_id_format: str | None = None
    claims: dict[str, list[str]] = field(default_factory=dict)
    relay_state: str | None = None
    landing_url: str | None = None
    signature: Literal["trusted", "any"] = "trusted"
    cert_expiry_days: int = 30
    id_token: dict[str, list[str]] = field(default_factory=dict)
    access_token: dict[str, list[str]] = field(default_factory=dict)
    userinfo: dict[str, list[str]] = field(default_factory=dict)
    scopes: tuple[str, ...] = ()
    refresh_token: bool | None = None
    error: str | None = None
    error_description: str | None = None


# The targets file's ``signed_in:`` mapping is the browser layer's rule itself (one type, no copy):
# every key optional, the ones given must all hold. ``url`` is a glob on the final URL; ``selector``
# an element that must be present (and contain ``text`` when given); ``cookie`` a cookie the SP must
# have set; ``probe_url`` fetched with the browser's session, whose status must be ``probe_status``
# (default 200) and body contain ``probe_text``.
SignedInSpec = SignInRule


@dataclass(frozen=True)
class JourneyStep:
    """One browser action of a journey, written in the targets file.

    ``kind`` says which of the other fields are used:

    - ``click``: ``selector``
    - ``fill``: ``selector`` and one of ``value`` (literal), ``env`` (an
      environment variable's name, read when the step runs, never printed) or
      ``user`` (a test user's field: ``username`` or an attribute)
    - ``select``: ``selector``, ``value`` (an option's value)
    - ``wait_for_url``: ``url`` (a glob)
    - ``wait_for_selector``: ``selector``
    - ``assert_text``: ``selector``, ``text`` (contained in the element's text)
    """

    kind: StepKind
    selector: str | None = None
    value: str | None = None
    env: str | None = None
    user: str | None = None
    url: str | None = None
    text: str | None = None


@dataclass(frozen=True)
class Steps:
    """Steps run before the IdP's login driver (email-first pages, "Go" buttons) and after sign-in."""

    before_sign_in: tuple[JourneyStep, ...] = ()
    after_sign_in: tuple[JourneyStep, ...] = ()


@dataclass(frozen=True)
class FlowOverride:
    """Per-flow differences from the SP: expectation keys and steps.

    ``expect`` holds only the keys written for this flow (``relay_state:
    null`` switches that check off for this flow); a phase of steps given
    here replaces the SP's steps of that phase, ``None`` keeps them; so
    does ``force_authn`` replace the SP's when given.
    """

    expect: dict[str, object] = field(default_factory=dict)
    before_sign_in: tuple[JourneyStep, ...] | None = None
    after_sign_in: tuple[JourneyStep, ...] | None = None
    force_authn: bool | None = None


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
    client_id: str | None = None  # OAuth/OIDC: the client the harness acts as (oidc_client), or the RP's (checked in its requests)
    client_secret: str | None = field(default=None, repr=False)  # oidc_client only; ${VAR}
    scopes: tuple[str, ...] = ()  # oidc_client: requested (default openid email profile)
    redirect_uri: str | None = None  # oidc_client: registered redirect URI; None: the harness's loopback callback page
    pkce: bool = True  # oidc_client: send an S256 code_challenge
    response_mode: str | None = None  # oidc_client: query or form_post; None: the provider's default for code (query)
    token_auth: str = "client_secret_basic"  # oidc_client: client_secret_basic, client_secret_post or none
    signed_in: SignedInSpec | None = None
    force_authn: bool = False  # SAML: AuthnRequests of this SP carry ForceAuthn="true" (sent where the harness builds them, checked)
    steps: Steps = Steps()
    flow_overrides: dict[str, FlowOverride] = field(default_factory=dict)

    def for_flow(self, flow: str) -> SpSpec:
        """This SP as one flow sees it: the flow's expectation keys and steps over the SP's."""
        override = self.flow_overrides.get(flow)
        if override is None:
            return self
        known = {f.name for f in fields(Expectations)}
        expect = replace(self.expect, **{k: v for k, v in override.expect.items() if k in known})  # type: ignore[arg-type]  # keys and types checked by the loader
        steps = Steps(
            before_sign_in=self.steps.before_sign_in if override.before_sign_in is None else override.before_sign_in,
            after_sign_in=self.steps.after_sign_in if override.after_sign_in is None else override.after_sign_in,
        )
        force = self.force_authn if override.force_authn is None else override.force_authn
        return replace(self, expect=expect, steps=steps, force_authn=force)


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

    def field_value(self, name: str) -> str | None:
        """``username`` or an attribute, for a ``fill: {user: FIELD}`` step; None when the user has no such field."""
        return self.username if name == "username" else self.attributes.get(name)


@dataclass(frozen=True)
class Target:
    name: str
    idp: IdpSpec
    sps: tuple[SpSpec, ...]
    users: tuple[TestUser, ...]
    attack_allowed: bool = False
    allow_egress: bool = True
    description: str = ""
    embedded_mocks: bool = False  # the harness starts its mock fleet and fills {mock.*} from it
