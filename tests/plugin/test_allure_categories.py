"""The SSO categories match failure messages by code, as Allure does (a whole-message regex match)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sso_harness.browser.entra.errors import AADSTS_ERROR, STUCK, EntraSignInFailed
from sso_harness.expect import (
    EXPECT_AUDIENCE, EXPECT_CLAIMS, EXPECT_IDP_ERROR, EXPECT_MISSING, EXPECT_NAME_ID, EXPECT_RECIPIENT,
    EXPECT_RELAY_STATE, EXPECT_TIME, EXPECT_TRUST, ExpectationFailed,
)
from sso_harness.plugin.allure_categories import CATEGORIES_FILE, categories, write_categories
from sso_harness.plugin.allure_environment import dump_properties, parse_properties, write_environment
from sso_harness.targets.steps import STEP_FAILED, StepFailed


def _message(exc: BaseException) -> str:
    """What allure-pytest puts in ``statusDetails.message`` (``ExceptionInfo.exconly()``)."""
    try:
        raise exc
    except BaseException:
        return pytest.ExceptionInfo.from_current().exconly()
    raise AssertionError("unreachable")


def _matching(message: str) -> list[str]:
    return [c["name"] for c in categories() if re.fullmatch(c["messageRegex"], message)]


def _expectation(code: str) -> ExpectationFailed:
    return ExpectationFailed("SAML Response something (at hop #4 POST sp/acs)\n  expected: 'a'\n  seen:     'b'", code)


class _TimeoutError(Exception):
    """Stands in for Playwright's TimeoutError: only the qualified name reaches the message."""


_TimeoutError.__module__ = "playwright._impl._errors"
_TimeoutError.__qualname__ = "TimeoutError"


@pytest.mark.parametrize(("failure", "category"), [
    (_expectation(EXPECT_TRUST), "Signature / trust"),
    (ExpectationFailed("the trace shows protocol problems:\n  saml.not_trusted: no valid signature\ntrace:\n  #1"),
     "Signature / trust"),
    (_expectation(EXPECT_AUDIENCE), "Audience / recipient"),
    (_expectation(EXPECT_RECIPIENT), "Audience / recipient"),
    (_expectation(EXPECT_TIME), "Time (validity window, clock)"),
    (ExpectationFailed("the trace shows protocol problems:\n  saml.not_on_or_after: expired"), "Time (validity window, clock)"),
    (_expectation(EXPECT_NAME_ID), "NameID / claims"),
    (_expectation(EXPECT_CLAIMS), "NameID / claims"),
    (_expectation(EXPECT_RELAY_STATE), "RelayState / state / correlation"),
    (_expectation(EXPECT_MISSING), "Flow path (a message missing, another redirect chain)"),
    (_expectation(EXPECT_IDP_ERROR), "IdP error (other)"),
    (EntraSignInFailed(AADSTS_ERROR, "AADSTS50011: The redirect URI does not match", url="https://login.example/x",
                       aadsts=50011), "IdP error: AADSTS50011 InvalidReplyTo"),
    (EntraSignInFailed(AADSTS_ERROR, "AADSTS99999999: something new", url="https://login.example/x"), "IdP error (other)"),
    (EntraSignInFailed(STUCK, "the password screen did not move on", url="https://login.example/x"),
     "Browser / sign-in driver"),
    (StepFailed(f"{STEP_FAILED}: step 1 (click: '#go') failed at https://sp.example/: timeout"), "Browser / sign-in driver"),
    (_TimeoutError("Page.wait_for_url: Timeout 15000ms exceeded."), "Browser / sign-in driver"),
])
def test_each_failure_lands_in_exactly_its_cause(failure: BaseException, category: str) -> None:
    assert _matching(_message(failure)) == [category]


def test_prose_without_a_code_matches_no_category() -> None:
    # "audience" as a word is prose, not a code: Allure's own defaults take it.
    assert _matching(_message(AssertionError("the audience was wrong and the signature too"))) == []


def test_categories_file_is_valid_json_with_statuses(tmp_path: Path) -> None:
    written = json.loads(write_categories(tmp_path / "results").read_text())
    assert (tmp_path / "results" / CATEGORIES_FILE).exists()
    assert all(c["matchedStatuses"] == ["failed", "broken"] and c["messageRegex"].startswith("(?s)") for c in written)
    assert len({c["name"] for c in written}) == len(written)


def test_environment_properties_escape_and_merge(tmp_path: Path) -> None:
    values = {"Target": "staging eu", "SPs": "jira, wiki=2", "Odd key": "line\nbreak \\ é"}
    assert parse_properties(dump_properties(values)) == values
    assert "Odd\\ key=line\\nbreak \\\\ \\u00e9" in dump_properties(values)
    path = write_environment(tmp_path, {"Target": "t", "Browser": "chromium 1"})
    write_environment(tmp_path, {"Target": "t", "Python": "3"})  # the controller: it saw no browser
    assert parse_properties(path.read_text(encoding="latin-1")) == {"Target": "t", "Browser": "chromium 1", "Python": "3"}
