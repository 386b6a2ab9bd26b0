"""The plugin's journey fixtures, as a user's test calls them (no conftest.py of their own).

Each test's hops are numbered from #0: the second and later tests of a
session start at #0 in their trace and failure messages, though the proxy has
been recording since the first.
"""

from __future__ import annotations

import pytest

from sso_harness.expect import EXPECT_AUDIENCE, ExpectationFailed, expect

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("round_", [1, 2])
def test_each_test_s_hops_start_at_zero(round_: int, sp_initiated, mock_fleet) -> None:  # type: ignore[no-untyped-def]
    trace = sp_initiated("/protected/app")
    hops = [h.hop for h in trace]
    assert [h.index for h in hops] == list(range(len(hops)))
    assert hops[0].url.startswith(mock_fleet.sp.settings.base_url + "/protected/app")


def test_a_failure_names_the_test_s_own_hop_number(sp_initiated, inject_fault, mock_fleet) -> None:  # type: ignore[no-untyped-def]
    inject_fault(mock_fleet.idp, audience="https://evil.example/sp")
    trace = sp_initiated()
    with pytest.raises(ExpectationFailed) as failure:
        expect(trace).saml_response.audience == mock_fleet.sp.settings.entity_id
    assert failure.value.code == EXPECT_AUDIENCE
    # Numbered within this test (favicon requests are numbered after the flow's own hops): the
    # Response's hop in the message is the trace's own, and the list below it starts at #0.
    response = trace.saml_response_hop.hop
    assert response.index < len(list(trace))
    assert f"(at hop {response.label})" in str(failure.value)
    assert f"\n  #0 GET {mock_fleet.sp.settings.base_url.split('://', 1)[1]}/protected/reports" in str(failure.value)


def test_idp_initiated_launches_atlassian_from_my_apps(idp_initiated, mock_fleet) -> None:  # type: ignore[no-untyped-def]
    trace = idp_initiated("atlassian")
    e = expect(trace)
    e.saml_response.name_id == "b.simon@contoso.com"
    e.saml_response.is_trusted()
    assert next(iter(trace)).hop.url.startswith(mock_fleet.entra.base_url)  # launched at the IdP, no AuthnRequest


def test_idp_initiated_refuses_an_unknown_app(idp_initiated) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="known: atlassian, alibaba"):
        idp_initiated("salesforce")


def test_oidc_login_verifies_the_id_token(oidc_login) -> None:  # type: ignore[no-untyped-def]
    run = oidc_login()
    assert run.token_status == 200
    e = expect(run.trace)
    e.id_token.is_trusted()
    e.id_token.claim("preferred_username") == "b.simon@contoso.com"
