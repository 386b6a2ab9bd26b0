"""Targets: a team's IdP, its SPs, test users and expectations, described once.

See ``targets.example.yaml`` at the repository root, the embedded mocks'
own file (``sso_harness/targets/mocks.yaml``) and README "`sso-harness run`
and targets".
"""

from sso_harness.targets.load import TargetError, TargetProblem, load_target, load_targets, parse_targets
from sso_harness.targets.target import (
    Expectations,
    FlowKind,
    FlowOverride,
    IdpSpec,
    JourneyStep,
    LoginSpec,
    SignedInSpec,
    SpSpec,
    Steps,
    Target,
    TestUser,
)

__all__ = [
    "Expectations", "FlowKind", "FlowOverride", "IdpSpec", "JourneyStep", "LoginSpec", "SignedInSpec", "SpSpec", "Steps",
    "Target", "TargetError", "TargetProblem", "TestUser", "load_target", "load_targets", "parse_targets",
]
