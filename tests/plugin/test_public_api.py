"""``sso_harness.api`` and docs/api.md describe the same public API: every name exported is documented."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

import sso_harness.api as api
from sso_harness.plugin import fixtures, journeys, target_option

DOC = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text(encoding="utf-8")


def _fixture_names(module: object) -> list[str]:
    # pytest marks a fixture function with this attribute (FixtureFunctionDefinition since pytest 8.4).
    return sorted(name for name, value in vars(module).items()
                  if not name.startswith("_") and type(value).__name__ == "FixtureFunctionDefinition")


@pytest.mark.parametrize("name", api.__all__)
def test_every_exported_name_is_importable_and_documented(name: str) -> None:
    assert getattr(api, name) is not None
    assert f"`{name}" in DOC, f"{name} is exported by sso_harness.api but docs/api.md does not mention it"


def test_every_plugin_fixture_is_in_the_fixture_table() -> None:
    names = [n for module in (fixtures, journeys, target_option) for n in _fixture_names(module)]
    assert {"sp_initiated", "idp_initiated", "oidc_login", "mock_fleet", "inject_fault", "sso_capture"} <= set(names)
    table = DOC.split("## Fixtures", 1)[1].split("\n## ", 1)[0]
    assert [n for n in names if f"| `{n}` |" not in table and f"`{n}` / " not in table] == []


def test_the_fixture_signatures_match_the_documented_calls() -> None:
    assert list(inspect.signature(journeys.SpInitiated.__call__).parameters) == ["self", "path", "credentials"]
    assert list(inspect.signature(journeys.IdpInitiated.__call__).parameters) == ["self", "app", "credentials"]
    assert list(inspect.signature(journeys.OidcLogin.__call__).parameters) == ["self", "pkce", "scopes", "credentials"]
    for row in ("sp_initiated(path=\"/protected/reports?quarter=q3\", *, credentials=None) -> Trace",
                "idp_initiated(app=\"atlassian\", *, credentials=None) -> Trace",
                "oidc_login(*, pkce=True, scopes=(\"openid\", \"email\", \"profile\"), credentials=None) -> OidcRun"):
        assert row in DOC
