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
from typing import Any

from sso_harness.apps.tutorials.errors import StepFailed

__all__ = ["HookContext", "Cleanup", "resolve_hook"]

Cleanup = Callable[[], None]
# Where a hook named without dots is looked up: one module per seed guide.
_GUIDE_HOOKS = "sso_harness.apps.tutorials.hooks"


@dataclass(frozen=True)
class HookContext:
    fleet: Any
    """The running emulation (a ``sso_harness.mocks.fleet.MockFleet``); None on a real target."""
    values: Mapping[str, str] = field(default_factory=dict)
    args: Mapping[str, Any] = field(default_factory=dict)
    """The step's or check's ``with:`` mapping, templates filled."""
    outcome: Any = None
    """For probe hooks: the flow's :class:`~sso_harness.apps.tutorials.outcome.FlowOutcome`."""


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
    return found  # type: ignore[no-any-return]
