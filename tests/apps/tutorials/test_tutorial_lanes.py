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
