"""Run one flow of a target: pick the driver and journey, then check the expectations.

Nothing here knows about a vendor: the target says which driver signs in,
which URLs start and end each flow, which steps to take on the way
(``steps.before_sign_in`` on the start page, ``steps.after_sign_in`` once
back on the SP), and what the SP must receive. Each flow sees its SP through
:meth:`~sso_harness.targets.target.SpSpec.for_flow` (the flow's overrides).

OAuth 2.0 / OIDC: ``oauth_code`` and ``oidc`` start at a relying party's
login URL (``sign_on_url``); the RP does the exchange and the harness
decodes what passes the proxy. With ``idp.issuer`` (or ``discovery_url`` /
``jwks_uri``) the provider's JWKS is fetched through the proxy before the
flow, so ID tokens in the trace are verified. ``oidc_client`` makes the
harness itself the client the SP entry describes
(:mod:`sso_harness.browser.oidc_client`): discovery, the authorization
request with state, nonce and PKCE, the login driver, the token call and
UserInfo, all through the proxy.

Each flow ends with the signed-in decision (:mod:`sso_harness.targets.sign_in_check`):
the SP's ``signed_in`` rule, or for SAML flows the default (the ACS answered, a
new cookie, the landing page loaded without a new AuthnRequest). A flow that
did not sign in fails, coded ``runner.not_signed_in``; one whose check could
not gather its evidence fails coded ``runner.sign_in_undecided``; :func:`play_flow`
returns the verdict with the trace, for the flow's report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from playwright.sync_api import Page

from sso_harness.browser.entra import EntraLogin
from sso_harness.browser.journeys import (
    idp_initiated_saml,
    oauth_code,
    single_logout,
    sp_initiated_saml,
    wsfed_sign_in,
)
from sso_harness.browser.journeys import origin_of, walk
from sso_harness.browser.login import Credentials, FormLogin, LoginDriver
from sso_harness.browser.signed_in import SignedInVerdict
from sso_harness.browser.oidc_client import OidcClientConfig, get_json, oidc_as_client, opener_for
from sso_harness.trace.recording import FlowRecording
from sso_harness.expect import ExpectationFailed, Subject, expect
from sso_harness.protocols.oauth import AuthorizeRequest
from sso_harness.protocols.xml.dsig.keys import load_certificates
from sso_harness.targets.metadata import fetch_idp_metadata
from sso_harness.targets.sign_in_check import require_signed_in, signed_in_verdict
from sso_harness.targets.steps import run_steps
from sso_harness.targets.target import OAUTH_FLOWS, Expectations, IdpSpec, LoginSpec, SpSpec, Target, TestUser
from sso_harness.trace.trace import DecodeContext, Trace

__all__ = ["FORCE_AUTHN_NOT_SENT", "FlowCase", "cases_of", "driver_for", "trusted_certs_of", "provider_jwks_of", "run_flow", "check_expectations",
           "play_case", "play_flow", "FlowResult", "client_config_of", "DISCOVERY_FAILED", "DEFAULT_SCOPES"]

DISCOVERY_FAILED = "runner.discovery_failed"
FORCE_AUTHN_NOT_SENT = "runner.force_authn_not_sent"
DEFAULT_SCOPES = ("openid", "email", "profile")


@dataclass(frozen=True)
class FlowCase:
    sp: str
    flow: str
    user: int

    @property
    def id(self) -> str:
        return f"{self.sp}-{self.flow}-user{self.user}"


@dataclass(frozen=True)
class FlowResult:
    """What one played flow gives its report: the trace, and the signed-in verdict (None: not judged)."""

    trace: Trace
    signed_in: SignedInVerdict | None


def cases_of(target: Target) -> list[FlowCase]:
    return [FlowCase(sp.name, flow, i) for sp in target.sps for flow in sp.flows for i in range(len(target.users))]


def driver_for(spec: LoginSpec, *, screenshot_dir: Path | None = None) -> LoginDriver:
    """The login driver a ``login:`` section names, with its options.

    ``entra`` gets the Entra state machine with ``stay_signed_in``,
    ``totp_secret``, ``accept_consent``, ``skip_mfa_registration``,
    ``attended`` and the ``federated`` home IdP's driver; ``jumpcloud`` its
    page driver (TOTP included) unless selectors are given, which make it a
    ``form``; ``simplesamlphp`` and ``oidc-provider`` their page drivers;
    ``form``/``okta`` a form with default or given selectors.
    """
    if spec.driver == "entra":
        federated = driver_for(spec.federated, screenshot_dir=screenshot_dir) if spec.federated else None
        return EntraLogin(stay_signed_in=spec.stay_signed_in, totp_secret=spec.totp_secret, federated=federated,
                          screenshot_dir=screenshot_dir, accept_consent=spec.accept_consent,
                          skip_mfa_registration=spec.skip_mfa_registration, attended=spec.attended)
    if spec.driver == "jumpcloud" and not (spec.username_selector or spec.password_selector or spec.submit_selector):
        from sso_harness.browser.drivers import JumpCloudLogin

        return JumpCloudLogin(totp_secret=spec.totp_secret, screenshot_dir=screenshot_dir)
    if spec.driver == "simplesamlphp":
        from sso_harness.browser.drivers import SimpleSamlPhpLogin

        return SimpleSamlPhpLogin(screenshot_dir=screenshot_dir)
    if spec.driver == "oidc-provider":
        from sso_harness.browser.drivers import OidcProviderDevLogin

        return OidcProviderDevLogin(screenshot_dir=screenshot_dir)
    defaults = {"form": ("input[name=username]", "input[name=password]", "button[type=submit]"),
                "jumpcloud": ("input[name=email]", "input[name=password]", "button[type=submit]"),
                "okta": ("input[name=identifier], #okta-signin-username", "input[name='credentials.passcode'], #okta-signin-password",
                         "input[type=submit], #okta-signin-submit")}
    user_sel, pass_sel, submit_sel = defaults.get(spec.driver, defaults["form"])
    return FormLogin(username=spec.username_selector or user_sel, password=spec.password_selector or pass_sel,
                     submit=spec.submit_selector or submit_sel, screenshot_dir=screenshot_dir)


def trusted_certs_of(target: Target, sp: SpSpec | None = None, *, proxy_url: str | None, cafile: str | None = None) -> list[x509.Certificate]:
    """Pinned certificate files, plus those in the IdP's metadata (the SP's own app metadata first)."""
    certs: list[x509.Certificate] = []
    for path in target.idp.signing_certs:
        certs.extend(load_certificates(Path(path).read_bytes()))
    for url in (sp.idp_metadata_url if sp else None, target.idp.metadata_url):
        if url:
            certs.extend(fetch_idp_metadata(url, proxy_url=proxy_url, cafile=cafile).signing_certs)
    return certs


def provider_jwks_of(idp: IdpSpec, *, proxy_url: str | None, cafile: str | None = None) -> dict[str, object] | None:
    """The OIDC provider's JWKS: from ``idp.jwks_uri``, else from its discovery document
    (``idp.discovery_url``, else ``idp.issuer`` + ``/.well-known/openid-configuration``); None when the
    target names none of them. Fetched through the proxy (``cafile``: its CA). A failure raises
    :class:`ExpectationFailed` coded ``runner.discovery_failed``, naming the URL."""
    url = idp.discovery_url or (idp.issuer.rstrip("/") + "/.well-known/openid-configuration" if idp.issuer else None)
    if not (idp.jwks_uri or url):
        return None
    opener = opener_for(proxy_url, cafile)
    where = idp.jwks_uri or url or ""
    try:
        jwks_uri = idp.jwks_uri
        if jwks_uri is None:
            where = url or ""
            jwks_uri = get_json(opener, where).get("jwks_uri")
            if not isinstance(jwks_uri, str):
                raise ValueError("the discovery document has no jwks_uri")
        where = jwks_uri
        return get_json(opener, jwks_uri)
    except (OSError, ValueError) as exc:
        raise ExpectationFailed(f"{DISCOVERY_FAILED}: could not read the provider's keys from {where}: {exc}") from None


def run_flow(page: Page, recording: FlowRecording, target: Target, case: FlowCase, *, screenshot_dir: Path | None = None,
             step_timeout_ms: float = 15_000, proxy_url: str | None = None, cafile: str | None = None) -> Trace:
    """Walk one flow in the browser and return its trace (after the ``after_sign_in`` steps, if any).

    ``step_timeout_ms`` bounds each configured step's wait for its element or URL. ``proxy_url`` and
    ``cafile`` (the capture proxy and its CA) carry the harness's own calls in ``oidc_client`` flows.
    """
    sp = next(s for s in target.sps if s.name == case.sp).for_flow(case.flow)
    user = target.users[case.user]
    trace = _journey(page, recording, target, sp, case, user, screenshot_dir, step_timeout_ms, proxy_url, cafile)
    if sp.steps.after_sign_in:
        run_steps(page, sp.steps.after_sign_in, user, phase="after_sign_in", timeout_ms=step_timeout_ms)
        trace = recording.trace()  # the steps' requests belong to the flow
    return trace


def play_case(page: Page, recording: FlowRecording, target: Target, case: FlowCase, *, proxy_url: str | None,
              cafile: str | None = None, screenshot_dir: Path | None = None, step_timeout_ms: float = 15_000) -> Trace:
    """:func:`play_flow`, returning only the trace."""
    return play_flow(page, recording, target, case, proxy_url=proxy_url, cafile=cafile, screenshot_dir=screenshot_dir,
                     step_timeout_ms=step_timeout_ms).trace


def play_flow(page: Page, recording: FlowRecording, target: Target, case: FlowCase, *, proxy_url: str | None,
              cafile: str | None = None, screenshot_dir: Path | None = None, step_timeout_ms: float = 15_000) -> FlowResult:
    """One case end to end: trust the IdP's certificates, walk the flow, check the expectations, then
    decide whether it signed in (failing with ``runner.not_signed_in`` when it did not,
    ``runner.sign_in_undecided`` when the check could not tell).

    The metadata fetch goes through the proxy (``proxy_url``, its CA in
    ``cafile``) but is setup: the recording restarts after it. So is the
    OIDC provider's discovery and JWKS for ``oauth_code``/``oidc`` flows
    (:func:`provider_jwks_of`); an ``oidc_client`` flow fetches them itself,
    inside the recording, as the client it plays would.
    """
    sp = next(s for s in target.sps if s.name == case.sp).for_flow(case.flow)
    certs = trusted_certs_of(target, sp, proxy_url=proxy_url, cafile=cafile)
    jwks = provider_jwks_of(target.idp, proxy_url=proxy_url, cafile=cafile) if case.flow in ("oauth_code", "oidc") else None
    recording.context = DecodeContext(trusted_certs=tuple(certs), jwks=jwks, now=dt.datetime.now(dt.timezone.utc),
                                      cert_horizon=dt.timedelta(days=sp.expect.cert_expiry_days))
    recording.restart()
    trace = run_flow(page, recording, target, case, screenshot_dir=screenshot_dir, step_timeout_ms=step_timeout_ms,
                     proxy_url=proxy_url, cafile=cafile)
    check_expectations(trace, sp, target.users[case.user], case.flow, idp=target.idp)
    verdict = signed_in_verdict(page, trace, sp, case.flow, timeout_ms=step_timeout_ms)
    require_signed_in(verdict, trace)
    return FlowResult(trace, verdict)


def _journey(page: Page, recording: FlowRecording, target: Target, sp: SpSpec, case: FlowCase, user: TestUser,
             screenshot_dir: Path | None, step_timeout_ms: float, proxy_url: str | None = None,
             cafile: str | None = None) -> Trace:
    creds = Credentials(user.username, user.password)
    login = driver_for(target.idp.login, screenshot_dir=screenshot_dir)
    before = sp.steps.before_sign_in

    def steps(page: Page) -> None:
        run_steps(page, before, user, phase="before_sign_in", timeout_ms=step_timeout_ms)

    pre = steps if before else None
    if case.flow == "sp_initiated":
        return sp_initiated_saml(page, recording, start_url=_need(sp.sign_on_url, sp, "sign_on_url"), login=login, credentials=creds,
                                 before_sign_in=pre)
    if case.flow == "idp_initiated":
        launch = _need(sp.launch_url or target.idp.launch_url, sp, "launch_url")
        return idp_initiated_saml(page, recording, launch_url=launch, sp_url=_need(sp.landing_url or sp.acs, sp, "landing_url"),
                                  login=login, credentials=creds, before_sign_in=pre)
    if case.flow == "wsfed":
        return wsfed_sign_in(page, recording, start_url=_need(sp.sign_on_url, sp, "sign_on_url"), login=login, credentials=creds,
                             before_sign_in=pre)
    if case.flow == "oidc_client":
        config = client_config_of(target.idp, sp)
        run = oidc_as_client(page, recording, config, login=login, credentials=creds, proxy_url=proxy_url, cafile=cafile,
                             timeout_ms=step_timeout_ms, before_sign_in=pre)
        return run.trace
    if case.flow in ("oauth_code", "oidc"):
        until = sp.landing_url
        start = _need(sp.sign_on_url, sp, "sign_on_url")
        if until and origin_of(start) != origin_of(until):
            # The start is on the provider (an authorize URL naming the RP's client): sign in there, end on the RP.
            return walk(page, recording, start_url=start, until=until, login=login, credentials=creds,
                        timeout_ms=step_timeout_ms, before_sign_in=pre)
        return oauth_code(page, recording, start_url=_need(sp.sign_on_url, sp, "sign_on_url"), login=login, credentials=creds,
                          until=until, before_sign_in=pre)
    if case.flow in ("slo_sp", "slo_idp"):
        sp_initiated_saml(page, recording, start_url=_need(sp.sign_on_url, sp, "sign_on_url"), login=login, credentials=creds,
                          before_sign_in=pre)
        recording.restart()
        logout = sp.logout_url if case.flow == "slo_sp" else (sp.logout_url or target.idp.logout_url)
        return single_logout(page, recording, start_url=_need(logout, sp, "logout_url"),
                             until=_need(sp.landing_url, sp, "landing_url"))
    raise ValueError(f"flow {case.flow!r} is not runnable")


def client_config_of(idp: IdpSpec, sp: SpSpec) -> OidcClientConfig:
    """The harness's client for an ``oidc_client`` flow, from the SP entry (secret already read from the environment)."""
    if not sp.client_id:
        raise ExpectationFailed(f"the target's SP {sp.name!r} has no client_id, which the oidc_client flow needs")
    if not (idp.issuer or idp.discovery_url):
        raise ExpectationFailed("the target's idp has no issuer (nor discovery_url), which the oidc_client flow needs")
    return OidcClientConfig(issuer=idp.issuer or "", discovery_url=idp.discovery_url, client_id=sp.client_id,
                            client_secret=sp.client_secret, scopes=sp.scopes or DEFAULT_SCOPES, pkce=sp.pkce,
                            auth_method=sp.token_auth, redirect_uri=sp.redirect_uri, response_mode=sp.response_mode,
                            userinfo=True)


