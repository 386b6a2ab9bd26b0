"""Where a tutorial runs: the emulation, or a real target from the targets file.

A lane supplies the values the spec's templates use, plays the spec's user
roles, drives the sign-in page, says which IdP certificates to trust, and,
in the emulation only, carries out setup steps. The runner is the same for
both; a real target simply cannot run the emulation's variants.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlsplit

from cryptography import x509

from sso_harness.browser.login import LoginDriver
from sso_harness.browser.signed_in import SignInRule
from sso_harness.apps.tutorials.hook import Cleanup
from sso_harness.apps.tutorials.spec import FlowSpec, LoginSection, Step, TutorialSpec, UserRole
from sso_harness.apps.tutorials.template import resolve_bindings

if TYPE_CHECKING:  # the emulation lane's fleet; a real target's lane has none
    from playwright.sync_api import Page

    from sso_harness.mocks.fleet import MockFleet

__all__ = ["Lane", "PageAction", "BEFORE_SIGN_IN_STEPS", "ROLE_PREFIX", "origin_of", "add_origin", "settle_values", "user_values", "filled_rule"]

#: How a missing user role is named in :class:`~sso_harness.apps.tutorials.errors.ValueMissing`.
ROLE_PREFIX = "user role "


PageAction = Callable[["Page"], None]
"""Something done on the SP's page before signing in (the guide's "Go" or "Test connection" press)."""

#: The value a target lacks when a guide presses a button on the SP's page and the target declares no steps for it.
BEFORE_SIGN_IN_STEPS = "sp.steps.before_sign_in"


class Lane(Protocol):
    name: str
    emulation: bool
    proxy_url: str

    @property
    def fleet(self) -> MockFleet | None:
        """The running emulation; None on a real target."""
        ...

    def values(self, spec: TutorialSpec) -> dict[str, str]: ...

    def user(self, spec: TutorialSpec, role: str) -> UserRole: ...

    def login(self, spec: TutorialSpec) -> tuple[LoginDriver, LoginSection]: ...

    def trust(self, spec: TutorialSpec, values: Mapping[str, str]) -> list[x509.Certificate]: ...

    def prepare(self, steps: Sequence[Step], values: Mapping[str, str]) -> list[Cleanup]: ...

    def reset(self) -> None: ...

    def client_secret(self) -> str | None:
        """The SP's client secret for the harness to redeem a code with (a real target's, from its
        environment); None in the emulation, where the SP redeems its own codes."""
        ...

    def signed_in_rule(self, spec: TutorialSpec, values: Mapping[str, str]) -> SignInRule | None:
        """What a signed-in user looks like at the SP (None: the SAML default decides)."""
        ...

    def before_sign_in(self, flow: FlowSpec, user: UserRole | None) -> PageAction | None:
        """For a flow whose guide presses a button on the SP's page (its ``click``), how to press it: the
        spec's selector in the emulation (our mock's page), the SP's own ``steps.before_sign_in`` from the
        targets file on a real target, never the mock's selector. None when the flow presses nothing;
        raises :class:`ValueMissing` (``sp.steps.before_sign_in``) when a target declares no steps."""
        ...


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def add_origin(values: dict[str, str]) -> dict[str, str]:
    """``sp.origin``: where the SP lives, from its ACS, landing or sign-on URL (unless given);
    ``sp.host``: that origin's host name, without the port (unless given)."""
    if "sp.origin" not in values:
        for key in ("sp.acs", "sp.landing_url", "sp.sign_on_url"):
            if values.get(key):
                values["sp.origin"] = origin_of(values[key])
                break
    if "sp.host" not in values and values.get("sp.origin"):
        values["sp.host"] = urlsplit(values["sp.origin"]).hostname or ""
    return values


def settle_values(bindings: Mapping[str, str], values: dict[str, str], overrides: Mapping[str, str]) -> dict[str, str]:
    """Fill the spec's bindings, then ``--set`` overrides (they win), then ``sp.origin``/``sp.host``,
    then the bindings that refer to those two."""
    resolve_bindings(bindings, values)
    values.update(overrides)
    add_origin(values)
    resolve_bindings({k: v for k, v in bindings.items() if k not in values}, values)
    return values


def user_values(user: UserRole) -> dict[str, str]:
    """``user.username``, ``user.role`` and every attribute (never the password)."""
    out = {f"user.{k}": v for k, v in user.attributes.items()}
    out.update({"user.username": user.username, "user.role": user.role})
    return out


def filled_rule(fields: Mapping[str, object], values: Mapping[str, str]) -> SignInRule | None:
    """A :class:`SignInRule` from its keys, the text ones with ``{...}`` templates filled (a value the
    lane lacks leaves the template as written); None when it declares nothing."""
    from sso_harness.apps.tutorials.errors import ValueMissing
    from sso_harness.apps.tutorials.template import fill

    def text(key: str) -> str | None:
        raw = fields.get(key)
        if raw is None:
            return None
        try:
            return fill(str(raw), values)
        except ValueMissing:
            return str(raw)

    status = fields.get("probe_status")
    rule = SignInRule(url=text("url"), selector=text("selector"), text=text("text"), cookie=text("cookie"),
                      probe_url=text("probe_url"), probe_status=int(str(status)) if status is not None else None,
                      probe_text=text("probe_text"))
    return rule if rule.declared else None
