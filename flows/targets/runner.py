"""Run one flow of a target: pick the driver and journey, then check the expectations.

Nothing here knows about a vendor: the target says which driver signs in,
which URLs start and end each flow, and what the SP must receive.
"""

from __future__ import annotations

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
from sso_harness.targets.target import LoginSpec, SpSpec, Target, TestUser
from sso_harness.trace.trace import Trace

__all__ = ["FlowCase", "cases_of", "driver_for", "trusted_certs_of", "run_flow", "check_expectations"]


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


def run_flow(page: Page, recording: FlowRecording, target: Target, case: FlowCase, *, screenshot_dir: Path | None = None) -> Trace:
    sp = next(s for s in target.sps if s.name == case.sp)
    user = target.users[case.user]
    creds = Credentials(user.username, user.password)
    login = driver_for(target.idp.login, screenshot_dir=screenshot_dir)
    if case.flow == "sp_initiated":
        return sp_initiated_saml(page, recording, start_url=_need(sp.sign_on_url, sp, "sign_on_url"), login=login, credentials=creds)
    if case.flow == "idp_initiated":
        launch = _need(sp.launch_url or target.idp.launch_url, sp, "launch_url")
        return idp_initiated_saml(page, recording, launch_url=launch, sp_url=_need(sp.landing_url or sp.acs, sp, "landing_url"),
                                  login=login, credentials=creds)
    if case.flow == "wsfed":
        return wsfed_sign_in(page, recording, start_url=_need(sp.sign_on_url, sp, "sign_on_url"), login=login, credentials=creds)
    if case.flow in ("oauth_code", "oidc"):
        until = sp.landing_url
        return oauth_code(page, recording, start_url=_need(sp.sign_on_url, sp, "sign_on_url"), login=login, credentials=creds,
                          until=until)
    if case.flow in ("slo_sp", "slo_idp"):
        sp_initiated_saml(page, recording, start_url=_need(sp.sign_on_url, sp, "sign_on_url"), login=login, credentials=creds)
        recording.restart()
        return single_logout(page, recording, start_url=_need(sp.logout_url, sp, "logout_url"),
                             until=_need(sp.landing_url, sp, "landing_url"))
    raise ValueError(f"flow {case.flow!r} is not runnable")


def _need(value: str | None, sp: SpSpec, key: str) -> str:
    if not value:
        raise ExpectationFailed(f"the target's SP {sp.name!r} has no {key}, which this flow needs")
    return value


def check_expectations(trace: Trace, sp: SpSpec, user: TestUser, flow: str) -> None:
    """Every expectation the target states; the first that fails raises, with context."""
    e = expect(trace)
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
        if sp.entity_id:
            e.saml_response.audience == sp.entity_id
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


def _certificates_fresh(trace: Trace, horizon_days: int) -> None:
    warnings = [w for w in getattr(trace.saml_response, "warnings", ()) if "expire" in w.lower()]
    if warnings:
        hop = trace.saml_response_hop
        raise ExpectationFailed(f"signing certificate expiry within {horizon_days} days (at hop {hop.label}): {warnings[0]}")
