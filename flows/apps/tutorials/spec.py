"""A tutorial spec as typed values: what a guide claims and how to check it.

One spec per guide (YAML, read by :mod:`sso_harness.apps.tutorials.spec_load`). It
names the systems and how the emulation is set up the guide's way
(``setup``), the flows to run (browser walks and plain fetches), and the
guide's claims, each a :class:`CheckSpec`: a sentence for people plus a
probe, an operator and an expected value for the machine. ``drifts`` are
set-ups the guide warns against, for demonstrating that the checklist
catches them. The format is documented in ``docs/tutorial-spec.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "Binding", "Step", "LoginSection", "UserRole", "FlowSpec", "HintCondition", "CheckSpec", "DriftSpec", "TutorialSpec",
    "STEP_ACTIONS", "OPERATORS",
]

STEP_ACTIONS = ("call", "fault", "admin", "hook")
OPERATORS = (
    "equals", "not_equals", "one_of", "contains", "not_contains", "starts_with", "not_starts_with",
    "matches", "present", "at_least", "at_most", "in_domain",
)


@dataclass(frozen=True)
class Binding:
    """A named value: a template for the emulation and, optionally, one for a real target."""

    emulation: str | None = None
    target: str | None = None


@dataclass(frozen=True)
class Step:
    """One emulation setup step.

    ``call``: ``target`` is ``mock.method``, called with ``args``/``kwargs``;
    ``fault``: ``target`` is a mock, ``kwargs`` the faults, ``options`` ``app``/``once``;
    ``admin``: ``target`` is a mock, ``options`` ``method``/``path``/``json``/``body``/``body_from``;
    ``hook``: ``target`` is ``module:function``, ``kwargs`` its arguments.
    """

    action: Literal["call", "fault", "admin", "hook"]
    target: str
    args: tuple[Any, ...] = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    options: Mapping[str, Any] = field(default_factory=dict)

    def describe(self) -> str:
        if self.action == "admin":
            return f"admin {self.options.get('method', 'POST')} {self.target}{self.options.get('path', '')}"
        return f"{self.action} {self.target}"


@dataclass(frozen=True)
class LoginSection:
    """How the emulation's sign-in page is driven (``sso_harness.targets.LoginSpec`` keys),
    plus ``ready``/``error``: selectors that show the sign-in page, or an IdP error page."""

    driver: str = "form"
    username_selector: str | None = None
    password_selector: str | None = None
    submit_selector: str | None = None
    stay_signed_in: bool = False
    federated: "LoginSection | None" = None
    ready: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class UserRole:
    """A user the flows sign in as, in the emulation; on a real target the role is
    played by ``users[0]`` (``main``) or the user whose ``role`` attribute names it."""

    role: str
    username: str
    password: str = field(repr=False, default="")
    attributes: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class FlowSpec:
    id: str
    title: str = ""
    kind: Literal["browser", "fetch"] = "browser"
    start: str = ""
    """browser: the URL opened first; fetch: the URL fetched."""
    click: str | None = None
    until: str | None = None
    """A URL prefix where the flow ends (default ``{sp.origin}/``)."""
    sign_in: bool = True
    user: str = "main"
    setup: tuple[Step, ...] = ()
    on_target: Literal["run", "skip"] | None = None
    emulation_only: str = ""
    """Why a real tenant can never show this flow (set: its claims are emulation-only by design)."""
    redeem: str | None = None
    """A token endpoint template: on a real target the harness catches the authorization code where the
    flow ends and redeems it there with the target SP's client ID and client secret, in the SP's place."""
    method: str = "GET"
    form: Mapping[str, str] = field(default_factory=dict)
    timeout_s: float = 15.0

    @property
    def runs_on_target(self) -> bool:
        """Flows with their own setup are variants of the emulation unless they say otherwise."""
        if self.emulation_only:
            return False
        return self.on_target == "run" if self.on_target else not self.setup


@dataclass(frozen=True)
class HintCondition:
    """When a check's ``hint`` applies: a probe of the same flow, an operator and a value (``hint_when``)."""

    probe: str
    op: str
    expected: Any
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckSpec:
    claim: str
    flow: str
    probe: str
    op: str
    expected: Any
    params: Mapping[str, Any] = field(default_factory=dict)
    hint: str = ""
    emulation_only: bool = False
    by_design: str = ""
    """Why a real tenant can never show this claim (set only with ``emulation_only``); empty: the check
    reads the emulation's own pages or state."""
    hint_when: tuple[HintCondition, ...] = ()
    """The hint is shown with a ✗ only when one of these holds (none given: always)."""


@dataclass(frozen=True)
class DriftSpec:
    """A set-up the guide warns against, applied on top of the flows it names."""

    name: str
    warning: str
    flows: tuple[str, ...]
    setup: tuple[Step, ...]


@dataclass(frozen=True)
class TutorialSpec:
    name: str
    title: str
    summary: str
    guide: str
    sp_name: str
    sp: Mapping[str, Binding]
    idp: Mapping[str, Binding]
    login: LoginSection
    users: Mapping[str, UserRole]
    flows: tuple[FlowSpec, ...]
    checks: tuple[CheckSpec, ...]
    trust: tuple[str, ...] = ()
    setup: tuple[Step, ...] = ()
    drifts: tuple[DriftSpec, ...] = ()
    signed_in: Mapping[str, str] = field(default_factory=dict)
    """How the emulation's SP pages show a signed-in user (``SignInRule`` keys, templates); a real target
    uses its SP's own ``signed_in`` rule, or the SAML default."""
    source: str = ""

    def flow(self, flow_id: str) -> FlowSpec:
        for f in self.flows:
            if f.id == flow_id:
                return f
        raise KeyError(flow_id)

    def drift(self, name: str) -> DriftSpec:
        for d in self.drifts:
            if d.name == name:
                return d
        known = ", ".join(d.name for d in self.drifts) or "none"
        raise KeyError(f"{self.name} has no drift {name!r}; it has: {known}")
