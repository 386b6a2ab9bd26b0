"""The battery deciding "signed in" the way it must at a third-party SP: the signed-in check (a declared
rule or the SAML default), with the SP's page naming the user only as evidence of whom."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from sso_harness.apps.security.battery_loop import ControlFailed
from sso_harness.apps.security.catalogue import SAML_ATTACKS, attack, select
from sso_harness.apps.security.driver import IdentityProbe
from sso_harness.apps.security.driver_http import HttpDriver
from sso_harness.apps.security.judge import Observed, judge
from sso_harness.apps.security.lab_subjects import vulnerable_saml_subject
from sso_harness.apps.security.saml_battery import SamlBattery
from sso_harness.apps.security.subjects import SamlSpUnderAttack
from sso_harness.apps.security.target_subjects import idp_certificate_of, names_xpath, sign_in_rule_of
from sso_harness.apps.security.verdicts import Goal, Verdict
from sso_harness.browser.signed_in import LANDING_NOT_LOADED, SignInRule
from sso_harness.mocks.attack_lab import AttackLab
from sso_harness.targets import IdpSpec, SignedInSpec, SpSpec, Target


def _detecting(lab: AttackLab, rule: SignInRule | None = None, landing: str | None = None) -> SamlSpUnderAttack:
    """The lab SP described as a targets file would: its page read for names, "signed in" by the check."""
    subject = vulnerable_saml_subject(lab)
    names = (subject.victim.shown, subject.user.shown)
    return replace(subject, probe=IdentityProbe(landing or subject.probe.url, names_xpath(*names), names=names),
                   detect_sign_in=True, sign_in_rule=rule)


def test_the_saml_default_accepts_the_control_and_catches_a_weakness(lab, http_driver) -> None:  # type: ignore[no-untyped-def]
    lab.vulnerable_sp.switch(["no-audience"])
    run = SamlBattery(_detecting(lab), http_driver, lab.site, key=lab.attacker_key).run(
        select(SAML_ATTACKS, ["saml-wrong-audience", "saml-signature-exclusion"]))
    verdicts = run.verdicts()
    assert verdicts == {"saml-baseline": Verdict.ACCEPTED, "saml-wrong-audience": Verdict.ACCEPTED,
                        "saml-signature-exclusion": Verdict.REJECTED}
    control = run.results[0].evidence
    assert control.signed_in is True and control.signed_in_as == "b.simon@contoso.com"
    assert any(o.startswith("signed-in check: signed in (SAML default): acs-answered") for o in control.observations)
    refused = next(r for r in run.results if r.attack_id == "saml-signature-exclusion").evidence
    assert refused.signed_in is False and any("not signed in (SAML default)" in o for o in refused.observations)


def test_a_declared_rule_decides_and_a_wrong_one_stops_the_run_naming_it(lab, http_driver) -> None:  # type: ignore[no-untyped-def]
    whoami = vulnerable_saml_subject(lab).probe.url
    good = SignInRule(url=whoami, text="b.simon@contoso.com")
    run = SamlBattery(_detecting(lab, good), http_driver, lab.site, key=lab.attacker_key).run(select(SAML_ATTACKS, ["saml-expired"]))
    assert run.verdicts() == {"saml-baseline": Verdict.ACCEPTED, "saml-expired": Verdict.REJECTED}

    wrong = SignInRule(text="Welcome to the dashboard")
    with pytest.raises(ControlFailed) as failed:
        SamlBattery(_detecting(lab, wrong), http_driver, lab.site, key=lab.attacker_key).run(select(SAML_ATTACKS, ["saml-expired"]))
    message = str(failed.value)
    assert "check signed_in of SP vulnerable-sp in the targets file" in message
    assert "'Welcome to the dashboard' not shown" in message


def test_an_undetectable_sign_in_asks_for_a_signed_in_rule(lab, http_driver) -> None:  # type: ignore[no-untyped-def]
    # A landing page off the SP: the SAML default cannot see the sign-in, and says what to declare.
    off_sp = _detecting(lab, landing=lab.site.origin + "/")
    with pytest.raises(ControlFailed) as failed:
        SamlBattery(off_sp, http_driver, lab.site, key=lab.attacker_key).run(select(SAML_ATTACKS, ["saml-expired"]))
    assert failed.value.code == "security.control_failed"
    assert "declare signed_in for SP vulnerable-sp in the targets file" in failed.value.advice
    assert "landing: the landing page" in str(failed.value) and "answered 404" in str(failed.value)


def test_signed_in_with_nobody_named_leaves_identity_goals_inconclusive() -> None:
    unnamed = Observed(signed_in_as=None, user="a", victim="v", signed_in=True)
    assert judge(Goal.SESSION, unnamed)[0] is Verdict.ACCEPTED
    verdict, reason = judge(Goal.IMPERSONATE, unnamed)
    assert verdict is Verdict.INCONCLUSIVE and "declare signed_in" in reason
    assert judge(Goal.LOGIN_CSRF, unnamed)[0] is Verdict.INCONCLUSIVE
    signed_out = Observed(signed_in_as=None, user="a", victim="v", signed_in=False)
    assert judge(Goal.IMPERSONATE, signed_out)[0] is Verdict.REJECTED
    # The check has the last word: a name on a page the check found signed out is no session.
    stale = Observed(signed_in_as="v", user="a", victim="v", signed_in=False)
    assert judge(Goal.IMPERSONATE, stale)[0] is Verdict.REJECTED


def test_the_identity_probe_reads_names_inside_longer_text() -> None:
    probe = IdentityProbe("https://sp/", "//body", names=("alice@example.com", "alice@example.com.evil"))
    assert probe.read("Signed in as alice@example.com.evil\n") == "alice@example.com.evil"
    assert probe.read("Hello alice@example.com") == "alice@example.com"
    assert probe.read("Hello nobody") is None
    assert IdentityProbe("https://sp/", "//x").read("  bob  ") == "bob"


def test_names_xpath_finds_plain_text_pages_and_skips_scripts() -> None:
    from lxml import html

    xpath = names_xpath("victim@x", "qa@example.com")
    plain = html.fromstring("<html><body><pre>Hello qa@example.com, you are signed in</pre></body></html>")
    assert [e.tag for e in plain.xpath(xpath)] == ["pre"]
    bare = html.fromstring("<html><body>qa@example.com</body></html>")
    assert [e.tag for e in bare.xpath(xpath)] == ["body"]
    scripted = html.fromstring("<html><body><script>var u='qa@example.com'</script><p>hi</p></body></html>")
    assert scripted.xpath(xpath) == []


def _target(tmp_path: Path, **idp: object) -> Target:
    return Target(name="t", idp=IdpSpec(kind="generic", **idp), sps=(), users=())  # type: ignore[arg-type]


def test_the_idp_certificate_comes_from_the_pinned_file(tmp_path: Path, signer) -> None:  # type: ignore[no-untyped-def]
    pem = tmp_path / "idp.pem"
    pem.write_bytes(signer.certificate.public_bytes(Encoding.PEM))
    sp = SpSpec(name="app")
    assert idp_certificate_of(_target(tmp_path, signing_certs=(str(pem),)), sp) == signer.certificate
    assert idp_certificate_of(_target(tmp_path), sp) is None
    with pytest.raises(ValueError, match="idp.signing_certs .*missing.pem"):
        idp_certificate_of(_target(tmp_path, signing_certs=(str(tmp_path / "missing.pem"),)), sp)


def test_the_cloning_attack_falls_back_to_the_certificate_a_captured_response_carries(material, signer) -> None:  # type: ignore[no-untyped-def]
    from sso_harness.apps.security.saml_forge import forge
    from sso_harness.apps.security.saml_mint import mint

    captured = mint(signer, material.sp, material.user, now=material.now)
    keyless = replace(material, signer=None, idp_certificate=None, captured=captured)
    forged = forge(attack("saml-cert-clone"), keyless)
    assert signer.certificate.subject.rfc4514_string() in forged.note


def test_a_declared_signed_in_of_the_target_model_becomes_the_rule() -> None:
    declared = SpSpec(name="app", signed_in=SignedInSpec(url="https://sp/secret/*", text="Hi", probe_url="https://sp/me",
                                                         probe_status=204))
    assert sign_in_rule_of(declared) == SignInRule(url="https://sp/secret/*", text="Hi", probe_url="https://sp/me",
                                                   probe_status=204)
    assert sign_in_rule_of(SpSpec(name="app")) is None and sign_in_rule_of(SpSpec(name="app", signed_in=SignedInSpec())) is None


def test_the_command_stops_with_status_2_and_the_advice_when_a_control_fails(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    from sso_harness.apps.cli import attack as attack_command
    from sso_harness.apps.security.verdicts import AttackResult, Evidence

    control = AttackResult("saml-baseline", "untampered", Verdict.REJECTED, "no session was granted", "SAML profiles", "app",
                           Evidence(landing_url="https://sp/secret/", signed_in=False), control=True)

    def fail(args, attacks):  # type: ignore[no-untyped-def]
        raise ControlFailed("app", control, "declare signed_in for SP app in the targets file")

    monkeypatch.setattr(attack_command, "_run_mocks", fail)
    assert attack_command.main(["--sp", "sp"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""  # no matrix of INCONCLUSIVE rows
    assert "security.control_failed: the control login (saml-baseline) at app came out REJECTED" in captured.err
    assert "declare signed_in for SP app in the targets file" in captured.err


@pytest.fixture
def never_answers() -> Iterator[str]:
    """A loopback URL whose server takes the connection and never answers (a landing page that never loads)."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield f"http://127.0.0.1:{server.getsockname()[1]}/secret/"


