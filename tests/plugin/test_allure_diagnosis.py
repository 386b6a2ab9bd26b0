"""A failure without a code (a Playwright timeout) is filed by its flow's trace, not under the browser.

Black-box through pytester in a subprocess, with ``--alluredir``: the inner
test's ``sso_capture`` holds a recorded flow whose assertion is addressed to
another audience (a trace JSON written here, read back by the inner test), and
the test body fails with a Playwright-style timeout, as a wrong audience does
in a browser. Allure's result must carry the trace's codes in its message, and
the categories must file it under "Audience / recipient" alone.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sso_harness.plugin.allure_categories import TRACE_CODES_MARK, categories, causes_of
from sso_harness.plugin.allure_diagnosis import SECTION, coded_message, trace_codes
from sso_harness.report.redact import Redactor
from sso_harness.report.trace_json import dump_trace
from sso_harness.trace.trace import Trace

from ..diagnose.builders import IDP, SP, authn_request_url, hop, keypair, signed_response

INNER = '''
import pathlib
import pytest
from sso_harness.report.trace_json import load_trace


class _Recording:
    """Stands in for the browser-driven recording: the flow is already recorded."""

    def __init__(self, trace):
        self.last_trace = trace

    def trace(self):
        return self.last_trace


@pytest.fixture
def sso_capture():
    return _Recording(load_trace(pathlib.Path(__file__).with_name("flow.json").read_bytes()))


class TimeoutError(Exception):
    pass


TimeoutError.__module__ = "playwright._impl._errors"


def test_signs_in(sso_capture):
    raise TimeoutError("Page.wait_for_url: Timeout 15000ms exceeded.")


def test_coded_failure_keeps_its_own_code(sso_capture):
    raise AssertionError("expect.name_id: SAML Response NameID differs")


def test_without_a_flow():
    raise TimeoutError("Page.wait_for_url: Timeout 15000ms exceeded.")
'''


def _wrong_audience(tmp: Path) -> Trace:
    keys = keypair(tmp, "idp")
    form = {"SAMLResponse": signed_response(keys, audience="urn:someone:else"), "RelayState": "/app/start"}
    return Trace.from_hops([hop(0, "GET", authn_request_url(), 302, resp_headers=(("Location", f"{IDP}/login"),)),
                            hop(1, "POST", f"{SP}/acs", 500, form=form)])


def test_the_trace_codes_pick_one_sso_cause(tmp_path: Path) -> None:
    codes = trace_codes(_wrong_audience(tmp_path)).codes
    assert "diagnosis.audience" in codes
    timeout = "playwright._impl._errors.TimeoutError: Page.wait_for_url: Timeout 15000ms exceeded."
    assert causes_of(timeout) == ["Browser / sign-in driver"]
    coded = coded_message(timeout, codes)
    assert coded is not None and causes_of(coded) == ["Audience / recipient"]
    assert coded_message("expect.time: the assertion expired", codes) is None  # a coded failure keeps its cause
    assert coded_message(timeout, ["diagnosis.undecodable"]) is None  # no code of an SSO cause: nothing to add


def test_an_uncoded_failure_is_filed_by_its_trace(pytester: pytest.Pytester, tmp_path: Path) -> None:
    pytester.path.joinpath("flow.json").write_text(dump_trace(_wrong_audience(tmp_path), Redactor(enabled=False)))
    pytester.makepyfile(test_inner=INNER)
    allure = pytester.path / "allure"
    run = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:randomly", f"--alluredir={allure}")
    run.assert_outcomes(failed=3)
    results = {r["name"]: r for r in (json.loads(p.read_text()) for p in allure.glob("*-result.json"))}
    regexes = [(c["name"], c["messageRegex"]) for c in json.loads((allure / "categories.json").read_text())]
    assert regexes == [(c["name"], c["messageRegex"]) for c in categories()]

    def filed(name: str) -> list[str]:
        message = results[name]["statusDetails"]["message"]
        return [category for category, regex in regexes if re.fullmatch(regex, message)]

    assert TRACE_CODES_MARK in results["test_signs_in"]["statusDetails"]["message"]
    assert filed("test_signs_in") == ["Audience / recipient"]
    assert filed("test_coded_failure_keeps_its_own_code") == ["NameID / claims"]
    assert filed("test_without_a_flow") == ["Browser / sign-in driver"]
    assert f"{SECTION}" in str(run.stdout) and "diagnosis.audience" in str(run.stdout)
