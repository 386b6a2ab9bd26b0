"""The security battery: attack an SP or relying party the way an attacker would, through the browser.

An attacker holding a legitimately signed response (minted by an IdP the SP
trusts, or captured from a normal login) derives crafted messages from it
(:mod:`~sso_harness.apps.security.saml_forge`, :mod:`~sso_harness.apps.security.saml_xsw`), delivers
each from a loopback attacker site (:mod:`~sso_harness.mocks.attack_lab.site`)
through Chromium (:mod:`~sso_harness.apps.security.driver_browser`), and judges from
what the target then says (:mod:`~sso_harness.apps.security.judge`). OAuth 2.0 / OIDC
relying parties are attacked through loopback providers the attacker
controls (:mod:`~sso_harness.mocks.attack_lab.oidc_provider`, :mod:`~sso_harness.apps.security.oidc_battery`).
The servers (attacker site, providers, vulnerable targets) are the mocks'
attack lab (:mod:`sso_harness.mocks.attack_lab`); :mod:`~sso_harness.apps.security.lab_subjects`
describes its targets for the battery.

Public API::

    SamlBattery(sp, driver, site, *, clock=, key=).run(attacks=SAML_ATTACKS) -> BatteryRun
    OidcBattery(rp, driver, site).run(attacks=OIDC_ATTACKS) -> BatteryRun
    BrowserDriver(context) / HttpDriver()                    # Driver implementations
    vulnerable_saml_subject(lab), rp_subject(lab, which), lab_signer(lab)  # lab: sso_harness.mocks.attack_lab.AttackLab
    fleet_saml_subjects(fleet, names), simplesamlphp_sp_subject(ssp, mocks), target_saml_subjects(target, login)
    check_attack_allowed(name, urls, attack_allowed)         # raises AttackRefused
    matrix_text(runs), matrix_json(runs), matrix_html(results, standalone=True), runs_from_json(data), exit_status(runs)
    attach_matrix(runs)                                      # sso_harness.apps.security.matrix_report (imports allure)
    expect_all_rejected(run), expect_caught_exactly(run, open_to), expect_none_accepted(run)
    Verdict, Goal, Evidence, AttackResult, BatteryRun, Attack, SAML_ATTACKS, OIDC_ATTACKS, select(attacks, only)
    NotApplicable, AttackNotApplicable                       # a coded not-applicable row; raised during an attempt
"""

from __future__ import annotations

from sso_harness.apps.security.catalogue import (
    ALL_ATTACKS,
    OIDC_ATTACKS,
    SAML_ATTACKS,
    Attack,
    UnknownAttack,
    attack,
    select,
)
from sso_harness.apps.security.driver import DeliveryFailed, Driver, IdentityProbe, Landing
from sso_harness.apps.security.driver_http import HttpDriver
from sso_harness.apps.security.judge import Observed, judge
from sso_harness.apps.security.lab_subjects import lab_signer, rp_subject, vulnerable_saml_subject
from sso_harness.apps.security.matrix import (
    exit_status,
    matrix_html,
    matrix_json,
    matrix_text,
    runs_from_json,
)
from sso_harness.apps.security.mock_subjects import FLEET_SAML_SPS, fleet_saml_subjects
from sso_harness.apps.security.verdicts import (
    AttackNotApplicable,
    AttackResult,
    BatteryRun,
    Evidence,
    Goal,
    NotApplicable,
    Verdict,
)
from sso_harness.apps.security.oidc_battery import OidcBattery
from sso_harness.apps.security.peer_subjects import simplesamlphp_sp_subject
from sso_harness.apps.security.proof import (
    BatteryFailed,
    expect_all_rejected,
    expect_caught_exactly,
    expect_none_accepted,
)
from sso_harness.apps.security.safety import AttackRefused, check_attack_allowed, target_urls
from sso_harness.apps.security.saml_battery import SamlBattery
from sso_harness.apps.security.saml_forge import Forged, NotForgeable, SamlMaterial, forge
from sso_harness.apps.security.saml_mint import Persona, SamlSigner, SpFacts, mint
from sso_harness.apps.security.subjects import (
    CapturedLogin,
    OidcPersona,
    OidcRpUnderAttack,
    ProviderHandle,
    SamlSpUnderAttack,
)

__all__ = [
    "ALL_ATTACKS",
    "FLEET_SAML_SPS",
    "OIDC_ATTACKS",
    "SAML_ATTACKS",
    "Attack",
    "AttackRefused",
    "AttackResult",
    "BatteryFailed",
    "BatteryRun",
    "NotApplicable",
    "AttackNotApplicable",
    "CapturedLogin",
    "DeliveryFailed",
    "Driver",
    "Evidence",
    "Forged",
    "Goal",
    "HttpDriver",
    "IdentityProbe",
    "Landing",
    "NotForgeable",
    "Observed",
    "OidcBattery",
    "OidcPersona",
    "OidcRpUnderAttack",
    "Persona",
    "ProviderHandle",
    "SamlBattery",
    "SamlMaterial",
    "SamlSigner",
    "SamlSpUnderAttack",
    "SpFacts",
    "UnknownAttack",
    "Verdict",
    "attack",
    "check_attack_allowed",
    "exit_status",
    "expect_all_rejected",
    "expect_caught_exactly",
    "expect_none_accepted",
    "fleet_saml_subjects",
    "forge",
    "judge",
    "lab_signer",
    "matrix_html",
    "matrix_json",
    "matrix_text",
    "mint",
    "rp_subject",
    "runs_from_json",
    "select",
    "simplesamlphp_sp_subject",
    "target_urls",
    "vulnerable_saml_subject",
]
