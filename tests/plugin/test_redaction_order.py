"""The report of a failing test is scrubbed before allure-pytest and junitxml read it (hookwrapper order).

allure-pytest reads the report in a plain ``pytest_runtest_makereport``
hookwrapper, after its ``yield``. The gate's wrapper is ``trylast``: called
last, so innermost, so its code after ``yield`` runs first. The session-end
sweep is switched off in these runs (the conftest replaces it), so what the
Allure result and the JUnit XML hold is what the hookwrapper left.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ..report.secret_scan import leaks

CODE = "planted-auth-code-4c1d9e"
COOKIE = "planted-session-cookie-8a2f"

CONFTEST = f'''
import json, pytest
import sso_harness.plugin.redaction as redaction
from sso_harness.protocols.secrets import remember_secret

redaction.sweep = lambda paths, values, enabled=True: redaction.SweepReport(redacted=enabled)  # only the hookwrapper acts
remember_secret({COOKIE!r})  # as the capture recorder would, from a Set-Cookie


class InnerSpy:
    # Registered after the gate, so innermost among the trylast wrappers: it sees the report before the gate.
    @pytest.hookimpl(hookwrapper=True, trylast=True)
    def pytest_runtest_makereport(self, item, call):
        outcome = yield
        report = outcome.get_result()
        if report.when == "call":
            with open("inner-saw.txt", "w") as f:
                f.write(report.longreprtext)


@pytest.hookimpl(trylast=True)
def pytest_configure(config):
    config.pluginmanager.register(InnerSpy(), "inner_spy")


def pytest_sessionstart(session):
    impls = session.config.pluginmanager.hook.pytest_runtest_makereport.get_hookimpls()
    with open("makereport-order.json", "w") as f:
        json.dump([impl.plugin_name for impl in impls], f)
'''

INNER = f'''
class Page:
    def __repr__(self):
        return "<Page url='http://127.0.0.1:9/callback?state=s-1&code={CODE}'>"


def test_fails():
    page = Page()
    print("session cookie {COOKIE}")
    assert page is None
'''


def _run(pytester: pytest.Pytester, *extra: str) -> tuple[str, dict[str, object], str, str]:
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_inner=INNER)
    results = pytester.path / "allure"
    run = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:randomly", "-rA", f"--alluredir={results}",
                                        f"--junitxml={pytester.path / 'junit.xml'}", *extra)
    run.assert_outcomes(failed=1)
    result = json.loads(next(results.glob("*-result.json")).read_text())
    stdout = next((results / a["source"] for a in result["attachments"] if a["name"] == "stdout"))
    return (str(run.stdout), result, (pytester.path / "junit.xml").read_text() + stdout.read_text(),
            (pytester.path / "inner-saw.txt").read_text())


def test_allure_junit_and_the_terminal_read_a_scrubbed_report(pytester: pytest.Pytester) -> None:
    terminal, result, junit_and_stdout, inner = _run(pytester)
    assert leaks(inner, [CODE]) == [CODE]  # before the gate's wrapper: the code is there
    details = json.dumps(result["statusDetails"])
    assert leaks(details, [CODE, COOKIE]) == [] and "code=[redacted]" in details and "state=s-1" in details
    assert leaks(junit_and_stdout, [CODE, COOKIE]) == [] and "[redacted]" in junit_and_stdout
    assert leaks(terminal, [CODE, COOKIE]) == [] and "code=[redacted]" in terminal
    assert 'name="sso-harness.redaction" value="on' in junit_and_stdout


def test_with_no_redact_the_values_stay_and_junit_says_so(pytester: pytest.Pytester) -> None:
    terminal, result, junit_and_stdout, _ = _run(pytester, "--sso-no-redact")
    assert leaks(json.dumps(result["statusDetails"]), [CODE]) == [CODE]
    assert leaks(junit_and_stdout, [CODE, COOKIE]) == [CODE, COOKIE] and leaks(terminal, [CODE]) == [CODE]
    assert 'name="sso-harness.redaction" value="OFF (--sso-no-redact)' in junit_and_stdout


def test_the_gate_wrapper_is_inside_allure_pytests(pytester: pytest.Pytester) -> None:
    _run(pytester)
    names = json.loads((pytester.path / "makereport-order.json").read_text())
    # pluggy calls the list from its end: an earlier position is an inner wrapper, whose after-yield code runs first.
    assert names.index("inner_spy") < names.index("sso_harness_redaction") < names.index("allure_listener")