def test_a_landing_page_that_never_loads_gives_inconclusive_with_its_code_not_a_refusal(lab, never_answers) -> None:  # type: ignore[no-untyped-def]
    slow = HttpDriver(timeout=0.2)  # the bound only; the server never answers whatever it is
    battery = SamlBattery(_detecting(lab, landing=never_answers), slow, lab.site, key=lab.attacker_key)
    with pytest.raises(ControlFailed) as failed:
        battery.run(select(SAML_ATTACKS, ["saml-expired"]))
    assert failed.value.result.verdict is Verdict.INCONCLUSIVE and failed.value.result.code == LANDING_NOT_LOADED
    assert "fix what stopped the control login" in failed.value.advice

    replayed = battery.attempt(attack("saml-replay"))  # the first delivery is accepted at the ACS; its landing never comes
    assert replayed.verdict is Verdict.INCONCLUSIVE and replayed.code == LANDING_NOT_LOADED


def test_a_response_the_acs_refused_is_rejected_even_when_the_landing_never_loads(lab, never_answers) -> None:  # type: ignore[no-untyped-def]
    battery = SamlBattery(_detecting(lab, landing=never_answers), HttpDriver(timeout=0.2), lab.site, key=lab.attacker_key)
    refused = battery.attempt(attack("saml-signature-exclusion"))
    assert refused.verdict is Verdict.REJECTED and refused.code is None
    assert refused.evidence.signed_in is False
