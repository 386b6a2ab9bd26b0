"""Tutorials as executable specs: each integration guide becomes a checklist that runs.

A spec (YAML, ``flows/apps/tutorials/specs/``; format in ``docs/tutorial-spec.md``)
lists a guide's checkable claims, the flows that exercise them and how the
emulation is set up the guide's way. The runner is generic: it knows probes
(SAML, OAuth, the final page, fetched documents), operators and lanes (the
emulation, or a real target from the targets file), never a vendor.

Public API::

    load_named(name) -> TutorialSpec           # a packaged spec, or a path to one
    load_spec(path), parse_spec(text, source=)  # read a spec file; SpecError on mistakes
    spec_names() -> list[str]
    run_tutorial(spec, lane, context, recorder, *, drift=None, cafile=None) -> TutorialResult
    EmulationLane(fleet, proxy_url=, overrides=), TargetLane(target, sp_name, proxy_url=, overrides=)
    TutorialSession(emulation=, allow_egress=)   # proxy + Chromium (+ mock fleet) outside pytest
    render_checklist(result) -> str; result.to_json()
"""

from sso_harness.apps.tutorials.catalog import SPECS_DIR, load_named, spec_names
from sso_harness.apps.tutorials.errors import NotObserved, SpecError, StepFailed, ValueMissing
from sso_harness.apps.tutorials.lane_emulation import EmulationLane
from sso_harness.apps.tutorials.lane_target import TargetHasNoSp, TargetLane
from sso_harness.apps.tutorials.observe import Observation
from sso_harness.apps.tutorials.probes import PROBES
from sso_harness.apps.tutorials.render import render_checklist
from sso_harness.apps.tutorials.result import CheckResult, Evidence, TutorialResult
from sso_harness.apps.tutorials.runner import NEEDS_EMULATION, run_tutorial
from sso_harness.apps.tutorials.session import TutorialSession
from sso_harness.apps.tutorials.spec import CheckSpec, DriftSpec, FlowSpec, TutorialSpec
from sso_harness.apps.tutorials.spec_load import load_spec, parse_spec

__all__ = [
    "SPECS_DIR", "NEEDS_EMULATION", "PROBES",
    "CheckResult", "CheckSpec", "DriftSpec", "EmulationLane", "Evidence", "FlowSpec", "NotObserved", "Observation",
    "SpecError", "StepFailed", "TargetHasNoSp", "TargetLane", "TutorialResult", "TutorialSession", "TutorialSpec",
    "ValueMissing",
    "load_named", "load_spec", "parse_spec", "render_checklist", "run_tutorial", "spec_names",
]
