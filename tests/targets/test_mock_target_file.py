"""The embedded mocks are a target like any other: a packaged targets file, templates filled at fleet start."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sso_harness.targets.mock_target import (
    MOCK_CASES,
    MOCKS_FILE,
    MockTemplateError,
    fill_mock_templates,
    mocks_template,
)
from sso_harness.targets.runner import FlowCase

FLOWS = Path(__file__).resolve().parents[2] / "flows"


def test_the_mock_target_is_a_packaged_targets_file() -> None:
    assert MOCKS_FILE.name == "mocks.yaml" and MOCKS_FILE.parent == FLOWS / "targets"
    target = mocks_template()
    assert target.name == "mocks" and target.embedded_mocks and not target.allow_egress
    assert [(c.sp, c.flow) for c in MOCK_CASES] == [
        ("atlassian", "sp_initiated"), ("atlassian", "idp_initiated"), ("alibaba", "sp_initiated"),
        ("alibaba", "idp_initiated"), ("mitel", "sp_initiated"), ("jira", "oauth_code"),
    ]
    assert MOCK_CASES[0] == FlowCase("atlassian", "sp_initiated", 0)


def test_the_go_and_test_connection_buttons_are_configured_steps_not_code() -> None:
    jira = next(sp for sp in mocks_template().sps if sp.name == "jira")
    assert ("click", "#test-connection") in [(s.kind, s.selector) for s in jira.steps.before_sign_in]
    alibaba = next(sp for sp in mocks_template().sps if sp.name == "alibaba")
    assert [(s.kind, s.selector) for s in alibaba.for_flow("sp_initiated").steps.before_sign_in][0] == ("click", "#go")
    assert alibaba.for_flow("idp_initiated").steps.before_sign_in == ()
    # The core flows hold no mock page's selector.
    for path in [*(FLOWS / "targets").glob("*.py"), FLOWS / "browser" / "journeys.py"]:
        assert not re.search(r"#go\b|#test-connection|/sso\b", path.read_text(encoding="utf-8")), path


def test_templates_are_filled_everywhere_and_an_unknown_name_is_an_error() -> None:
    template = mocks_template()
    names = set(re.findall(r"\{mock\.([A-Za-z0-9_.@-]+)\}", MOCKS_FILE.read_text(encoding="utf-8")))
    filled = fill_mock_templates(template, {name: f"http://127.0.0.1:1/{name}" for name in names})
    assert "{mock." not in repr(filled) and filled.users[0].password == "http://127.0.0.1:1/password.b.simon@contoso.com"
    assert filled.sps[0].expect.name_id == "{user.email}"  # per-user templates stay for the flow
    with pytest.raises(MockTemplateError) as failure:
        fill_mock_templates(template, {})
    assert failure.value.code == "targets.mock_unknown" and "{mock." in str(failure.value)
