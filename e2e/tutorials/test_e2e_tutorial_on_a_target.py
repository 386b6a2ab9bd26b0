"""Every packaged tutorial against the mock fleet described as a real tenant (no emulation hooks).

The targets entries are a checked-in file, ``mock_tenant_targets.yaml``, written the way a team
writes its own tenant's entry; values a targets file has no key for come as ``--set`` would give
them (``OVERRIDES``). Each tutorial runs in the real-target lane: setup steps are not applied,
nothing fails, and every claim that stays "not checked" is listed here with its reason. The goal
of at most two per tutorial holds for every tutorial; claims a real tenant can never show are labelled
emulation-only *by design* with the spec's reason (``BY_DESIGN``) and are not among those two.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sso_harness.apps.tutorials import TargetLane, render_checklist
from sso_harness.targets.load import load_target
from sso_harness.targets.mock_target import mock_target

pytestmark = pytest.mark.e2e

TARGETS_FILE = Path(__file__).with_name("mock_tenant_targets.yaml")
#: The federated domain's users sign in at the JumpCloud-like IdP with its own test password (public).
ENV = {"FABRIKAM_PASSWORD": "Pa55w.rd-alex"}
ROLE = "not checked: the target has no user with role no_mail"
VALUE = "not checked: the target does not provide"
VARIANT = "not checked: needs the emulation (flow"
OWN_PAGES = "not checked: needs the emulation (it reads the emulation's own pages or state)"
BY_DESIGN = "not checked: needs the emulation by design: "

# tutorial -> (target, SP, {claim not checked: the start of its reason})
CASES: dict[str, tuple[str, str, dict[str, str]]] = {
    "atlassian-cloud-saml": ("mock-tenant", "atlassian", {
        "Without a mail attribute, NameID from user.userprincipalname is still the user's email": ROLE,
        "Without a mail attribute, the user is signed in to the instance": ROLE,
    }),
    "jumpcloud-entra-federation": ("mock-tenant-federated", "m365", {}),
    "alibaba-cloudsso-saml": ("mock-tenant", "alibaba", {
        "The Relay State Entra sends is a URL in CloudSSO's domain (*.alibabacloudsso.com)": VARIANT,
        "A Relay State within CloudSSO's domain is honoured - the user lands on it": VARIANT,
    }),
    "mitel-connect-saml": ("mock-tenant", "mitel", {
        "Changing the Sign-on URL changes the default application": VARIANT,
        "An IdP-initiated Response is unsolicited (it has no InResponseTo)": BY_DESIGN + "a tenant set up the guide's way",
        "Mitel refuses IdP-initiated sign-in": BY_DESIGN + "a tenant set up the guide's way",
        "Mitel's certificate field holds two certificates, pasted one after the other": BY_DESIGN + "a rollover",
        "After a signing-certificate rollover the Response is signed with the new certificate": BY_DESIGN + "a rollover",
        "Sign-in keeps working through the rollover": BY_DESIGN + "a rollover",
    }),
    "jira-oauth2": ("mock-tenant", "jira", {
        "Jira redeems the code at the v2 token endpoint": BY_DESIGN + "a real Jira server sends its token request",
        "Test connection reports success": BY_DESIGN + "the result is shown on Jira's own page",
        "The Microsoft Graph scopes get Mail.ReadWrite with consent": VARIANT,
        "The GCC scopes (outlook.office365.com) get a token on a GCC tenant": VARIANT,
    }),
}


def _overrides(name: str, endpoints: dict[str, str], urls: dict[str, str]) -> dict[str, str]:
    """What a user passes with --set: values of their own set-up that a targets file has no key for."""
    if name == "jumpcloud-entra-federation":
        return {"idp.passive_logon_uri": endpoints["jumpcloud.office365.sso"], "idp.issuer_uri": f"{urls['jumpcloud']}/fabrikam.com",
                "idp.federation_acs": f"{urls['entra']}/login.srf", "idp.federation_metadata_url": endpoints["jumpcloud.office365.metadata"]}
    if name == "alibaba-cloudsso-saml":
        return {"sp.metadata_url": endpoints["alibaba.sp_metadata"], "sp.password_logon_url": endpoints["alibaba.user_logon_url"] + "/password"}
    return {}


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_tutorial_runs_on_a_target_and_says_why_each_claim_was_not_checked(name: str, run_spec, mock_fleet, sso_proxy) -> None:  # type: ignore[no-untyped-def]
    target_name, sp, expected = CASES[name]
    target = mock_target(mock_fleet, load_target(TARGETS_FILE, target_name, env=ENV))
    lane = TargetLane(target, sp, proxy_url=sso_proxy.url, cafile=str(sso_proxy.ca_cert_path),
                      overrides=_overrides(name, mock_fleet.endpoints(), mock_fleet.urls()))
    result = run_spec(name, lane=lane)
    text = render_checklist(result)
    assert result.ok and not result.emulation, text
    not_checked = {c.claim: c.message for c in result.checks if c.status == "not_checked"}
    assert sorted(not_checked) == sorted(expected), text
    for claim, reason in expected.items():
        assert not_checked[claim].startswith(reason), f"{claim!r}: {not_checked[claim]}"
    emulation_only = sum(1 for reason in expected.values() if reason != ROLE and not reason.startswith(VALUE))
    by_design = sum(1 for reason in expected.values() if reason.startswith(BY_DESIGN))
    ran = len(result.checks) - len(expected)
    assert (f"on target {target_name}: {ran} of {len(result.checks)} checks ran; {emulation_only} emulation-only "
            f"({by_design} by design), {len(expected) - emulation_only} not checked for want of a value") in text
    counts = result.to_json()["counts"]
    assert (counts["ran"], counts["emulation_only"], counts["by_design"], counts["not_checked"]) == (
        ran, emulation_only, by_design, len(expected) - emulation_only)
    assert result.open_count == len(expected) - by_design <= 2, text
