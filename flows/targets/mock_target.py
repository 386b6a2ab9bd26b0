"""The embedded mock fleet described as a target, like any tenant.

The shape (SPs, flows, users) is fixed, so tests can be collected before
the fleet starts; URLs come from the running fleet. The same runner,
drivers and expectations then work against it and against a real tenant.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sso_harness.targets.target import Expectations, IdpSpec, LoginSpec, SpSpec, Target, TestUser
from sso_harness.targets.runner import FlowCase

if TYPE_CHECKING:  # the caller has started the fleet
    from sso_harness.mocks.fleet import MockFleet

__all__ = ["MOCK_CASES", "mock_target"]

EMAIL = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
MAIL_CLAIM = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"

_FLOWS = {"atlassian": ("sp_initiated", "idp_initiated"), "alibaba": ("sp_initiated", "idp_initiated"), "mitel": ("sp_initiated",)}
MOCK_CASES = [FlowCase(sp, flow, 0) for sp, flows in _FLOWS.items() for flow in flows]


def mock_target(fleet: MockFleet) -> Target:
    from sso_harness.mocks.scenario import IDS

    e = fleet.endpoints()
    instance = e["atlassian.instance"]
    alibaba_portal = fleet.alibaba.base_url
    mitel_base = fleet.mitel.base_url
    sps = (
        SpSpec(
            name="atlassian", entity_id=fleet.atlassian.entity_id, acs=e["atlassian.acs"], sign_on_url=instance,
            landing_url=instance, launch_url=e["entra.user_access_url.atlassian"],
            idp_metadata_url=e["entra.app_federation_metadata.atlassian"], flows=_FLOWS["atlassian"],
            expect=Expectations(name_id="{user.email}", name_id_format=EMAIL, claims={MAIL_CLAIM: ["{user.email}"]}),
        ),
        SpSpec(
            name="alibaba", entity_id=fleet.alibaba.entity_id, acs=e["alibaba.acs"], sign_on_url=e["alibaba.user_logon_url"] + "/sso",  # the logon page's "Go" button
            landing_url=alibaba_portal, launch_url=e["entra.user_access_url.alibaba"],
            idp_metadata_url=e["entra.app_federation_metadata.alibaba"], flows=_FLOWS["alibaba"],
            expect=Expectations(name_id="{user.upn}"),
        ),
        SpSpec(
            name="mitel", entity_id=fleet.mitel.entity_id, acs=fleet.mitel.acs_url, sign_on_url=f"{mitel_base}/portal",
            landing_url=mitel_base, idp_metadata_url=e["entra.app_federation_metadata.mitel"], flows=_FLOWS["mitel"],
            expect=Expectations(name_id="{user.email}"),
        ),
    )
    user = fleet.users_by_upn["b.simon@contoso.com"] if hasattr(fleet, "users_by_upn") else None
    simon = TestUser("b.simon@contoso.com", getattr(user, "password", "Pa55w.rd-simon"),
                     {"email": "b.simon@contoso.com", "upn": "b.simon@contoso.com"})
    return Target(
        name="mocks",
        idp=IdpSpec(kind="entra", login=LoginSpec(driver="entra"), tenant=fleet.tenant_id,
                    metadata_url=e["entra.federation_metadata"]),
        sps=sps, users=(simon,), allow_egress=False, description=f"embedded mock fleet (tenant {IDS.contoso})",
    )
