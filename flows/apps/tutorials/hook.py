"""Hooks: small Python functions for what a spec cannot say as data.

A hook is named ``module:function`` in a spec. A module without dots is
looked up among the seed guides' hooks (``flows/apps/tutorials/hooks/<module>.py``); a dotted
one is imported as is, so a team can keep hooks for its own guides in its
own package. Two kinds:

* a **setup hook** (``setup: - hook: module:function``) configures the
  emulation; it may return a function that undoes what it did, called after
  the flow (the fleet's own reset covers everything done through the mocks'
  configuration methods);
* a **probe hook** (``probe: hook`` with ``hook: module:function``) returns
  an :class:`~sso_harness.apps.tutorials.observe.Observation` or raises
  :class:`~sso_harness.apps.tutorials.errors.NotObserved`.

Both receive a :class:`HookContext`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sso_harness.apps.tutorials.errors import StepFailed

if TYPE_CHECKING:  # types only: the fleet is started by the lane, the outcome made by the runner
    from sso_harness.apps.tutorials.outcome import FlowOutcome
    from sso_harness.mocks.fleet import MockFleet

__all__ = ["HookContext", "Cleanup", "resolve_hook"]

Cleanup = Callable[[], None]
# Where a hook named without dots is looked up: one module per seed guide.
_GUIDE_HOOKS = "sso_harness.apps.tutorials.hooks"


@dataclass(frozen=True)
class HookContext:
    fleet: MockFleet | None
    """The running emulation; None on a real target."""
    values: Mapping[str, str] = field(default_factory=dict)
    args: Mapping[str, Any] = field(default_factory=dict)
    """The step's or check's ``with:`` mapping, templates filled."""
    outcome: FlowOutcome | None = None
    """For probe hooks: the flow's :class:`~sso_harness.apps.tutorials.outcome.FlowOutcome`."""

    @property
    def emulation(self) -> MockFleet:
        """The running emulation, for hooks that configure it; StepFailed on a real target."""
        if self.fleet is None:
            raise StepFailed("this hook configures the emulation's mocks; there are none on a real target")
        return self.fleet


def resolve_hook(name: str) -> Callable[[HookContext], Any]:
    module, _, function = name.partition(":")
    path = module if "." in module else f"{_GUIDE_HOOKS}.{module}"
    try:
        loaded = importlib.import_module(path)
    except ImportError as exc:
        raise StepFailed(f"hook {name!r}: cannot import {path}: {exc}") from None
    found = getattr(loaded, function, None)
    if not callable(found) or function.startswith("_"):
        raise StepFailed(f"hook {name!r}: {path} has no public function {function!r}")
    hook: Callable[[HookContext], Any] = found
    return hook
