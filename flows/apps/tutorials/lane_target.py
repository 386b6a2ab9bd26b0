"""The real-target lane: a team's own tenant and SP, from the targets file.

Values: ``sp.<key>`` from ``targets.<T>.sps.<name>`` (entity_id, acs,
sign_on_url, landing_url, launch_url, idp_metadata_url, logout_url,
client_id, scopes), ``idp.<key>`` from ``targets.<T>.idp`` (kind, tenant,
metadata_url, launch_url, issuer, entity_id, sign_in_url, authorize_url,
token_url); a spec binding's ``target`` template
fills a key the targets file lacks; ``--set`` overrides win. User roles:
``main`` is ``users[0]``, any other role the user whose ``role`` attribute
names it. Trusted certificates: the target's pinned files and metadata,
plus the spec's ``trust`` URLs it can fill, read through the capture proxy.
Setup steps never run here; a button the guide presses on the SP's page is
the SP's ``steps.before_sign_in``. The SP's ``client_secret`` (a ``${VAR}``) lets the
harness redeem a code in the SP's place (a flow's ``redeem``); its
``signed_in`` rule decides whether a sign-in completed.
"""

from __future__ import annotations

import ssl
from dataclasses import fields
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path

from cryptography import x509
from playwright.sync_api import Page

from sso_harness.browser.login import LoginDriver
from sso_harness.browser.signed_in import SignInRule
from sso_harness.protocols.xml.dsig.keys import load_certificates
from sso_harness.targets.metadata import parse_idp_metadata
from sso_harness.targets.steps import run_steps
from sso_harness.targets.target import SpSpec, Target, TestUser
from sso_harness.targets.runner import driver_for
from sso_harness.apps.tutorials.errors import StepFailed, ValueMissing
from sso_harness.apps.tutorials.hook import Cleanup
from sso_harness.apps.tutorials.lane import BEFORE_SIGN_IN_STEPS, ROLE_PREFIX, PageAction, filled_rule, settle_values
from sso_harness.apps.tutorials.spec import FlowSpec, LoginSection, Step, TutorialSpec, UserRole
from sso_harness.apps.tutorials.template import fill

__all__ = ["TargetLane", "TargetHasNoSp"]

_SP_KEYS = ("entity_id", "acs", "sign_on_url", "landing_url", "launch_url", "idp_metadata_url", "logout_url", "client_id")
_IDP_KEYS = ("kind", "tenant", "metadata_url", "launch_url", "issuer", "entity_id", "sign_in_url", "authorize_url", "token_url")


class TargetHasNoSp(LookupError):
    """The targets file describes no SP under the spec's (or ``--sp``) name."""


