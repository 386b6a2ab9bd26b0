"""The judge, the catalogue and the matrix renderings."""

from __future__ import annotations

import json

import pytest

from sso_harness.apps.security.catalogue import (
    ALL_ATTACKS,
    OIDC_ATTACKS,
    SAML_ATTACKS,
    UnknownAttack,
    attack,
    select,
)
from sso_harness.apps.security.judge import Observed, judge
from sso_harness.apps.security.matrix import exit_status, matrix_html, matrix_json, matrix_text
from sso_harness.apps.security.saml_battery import UNSOLICITED_BY_DESIGN
from sso_harness.apps.security.verdicts import AttackResult, BatteryRun, Evidence, Goal, NotApplicable, Verdict

A, B = "a@example.com", "victim@example.com"


@pytest.mark.parametrize(("goal", "seen", "verdict"), [
    (Goal.SESSION, Observed(A, A, B), Verdict.ACCEPTED),
    (Goal.SESSION, Observed(None, A, B), Verdict.REJECTED),
    (Goal.IMPERSONATE, Observed(B, A, B), Verdict.ACCEPTED),
    (Goal.IMPERSONATE, Observed(A, A, B), Verdict.REJECTED),
    (Goal.IMPERSONATE, Observed(B + ".evil", A, B), Verdict.REJECTED),
    (Goal.IMPERSONATE, Observed(None, A, B), Verdict.REJECTED),
    (Goal.LOGIN_CSRF, Observed(A, A, B), Verdict.ACCEPTED),
    (Goal.LOGIN_CSRF, Observed(None, A, B), Verdict.REJECTED),
    (Goal.REDIRECT, Observed(A, A, B, reached_attacker_site=True), Verdict.ACCEPTED),
    (Goal.REDIRECT, Observed(A, A, B), Verdict.REJECTED),
    (Goal.REFLECTED, Observed(A, A, B, markup_rendered=True), Verdict.ACCEPTED),
    (Goal.REFLECTED, Observed(A, A, B), Verdict.REJECTED),
    (Goal.OUT_OF_BAND, Observed(None, A, B, oob_fetched=True), Verdict.ACCEPTED),
    (Goal.OUT_OF_BAND, Observed(A, A, B), Verdict.REJECTED),
    (Goal.CODE_LEAK, Observed(None, A, B, code_leaked=True), Verdict.ACCEPTED),
    (Goal.CODE_LEAK, Observed(B, A, B), Verdict.REJECTED),
    (Goal.WEAK_REQUEST, Observed(A, A, B, weak_request="dropped PKCE"), Verdict.ACCEPTED),
    (Goal.WEAK_REQUEST, Observed(A, A, B), Verdict.REJECTED),
])
def test_judge(goal: Goal, seen: Observed, verdict: Verdict) -> None:
    got, reason = judge(goal, seen)
    assert got is verdict and reason


def test_catalogue_ids_are_unique_and_every_attack_cites_a_reference() -> None:
    ids = [a.id for a in ALL_ATTACKS]
    assert len(ids) == len(set(ids))
    assert all(a.reference and a.title for a in ALL_ATTACKS)
    assert {f"saml-xsw{n}" for n in range(1, 9)} <= set(ids)
    assert [a for a in SAML_ATTACKS if a.control] == [attack("saml-baseline")]
    assert [a for a in OIDC_ATTACKS if a.control] == [attack("oidc-baseline")]


def test_select_takes_globs_keeps_the_controls_and_refuses_unknown_patterns() -> None:
    chosen = select(ALL_ATTACKS, ["saml-xsw*", "oidc-alg-none"])
    assert [a.id for a in chosen] == ["saml-baseline", *(f"saml-xsw{n}" for n in range(1, 9)), "oidc-baseline", "oidc-alg-none"]
    assert select(ALL_ATTACKS, None) == ALL_ATTACKS
    with pytest.raises(UnknownAttack, match="matches no attack"):
        select(ALL_ATTACKS, ["saml-xsw9"])
    with pytest.raises(UnknownAttack, match="unknown attack"):
        attack("nope")


def _run() -> BatteryRun:
    hostile = "<script>alert(1)</script>"
    results = (
        AttackResult("saml-baseline", "untampered", Verdict.ACCEPTED, "signed in", "SAML profiles", "sp", Evidence(signed_in_as=A), control=True),
        AttackResult("saml-xsw1", "XSW1", Verdict.REJECTED, "no session", "SAML core §5.4.2", "sp",
                     Evidence(landing_url="http://127.0.0.1/acs", landing_status=403, failed_checks=("signature", "signature"))),
        AttackResult("saml-attribute-html", "markup", Verdict.ACCEPTED, "rendered", "CWE-79", "sp",
                     Evidence(signed_in_as=hostile, observations=(hostile,))),
        AttackResult("saml-xxe", "xxe", Verdict.INCONCLUSIVE, "remote SP", "CWE-611", "sp"),
    )
    return BatteryRun("sp", "saml", results, (NotApplicable("saml-unsolicited", "takes IdP-initiated logins", UNSOLICITED_BY_DESIGN),))


def test_text_matrix_has_a_row_per_attack_with_reference_and_the_not_applicable_ones() -> None:
    text = matrix_text([_run()])
    assert "ACCEPTED (control)" in text and "saml-xsw1" in text and "no session; refused by: signature\n" in text
    assert "SAML core §5.4.2" in text and "n/a" in text and f"takes IdP-initiated logins ({UNSOLICITED_BY_DESIGN})" in text
    assert text.rstrip().endswith("1 REJECTED, 1 ACCEPTED, 1 INCONCLUSIVE")


def test_json_matrix_lists_the_vulnerable_rows() -> None:
    data = matrix_json([_run()])
    json.dumps(data)
    assert data["vulnerable"] == ["sp:saml-attribute-html"]
    assert data["targets"][0]["not_applicable"] == [  # type: ignore[index]
        {"id": "saml-unsolicited", "code": UNSOLICITED_BY_DESIGN, "reason": "takes IdP-initiated logins"}]
    rows = data["targets"][0]["results"]  # type: ignore[index]
    assert [r["verdict"] for r in rows] == ["ACCEPTED", "REJECTED", "ACCEPTED", "INCONCLUSIVE"]


def test_html_matrix_escapes_everything_it_shows() -> None:
    page = matrix_html([_run()])
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("<tr data-verdict=") == 5
    assert "data-attack='saml-xsw1'" in page and "SAML core §5.4.2" in page
    assert matrix_html(list(_run().results)).count("<tr data-verdict=") == 4


def test_exit_status() -> None:
    run = _run()
    assert exit_status([run]) == 1
    safe = BatteryRun("sp", "saml", tuple(r for r in run.results if r.attack_id != "saml-attribute-html"))
    assert exit_status([safe]) == 3
    clean = BatteryRun("sp", "saml", tuple(r for r in safe.results if r.verdict is not Verdict.INCONCLUSIVE))
    assert exit_status([clean]) == 0


def test_the_json_matrix_reads_back_into_the_same_runs_and_html_fragment() -> None:
    from sso_harness.apps.security.matrix import runs_from_json

    run = _run()
    again = runs_from_json(json.loads(json.dumps(matrix_json([run]))))
    assert again == [run]
    fragment = matrix_html(again, standalone=False)
    assert fragment.startswith("<section class='attack-matrix'>") and "<html" not in fragment
