"""Every packaged tutorial passes against the emulation, and runs unchanged against a target."""

from __future__ import annotations

import pytest

from sso_harness.targets.mock_target import mock_target
from sso_harness.apps.tutorials import NEEDS_EMULATION, TargetLane, load_named, render_checklist, spec_names

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("name", spec_names())
def test_the_tutorial_passes_against_the_emulation(name: str, run_spec) -> None:  # type: ignore[no-untyped-def]
    result = run_spec(name)
    assert result.ok, render_checklist(result)
    assert result.count("passed") == len(result.checks) >= 9, render_checklist(result)
    assert all(c.evidence is not None and c.evidence.hop for c in result.checks)
    data = result.to_json()
    assert data["tutorial"] == name and all(set(c) >= {"claim", "passed", "evidence"} for c in data["checks"])


def test_against_a_target_the_emulations_variants_are_not_checked(run_spec, mock_fleet, sso_proxy) -> None:  # type: ignore[no-untyped-def]
    """The mock fleet described as a real target: the flows a tenant can run, run; the rest say why not."""
    lane = TargetLane(mock_target(mock_fleet), "atlassian", proxy_url=sso_proxy.url)
    result = run_spec("atlassian-cloud-saml", lane=lane)
    assert result.ok and not result.emulation, render_checklist(result)
    by_claim = {c.claim: c for c in result.checks}
    assert by_claim["The NameID is the user's email (source user.mail)"].status == "passed"
    assert by_claim["IdP-initiated sign-in lands on the instance URL"].status == "passed"
    assert by_claim["Atlassian publishes the SP Entity ID that Entra's Identifier is copied from"].status == "passed"
    no_mail = by_claim["Without a mail attribute, the user is signed in to the instance"]
    assert no_mail.status == "not_checked" and "no user with role no_mail" in no_mail.message
    assert result.count("passed") >= 10


def test_a_flow_that_only_the_emulation_can_set_up_is_reported_as_such(run_spec, mock_fleet, sso_proxy) -> None:  # type: ignore[no-untyped-def]
    # The targets file has no launch URL for this SP: it comes from --set, as a user would give it.
    launch = mock_fleet.endpoints()["entra.user_access_url.mitel"]
    lane = TargetLane(mock_target(mock_fleet), "mitel", proxy_url=sso_proxy.url, overrides={"sp.launch_url": launch})
    result = run_spec("mitel-connect-saml", lane=lane)
    by_claim = {c.claim: c for c in result.checks}
    assert by_claim["Mitel refuses IdP-initiated sign-in"].message.startswith(NEEDS_EMULATION)
    assert by_claim["Mitel's certificate field holds two certificates, pasted one after the other"].status == "not_checked"
    assert by_claim["The NameID is the user's email or UPN, as the Mitel username must be"].status == "passed"
    assert by_claim["The tile opens the default application, the one the Sign-on URL names"].status == "passed"
    # Without --set sp.other_app_url, SP-initiated sign-in starts at the target SP's own sign-on URL.
    other_app = by_claim["SP-initiated sign-in lands on the application the user opened"]
    assert other_app.status == "passed" and other_app.evidence is not None
    assert str(other_app.evidence.value).startswith(lane.values(load_named("mitel-connect-saml"))["sp.sign_on_url"])
    assert result.ok, render_checklist(result)
