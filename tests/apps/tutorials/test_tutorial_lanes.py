"""Lanes: what a real target supplies to the templates, and what it cannot run."""

from __future__ import annotations

import pytest

from sso_harness.targets.target import Expectations, IdpSpec, LoginSpec, SpSpec, Target
from sso_harness.targets.target import TestUser as TargetUser
from sso_harness.apps.tutorials import NEEDS_EMULATION, TargetHasNoSp, TargetLane, parse_spec, run_tutorial
from sso_harness.apps.tutorials.errors import ValueMissing
from sso_harness.apps.tutorials.lane import add_origin

SPEC = """
name: my-guide
title: My guide
sp:
  name: app
  sign_on_url: "{urls.app}/start"
  portal_url: {emulation: "{urls.app}/portal", target: "{sp.landing_url}"}
  helpdesk_url: "{urls.app}/help"
idp:
  login: {driver: entra, ready: "input[name=loginfmt]", error: "#err"}
  issuer: {target: "https://sts.example/{idp.tenant}/"}
users:
  main: {username: u@example.com, password: pw, email: u@example.com}
  no_mail: {username: n@example.com, password: pw}
flows:
  - id: variant
    start: "{sp.sign_on_url}"
    setup: [{call: idp.configure_app}]
  - id: second_user
    user: no_mail
    start: "{sp.sign_on_url}"
    on_target: run
checks:
  - {claim: a variant's claim, flow: variant, probe: final.url, starts_with: "{sp.portal_url}"}
  - {claim: the second user's claim, flow: second_user, probe: final.url, starts_with: "{sp.portal_url}"}
"""


def target(*users: TargetUser) -> Target:
    return Target(
        name="contoso-staging",
        idp=IdpSpec(kind="entra", login=LoginSpec(driver="entra"), tenant="tid-1", metadata_url="https://idp/meta.xml"),
        sps=(SpSpec(name="app", entity_id="https://app/sp", acs="https://app.example/acs", landing_url="https://app.example/home",
                    sign_on_url="https://app.example/start", scopes=("a", "b"), expect=Expectations()),),
        users=users or (TargetUser("qa@contoso.com", "pw", {"email": "qa@contoso.com"}),),
    )


def test_target_values_come_from_the_targets_file_then_the_specs_target_templates() -> None:
    lane = TargetLane(target(), "app", proxy_url="http://127.0.0.1:9", overrides={"sp.helpdesk_url": "https://help"})
    values = lane.values(parse_spec(SPEC))
    assert values["sp.entity_id"] == "https://app/sp" and values["sp.scopes"] == "a b"
    assert values["sp.portal_url"] == "https://app.example/home"          # the spec's target template
    assert values["idp.issuer"] == "https://sts.example/tid-1/" and values["idp.tenant"] == "tid-1"
    assert values["sp.helpdesk_url"] == "https://help"                     # --set
    assert values["sp.origin"] == "https://app.example"
    assert "urls.app" not in values                                        # emulation-only names stay missing


def test_user_roles_map_to_the_first_user_or_a_role_attribute() -> None:
    spec = parse_spec(SPEC)
    lane = TargetLane(target(TargetUser("qa@c", "pw", {}), TargetUser("nomail@c", "pw2", {"role": "no_mail"})), "app", proxy_url="x")
    assert lane.user(spec, "main").username == "qa@c"
    assert lane.user(spec, "no_mail").username == "nomail@c" and lane.user(spec, "no_mail").password == "pw2"
    with pytest.raises(ValueMissing, match="user role admin"):
        lane.user(spec, "admin")


def test_the_spec_page_selectors_apply_only_with_the_same_driver() -> None:
    spec = parse_spec(SPEC)
    _, section = TargetLane(target(), "app", proxy_url="x").login(spec)
    assert (section.ready, section.error) == ("input[name=loginfmt]", "#err")
    other = target()
    other = Target(other.name, IdpSpec(kind="generic", login=LoginSpec(driver="form")), other.sps, other.users)
    _, section = TargetLane(other, "app", proxy_url="x").login(spec)
    assert (section.ready, section.error) == (None, None)


def test_a_target_without_the_specs_sp_is_refused_with_the_names_it_has() -> None:
    with pytest.raises(TargetHasNoSp, match=r"target 'contoso-staging' has no SP named 'jira' \(it has: app\); pass --sp NAME"):
        TargetLane(target(), "jira", proxy_url="x")


