"""Probes: named ways of reading one value out of a flow's outcome.

A probe returns an :class:`Observation` (the value and the hop it was seen
at, which become the check's evidence) or raises
:class:`~sso_harness.apps.tutorials.errors.NotObserved` saying what the flow lacked.
A value that is simply absent (no InResponseTo, no refresh token) is an
observation of ``None`` or ``False``, not a failure to observe.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sso_harness.trace.trace import Trace
from sso_harness.apps.tutorials.errors import NotObserved
from sso_harness.apps.tutorials.outcome import FlowOutcome

__all__ = ["Observation", "ProbeInput", "Probe", "need_trace", "param"]


@dataclass(frozen=True)
class Observation:
    value: Any
    hop: str


@dataclass(frozen=True)
class ProbeInput:
    outcome: FlowOutcome
    params: Mapping[str, Any] = field(default_factory=dict)
    """The check's probe parameters (``to``, ``name``, ``selector``...), templates filled."""
    values: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Probe:
    name: str
    read: Callable[[ProbeInput], Observation]
    about: str
    needs: tuple[str, ...] = ()
    """Parameters the probe cannot do without (checked when the spec is read)."""


def need_trace(inp: ProbeInput) -> Trace:
    if inp.outcome.trace is None:
        raise NotObserved("the flow recorded no trace")
    return inp.outcome.trace


def param(inp: ProbeInput, name: str, default: Any = None) -> Any:
    return inp.params.get(name, default)
