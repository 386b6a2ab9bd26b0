"""``--sso-target`` / ``--sso-targets-file``: one target's secrets only, every problem as one usage error."""

from __future__ import annotations

import pytest

INNER = """
def test_selected(sso_target, pytestconfig):
    from sso_harness.plugin.target_option import selected_target
    assert sso_target.name == "corp" and sso_target.users[0].password == "from-env"
    assert selected_target(pytestconfig) == sso_target
"""

DEFAULT = """
def test_default(sso_target, pytestconfig):
    from sso_harness.plugin.target_option import selected_target
    assert sso_target is None
    target = selected_target(pytestconfig)
    assert target.name == "mocks" and target.embedded_mocks
"""

FILE = """\
targets:
  corp:
    idp: {kind: generic}
    users: [{username: u, password: "${CORP_PW_FOR_TEST}"}]
  other:
    idp: {kind: generic}
    users: [{username: v, password: "${OTHER_PW_NEVER_SET}"}]
"""


def test_a_target_loads_with_only_its_own_secrets(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORP_PW_FOR_TEST", "from-env")
    monkeypatch.delenv("OTHER_PW_NEVER_SET", raising=False)
    pytester.makefile(".yaml", targets=FILE)
    pytester.makepyfile(test_inner=INNER)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--sso-target", "corp")
    result.assert_outcomes(passed=1)


def test_without_a_target_the_packaged_mock_target_is_selected(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_inner=DEFAULT)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_every_problem_of_the_file_is_one_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", targets="targets:\n  corp:\n    idp: {kind: generic, isuer: x}\n    sps: {wiki: {flwos: []}}\n")
    pytester.makepyfile(test_inner=INNER)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--sso-target", "corp")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*2 problems in the targets file:*", "*targets.unknown_key at *targets.corp.idp.isuer*",
                                 "*targets.corp.sps.wiki.flwos: unknown key 'flwos' (did you mean 'flows'?)*"])