def _need(value: str | None, sp: SpSpec, key: str) -> str:
    if not value:
        raise ExpectationFailed(f"the target's SP {sp.name!r} has no {key}, which this flow needs")
    return value


def check_expectations(trace: Trace, sp: SpSpec, user: TestUser, flow: str, *, idp: IdpSpec | None = None) -> None:
    """Every expectation the target states for this flow; the first that fails raises, with context.

    The SP's ``expect`` with the flow's overrides. Audience, Recipient and
    Destination are checked against the file's ``entity_id`` and ``acs`` (no
    SP metadata is needed); with ``idp``, the Response Issuer against its
    ``entity_id`` and an SP-initiated AuthnRequest's endpoint against its
    ``sign_in_url``, when the file gives them. With ``force_authn``, an
    SP-initiated flow's AuthnRequest must carry ForceAuthn="true"
    (``runner.force_authn_not_sent``).
    """
    e = expect(trace)
    sp = sp.for_flow(flow)
    x = sp.expect
    if flow in ("sp_initiated", "idp_initiated", "slo_sp", "slo_idp"):
        if x.signature == "trusted":
            e.saml_response.is_trusted()
        e.saml_response.is_valid_at()
        if x.name_id:
            e.saml_response.name_id == user.fill(x.name_id)
        if x.name_id_format:
            e.saml_response.name_id_format == x.name_id_format
        for claim, values in x.claims.items():
            e.saml_response.attribute(claim) == [user.fill(v) for v in values]
        if sp.acs:
            e.saml_response.recipient == sp.acs
            if trace.saml_response.destination is not None:  # optional on the Response (SAML core §3.2.2)
                e.saml_response.destination == sp.acs
        if sp.entity_id:
            e.saml_response.audience == sp.entity_id
        if idp is not None and idp.entity_id:
            e.saml_response.issuer == idp.entity_id
        if idp is not None and idp.sign_in_url and flow == "sp_initiated":
            _request_sent_to(trace, idp.sign_in_url)
        if flow == "sp_initiated":
            e.response_answers_request()
            e.relay_state.round_trips()
            if sp.force_authn:
                _force_authn_sent(trace)
        if x.relay_state:
            e.relay_state.returned == user.fill(x.relay_state)
        _certificates_fresh(trace, x.cert_expiry_days)
    if flow in OAUTH_FLOWS:
        if _oauth_expectations(trace, sp, x, user, flow, idp):
            return  # the expected error was seen: the flow was meant to stop there
    landing = x.landing_url if flow == "oidc_client" else (x.landing_url or sp.landing_url)
    if landing and flow not in ("slo_sp", "slo_idp"):
        final = trace.final_hop
        if not final.hop.url.startswith(landing):
            raise ExpectationFailed(f"the flow ended at {final.hop.url} ({final.label}), expected a page under {landing}\ntrace:\n{trace.summary()}")
    problems = [p for ex in trace.exchanges for p in ex.problems]
    if problems:
        raise ExpectationFailed("the trace shows protocol problems:\n  " + "\n  ".join(f"{p.code}: {p}" for p in problems) + f"\ntrace:\n{trace.summary()}")


