"""Carry out a spec's setup steps on a running emulation.

``call`` invokes a configuration method of a mock (the methods tests use:
``configure_app``, ``configure_registration``, ``configure``,
``configure_idp``, ``enable_sso``...), ``fault`` injects response faults,
``admin`` talks to a mock's admin API over HTTP (``/_admin/...``), and
``hook`` runs a Python function. Everything a ``call``, ``fault`` or
``admin`` step changes is undone by the fleet's reset; a hook returns its
own undo. Any problem is a :class:`~sso_harness.apps.tutorials.errors.StepFailed`
naming the step.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Mapping
from typing import TYPE_CHECKING

from sso_harness.apps.tutorials.errors import StepFailed
from sso_harness.apps.tutorials.hook import Cleanup, HookContext, resolve_hook
from sso_harness.apps.tutorials.spec import Step
from sso_harness.apps.tutorials.template import fill_any

if TYPE_CHECKING:  # the emulation lane starts the fleet
    from sso_harness.mocks.fleet import MockFleet
    from sso_harness.mocks.web.app import MockApp

__all__ = ["run_step"]

_TIMEOUT_S = 10


def run_step(fleet: MockFleet, step: Step, values: Mapping[str, str]) -> Cleanup | None:
    """Apply one step; returns an undo function for hook steps that need one."""
    if step.action == "call":
        _call(fleet, step, values)
    elif step.action == "fault":
        _fault(fleet, step, values)
    elif step.action == "admin":
        _admin(fleet, step, values)
    else:
        undo = resolve_hook(step.target)(HookContext(fleet, values, fill_any(dict(step.kwargs), values)))
        return undo if callable(undo) else None
    return None


def _mock(fleet: MockFleet, name: str, step: Step) -> MockApp:
    mock = fleet.mocks.get(name)
    if mock is None:
        raise StepFailed(f"{step.describe()}: no mock {name!r}; running: {', '.join(sorted(fleet.mocks))}")
    return mock


def _call(fleet: MockFleet, step: Step, values: Mapping[str, str]) -> None:
    name, _, method = step.target.partition(".")
    mock = _mock(fleet, name, step)
    fn = getattr(mock, method, None)
    if method.startswith("_") or not callable(fn):
        raise StepFailed(f"{step.describe()}: the {name} mock has no configuration method {method!r}")
    args, kwargs = fill_any(step.args, values), fill_any(dict(step.kwargs), values)
    try:
        fn(*args, **kwargs)
    except Exception as exc:  # the mock's own validation, e.g. an unknown field
        raise StepFailed(f"{step.describe()}: {type(exc).__name__}: {exc}") from exc


def _fault(fleet: MockFleet, step: Step, values: Mapping[str, str]) -> None:
    from sso_harness.mocks.base.faults import FaultSpecError, faults_from_json

    mock = _mock(fleet, step.target, step)
    try:
        faults = faults_from_json(fill_any(dict(step.kwargs), values))
    except FaultSpecError as exc:
        raise StepFailed(f"{step.describe()}: {exc}") from None
    app = step.options.get("app")
    mock.inject(faults, app=fill_any(app, values) if app else None, once=bool(step.options.get("once")))


def _admin(fleet: MockFleet, step: Step, values: Mapping[str, str]) -> None:
    _mock(fleet, step.target, step)
    o = fill_any(dict(step.options), values)
    url = fleet.urls()[step.target] + str(o["path"])
    headers = {}
    if "json" in o:
        body: bytes | None = json.dumps(o["json"]).encode()
        headers["Content-Type"] = "application/json"
    elif "body_from" in o:
        body = _read(str(o["body_from"]), step)
    elif "body" in o:
        body = str(o["body"]).encode()
    else:
        body = None
    request = urllib.request.Request(url, data=body, method=str(o.get("method", "POST")).upper(), headers=headers)
    try:
        with _direct().open(request, timeout=_TIMEOUT_S) as answer:
            answer.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read(500).decode("utf-8", "replace")
        raise StepFailed(f"{step.describe()}: HTTP {exc.code}: {detail}") from None
    except OSError as exc:
        raise StepFailed(f"{step.describe()}: {exc}") from None


def _read(url: str, step: Step) -> bytes:
    try:
        with _direct().open(url, timeout=_TIMEOUT_S) as answer:
            body: bytes = answer.read(2 * 1024 * 1024)
        return body
    except OSError as exc:
        raise StepFailed(f"{step.describe()}: cannot read {url}: {exc}") from None


def _direct() -> urllib.request.OpenerDirector:
    # Setup talks to the emulation directly: it is not part of any flow's trace.
    return urllib.request.build_opener(urllib.request.ProxyHandler({}))
