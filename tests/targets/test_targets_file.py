"""A forgiving, precise targets file: every problem at once, coded and located; one target's secrets only."""

from __future__ import annotations

import textwrap

import pytest

from sso_harness.targets import JourneyStep, SignedInSpec, TargetError, load_targets, parse_targets
from sso_harness.targets.load import BAD_VALUE, ENV_UNSET, LITERAL_SECRET, MISSING_KEY, UNKNOWN_KEY, UNKNOWN_TARGET

TWO = textwrap.dedent("""\
    targets:
      corp:
        idp: {kind: generic}
        sps:
          wiki: {sign_on_url: https://wiki.example/login}
        users:
          - {username: a, password: "${CORP_PW}"}
      other:
        idp: {kind: generic}
        users:
          - {username: b, password: "${OTHER_PW}"}
    """)


def _problems(text: str, **kw: object) -> list[tuple[str, str]]:
    with pytest.raises(TargetError) as failure:
        parse_targets(text, source="targets.yaml", **kw)  # type: ignore[arg-type]  # env/only, typed by the callee
    return [(p.code, p.where) for p in failure.value.problems]


def test_loading_one_target_needs_only_its_own_secrets() -> None:
    targets = parse_targets(TWO, env={"CORP_PW": "pw"}, only="corp")
    assert list(targets) == ["corp"] and targets["corp"].users[0].password == "pw"


def test_loading_every_target_needs_every_secret_and_says_which() -> None:
    assert _problems(TWO, env={"CORP_PW": "pw"}) == [(ENV_UNSET, "targets.other.users[0].password")]


def test_asking_for_a_target_the_file_lacks_names_the_ones_it_has() -> None:
    with pytest.raises(TargetError) as failure:
        parse_targets(TWO, env={}, only="staging")
    assert failure.value.code == UNKNOWN_TARGET and "the file has: corp, other" in str(failure.value)


def test_an_unknown_key_is_located_coded_and_given_the_near_miss() -> None:
    text = "targets:\n  corp:\n    idp: {kind: generic}\n    sps:\n      wiki: {flwos: [sp_initiated]}\n"
    with pytest.raises(TargetError) as failure:
        parse_targets(text, source="targets.yaml", env={})
    assert failure.value.code == UNKNOWN_KEY
    assert str(failure.value) == ("targets.unknown_key at targets.yaml:5: targets.corp.sps.wiki.flwos: "
                                  "unknown key 'flwos' (did you mean 'flows'?)")


def test_every_problem_of_the_file_is_reported_at_once_in_file_order() -> None:
    text = textwrap.dedent("""\
        targets:
          a:
            idp: {kind: generic, isuer: x, login: {driver: form, stay_signed_in: "yes"}}
            sps:
              s:
                flows: [sp_initiated, {kind: idp_initiated, expect: {relay_stat: x}}]
                signed_in: {probe_status: ok, colour: red}
                client_secret: literal
            users: [{username: u, password: "${UNSET_PW}"}]
            attack_allowed: sometimes
          b:
            sps: {}
        """)
    assert _problems(text, env={}) == [
        (UNKNOWN_KEY, "targets.a.idp.isuer"),
        (BAD_VALUE, "targets.a.idp.login.stay_signed_in"),
        (UNKNOWN_KEY, "targets.a.sps.s.flows[1].expect.relay_stat"),
        (UNKNOWN_KEY, "targets.a.sps.s.signed_in.colour"),
        (BAD_VALUE, "targets.a.sps.s.signed_in.probe_status"),
        (LITERAL_SECRET, "targets.a.sps.s.client_secret"),
        (ENV_UNSET, "targets.a.users[0].password"),
        (BAD_VALUE, "targets.a.attack_allowed"),
        (MISSING_KEY, "targets.b.idp"),
    ]


def test_the_message_lists_every_problem_and_never_a_secret_value() -> None:
    text = "targets:\n  a:\n    idp: {kind: generic, colour: 1}\n    users: [{username: u, password: hunter2}]\n"
    with pytest.raises(TargetError) as failure:
        parse_targets(text, source="t.yaml", env={})
    message = str(failure.value)
    assert message.startswith("2 problems in the targets file:") and "hunter2" not in message


def test_expect_per_sp_with_per_flow_overrides() -> None:
    text = textwrap.dedent("""\
        targets:
          t:
            idp: {kind: generic}
            sps:
              s:
                expect: {name_id: "{user.email}", relay_state: /home, cert_expiry_days: 10}
                flows:
                  - sp_initiated
                  - kind: idp_initiated
                    expect: {relay_state: null, name_id_format: "urn:x"}
        """)
    (sp,) = parse_targets(text, env={})["t"].sps
    assert sp.flows == ("sp_initiated", "idp_initiated")
    assert sp.for_flow("sp_initiated").expect == sp.expect and sp.expect.relay_state == "/home"
    idp = sp.for_flow("idp_initiated").expect
    assert (idp.relay_state, idp.name_id_format, idp.name_id, idp.cert_expiry_days) == (None, "urn:x", "{user.email}", 10)


