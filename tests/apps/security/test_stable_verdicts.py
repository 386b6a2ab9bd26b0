"""The agreement logic of ``scripts/stable_verdicts.py``: when N battery runs against a hardened peer count as stable."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "stable_verdicts.py"


@pytest.fixture(scope="module")
def sv() -> ModuleType:
    spec = importlib.util.spec_from_file_location("stable_verdicts", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def _run(sv: ModuleType, **verdicts: str):  # type: ignore[no-untyped-def]
    ids = {k.replace("_", "-"): v for k, v in verdicts.items()}
    return sv.RunVerdicts(ids, frozenset(a for a in ids if a.endswith("baseline")))


def test_identical_hardened_runs_agree_and_pass(sv: ModuleType) -> None:
    runs = [_run(sv, saml_baseline="ACCEPTED", saml_xsw1="REJECTED") for _ in range(5)]
    rows = sv.PeerRows("p", runs)
    assert sv.differing(runs) == [] and sv.unhardened(runs) == []
    assert sv.peer_ok(rows)
    table = sv.render([rows])
    assert "p" in table and "1 distinct verdict set(s)" in table and "run5" in table


def test_a_verdict_that_changes_between_runs_fails(sv: ModuleType) -> None:
    runs = [_run(sv, saml_baseline="ACCEPTED", saml_xsw1="REJECTED"),
            _run(sv, saml_baseline="ACCEPTED", saml_xsw1="INCONCLUSIVE")]
    assert sv.differing(runs) == ["saml-xsw1"]
    assert sv.unhardened(runs) == ["saml-xsw1=INCONCLUSIVE"]
    assert not sv.peer_ok(sv.PeerRows("p", runs))
    assert "differ: saml-xsw1" in sv.render([sv.PeerRows("p", runs)])


def test_an_attack_missing_from_one_run_differs(sv: ModuleType) -> None:
    runs = [_run(sv, saml_baseline="ACCEPTED", saml_replay="REJECTED"), _run(sv, saml_baseline="ACCEPTED")]
    assert sv.differing(runs) == ["saml-replay"]


def test_stable_but_not_hardened_verdicts_fail(sv: ModuleType) -> None:
    runs = [_run(sv, saml_baseline="ACCEPTED", saml_xxe="INCONCLUSIVE", saml_replay="ACCEPTED") for _ in range(3)]
    assert sv.differing(runs) == []
    assert sv.unhardened(runs) == ["saml-replay=ACCEPTED", "saml-xxe=INCONCLUSIVE"]
    assert not sv.peer_ok(sv.PeerRows("p", runs))


def test_a_control_must_be_accepted(sv: ModuleType) -> None:
    runs = [_run(sv, saml_baseline="REJECTED")]
    assert sv.unhardened(runs) == ["saml-baseline=REJECTED"]


def test_a_run_without_a_matrix_fails(sv: ModuleType) -> None:
    runs = [_run(sv, saml_baseline="ACCEPTED"), sv.RunVerdicts(error="exit 2: security.control_failed")]
    assert sv.differing(runs)[0] == "<error>"
    assert not sv.peer_ok(sv.PeerRows("p", runs))
    assert not sv.peer_ok(sv.PeerRows("p", []))  # no run at all proves nothing


def test_a_skipped_peer_is_reported_not_failed(sv: ModuleType) -> None:
    rows = sv.PeerRows("openidc-oidc-provider", skipped="not run: OIDC")
    assert sv.peer_ok(rows)
    assert "skipped: not run: OIDC" in sv.render([rows])


def test_error_text_is_blanked_of_secrets(sv: ModuleType) -> None:
    assert sv._blank("login as alice / pw-123 failed", ["pw-123", ""]) == "login as alice / [redacted] failed"


def test_a_not_applicable_attack_is_fine_when_stable_but_counts_when_it_changes(sv: ModuleType) -> None:
    na = sv.NOT_APPLICABLE
    steady = [_run(sv, saml_baseline="ACCEPTED", saml_xsw1=na) for _ in range(5)]
    assert sv.differing(steady) == [] and sv.unhardened(steady) == [] and sv.peer_ok(sv.PeerRows("p", steady))
    flipping = [_run(sv, saml_baseline="ACCEPTED", saml_xsw1=na), _run(sv, saml_baseline="ACCEPTED", saml_xsw1="REJECTED")]
    assert sv.differing(flipping) == ["saml-xsw1"]
    assert sv.unhardened([_run(sv, saml_baseline=na)]) == [f"saml-baseline={na}"]


def test_the_cli_json_not_applicable_rows_become_verdicts_with_their_code(sv: ModuleType) -> None:
    run = sv._verdicts([("saml-baseline", "ACCEPTED", True, "signed in"), ("saml-xsw3", "REJECTED", False, "no session"),
                        ("saml-xsw1", sv.NOT_APPLICABLE, False, "security.not_applicable.no_response_signature: unsigned")], ())
    assert run.verdicts == {"saml-baseline": "ACCEPTED", "saml-xsw3": "REJECTED", "saml-xsw1": sv.NOT_APPLICABLE}
    assert run.reasons == {"saml-xsw1": "security.not_applicable.no_response_signature: unsigned"}
    table = sv.render([sv.PeerRows("p", [run])])
    assert "n/a" in table and f"saml-xsw1 {sv.NOT_APPLICABLE}: security.not_applicable.no_response_signature" in table
