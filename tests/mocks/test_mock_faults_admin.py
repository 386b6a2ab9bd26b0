"""Fault injection: the fault values, their scoping (app, once), the admin API, and each fault's effect."""

from __future__ import annotations

import base64
import datetime as dt
import json

import pytest

from sso_harness.protocols.saml import parse_saml
from sso_harness.mocks.base.clock import counter_ids
from sso_harness.mocks.base.fault_book import FaultBook
from sso_harness.mocks.fleet import MockFleet
from sso_harness.mocks.base.faults import (
    NO_FAULTS,
    FaultSpecError,
    ResponseFaults,
    faults_from_json,
    faults_to_json,
)
from sso_harness.mocks.saml.issue import apply_faults
from sso_harness.mocks.saml.response_builder import AssertionSpec, ResponseSpec
from sso_harness.mocks.scenario import IDS
from .mock_walker import Walker, entra_sign_in, hidden_fields

NOW = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.timezone.utc)


def _spec() -> ResponseSpec:
    return ResponseSpec(
        issuer="https://idp.example/",
        destination="https://sp.example/acs",
        in_response_to="_r1",
        issue_instant=NOW,
        assertion=AssertionSpec(
            issuer="https://idp.example/", name_id="a@example.com", name_id_format="fmt", audience="https://sp.example/",
            recipient="https://sp.example/acs", in_response_to="_r1", attributes={"mail": ("a@example.com",), "role": ("x",)},
            authn_instant=NOW,
        ),
    )


def test_faults_round_trip_through_json() -> None:
    faults = ResponseFaults(audience="x", expired=True, alter_attribute=("role", ("admin",)), delay_seconds=1.5, aadsts=50011)
    data = faults_to_json(faults)
    assert data == {"audience": "x", "expired": True, "alter_attribute": {"name": "role", "values": ["admin"]}, "aadsts": 50011, "delay_seconds": 1.5}
    assert faults_from_json(json.loads(json.dumps(data))) == faults
    assert faults_from_json({"alter_attribute": ["role", "admin"]}).alter_attribute == ("role", ("admin",))
    assert faults_to_json(NO_FAULTS) == {} and NO_FAULTS.is_clean


@pytest.mark.parametrize(
    ("data", "message"),
    [({"audiense": "x"}, "unknown fault 'audiense'"), ({"expired": "yes"}, "true or false"), ({"clock_skew_seconds": 1.5}, "integer"),
     ({"delay_seconds": -1}, "non-negative"), ({"alter_attribute": 3}, "alter_attribute"), ([], "JSON object")],
)
def test_bad_fault_descriptions_are_named(data: object, message: str) -> None:
    with pytest.raises(FaultSpecError, match=message):
        faults_from_json(data)  # type: ignore[arg-type]


def test_the_fault_book_scopes_faults_by_app_and_once() -> None:
    book = FaultBook()
    everyone, for_a, once_a, once_any = (ResponseFaults(audience=n) for n in ("all", "a", "once-a", "once-any"))
    book.add(everyone)
    book.add(for_a, app="a")
    book.add(once_a, app="a", once=True)
    book.add(once_any, once=True)
    assert book.peek("b") == once_any  # the oldest matching one-shot wins
    assert book.take("a", "alias-of-a") == once_a
    assert book.take("b") == once_any
    assert book.take("a") == for_a and book.take("a") == for_a
    assert book.take("b") == everyone
    assert [e.to_json()["app"] for e in book.entries()] == [None, "a"]
    book.clear()
    assert book.take("a") == NO_FAULTS


def test_apply_faults_changes_only_what_it_names() -> None:
    spec = _spec()
    assert apply_faults(spec, NO_FAULTS) == spec
    a = apply_faults(spec, ResponseFaults(drop_attribute="mail", alter_attribute=("role", ("admin",)), name_id="m@evil", recipient="r", destination="d"))
    assert a.assertion.attributes == {"role": ("admin",)} and a.assertion.name_id == "m@evil"  # type: ignore[union-attr]
    assert a.assertion.recipient == "r" and a.destination == "d" and a.assertion.audience == spec.assertion.audience  # type: ignore[union-attr]
    assert apply_faults(spec, ResponseFaults(expired=True)).issue_instant == NOW - dt.timedelta(hours=2)
    assert apply_faults(spec, ResponseFaults(not_yet_valid=True)).issue_instant == NOW + dt.timedelta(hours=2)
    skewed = apply_faults(spec, ResponseFaults(clock_skew_seconds=90))
    assert skewed.issue_instant == NOW + dt.timedelta(seconds=90) and skewed.assertion.authn_instant == skewed.issue_instant  # type: ignore[union-attr]
    status = apply_faults(spec, ResponseFaults(status="Responder", sub_status="urn:x:Custom", status_message="no"))
    assert status.assertion is None and status.status.code.endswith(":Responder") and status.status.sub_code == "urn:x:Custom"