class _Page:
    def close(self) -> None:
        pass


class _Context:
    def new_page(self) -> _Page:
        return _Page()


def test_on_a_target_variants_and_missing_roles_are_not_checked_without_a_browser() -> None:
    lane = TargetLane(target(), "app", proxy_url="http://127.0.0.1:9")
    result = run_tutorial(parse_spec(SPEC), lane, _Context(), recorder=None)  # type: ignore[arg-type]
    variant, second = result.checks
    assert variant.status == "not_checked" and variant.message == f"{NEEDS_EMULATION} (flow 'variant' is a variant set up in the emulation)"
    assert second.status == "not_checked" and "the target has no user with role no_mail (give one 'role: no_mail' in its users)" in second.message
    assert result.ok and result.target == "contoso-staging" and not result.emulation


def test_the_origin_is_derived_from_the_acs_first() -> None:
    assert add_origin({"sp.acs": "https://a:1/acs", "sp.landing_url": "https://b/"})["sp.origin"] == "https://a:1"
    assert add_origin({"sp.origin": "given", "sp.acs": "https://a/acs"})["sp.origin"] == "given"


BY_DESIGN_SPEC = """
name: my-guide
title: My guide
sp: {name: app, sign_on_url: "{urls.app}/start", token_url: {target: "https://idp.example/token"}}
signed_in: {selector: "#user", text: "{user.email}"}
users: {main: {username: u@example.com, password: pw, email: u@example.com}}
flows:
  - id: rollover
    start: "{sp.sign_on_url}"
    setup: [{call: idp.roll_over}]
    emulation_only: a rollover changes the certificate for every user; the harness does not make one
  - id: connect
    start: "{sp.sign_on_url}"
    setup: [{call: sp.configure}]
    redeem: "{sp.token_url}"
checks:
  - {claim: signed with the next certificate, flow: rollover, probe: saml.response.trusted, equals: true}
  - {claim: the settings hold two, flow: connect, probe: final.url, equals: x, emulation_only: "the SP's settings page is not readable"}
"""


def test_flows_and_claims_a_real_tenant_can_never_show_are_emulation_only_by_design() -> None:
    lane = TargetLane(target(), "app", proxy_url="http://127.0.0.1:9")
    spec = parse_spec(BY_DESIGN_SPEC)
    assert spec.flow("connect").redeem == "{sp.token_url}" and spec.checks[1].by_design == "the SP's settings page is not readable"
    rollover = run_tutorial(spec, lane, _Context(), recorder=None)  # type: ignore[arg-type]
    first = rollover.checks[0]
    assert (first.status, first.reason) == ("not_checked", "by_design")
    assert first.message == f"{NEEDS_EMULATION} by design: a rollover changes the certificate for every user; the harness does not make one"
    second = rollover.checks[1]  # in a variant flow, a claim no tenant can show keeps its own reason
    assert (second.reason, second.message) == ("by_design", f"{NEEDS_EMULATION} by design: the SP's settings page is not readable")
    assert rollover.by_design_count == 2 and rollover.open_count == 0 and rollover.ok


def test_a_target_gives_its_client_secret_and_its_own_signed_in_rule_with_users_filled() -> None:
    from dataclasses import replace

    from sso_harness.browser.signed_in import SignInRule
    from sso_harness.apps.tutorials import EmulationLane

    spec = parse_spec(BY_DESIGN_SPEC)
    plain = target()
    assert TargetLane(plain, "app", proxy_url="x").client_secret() is None
    assert TargetLane(plain, "app", proxy_url="x").signed_in_rule(spec, {"user.email": "qa@c"}) is None  # the SAML default decides
    sp = replace(plain.sps[0], client_secret="s3cret", signed_in=SignInRule(selector=".who", text="{user.email}"))
    lane = TargetLane(replace(plain, sps=(sp,)), "app", proxy_url="x")
    assert lane.client_secret() == "s3cret"
    assert lane.signed_in_rule(spec, {"user.email": "qa@c"}) == SignInRule(selector=".who", text="qa@c")
    emulation = EmulationLane.__new__(EmulationLane)  # the spec's own rule, without starting a fleet
    assert emulation.signed_in_rule(spec, {"user.email": "u@example.com"}) == SignInRule(selector="#user", text="u@example.com")
    assert emulation.client_secret() is None
