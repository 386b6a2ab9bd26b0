"""The SAML battery against a stock third-party SP: Apache mod_auth_mellon behind SimpleSAMLphp (peers lane).

mellon's protected page is plain text and names no one in an element of
its own, and the SimpleSAMLphp IdP keeps a session after every normal
login: the two things that once made the control look refused and the
verdicts differ between runs. The SP is described to the battery only by a
targets file, as a team would describe its tenant; "signed in" is the
signed-in check (the SAML default, or a declared ``signed_in``), every
attempt runs in a fresh browser context, and the IdP's certificate comes
from the metadata the target names.
"""

from __future__ import annotations

import secrets
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from sso_harness.apps.peers import (
    MockPartners,
    SimpleSamlPhp,
    SspRemoteSp,
    SspSettings,
    SspUser,
    missing_apache,
    missing_simplesamlphp,
    when_missing,
)
from sso_harness.apps.peers.mellon_peer import MellonSp
from sso_harness.apps.security.battery_loop import ControlFailed
from sso_harness.apps.security.catalogue import SAML_ATTACKS, select
from sso_harness.apps.security.driver_browser import BrowserDriver
from sso_harness.apps.security.saml_battery import SamlBattery
from sso_harness.apps.security.subjects import SamlSpUnderAttack
from sso_harness.apps.security.target_subjects import target_saml_subjects
from sso_harness.apps.security.verdicts import BatteryRun, Verdict
from sso_harness.mocks.attack_lab import AttackerSite, serve_attacker_site
from sso_harness.targets import Target, parse_targets
from sso_harness.targets.runner import driver_for

pytestmark = [pytest.mark.e2e]

TARGETS = """
targets:
  mellon:
    idp:
      kind: simplesamlphp
      metadata_url: ${SSP}/saml2/idp/metadata.php
      login: {driver: simplesamlphp}
    sps:
      mellon:
        entity_id: ${MELLON}/mellon/metadata
        acs: ${MELLON}/mellon/postResponse
        sign_on_url: ${MELLON}/protected/
        landing_url: ${MELLON}/protected/
        flows: [sp_initiated]
        expect: {name_id: "{user.email}"}
%s
    users:
      - {username: alice, password: "${ALICE}", email: alice@peers.example}
"""
ATTACKS = ["saml-xsw1", "saml-signature-exclusion", "saml-cert-clone", "saml-keyinfo-key", "saml-replay"]


@pytest.fixture(scope="module")
def mellon(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """SimpleSAMLphp's IdP and mod_auth_mellon trusting it; the values the targets file reads."""
    verdict = when_missing("mod_auth_mellon and SimpleSAMLphp", missing_simplesamlphp() + missing_apache("auth_mellon"))
    if verdict is not None:
        action, message = verdict
        if action == "fail":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    work: Path = tmp_path_factory.mktemp("attack-mellon")
    alice = SspUser("alice", secrets.token_urlsafe(12), {"uid": ("alice",), "mail": ("alice@peers.example",)})
    with MockPartners(work) as mocks:
        settings = SspSettings(users=(alice,), remote_sps=(SspRemoteSp(mocks.sp_entity),), remote_idps=(mocks.idp_entity,),
                               cookie_prefix="sspmellon")
        with SimpleSamlPhp(settings, work / "ssp") as ssp, MellonSp(work / "mellon", ssp.idp_metadata_xml) as sp:
            assert ssp.endpoints is not None
            ssp.add_remote_sp(SspRemoteSp(sp.entity()))
            yield {"SSP": ssp.endpoints.base_url, "MELLON": sp.base_url, "ALICE": alice.password}


def _target(env: dict[str, str], signed_in: str = "") -> Target:
    block = textwrap.indent(textwrap.dedent(signed_in), " " * 8) if signed_in else ""
    return parse_targets(TARGETS % block, env=env)["mellon"]


def _subject(target: Target) -> SamlSpUnderAttack:
    return target_saml_subjects(target, driver_for(target.idp.login))["mellon"]


def _run(browser, subject: SamlSpUnderAttack, site: AttackerSite) -> BatteryRun:  # type: ignore[no-untyped-def]
    first = browser.new_context()
    driver = BrowserDriver(first, new_context=browser.new_context)
    try:
        return SamlBattery(subject, driver, site).run(select(SAML_ATTACKS, ATTACKS))
    finally:
        driver.close()
        first.close()


def test_a_stock_sp_is_signed_in_by_the_saml_default_and_the_verdicts_repeat(mellon, browser, attack_matrix) -> None:  # type: ignore[no-untyped-def]
    subject = _subject(_target(mellon))
    assert subject.detect_sign_in and subject.sign_in_rule is None
    assert subject.idp_certificate is not None  # from the metadata the target names
    with serve_attacker_site() as site:
        runs = [_run(browser, subject, site) for _ in range(2)]
    attack_matrix(runs[0])

    first, second = (run.verdicts() for run in runs)
    assert first == second  # no leftover session can change a verdict from one run to the next
    assert first == {"saml-baseline": Verdict.ACCEPTED, **{a: Verdict.REJECTED for a in ATTACKS}}
    control = runs[0].results[0].evidence
    assert control.signed_in is True and control.signed_in_as == "alice@peers.example"
    assert any(o.startswith("signed-in check: signed in (SAML default): acs-answered") for o in control.observations)
    clone = next(r for r in runs[0].results if r.attack_id == "saml-cert-clone")
    assert subject.idp_certificate.subject.rfc4514_string() in " ".join(clone.evidence.observations)
    assert clone.evidence.signed_in is False


def test_a_declared_signed_in_decides_and_a_wrong_one_stops_the_run(mellon, browser) -> None:  # type: ignore[no-untyped-def]
    declared = _subject(_target(mellon, """
        signed_in:
          url: "%s/protected/*"
          cookie: mellon-cookie
    """ % mellon["MELLON"]))
    assert declared.sign_in_rule is not None and declared.sign_in_rule.cookie == "mellon-cookie"
    wrong = _subject(_target(mellon, """
        signed_in:
          text: Welcome to the dashboard
    """))
    with serve_attacker_site() as site:
        run = _run(browser, declared, site)
        with pytest.raises(ControlFailed) as failed:
            _run(browser, wrong, site)
    assert run.verdicts()["saml-baseline"] is Verdict.ACCEPTED
    assert all(v is Verdict.REJECTED for k, v in run.verdicts().items() if k != "saml-baseline")
    assert failed.value.code == "security.control_failed"
    assert "check signed_in of SP mellon in the targets file" in str(failed.value)
    assert "'Welcome to the dashboard' not shown" in str(failed.value)
