"""Spec files: the five packaged ones load; mistakes are reported with the file and key path."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from sso_harness.apps.tutorials import SpecError, load_named, parse_spec, spec_names

MINIMAL = """
name: my-guide
title: My guide
sp: {name: app, sign_on_url: "{urls.sp}/start"}
users: {main: {username: u@example.com, password: pw, email: u@example.com}}
flows:
  - id: sign_in
    start: "{sp.sign_on_url}"
checks:
  - claim: the NameID is the email
    flow: sign_in
    probe: saml.response.name_id
    equals: "{user.email}"
"""


def spec_text(**replace: str) -> str:
    text = MINIMAL
    for old, new in replace.items():
        text = text.replace(old, new)
    return textwrap.dedent(text)


def test_the_five_guides_are_packaged_and_load() -> None:
    names = spec_names()
    assert names == ["alibaba-cloudsso-saml", "atlassian-cloud-saml", "jira-oauth2", "jumpcloud-entra-federation", "mitel-connect-saml"]
    for name in names:
        spec = load_named(name)
        assert spec.name == name and spec.summary and spec.guide and spec.checks and spec.drifts
        assert {c.flow for c in spec.checks} <= {f.id for f in spec.flows}


def test_a_minimal_spec_reads_into_typed_values() -> None:
    spec = parse_spec(MINIMAL, source="my-guide.yaml")
    assert spec.sp_name == "app" and spec.sp["sign_on_url"].emulation == "{urls.sp}/start"
    assert spec.users["main"].attributes == {"email": "u@example.com"}
    check = spec.checks[0]
    assert (check.probe, check.op, check.expected) == ("saml.response.name_id", "equals", "{user.email}")
    assert spec.flows[0].runs_on_target and spec.flows[0].sign_in


def test_bindings_may_give_a_template_for_real_targets() -> None:
    spec = parse_spec(spec_text(**{'sign_on_url: "{urls.sp}/start"': 'sign_on_url: {emulation: "{urls.sp}/s", target: "{sp.landing_url}"}'}))
    assert (spec.sp["sign_on_url"].emulation, spec.sp["sign_on_url"].target) == ("{urls.sp}/s", "{sp.landing_url}")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"probe: saml.response.name_id": "probe: saml.nameid"}, "my-guide.yaml: checks[0].probe: unknown probe 'saml.nameid'"),
        ({"flow: sign_in": "flow: elsewhere"}, "my-guide.yaml: checks[0].flow: no flow 'elsewhere'; flows: sign_in"),
        ({'    equals: "{user.email}"': '    equals: x\n    contains: y'}, "checks[0]: a check has exactly one operator"),
        ({'    equals: "{user.email}"': ""}, "checks[0]: a check has exactly one operator"),
        ({"title: My guide": "title: My guide\ncolour: blue"}, "my-guide.yaml: colour: unknown key"),
        ({"    start:": "    begin:"}, "my-guide.yaml: flows[0].begin: unknown key"),
        ({"probe: saml.response.name_id": "probe: saml.response.attribute"}, "checks[0].name: the probe saml.response.attribute needs name"),
        ({"  - id: sign_in\n": "  - id: sign_in\n    user: admin\n"}, "flows[0].user: no user role 'admin' under users"),
        ({"sp: {name: app, ": "sp: {"}, "my-guide.yaml: sp.name: required"),
    ],
)
def test_mistakes_name_the_file_and_the_key(change: dict[str, str], message: str) -> None:
    with pytest.raises(SpecError) as caught:
        parse_spec(spec_text(**change), source="my-guide.yaml")
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("step", "message"),
    [
        ("{call: configure_app}", "setup[0].call: write mock.method"),
        ("{hook: no_function_here}", "setup[0].hook: write module:function"),
        ("{admin: idp, path: relative}", "setup[0].path: an admin path"),
        ("{call: idp.configure, hook: 'a:b'}", "setup[0]: a step has exactly one of"),
        ("{fault: idp, colour: red}", "setup[0].colour: unknown key"),
    ],
)
def test_setup_step_mistakes_are_reported(step: str, message: str) -> None:
    with pytest.raises(SpecError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_spec(MINIMAL + f"setup:\n  - {step}\n", source="my-guide.yaml")


def test_steps_of_each_kind_are_read() -> None:
    spec = parse_spec(MINIMAL + textwrap.dedent("""
        setup:
          - {call: idp.configure_app, args: [app-1], with: {relay_state: x}}
          - {fault: idp, app: app-1, once: true, set: {wrong_key: true}}
          - {admin: sp, method: POST, path: /_admin/sso, json: {enabled: true}}
          - {hook: "my_hooks:prepare", with: {n: 2}}
        """))
    call, fault, admin, hook = spec.setup
    assert (call.target, call.args, dict(call.kwargs)) == ("idp.configure_app", ("app-1",), {"relay_state": "x"})
    assert fault.options == {"app": "app-1", "once": True} and dict(fault.kwargs) == {"wrong_key": True}
    assert admin.options["json"] == {"enabled": True} and admin.describe() == "admin POST sp/_admin/sso"
    assert hook.target == "my_hooks:prepare" and dict(hook.kwargs) == {"n": 2}


def test_drifts_default_to_every_flow_and_must_name_known_flows() -> None:
    spec = parse_spec(MINIMAL + "drifts:\n  - {name: d, warning: w}\n")
    assert spec.drift("d").flows == ("sign_in",)
    with pytest.raises(KeyError, match="has no drift 'other'; it has: d"):
        spec.drift("other")
    with pytest.raises(SpecError, match=r"drifts\[0\].flows\[0\]: no flow 'nope'"):
        parse_spec(MINIMAL + "drifts:\n  - {name: d, flows: [nope]}\n")


def test_flows_with_their_own_setup_need_the_emulation_unless_they_say_otherwise() -> None:
    spec = parse_spec(MINIMAL.replace('    start: "{sp.sign_on_url}"', '    start: "{sp.sign_on_url}"\n    setup: [{call: idp.x}]'))
    assert not spec.flows[0].runs_on_target
    spec = parse_spec(MINIMAL.replace('    start: "{sp.sign_on_url}"', '    start: "{sp.sign_on_url}"\n    on_target: run\n    setup: [{call: idp.x}]'))
    assert spec.flows[0].runs_on_target


def test_unknown_tutorials_and_bad_yaml_are_explained(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SpecError, match="no tutorial 'nope'; known: alibaba-cloudsso-saml"):
        load_named("nope")
    bad = tmp_path / "broken.yaml"
    bad.write_text("name: [unclosed\n")
    with pytest.raises(SpecError, match="broken.yaml: not valid YAML"):
        load_named(str(bad))
    mine = tmp_path / "mine.yaml"
    mine.write_text(MINIMAL)
    assert load_named(str(mine)).name == "my-guide"


DOC = Path(__file__).resolve().parents[3] / "docs" / "tutorial-spec.md"


def doc_example() -> str:
    """The spec in docs/tutorial-spec.md that follows the ``<!-- example-spec -->`` marker."""
    text = DOC.read_text(encoding="utf-8")
    after = text.split("<!-- example-spec -->", 1)[1]
    return after.split("```yaml\n", 1)[1].split("```", 1)[0]


def test_the_documented_example_is_a_valid_spec() -> None:
    spec = parse_spec(doc_example(), source="docs example")
    assert spec.name == "generic-saml-sp" and len(spec.checks) == 7 and spec.drift("name-id-not-email")


def test_the_reference_lists_every_probe_and_operator() -> None:
    from sso_harness.apps.tutorials import PROBES
    from sso_harness.apps.tutorials.spec import OPERATORS

    text = DOC.read_text(encoding="utf-8")
    assert [p for p in PROBES if f"| `{p}` |" not in text] == []
    assert [o for o in OPERATORS if f"`{o}`" not in text] == []


def test_emulation_only_takes_true_or_a_reason_and_a_flow_takes_only_a_reason() -> None:
    spec = parse_spec(spec_text(**{'    equals: "{user.email}"': '    equals: "{user.email}"\n    emulation_only: "no tenant shows it"'}))
    assert spec.checks[0].emulation_only and spec.checks[0].by_design == "no tenant shows it"
    with pytest.raises(SpecError, match=r"spec: flows\[0\].emulation_only: expected a sentence saying why a real tenant can never show it"):
        parse_spec(spec_text(**{'    start: "{sp.sign_on_url}"': '    start: "{sp.sign_on_url}"\n    emulation_only: true'}))
    with pytest.raises(SpecError, match=r"spec: signed_in.cookies: unknown key"):
        parse_spec(spec_text() + "signed_in: {cookies: x}\n")