def test_a_flow_listed_twice_or_without_kind_is_a_problem() -> None:
    text = "targets:\n  t:\n    idp: {kind: generic}\n    sps:\n      s: {flows: [sp_initiated, sp_initiated, {expect: {}}]}\n"
    assert _problems(text, env={}) == [(BAD_VALUE, "targets.t.sps.s.flows[1]"), (MISSING_KEY, "targets.t.sps.s.flows[2].kind")]


def test_steps_per_sp_and_per_flow() -> None:
    text = textwrap.dedent("""\
        targets:
          t:
            idp: {kind: generic}
            sps:
              s:
                steps:
                  before_sign_in:
                    - fill: {selector: "#email", user: email}
                    - fill: {selector: "#tenant", env: TENANT_NAME}
                    - select: {selector: "#region", value: eu}
                    - click: "#next"
                  after_sign_in:
                    - wait_for_url: "https://app.example/**"
                    - wait_for_selector: "#avatar"
                    - assert_text: {selector: "#avatar", text: "{user.email}"}
                flows: [sp_initiated, {kind: idp_initiated, steps: {before_sign_in: []}}]
        """)
    (sp,) = parse_targets(text, env={})["t"].sps
    assert sp.steps.before_sign_in[0] == JourneyStep("fill", selector="#email", user="email")
    assert sp.steps.before_sign_in[1] == JourneyStep("fill", selector="#tenant", env="TENANT_NAME")
    assert [s.kind for s in sp.steps.before_sign_in] == ["fill", "fill", "select", "click"]
    assert [s.kind for s in sp.steps.after_sign_in] == ["wait_for_url", "wait_for_selector", "assert_text"]
    idp_flow = sp.for_flow("idp_initiated").steps
    assert idp_flow.before_sign_in == () and idp_flow.after_sign_in == sp.steps.after_sign_in


@pytest.mark.parametrize(
    ("step", "code", "where"),
    [
        ("{tap: '#x'}", UNKNOWN_KEY, "[0].tap"),
        ("{click: '#x', fill: {selector: '#y', value: v}}", BAD_VALUE, "[0]"),
        ("{fill: {selector: '#x'}}", BAD_VALUE, "[0].fill"),
        ("{fill: {selector: '#x', value: a, env: B}}", BAD_VALUE, "[0].fill"),
        ("{fill: {value: a}}", MISSING_KEY, "[0].fill.selector"),
        ("{select: {selector: '#x'}}", MISSING_KEY, "[0].select.value"),
        ("{assert_text: {selector: '#x', txt: a}}", UNKNOWN_KEY, "[0].assert_text.txt"),
        ("{wait_for_url: ''}", BAD_VALUE, "[0].wait_for_url"),
    ],
)
def test_a_malformed_step_is_located(step: str, code: str, where: str) -> None:
    text = f"targets:\n  t:\n    idp: {{kind: generic}}\n    sps:\n      s: {{steps: {{before_sign_in: [{step}]}}}}\n"
    assert (code, "targets.t.sps.s.steps.before_sign_in" + where) in _problems(text, env={})


def test_signed_in_is_parsed_into_its_spec() -> None:
    text = textwrap.dedent("""\
        targets:
          t:
            idp: {kind: generic}
            sps:
              s:
                signed_in: {url: "https://app.example/*", selector: "#me", text: Hi, cookie: sid,
                            probe_url: "https://app.example/api/me", probe_status: 200, probe_text: ok}
              plain: {}
        """)
    s, plain = parse_targets(text, env={})["t"].sps
    assert s.signed_in == SignedInSpec("https://app.example/*", "#me", "Hi", "sid", "https://app.example/api/me", 200, "ok")
    assert plain.signed_in is None


def test_mock_templates_belong_to_embedded_mock_targets_only() -> None:
    text = "targets:\n  t:\n    idp: {kind: generic, metadata_url: '{mock.entra.federation_metadata}'}\n"
    assert _problems(text, env={}) == [(BAD_VALUE, "targets.t.idp.metadata_url")]
    embedded = "targets:\n  t:\n    embedded_mocks: true\n    idp: {kind: generic}\n    users: [{username: u, password: '{mock.password.u}'}]\n"
    assert parse_targets(embedded, env={})["t"].users[0].password == "{mock.password.u}"


def test_an_unreadable_file_is_a_coded_problem() -> None:
    with pytest.raises(TargetError) as failure:
        load_targets("/nonexistent/targets.yaml", env={})
    assert failure.value.code == "targets.unreadable" and "/nonexistent/targets.yaml" in str(failure.value)