def _claims(subject_of: Callable[[str], Subject], wanted: dict[str, list[str]], user: TestUser) -> None:
    for claim, values in wanted.items():
        subject_of(claim).has(*[user.fill(v) or "" for v in values])


def _oauth_expectations(trace: Trace, sp: SpSpec, x: Expectations, user: TestUser, flow: str, idp: IdpSpec | None) -> bool:
    """The OAuth/OIDC checks; True when the flow was expected to end in an error and did.

    Automatic where the trace shows it: the RP's authorization request names
    ``client_id``; a visible ID token is issued by ``idp.issuer``, for
    ``client_id``, and (``signature: trusted``) verified by the JWKS. The
    harness as the client must get an ID token when it asked for ``openid``.
    """
    e = expect(trace)
    if x.error:
        e.oauth_error.error == x.error
        if x.error_description:
            e.oauth_error.error_description.contains(user.fill(x.error_description))
        return True
    e.oauth_error.none()
    if sp.client_id and flow != "oidc_client":
        requests = [(h, m.message) for h in trace for m in h.messages if isinstance(m.message, AuthorizeRequest)]
        if requests:
            hop, request = requests[0]
            Subject("authorization request client_id", request.client_id, hop.label, trace).equals(sp.client_id)
    has_id_token = any(m.kind in ("oauth.token_response", "oauth.authorize_response") and getattr(m.message, "id_token_jwt", None)
                       for h in trace for m in h.messages)
    wants_id_token = flow == "oidc_client" and "openid" in (sp.scopes or DEFAULT_SCOPES)
    if has_id_token or wants_id_token or x.id_token:
        token = e.id_token
        if x.signature == "trusted":
            token.is_trusted()
        if idp is not None and idp.issuer:
            token.claim("iss").has(idp.issuer)
        if sp.client_id:
            token.claim("aud").has(sp.client_id)
        _claims(token.claim, x.id_token, user)
    if x.access_token:
        _claims(e.access_token.claim, x.access_token, user)
    if x.userinfo:
        _claims(e.userinfo.claim, x.userinfo, user)
    for scope in x.scopes:
        e.token_response.scopes.contains(scope)
    if x.refresh_token is not None:
        e.token_response.refresh_token_issued(x.refresh_token)
    return False


