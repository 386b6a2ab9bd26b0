"""Safety: only loopback targets or targets marked attack_allowed are attacked; the CLI refuses the rest
before sending anything (it never even starts a browser)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from sso_harness.apps.security.safety import AttackRefused, check_attack_allowed, remote_hosts, target_urls
from sso_harness.apps.cli import attack as attack_command
from sso_harness.targets import parse_targets

TARGETS = textwrap.dedent("""
    targets:
      staging:
        idp: {kind: entra, metadata_url: "https://login.example.com/metadata.xml"}
        sps:
          app: {entity_id: "https://app.example.com/saml", acs: "https://app.example.com/acs", sign_on_url: "https://app.example.com/"}
        users: [{username: qa@example.com, password: "${QA_PASSWORD}"}]
      staging-allowed:
        attack_allowed: true
        idp: {kind: entra, metadata_url: "https://login.example.com/metadata.xml"}
        sps:
          app: {entity_id: "https://app.example.com/saml", acs: "https://app.example.com/acs", sign_on_url: "https://app.example.com/"}
        users: [{username: qa@example.com, password: "${QA_PASSWORD}"}]
      local:
        idp: {kind: generic, metadata_url: "http://127.0.0.1:8080/metadata"}
        sps:
          app: {entity_id: "urn:app", acs: "http://localhost:8081/acs", sign_on_url: "http://[::1]:8081/"}
        users: [{username: qa@example.com, password: "${QA_PASSWORD}"}]
""")


@pytest.fixture
def targets():  # type: ignore[no-untyped-def]
    return parse_targets(TARGETS, env={"QA_PASSWORD": "secret"})


def test_remote_targets_are_refused_unless_marked(targets) -> None:  # type: ignore[no-untyped-def]
    staging = targets["staging"]
    with pytest.raises(AttackRefused) as refused:
        check_attack_allowed(staging.name, target_urls(staging), staging.attack_allowed)
    message = str(refused.value)
    assert "refusing to attack target 'staging'" in message
    assert "login.example.com, app.example.com are not on loopback" in message
    assert "targets.staging.attack_allowed" in message
    allowed = targets["staging-allowed"]
    check_attack_allowed(allowed.name, target_urls(allowed), allowed.attack_allowed)


def test_loopback_targets_are_always_allowed(targets) -> None:  # type: ignore[no-untyped-def]
    local = targets["local"]
    assert not local.attack_allowed
    assert remote_hosts(target_urls(local)) == []
    check_attack_allowed(local.name, target_urls(local), False)


def test_entity_ids_are_names_not_addresses(targets) -> None:  # type: ignore[no-untyped-def]
    assert "https://app.example.com/saml" not in target_urls(targets["staging"])


def _no_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("a refused attack must not start a browser")

    monkeypatch.setattr(attack_command, "_browser", refuse)


def test_cli_refuses_a_remote_target_with_a_message_and_status_2(tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    config = tmp_path / "targets.yaml"
    config.write_text(TARGETS)
    monkeypatch.setenv("QA_PASSWORD", "secret")
    _no_browser(monkeypatch)

    status = attack_command.main(["--target", "staging", "--config", str(config)])

    assert status == 2
    err = capsys.readouterr().err
    assert err.startswith("sso-harness attack: refusing to attack target 'staging'")


def test_cli_usage_errors(tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    config = tmp_path / "targets.yaml"
    config.write_text(TARGETS)
    monkeypatch.setenv("QA_PASSWORD", "secret")
    _no_browser(monkeypatch)
    assert attack_command.main(["--target", "nowhere", "--config", str(config)]) == 2
    assert "not in" in capsys.readouterr().err
    assert attack_command.main(["--only", "saml-xsw99"]) == 2
    assert "matches no attack" in capsys.readouterr().err
    assert attack_command.main(["--sp", "nope"]) == 2
    assert "the mocks target has" in capsys.readouterr().err
    assert attack_command.main(["--sp", "vulnerable-sp", "--weaknesses", "not-a-weakness"]) == 2
    assert "unknown not-a-weakness" in capsys.readouterr().err


def test_parse_only() -> None:
    assert attack_command.parse_only(" saml-xsw*, ,oidc-alg-none ") == ["saml-xsw*", "oidc-alg-none"]
    assert attack_command.parse_only(None) is None


def test_targets_file_sps_become_battery_subjects(targets) -> None:  # type: ignore[no-untyped-def]
    from lxml import html

    from sso_harness.apps.security.driver_http import HttpDriver
    from sso_harness.apps.security.saml_forge import NotForgeable
    from sso_harness.apps.security.target_subjects import attackable, mentions_xpath, target_saml_subjects
    from sso_harness.browser.login import FormLogin

    staging = targets["staging"]
    assert [sp.name for sp in staging.sps if attackable(sp)] == ["app"]
    subject = target_saml_subjects(staging, FormLogin())["app"]
    assert subject.signer is None and subject.capture is not None and not subject.loopback
    assert subject.user.name_id == "qa@example.com" and subject.victim.name_id == "victim@sso-harness.invalid"
    assert subject.sp_initiated_only and subject.facts.acs_url == "https://app.example.com/acs"
    with pytest.raises(NotForgeable, match="needs the browser"):
        subject.capture(HttpDriver())
    page = html.fromstring("<html><body><p>Hello <span>qa@example.com</span></p><script>'qa@example.com'</script></body></html>")
    found = page.xpath(mentions_xpath("victim@x", "qa@example.com"))
    assert [e.text_content() for e in found] == ["qa@example.com"]
    assert target_saml_subjects(targets["local"], FormLogin())["app"].loopback