@pytest.mark.parametrize(
    ("faults", "check"),
    [
        (ResponseFaults(not_yet_valid=True), "time window"),
        (ResponseFaults(status="Responder", status_message="AADSTS50105: not assigned"), "status"),
    ],
)
def test_more_faults_are_refused_by_the_generic_sp(clean: MockFleet, walker: Walker, faults: ResponseFaults, check: str) -> None:
    clean.idp.inject(faults)
    xml = clean.idp.issue_response(clean.users["b.simon@contoso.com"], clean.sp.settings.entity_id, clean.sp.settings.acs_url, None)
    page = walker.send(clean.sp.settings.acs_url, {"SAMLResponse": base64.b64encode(xml).decode()})
    assert page.status == 403 and f"data-check='{check}'" in page.text


def test_attribute_and_name_id_faults_reach_the_assertion(clean: MockFleet) -> None:
    given = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname"
    clean.idp.inject(ResponseFaults(drop_attribute=given, alter_attribute=("role", ("admin",)), name_id="mallory@contoso.com"))
    xml = clean.idp.issue_response(clean.users["b.simon@contoso.com"], clean.sp.settings.entity_id, clean.sp.settings.acs_url, None)
    assertion = parse_saml(xml).assertion  # type: ignore[union-attr]
    assert given not in assertion.attributes and assertion.attributes["role"] == ("admin",)
    assert assertion.name_id.value == "mallory@contoso.com"


@pytest.mark.parametrize("mock", ["entra", "jumpcloud", "atlassian", "alibaba", "mitel", "jira", "idp", "sp"])
def test_every_mock_has_the_admin_api(clean: MockFleet, walker: Walker, mock: str) -> None:
    base = clean.urls()[mock]
    body = json.dumps({"faults": {"audience": "https://x.example/"}, "app": "some-app", "once": True})
    answer = walker.send(f"{base}/_admin/faults", body.encode(), {"Content-Type": "application/json"})
    assert answer.status == 201
    listed = json.loads(walker.get(f"{base}/_admin/faults").text)["faults"]
    assert listed == [{"app": "some-app", "once": True, "faults": {"audience": "https://x.example/"}}]
    assert walker.send(f"{base}/_admin/faults", method="DELETE").status == 200
    assert json.loads(walker.get(f"{base}/_admin/faults").text)["faults"] == []
    bad = walker.send(f"{base}/_admin/faults", b'{"faults": {"nope": 1}}', {"Content-Type": "application/json"})
    assert bad.status == 400 and "unknown fault 'nope'" in json.loads(bad.text)["error"]
    assert walker.send(f"{base}/_admin/faults", b"not json").status == 400
    assert walker.send(f"{base}/_admin/reset", b"").status == 200


def test_admin_reset_restores_configuration_and_forgets_sessions(clean: MockFleet, walker: Walker) -> None:
    clean.alibaba.enable_sso(False)
    clean.entra.configure_app(IDS.atlassian_app, assignment_required=False)
    entra_sign_in(walker, walker.follow(walker.get(clean.atlassian.instance_url("contoso"))), "b.simon@contoso.com", "Pa55w.rd-simon")
    for mock in ("alibaba", "entra"):
        assert walker.send(f"{clean.urls()[mock]}/_admin/reset", b"").status == 200
    assert clean.alibaba.sso_enabled and clean.entra.enterprise_app(IDS.atlassian_app)[1].assignment_required
    page = walker.follow(walker.get(clean.atlassian.instance_url("contoso")))
    assert "loginfmt" in page.text  # the Entra session is gone


def test_an_injected_fault_via_http_reaches_the_next_response_only(clean: MockFleet, walker: Walker) -> None:
    body = {"faults": {"audience": "https://evil.example/"}, "app": IDS.atlassian_app, "once": True}
    walker.send(f"{clean.entra.base_url}/_admin/faults", json.dumps(body).encode(), {"Content-Type": "application/json"})
    start = walker.follow(walker.get(clean.atlassian.instance_url("contoso")))
    refused = walker.auto_post(entra_sign_in(walker, start, "b.simon@contoso.com", "Pa55w.rd-simon"))
    assert refused.status == 403 and "data-check='audience'" in refused.text
    again = walker.follow(walker.get(clean.atlassian.instance_url("contoso")))  # SSO session: straight back
    assert walker.auto_post(again).status == 302


def test_a_slow_response_waits_the_injected_delay(clean: MockFleet, walker: Walker, monkeypatch: pytest.MonkeyPatch) -> None:
    waited: list[float] = []
    monkeypatch.setattr(clean.entra, "sleep", waited.append)
    clean.entra.inject(ResponseFaults(delay_seconds=2.5), app=IDS.atlassian_app, once=True)
    start = walker.follow(walker.get(clean.atlassian.instance_url("contoso")))
    page = entra_sign_in(walker, start, "b.simon@contoso.com", "Pa55w.rd-simon")
    assert "SAMLResponse" in hidden_fields(page) and waited == [2.5]


def test_the_clock_and_id_source_are_injectable() -> None:
    ids = counter_ids("_t")
    assert [ids(), ids()] == ["_t0001", "_t0002"]
