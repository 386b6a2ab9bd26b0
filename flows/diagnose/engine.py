"""Run every diagnosis rule over a trace and order the findings.

A rule is a function ``(Evidence) -> Iterable[Finding]``. Rules never see
the network and never raise into the caller: a rule that fails on an
unexpected trace is reported as an ``info`` finding naming the rule, so a
bug in one rule never hides what the others found.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence

from sso_harness.diagnose import rules_browser, rules_errors, rules_oauth, rules_saml, rules_time, rules_trust
from sso_harness.diagnose.evidence import Evidence, PageText, SpExpectations, Tolerances
from sso_harness.diagnose.finding import SEVERITY_ORDER, Finding
from sso_harness.trace.trace import Trace

__all__ = ["Rule", "RULES", "diagnose", "diagnose_evidence"]

Rule = Callable[[Evidence], Iterable[Finding]]

#: In the order their findings are most useful to read when severities tie.
RULES: tuple[tuple[str, Rule], ...] = (
    ("aadsts", rules_errors.aadsts_errors),
    ("saml-status", rules_errors.saml_status),
    ("oauth-error", rules_errors.oauth_errors),
    ("acs", rules_saml.acs),
    ("audience", rules_saml.audience),
    ("recipient/destination", rules_saml.recipient_destination),
    ("name-id", rules_saml.name_id),
    ("clock-skew", rules_time.clock_skew),
    ("certificate", rules_time.certificate_expiry),
    ("missed-rollover", rules_trust.untrusted_signer),
    ("relay-state", rules_saml.relay_state),
    ("state", rules_oauth.state),
    ("pkce", rules_oauth.pkce),
    ("redirect-uri", rules_oauth.redirect_uri),
    ("cookies", rules_browser.dropped_cookies),
    ("redirect-loop", rules_browser.redirect_loop),
    ("undecodable", rules_errors.undecodable),
)


def diagnose_evidence(evidence: Evidence, rules: Sequence[tuple[str, Rule]] = RULES) -> list[Finding]:
    found: list[Finding] = []
    for name, rule in rules:
        try:
            found.extend(rule(evidence))
        except Exception as exc:  # noqa: BLE001 - one broken rule must not hide the others
            found.append(Finding("diagnosis-internal", "info", None, None,
                                 f"The {name} rule could not run on this trace ({type(exc).__name__}: {exc}).",
                                 "Report this trace to the sso-harness developers."))
    order = {name: i for i, (name, _) in enumerate(rules)}
    unique = list(dict.fromkeys(found))
    return sorted(unique, key=lambda f: (SEVERITY_ORDER[f.severity], order.get(f.rule, len(order)), f.hop if f.hop is not None else -1))


def diagnose(
    trace: Trace,
    *,
    pages: Sequence[PageText] = (),
    expected: SpExpectations | None = None,
    tolerances: Tolerances | None = None,
    now: dt.datetime | None = None,
) -> list[Finding]:
    """Findings for ``trace``, errors first. An empty list means no rule saw a problem."""
    evidence = Evidence(trace, tuple(pages), expected or SpExpectations(), tolerances or Tolerances(), now)
    return diagnose_evidence(evidence)
