"""Run one flow of a target: pick the driver and journey, then check the expectations.

Nothing here knows about a vendor: the target says which driver signs in,
which URLs start and end each flow, which steps to take on the way
(``steps.before_sign_in`` on the start page, ``steps.after_sign_in`` once
back on the SP), and what the SP must receive. Each flow sees its SP through
:meth:`~sso_harness.targets.target.SpSpec.for_flow` (the flow's overrides).
"""

from __future__ import annotations

import datetime as dt
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
from sso_harness.browser.login import Credentials, FormLogin, LoginDriver
from sso_harness.trace.recording import FlowRecording
from sso_harness.expect import ExpectationFailed, expect
from sso_harness.protocols.xml.dsig.keys import load_certificates
from sso_harness.targets.metadata import fetch_idp_metadata
from sso_harness.targets.steps import run_steps
from sso_harness.targets.target import IdpSpec, LoginSpec, SpSpec, Target, TestUser
from sso_harness.trace.trace import DecodeContext, Trace

__all__ = ["FlowCase", "cases_of", "driver_for", "trusted_certs_of", "run_flow", "check_expectations", "play_case"]


@dataclass(frozen=True)
class FlowCase:
    sp: str
    flow: str
    user: int

    @property
    def id(self) -> str:
        return f"{self.sp}-{self.flow}-user{self.user}"


def cases_of(target: Target) -> list[FlowCase]:
    return [FlowCase(sp.name, flow, i) for sp in target.sps for flow in sp.flows for i in range(len(target.users))]


def driver_for(spec: LoginSpec, *, screenshot_dir: Path | None = None) -> LoginDriver:
    if spec.driver == "entra":
        federated = driver_for(spec.federated, screenshot_dir=screenshot_dir) if spec.federated else None
        return EntraLogin(stay_signed_in=spec.stay_signed_in, totp_secret=spec.totp_secret, federated=federated,
                          screenshot_dir=screenshot_dir)
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


def run_flow(page: Page, recording: FlowRecording, target: Target, case: FlowCase, *, screenshot_dir: Path | None = None,
             step_timeout_ms: float = 15_000) -> Trace:
    """Walk one flow in the browser and return its trace (after the ``after_sign_in`` steps, if any).

    ``step_timeout_ms`` bounds each configured step's wait for its element or URL.
    """
    sp = next(s for s in target.sps if s.name == case.sp).for_flow(case.flow)
    user = target.users[case.user]
    trace = _journey(page, recording, target, sp, case, user, screenshot_dir, step_timeout_ms)
    if sp.steps.after_sign_in:
        run_steps(page, sp.steps.after_sign_in, user, phase="after_sign_in", timeout_ms=step_timeout_ms)
        trace = recording.trace()  # the steps' requests belong to the flow
    return trace


def play_case(page: Page, recording: FlowRecording, target: Target, case: FlowCase, *, proxy_url: str | None,
              cafile: str | None = None, screenshot_dir: Path | None = None, step_timeout_ms: float = 15_000) -> Trace:
    """One case end to end: trust the IdP's certificates, walk the flow, check the expectations; returns the trace.

    The metadata fetch goes through the proxy (``proxy_url``, its CA in
    ``cafile``) but is setup: the recording restarts after it.
    """
    sp = next(s for s in target.sps if s.name == case.sp).for_flow(case.flow)
    certs = trusted_certs_of(target, sp, proxy_url=proxy_url, cafile=cafile)
    recording.context = DecodeContext(trusted_certs=tuple(certs), now=dt.datetime.now(dt.timezone.utc),
                                      cert_horizon=dt.timedelta(days=sp.expect.cert_expiry_days))
    recording.restart()
    trace = run_flow(page, recording, target, case, screenshot_dir=screenshot_dir, step_timeout_ms=step_timeout_ms)
    check_expectations(trace, sp, target.users[case.user], case.flow, idp=target.idp)
    return trace


def _journey(page: Page, recording: FlowRecording, target: Target, sp: SpSpec, case: FlowCase, user: TestUser,
             screenshot_dir: Path | None, step_timeout_ms: float) -> Trace:
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
    if case.flow in ("oauth_code", "oidc"):
        until = sp.landing_url
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
    ``sign_in_url``, when the file gives them.
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
        if x.relay_state:
            e.relay_state.returned == user.fill(x.relay_state)
        _certificates_fresh(trace, x.cert_expiry_days)
    landing = x.landing_url or sp.landing_url
    if landing and flow not in ("slo_sp", "slo_idp"):
        final = trace.final_hop
        if not final.hop.url.startswith(landing):
            raise ExpectationFailed(f"the flow ended at {final.hop.url} ({final.label}), expected a page under {landing}\ntrace:\n{trace.summary()}")
    problems = [p for ex in trace.exchanges for p in ex.problems]
    if problems:
        raise ExpectationFailed("the trace shows protocol problems:\n  " + "\n  ".join(str(p) for p in problems) + f"\ntrace:\n{trace.summary()}")


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
