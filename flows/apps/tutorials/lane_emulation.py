"""The emulation lane: a running mock fleet, configured the spec's way.

Values: ``urls.<mock>`` (each mock's base URL), ``endpoints.<name>`` (the
fleet's named endpoints, e.g. ``endpoints.<mock>.<endpoint>``), ``ids.<name>``
(the scenario's fixed IDs), then the spec's ``sp`` and ``idp`` bindings
(their ``emulation`` templates), then ``--set`` overrides.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING

from cryptography import x509
from playwright.sync_api import Page

from sso_harness.browser.login import LoginDriver
from sso_harness.browser.signed_in import SignInRule
from sso_harness.targets.metadata import fetch_idp_metadata
from sso_harness.targets.target import LoginSpec
from sso_harness.targets.runner import driver_for
from sso_harness.apps.tutorials.errors import StepFailed, ValueMissing
from sso_harness.apps.tutorials.hook import Cleanup
from sso_harness.apps.tutorials.lane import ROLE_PREFIX, PageAction, filled_rule, settle_values
from sso_harness.apps.tutorials.spec import FlowSpec, LoginSection, Step, TutorialSpec, UserRole
from sso_harness.apps.tutorials.steps import run_step
from sso_harness.apps.tutorials.template import fill

if TYPE_CHECKING:  # the caller starts the fleet
    from sso_harness.mocks.fleet import MockFleet

__all__ = ["EmulationLane", "login_spec_of"]


def login_spec_of(section: LoginSection) -> LoginSpec:
    return LoginSpec(
        driver=section.driver,
        username_selector=section.username_selector,
        password_selector=section.password_selector,
        submit_selector=section.submit_selector,
        stay_signed_in=section.stay_signed_in,
        federated=login_spec_of(section.federated) if section.federated else None,
    )


class EmulationLane:
    emulation = True

    fleet: MockFleet

    def __init__(self, fleet: MockFleet, *, proxy_url: str, overrides: Mapping[str, str] | None = None, name: str = "mocks") -> None:
        self.fleet = fleet
        self.proxy_url = proxy_url
        self.overrides = dict(overrides or {})
        self.name = name

    def values(self, spec: TutorialSpec) -> dict[str, str]:
        from sso_harness.mocks.scenario import IDS

        values: dict[str, str] = {f"urls.{k}": v for k, v in self.fleet.urls().items()}
        values.update({f"endpoints.{k}": v for k, v in self.fleet.endpoints().items()})
        values.update({f"ids.{k}": str(v) for k, v in asdict(IDS).items()})
        values["sp.name"] = spec.sp_name
        bindings = {f"sp.{k}": b.emulation for k, b in spec.sp.items() if b.emulation is not None}
        bindings.update({f"idp.{k}": b.emulation for k, b in spec.idp.items() if b.emulation is not None})
        return settle_values(bindings, values, self.overrides)

    def user(self, spec: TutorialSpec, role: str) -> UserRole:
        if role not in spec.users:
            raise ValueMissing(f"{ROLE_PREFIX}{role}")
        return spec.users[role]

    def login(self, spec: TutorialSpec) -> tuple[LoginDriver, LoginSection]:
        return driver_for(login_spec_of(spec.login)), spec.login

    def trust(self, spec: TutorialSpec, values: Mapping[str, str]) -> list[x509.Certificate]:
        certs: list[x509.Certificate] = []
        for template in spec.trust:
            url = fill(template, values)
            try:
                certs.extend(fetch_idp_metadata(url, proxy_url=self.proxy_url).signing_certs)
            except Exception as exc:  # network or a malformed document: the checks will say
                raise StepFailed(f"trust: cannot read IdP metadata at {url}: {exc}") from exc
        return certs

    def prepare(self, steps: Sequence[Step], values: Mapping[str, str]) -> list[Cleanup]:
        undo: list[Cleanup] = []
        for step in steps:
            cleanup = run_step(self.fleet, step, values)
            if cleanup is not None:
                undo.append(cleanup)
        return undo

    def reset(self) -> None:
        self.fleet.reset()

    def client_secret(self) -> str | None:
        return None  # the emulation's SPs redeem their own codes, through the capture proxy

    def before_sign_in(self, flow: FlowSpec, user: UserRole | None) -> PageAction | None:
        """The spec's ``click``: a button of our mock's page, pressed and followed to the next page."""
        selector = flow.click
        if selector is None:
            return None
        timeout_ms = flow.timeout_s * 1000

        def press(page: Page) -> None:
            with page.expect_navigation(timeout=timeout_ms):
                page.locator(selector).first.click(timeout=timeout_ms)

        return press

    def signed_in_rule(self, spec: TutorialSpec, values: Mapping[str, str]) -> SignInRule | None:
        return filled_rule(spec.signed_in, values)
