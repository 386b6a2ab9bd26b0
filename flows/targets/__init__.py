"""Targets: a team's IdP, its SPs, test users and expectations, described once.

See ``targets.example.yaml`` at the repository root and README "Targets".
"""

from sso_harness.targets.load import TargetError, load_targets, parse_targets
from sso_harness.targets.target import Expectations, FlowKind, IdpSpec, LoginSpec, SpSpec, Target, TestUser

__all__ = [
    "Expectations", "FlowKind", "IdpSpec", "LoginSpec", "SpSpec", "Target", "TargetError", "TestUser",
    "load_targets", "parse_targets",
]
