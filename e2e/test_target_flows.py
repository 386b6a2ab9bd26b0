"""Every flow the selected target lists, for each test user, checked against its expectations.

With the default target (``mocks``) this runs against the embedded mock
fleet; ``--target NAME`` runs the same code against a real tenant.
"""

from __future__ import annotations

import datetime as dt

import pytest

from sso_harness.plugin.target_option import MOCKS, load_selected, selected_target_name
from sso_harness.targets.mock_target import MOCK_CASES, mock_target
from sso_harness.targets.runner import cases_of, check_expectations, run_flow, trusted_certs_of
from sso_harness.trace.trace import DecodeContext

pytestmark = pytest.mark.e2e


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "flow_case" not in metafunc.fixturenames:
        return
    target = None if selected_target_name(metafunc.config) == MOCKS else load_selected(metafunc.config)
    cases = MOCK_CASES if target is None else cases_of(target)
    metafunc.parametrize("flow_case", cases, ids=[c.id for c in cases])


@pytest.fixture
def resolved_target(request: pytest.FixtureRequest, sso_target):  # type: ignore[no-untyped-def]
    if sso_target is not None:
        return sso_target
    return mock_target(request.getfixturevalue("mock_fleet"))


def test_flow(flow_case, resolved_target, page, sso_capture, sso_proxy, tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = resolved_target
    sp = next(s for s in target.sps if s.name == flow_case.sp)
    certs = trusted_certs_of(target, sp, proxy_url=sso_proxy.url, cafile=str(sso_proxy.ca_cert_path))
    sso_capture.context = DecodeContext(
        trusted_certs=tuple(certs), now=dt.datetime.now(dt.timezone.utc),
        cert_horizon=dt.timedelta(days=sp.expect.cert_expiry_days),
    )
    sso_capture.restart()  # the metadata fetch is setup, not part of the flow
    trace = run_flow(page, sso_capture, target, flow_case, screenshot_dir=tmp_path)
    check_expectations(trace, sp, target.users[flow_case.user], flow_case.flow)


def test_drift_in_the_idp_configuration_is_caught_with_a_reason(mock_fleet, page, sso_capture, sso_proxy, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """An admin switches the Atlassian app's NameID to the object ID: the target's expectation says so."""
    from sso_harness.expect import ExpectationFailed
    from sso_harness.targets.runner import FlowCase
    from sso_harness.mocks.scenario import IDS

    target = mock_target(mock_fleet)
    sp = next(s for s in target.sps if s.name == "atlassian")
    mock_fleet.entra.configure_app(IDS.atlassian_app, name_id_source="user.objectid")
    sso_capture.trusted_certs = trusted_certs_of(target, sp, proxy_url=sso_proxy.url)
    sso_capture.restart()
    trace = run_flow(page, sso_capture, target, FlowCase("atlassian", "sp_initiated", 0), screenshot_dir=tmp_path)
    with pytest.raises(ExpectationFailed) as failure:
        check_expectations(trace, sp, target.users[0], "sp_initiated")
    assert "SAML Response NameID" in str(failure.value) and "expected: 'b.simon@contoso.com'" in str(failure.value)