class TargetLane:
    emulation = False
    fleet = None

    def __init__(
        self, target: Target, sp_name: str, *, proxy_url: str, overrides: Mapping[str, str] | None = None, cafile: str | None = None
    ) -> None:
        found = next((s for s in target.sps if s.name == sp_name), None)
        if found is None:
            known = ", ".join(s.name for s in target.sps) or "none"
            raise TargetHasNoSp(f"target {target.name!r} has no SP named {sp_name!r} (it has: {known}); pass --sp NAME")
        self.target = target
        self.sp: SpSpec = found
        self.proxy_url = proxy_url
        self.overrides = dict(overrides or {})
        self.cafile = cafile
        self.name = target.name

    def values(self, spec: TutorialSpec) -> dict[str, str]:
        values: dict[str, str] = {"sp.name": self.sp.name}
        values.update({f"sp.{k}": str(getattr(self.sp, k)) for k in _SP_KEYS if getattr(self.sp, k)})
        if self.sp.scopes:
            values["sp.scopes"] = " ".join(self.sp.scopes)
        values.update({f"idp.{k}": str(getattr(self.target.idp, k)) for k in _IDP_KEYS if getattr(self.target.idp, k)})
        bindings = {f"sp.{k}": b.target for k, b in spec.sp.items() if b.target is not None and f"sp.{k}" not in values}
        bindings.update({f"idp.{k}": b.target for k, b in spec.idp.items() if b.target is not None and f"idp.{k}" not in values})
        return settle_values(bindings, values, self.overrides)

    def user(self, spec: TutorialSpec, role: str) -> UserRole:
        users = self.target.users
        chosen = users[0] if role == "main" and users else next((u for u in users if u.attributes.get("role") == role), None)
        if chosen is None:
            raise ValueMissing(f"{ROLE_PREFIX}{role}")
        return UserRole(role, chosen.username, chosen.password, dict(chosen.attributes))

    def login(self, spec: TutorialSpec) -> tuple[LoginDriver, LoginSection]:
        own = self.target.idp.login
        # The spec's page selectors describe the guide's IdP page; they apply when the driver is the same.
        same = own.driver == spec.login.driver
        return driver_for(own), LoginSection(driver=own.driver, ready=spec.login.ready if same else None,
                                             error=spec.login.error if same else None)

    def trust(self, spec: TutorialSpec, values: Mapping[str, str]) -> list[x509.Certificate]:
        """Pinned certificate files, then the SP's and the IdP's metadata, then the spec's ``trust`` URLs."""
        certs: list[x509.Certificate] = []
        for path in self.target.idp.signing_certs:
            certs.extend(load_certificates(Path(path).read_bytes()))
        urls = [self.sp.idp_metadata_url, self.target.idp.metadata_url]
        for template in spec.trust:
            try:
                urls.append(fill(template, values))
            except ValueMissing:
                continue  # the target has no such metadata; its own certificates stand
        for url in dict.fromkeys(u for u in urls if u):
            certs.extend(self._metadata_certs(url))
        return certs

    def _metadata_certs(self, url: str) -> list[x509.Certificate]:
        # Through the capture proxy (trusting its CA), like every other request of the run.
        handlers: list[urllib.request.BaseHandler] = [urllib.request.ProxyHandler({"http": self.proxy_url, "https": self.proxy_url})]
        if self.cafile:
            handlers.append(urllib.request.HTTPSHandler(context=ssl.create_default_context(cafile=self.cafile)))
        try:
            with urllib.request.build_opener(*handlers).open(url, timeout=15) as answer:
                return list(parse_idp_metadata(answer.read(2 * 1024 * 1024)).signing_certs)
        except Exception as exc:  # network, TLS or a malformed document: the flow's checks say so
            raise StepFailed(f"trust: cannot read IdP metadata at {url}: {exc}") from exc

    def prepare(self, steps: Sequence[Step], values: Mapping[str, str]) -> list[Cleanup]:
        return []  # a real tenant is configured by its admins, not by the harness

    def reset(self) -> None:
        return None

    def client_secret(self) -> str | None:
        return self.sp.client_secret

    def before_sign_in(self, flow: FlowSpec, user: UserRole | None) -> PageAction | None:
        """The SP's ``steps.before_sign_in`` from the targets file, for a flow whose guide presses a button on
        the SP's page: what that button is on this tenant's page is the team's to declare, not the mock's."""
        if flow.click is None:
            return None
        steps = self.sp.steps.before_sign_in
        if not steps:
            raise ValueMissing(BEFORE_SIGN_IN_STEPS)
        chosen = next((u for u in self.target.users if user is not None and u.username == user.username), None)
        test_user = chosen or (self.target.users[0] if self.target.users else TestUser("", ""))
        timeout_ms = flow.timeout_s * 1000

        def press(page: Page) -> None:
            run_steps(page, steps, test_user, phase="before_sign_in", timeout_ms=timeout_ms)

        return press

    def signed_in_rule(self, spec: TutorialSpec, values: Mapping[str, str]) -> SignInRule | None:
        """The SP's own ``signed_in`` rule from the targets file (``{user.*}`` filled); None: the SAML default."""
        rule = self.sp.signed_in
        return filled_rule({f.name: getattr(rule, f.name) for f in fields(rule)}, values) if rule is not None else None
