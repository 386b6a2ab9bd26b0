"""Every flow the selected target lists, for each test user, checked against its expectations.

The same flows ``sso-harness run`` runs from its packaged suite
(``sso_harness.apps.run_suite``), here inside the repository's e2e suites.
With the default target (``mocks``, the packaged mock target file) this runs
against the embedded mock fleet; ``--sso-target NAME`` runs the same code
against a real tenant.
"""

from __future__ import annotations

import pytest

from sso_harness.plugin.target_option import selected_target
from sso_harness.targets.mock_target import mock_target
from sso_harness.targets.runner import cases_of, play_case

pytestmark = pytest.mark.e2e


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "flow_case" not in metafunc.fixturenames:
        return
    cases = cases_of(selected_target(metafunc.config))
    metafunc.parametrize("flow_case", cases, ids=[c.id for c in cases])


def test_flow(flow_case, sso_flow_target, page, sso_capture, sso_proxy, tmp_path) -> None:  # type: ignore[no-untyped-def]
    play_case(page, sso_capture, sso_flow_target, flow_case, proxy_url=sso_proxy.url,
              cafile=str(sso_proxy.ca_cert_path), screenshot_dir=tmp_path)


def test_drift_in_the_idp_configuration_is_caught_with_a_reason(mock_fleet, page, sso_capture, sso_proxy, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """An admin switches the Atlassian app's NameID to the object ID: the target's expectation says so."""
    from sso_harness.expect import ExpectationFailed
    from sso_harness.targets.runner import FlowCase
    from sso_harness.mocks.scenario import IDS

    target = mock_target(mock_fleet)
    mock_fleet.entra.configure_app(IDS.atlassian_app, name_id_source="user.objectid")
    with pytest.raises(ExpectationFailed) as failure:
        play_case(page, sso_capture, target, FlowCase("atlassian", "sp_initiated", 0), proxy_url=sso_proxy.url,
                  cafile=str(sso_proxy.ca_cert_path), screenshot_dir=tmp_path)
    assert "SAML Response NameID" in str(failure.value) and "expected: 'b.simon@contoso.com'" in str(failure.value)


def test_a_configured_step_that_cannot_be_done_fails_the_flow_with_its_code(mock_fleet, page, sso_capture, sso_proxy, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A wrong selector in ``steps`` fails the flow naming the step and the page, not with a timeout elsewhere."""
    import dataclasses

    from sso_harness.targets import JourneyStep, Steps
    from sso_harness.targets.runner import FlowCase
    from sso_harness.targets.steps import STEP_FAILED, StepFailed

    target = mock_target(mock_fleet)
    sps = tuple(dataclasses.replace(sp, steps=Steps(before_sign_in=(JourneyStep("click", selector="#no-such-button"),)))
                if sp.name == "alibaba" else sp for sp in target.sps)
    target = dataclasses.replace(target, sps=sps)
    with pytest.raises(StepFailed) as failure:
        play_case(page, sso_capture, target, FlowCase("alibaba", "sp_initiated", 0), proxy_url=sso_proxy.url,
                  cafile=str(sso_proxy.ca_cert_path), screenshot_dir=tmp_path, step_timeout_ms=1_000)
    assert failure.value.code == STEP_FAILED
    assert "before_sign_in[0] click: '#no-such-button'" in str(failure.value) and mock_fleet.alibaba.base_url in str(failure.value)


def test_after_sign_in_steps_run_on_the_sp_with_the_users_values(mock_fleet, page, sso_capture, sso_proxy, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """``after_sign_in`` steps run once back on the SP; ``{user.KEY}`` in them is the flow's test user."""
    import dataclasses

    from sso_harness.targets import JourneyStep, Steps
    from sso_harness.targets.runner import FlowCase

    target = mock_target(mock_fleet)
    after = (JourneyStep("wait_for_url", url=f"{mock_fleet.alibaba.portal_url}**"),
             JourneyStep("assert_text", selector="#user", text="{user.email}"))
    sps = tuple(dataclasses.replace(sp, steps=Steps(sp.steps.before_sign_in, after)) if sp.name == "alibaba" else sp
                for sp in target.sps)
    trace = play_case(page, sso_capture, dataclasses.replace(target, sps=sps), FlowCase("alibaba", "sp_initiated", 0),
                      proxy_url=sso_proxy.url, cafile=str(sso_proxy.ca_cert_path), screenshot_dir=tmp_path)
    assert trace.final_hop.hop.url.startswith(mock_fleet.alibaba.portal_url)
    assert page.locator("#user").inner_text() == "b.simon@contoso.com"


def test_the_signed_in_decision_is_part_of_every_flow(mock_fleet, page, sso_capture, sso_proxy, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """SAML default without a rule; a declared rule when the SP has one; a rule that does not hold fails the flow."""
    import dataclasses

    from sso_harness.expect import ExpectationFailed
    from sso_harness.targets.runner import FlowCase, play_flow
    from sso_harness.targets.sign_in_check import NOT_SIGNED_IN
    from sso_harness.targets.target import SignedInSpec

    target = mock_target(mock_fleet)
    case = FlowCase("alibaba", "sp_initiated", 0)

    def with_rule(rule: SignedInSpec | None):  # type: ignore[no-untyped-def]
        return dataclasses.replace(target, sps=tuple(dataclasses.replace(sp, signed_in=rule) if sp.name == "alibaba" else sp
                                                     for sp in target.sps))

    def play(t):  # type: ignore[no-untyped-def]
        return play_flow(page, sso_capture, t, case, proxy_url=sso_proxy.url, cafile=str(sso_proxy.ca_cert_path),
                         screenshot_dir=tmp_path, step_timeout_ms=5_000)

    default = play(with_rule(None)).signed_in
    assert default is not None and default.signed_in and default.basis == "saml-default"
    assert [c.name for c in default.conditions] == ["acs-answered", "session-cookie", "landing"]

    page.context.clear_cookies()
    declared = play(with_rule(SignedInSpec(selector="#user", text="b.simon@contoso.com"))).signed_in
    assert declared is not None and declared.signed_in and declared.basis == "declared"

    page.context.clear_cookies()
    with pytest.raises(ExpectationFailed) as failure:
        play(with_rule(SignedInSpec(cookie="no-such-session-cookie")))
    assert NOT_SIGNED_IN in str(failure.value) and "cookie no-such-session-cookie not held" in str(failure.value)


def test_force_authn_is_checked_on_the_captured_authn_request(mock_fleet, page, sso_capture, sso_proxy, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The alibaba mock SP is not set to send ForceAuthn: a target that asks for it fails, naming the AuthnRequest's hop."""
    import dataclasses

    from sso_harness.expect import ExpectationFailed
    from sso_harness.targets.runner import FORCE_AUTHN_NOT_SENT, FlowCase

    target = mock_target(mock_fleet)
    sps = tuple(dataclasses.replace(sp, force_authn=True) if sp.name == "alibaba" else sp for sp in target.sps)
    with pytest.raises(ExpectationFailed) as failure:
        play_case(page, sso_capture, dataclasses.replace(target, sps=sps), FlowCase("alibaba", "sp_initiated", 0),
                  proxy_url=sso_proxy.url, cafile=str(sso_proxy.ca_cert_path), screenshot_dir=tmp_path)
    assert FORCE_AUTHN_NOT_SENT in str(failure.value) and "ForceAuthn=None" in str(failure.value)
