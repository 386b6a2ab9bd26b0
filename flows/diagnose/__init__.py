"""Diagnosis: rules over a trace that name the evidence hop and say, in plain words,
what is wrong and what to change.

Public API::

    diagnose(trace, *, pages=(), expected=None, tolerances=None, now=None) -> list[Finding]
    Finding(rule, severity, hop, hop_label, what, change)
    PageText(url, text, hop=None); SpExpectations(entity_id, acs_url, name_id, name_id_format)
    Tolerances(clock=60 s, cert_horizon=30 days, loop=3); RULES
"""

from sso_harness.diagnose.engine import RULES, Rule, diagnose, diagnose_evidence
from sso_harness.diagnose.evidence import Evidence, PageText, SpExpectations, Tolerances
from sso_harness.diagnose.finding import SEVERITY_ORDER, Finding, Severity

__all__ = [
    "RULES", "SEVERITY_ORDER", "Evidence", "Finding", "PageText", "Rule", "Severity", "SpExpectations",
    "Tolerances", "diagnose", "diagnose_evidence",
]