def _force_authn_sent(trace: Trace) -> None:
    """The captured AuthnRequest asks the IdP for a fresh sign-in (SAML core §3.4.1: ForceAuthn="true")."""
    hop = trace.authn_request_hop
    if trace.authn_request.force_authn is not True:
        raise ExpectationFailed(f"{FORCE_AUTHN_NOT_SENT}: the AuthnRequest at hop {hop.label} has ForceAuthn="
                                f"{trace.authn_request.force_authn!r}, but the target's force_authn is true\ntrace:\n{trace.summary()}")


def _request_sent_to(trace: Trace, sign_in_url: str) -> None:
    hop = trace.authn_request_hop
    if hop.hop.url.split("?", 1)[0].rstrip("/") != sign_in_url.split("?", 1)[0].rstrip("/"):
        raise ExpectationFailed(f"the AuthnRequest went to {hop.hop.url.split('?', 1)[0]} (hop {hop.label}), "
                                f"but the targets file's idp.sign_in_url is {sign_in_url}\ntrace:\n{trace.summary()}")


def _certificates_fresh(trace: Trace, horizon_days: int) -> None:
    warnings = [w for w in getattr(trace.saml_response, "warnings", ()) if "expire" in w.lower()]
    if warnings:
        hop = trace.saml_response_hop
        raise ExpectationFailed(f"signing certificate expiry within {horizon_days} days (at hop {hop.label}): {warnings[0]}")
