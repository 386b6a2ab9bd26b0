"""The targets file: parsing, environment secrets, and errors that say where."""

from __future__ import annotations

from pathlib import Path

import pytest

from sso_harness.targets import TargetError, load_targets, parse_targets

ENV = {"ENTRA_TEST_USER": "qa@contoso.com", "ENTRA_TEST_PASSWORD": "pw-from-env", "ENTRA_TEST_TOTP": "JBSWY3DPEHPK3PXP",
       "CORP_QA_PASSWORD": "corp-pw"}


def test_the_example_file_loads_with_its_variables_set(repo_root: Path) -> None:
    targets = load_targets(repo_root / "targets.example.yaml", env=ENV)
    staging = targets["contoso-staging"]
    assert staging.idp.kind == "entra" and staging.idp.login.driver == "entra"
    assert staging.idp.login.totp_secret == "JBSWY3DPEHPK3PXP"
    assert staging.idp.entity_id == "https://sts.windows.net/00000000-0000-0000-0000-000000000000/"
    assert staging.idp.sign_in_url and staging.idp.logout_url and staging.idp.wsfed_passive_url and staging.idp.discovery_url
    (sp,) = staging.sps
    assert sp.flows == ("sp_initiated", "idp_initiated")
    (user,) = staging.users
    assert user.password == "pw-from-env" and user.fill(sp.expect.name_id) == "qa@contoso.com"
    assert "pw-from-env" not in repr(staging)
    wiki = targets["corp-idp"].sps[0]
    assert wiki.signed_in is not None and wiki.signed_in.probe_status == 200 and wiki.signed_in.selector == "#user-menu"
    assert [s.kind for s in wiki.steps.before_sign_in + wiki.steps.after_sign_in] == ["click", "assert_text"]


def test_a_literal_password_is_refused_with_its_location() -> None:
    text = "targets:\n  t:\n    idp: {kind: generic}\n    users:\n      - {username: a, password: hunter2}\n"
    with pytest.raises(TargetError, match=r"targets\.t\.users\[0\]\.password: secrets must come from the environment"):
        parse_targets(text, env={})


def test_an_unset_variable_names_itself_and_where() -> None:
    text = "targets:\n  t:\n    idp: {kind: generic}\n    users:\n      - {username: a, password: '${MISSING_PW}'}\n"
    with pytest.raises(TargetError, match=r"users\[0\]\.password: environment variable MISSING_PW is not set"):
        parse_targets(text, env={})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("targets: [1]", "targets.bad_value at t.yaml:1: targets: expected a mapping"),
        ("targets:\n  t:\n    sps: {}\n", "targets.missing_key at t.yaml:2: targets.t.idp: expected a mapping"),
        ("targets:\n  t:\n    idp: {kind: generic}\n    sps: {a: {flows: [teleport]}}\n", "targets.bad_value at t.yaml:4: targets.t.sps.a.flows[0]: unknown flow 'teleport'"),
        ("targets:\n  t:\n    idp: {kind: generic, login: {driver: carrier-pigeon}}\n", "targets.t.idp.login.driver: unknown driver"),
        ("targets:\n  t: {idp: {kind: generic}, sps: {a: {client_secret: s3cr3t}}}\n", "targets.t.sps.a.client_secret: secrets must come"),
        ("targets: {t: {idp: {kind: generic}}}\n  bad: [", "targets.not_yaml at t.yaml:2: file: not valid YAML"),
    ],
)
def test_mistakes_get_a_message_with_the_key_path(text: str, message: str) -> None:
    with pytest.raises(TargetError, match=message.replace("[", r"\[").replace("]", r"\]").replace(".", r"\.")):
        parse_targets(text, source="t.yaml", env={})


def test_every_driver_name_resolves_to_a_driver() -> None:
    from sso_harness.targets.target import DRIVERS, LoginSpec
    from sso_harness.targets.runner import driver_for

    for name in DRIVERS:
        assert hasattr(driver_for(LoginSpec(driver=name)), "sign_in"), name
