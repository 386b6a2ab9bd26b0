"""The sixth guide of docs/tutorial-spec.md runs as documented: the format is enough to write one."""

from __future__ import annotations

from pathlib import Path

import pytest

from sso_harness.apps.tutorials import EmulationLane, parse_spec, render_checklist, run_tutorial

pytestmark = pytest.mark.e2e

DOC = Path(__file__).resolve().parents[2] / "docs" / "tutorial-spec.md"


def _example() -> str:
    after = DOC.read_text(encoding="utf-8").split("<!-- example-spec -->", 1)[1]
    return after.split("```yaml\n", 1)[1].split("```", 1)[0]


def test_the_documented_spec_passes_and_its_drift_is_caught(mock_fleet, sso_proxy, tutorial_context) -> None:  # type: ignore[no-untyped-def]
    spec = parse_spec(_example(), source="docs/tutorial-spec.md")
    lane = EmulationLane(mock_fleet, proxy_url=sso_proxy.url)
    result = run_tutorial(spec, lane, tutorial_context, sso_proxy.recorder)
    assert result.ok and result.count("passed") == 7, render_checklist(result)

    drifted = run_tutorial(spec, lane, tutorial_context, sso_proxy.recorder, drift=spec.drift("name-id-not-email"))
    failed = {c.claim: c.message for c in drifted.failed()}
    assert sorted(failed) == ["The NameID is the user's email", "The SP shows the signed-in user"], render_checklist(drifted)
    assert "saw '6b4c1f7e-4f4a-4a59-9a43-5d3f2f0e8a11'" in failed["The NameID is the user's email"]
    assert "Set the IdP's NameID to the email attribute." in failed["The NameID is the user's email"]
