"""The ``force_authn`` key (read per SP and per flow, checked on the captured AuthnRequest) and the
signed-in decision of a ``run`` flow, on the hand-built SP-initiated trace."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import pytest
from playwright.sync_api import Page

from sso_harness.expect import ExpectationFailed
from sso_harness.targets import FlowOverride
from sso_harness.targets.load import BAD_VALUE, TargetError, parse_targets
from sso_harness.targets.runner import FORCE_AUTHN_NOT_SENT, check_expectations
from sso_harness.browser.signed_in import LANDING_NOT_LOADED, SignInFacts, SignInRule, Unread, decide
from sso_harness.targets.sign_in_check import NOT_SIGNED_IN, SIGN_IN_UNDECIDED, require_signed_in, signed_in_verdict
from sso_harness.targets.target import SignedInSpec

from .test_runner_checks import APP, SP, USER, build_trace

FILE = """
targets:
  t:
    idp: {kind: generic}
    sps:
      app:
        force_authn: true
        flows:
          - sp_initiated
          - {kind: slo_sp, force_authn: false}
    users: [{username: u, password: "${PW}"}]
"""


def test_force_authn_is_read_per_sp_and_per_flow() -> None:
    sp = parse_targets(FILE, env={"PW": "x"})["t"].sps[0]
    assert sp.force_authn is True and sp.for_flow("sp_initiated").force_authn is True
    assert sp.for_flow("slo_sp").force_authn is False


def test_force_authn_must_be_true_or_false() -> None:
    with pytest.raises(TargetError) as failure:
        parse_targets(FILE.replace("force_authn: true", "force_authn: yes please"), env={"PW": "x"})
    assert failure.value.code == BAD_VALUE and "force_authn" in str(failure.value)


def test_an_authn_request_without_force_authn_fails_when_the_target_asks_for_it(tmp_path: Path) -> None:
    trace = build_trace(tmp_path)
    with pytest.raises(ExpectationFailed, match=FORCE_AUTHN_NOT_SENT):
        check_expectations(trace, dataclasses.replace(SP, force_authn=True), USER, "sp_initiated")
    off = dataclasses.replace(SP, force_authn=True, flow_overrides={"sp_initiated": FlowOverride(force_authn=False)})
    check_expectations(trace, off, USER, "sp_initiated")  # the flow's own value wins


def test_an_authn_request_with_force_authn_passes(tmp_path: Path) -> None:
    trace = build_trace(tmp_path, request_attrs='ForceAuthn="true"')
    assert trace.authn_request.force_authn is True
    check_expectations(trace, dataclasses.replace(SP, force_authn=True), USER, "sp_initiated")


def _page(url: str) -> Page:
    return cast(Page, SimpleNamespace(url=url))  # the SAML default reads only where the page is


def test_the_saml_default_signs_in_when_the_acs_sets_a_session_cookie(tmp_path: Path) -> None:
    trace = build_trace(tmp_path, acs_cookies=("app_session=abc; Path=/; HttpOnly",))
    verdict = signed_in_verdict(_page(f"{APP}/home"), trace, SP, "sp_initiated")
    assert verdict is not None and verdict.signed_in and verdict.basis == "saml-default"
    require_signed_in(verdict, trace)


def test_no_new_cookie_means_not_signed_in_with_the_failed_condition(tmp_path: Path) -> None:
    trace = build_trace(tmp_path)
    verdict = signed_in_verdict(_page(f"{APP}/home"), trace, SP, "sp_initiated")
    assert verdict is not None and not verdict.signed_in
    assert verdict.failed is not None and verdict.failed.name == "session-cookie"
    with pytest.raises(ExpectationFailed, match=NOT_SIGNED_IN) as failure:
        require_signed_in(verdict, trace)
    assert failure.value.code == NOT_SIGNED_IN


def test_a_check_that_could_not_read_its_evidence_fails_as_undecided_with_its_code(tmp_path: Path) -> None:
    trace = build_trace(tmp_path)
    unread = SignInFacts(landing_url=f"{APP}/home", unread=(Unread(LANDING_NOT_LOADED, f"{APP}/home did not load within 10 s"),))
    verdict = decide(SignInRule(url=f"{APP}/home*"), unread)
    assert verdict.signed_in is None and verdict.code == LANDING_NOT_LOADED
    with pytest.raises(ExpectationFailed) as failure:
        require_signed_in(verdict, trace)
    assert failure.value.code == SIGN_IN_UNDECIDED and failure.value.code != NOT_SIGNED_IN
    assert str(failure.value).startswith(f"{SIGN_IN_UNDECIDED}: could not tell whether signed in: {LANDING_NOT_LOADED}:")
    assert "not signed in" not in str(failure.value)


def test_flows_without_a_rule_or_a_protocol_default_are_not_judged(tmp_path: Path) -> None:
    trace = build_trace(tmp_path)
    assert signed_in_verdict(_page(f"{APP}/home"), trace, SP, "oauth_code") is None
    assert signed_in_verdict(_page(f"{APP}/home"), trace, SP, "slo_sp") is None
    refused = dataclasses.replace(SP, expect=dataclasses.replace(SP.expect, error="access_denied"))
    assert signed_in_verdict(_page(f"{APP}/home"), trace, refused, "sp_initiated") is None
    assert SignedInSpec().declared is False  # an empty signed_in mapping declares nothing: the default applies
