"""Checking a targets file: every problem in one pass, each with its code, line and key path; targets apart."""

from __future__ import annotations

import textwrap
from pathlib import Path

from sso_harness.targets import parse_targets
from sso_harness.targets.check import check_file, check_text
from sso_harness.targets.lines import key_lines, line_of
from sso_harness.targets.load import BAD_URL, BAD_VALUE, ENV_UNSET, UNKNOWN_KEY, UNREADABLE

FILE = textwrap.dedent("""\
    targets:
      good:
        idp: {kind: generic, metadata_url: "https://idp.example/metadata"}
        sps:
          wiki: {sign_on_url: "https://wiki.example/", flows: [sp_initiated]}
        users:
          - {username: a, password: "${GOOD_PW}"}
      broken:
        idp:
          kind: entraa
          sign_in_url: "login.example/saml2"
        sps:
          wiki:
            flwos: [sp_initiated]
        users:
          - {username: b, password: "${BROKEN_PW_NEVER_SET}"}
    """)


def test_a_broken_target_does_not_block_another() -> None:
    targets = parse_targets(FILE, env={"GOOD_PW": "pw"}, only="good")
    assert targets["good"].users[0].password == "pw"


def test_every_problem_of_a_target_is_coded_located_and_hinted() -> None:
    result = check_text(FILE, source="targets.yaml", env={"GOOD_PW": "pw"})
    found = [(p.code, p.line, p.where, p.target) for p in result.problems]
    assert found == [
        (BAD_VALUE, 10, "targets.broken.idp.kind", "broken"),
        (BAD_URL, 11, "targets.broken.idp.sign_in_url", "broken"),
        (UNKNOWN_KEY, 14, "targets.broken.sps.wiki.flwos", "broken"),
        (ENV_UNSET, 16, "targets.broken.users[0].password", "broken"),
    ]
    kind, url, key, env = (str(p) for p in result.problems)
    assert kind.startswith("targets.bad_value at targets.yaml:10: targets.broken.idp.kind: unknown IdP kind 'entraa' "
                           "(did you mean 'entra'?)")
    assert "not an absolute http(s) URL: 'login.example/saml2'" in url
    assert key.endswith("unknown key 'flwos' (did you mean 'flows'?)")
    assert "BROKEN_PW_NEVER_SET" in env
    assert not result.ok and "targets.yaml: 4 problems" in result.report()


def test_checking_one_target_reports_that_target_only() -> None:
    assert check_text(FILE, source="t.yaml", target="good", env={"GOOD_PW": "pw"}).ok
    broken = check_text(FILE, source="t.yaml", target="broken", env={})
    assert {p.target for p in broken.problems} == {"broken"} and len(broken.problems) == 4


def test_a_clean_file_says_what_it_holds() -> None:
    text = FILE.split("  broken:")[0]
    result = check_text(text, source="t.yaml", env={"GOOD_PW": "pw"})
    assert result.ok and result.report() == "t.yaml: OK, good (1 SP, 1 flow, 1 user)\n"


def test_urls_must_be_absolute_http_once_filled_and_templates_wait_for_their_values() -> None:
    text = textwrap.dedent("""\
        targets:
          t:
            idp: {kind: generic, token_url: "ftp://x.example/t", jwks_uri: "https://x.example:notaport/k"}
            sps:
              s: {acs: "${ACS_URL}", landing_url: "{user.home}", redirect_uri: "http://127.0.0.1:8080/cb"}
        """)
    result = check_text(text, source="t.yaml", env={"ACS_URL": "/relative/acs"})
    assert [(p.code, p.where) for p in result.problems] == [
        (BAD_URL, "targets.t.idp.token_url"), (BAD_URL, "targets.t.idp.jwks_uri"), (BAD_URL, "targets.t.sps.s.acs"),
    ]


def test_an_unreadable_file_is_a_problem_not_an_exception(tmp_path: Path) -> None:
    result = check_file(tmp_path / "missing.yaml")
    assert [p.code for p in result.problems] == [UNREADABLE]


def test_a_path_the_file_lacks_takes_its_nearest_parents_line() -> None:
    lines = key_lines("targets:\n  t:\n    sps:\n      - a\n      - b\n")
    assert lines == {"targets": 1, "targets.t": 2, "targets.t.sps": 3, "targets.t.sps[0]": 4, "targets.t.sps[1]": 5}
    assert line_of(lines, "targets.t.idp") == 2 and line_of(lines, "targets.t.sps[1].kind") == 5
    assert line_of(lines, "file") is None and key_lines("a: [") == {}


def test_a_key_given_as_an_unset_variable_is_reported_unset_not_missing() -> None:
    text = textwrap.dedent("""\
        targets:
          t:
            idp: {kind: oidc-provider, issuer: "${ISSUER_UNSET}"}
            sps:
              app: {flows: [oidc_client], client_id: "${CLIENT_ID_UNSET}"}
        """)
    result = check_text(text, source="t.yaml", env={})
    assert [(p.code, p.where) for p in result.problems] == [
        (ENV_UNSET, "targets.t.idp.issuer"), (ENV_UNSET, "targets.t.sps.app.client_id"),
    ]
