"""Probes read the right value, at the right hop, out of hand-built traces."""

from __future__ import annotations

import pytest

from sso_harness.apps.tutorials.errors import NotObserved
from sso_harness.apps.tutorials.observe import ProbeInput
from sso_harness.apps.tutorials.probes import PROBES, read_probe
from .tutorial_builders import ACS, IDP, IDP_ENTITY, SP, SP_ENTITY, oauth_trace, outcome, saml_response, sp_initiated_trace


def read(probe: str, o, **params):  # type: ignore[no-untyped-def]
    return read_probe(probe, ProbeInput(o, params, {}))


def test_saml_response_fields_come_from_the_acs_hop(idp_keys) -> None:  # type: ignore[no-untyped-def]
    o = outcome(sp_initiated_trace(idp_keys, saml_response(idp_keys)))
    seen = read("saml.response.name_id", o)
    assert seen.value == "b.simon@contoso.com" and seen.hop == "#2 POST 127.0.0.1:5100/acs"
    assert read("saml.response.audience", o).value == SP_ENTITY
    assert read("saml.response.destination", o).value == ACS
    assert read("saml.response.issuer", o).value == IDP_ENTITY
    assert read("saml.response.trusted", o).value is True
    assert read("saml.response.answers_request", o).value is True
    assert read("saml.response.relay_state", o).value == f"{SP}/app"
    assert read("saml.response.attribute", o, name="mail").value == ["b.simon@contoso.com"]
    assert read("saml.response.attribute", o, name="absent").value is None
    assert read("saml.response.signing_certificate", o).value  # the fingerprint of the test key's certificate


def test_an_unsigned_response_is_not_trusted_and_has_no_signing_certificate(idp_keys) -> None:  # type: ignore[no-untyped-def]
    o = outcome(sp_initiated_trace(idp_keys, saml_response(idp_keys, sign=False)))
    assert read("saml.response.trusted", o).value is False
    assert read("saml.response.signing_certificate", o).value is None


def test_request_fields_and_selection_by_destination(idp_keys) -> None:  # type: ignore[no-untyped-def]
    o = outcome(sp_initiated_trace(idp_keys, saml_response(idp_keys)))
    assert read("saml.request.issuer", o).value == SP_ENTITY
    assert read("saml.request.present", o, to=f"{IDP}/sso").value is True
    assert read("saml.request.present", o, to="http://elsewhere/").value is False
    with pytest.raises(NotObserved, match="no SAML AuthnRequest sent to http://elsewhere/"):
        read("saml.request.issuer", o, to="http://elsewhere/")


def test_an_unsolicited_response_answers_no_request(idp_keys) -> None:  # type: ignore[no-untyped-def]
    o = outcome(sp_initiated_trace(idp_keys, saml_response(idp_keys, in_response_to=None)))
    assert read("saml.response.in_response_to", o).value is None
    assert read("saml.response.answers_request", o).value is False


def test_missing_messages_are_not_observed_with_a_reason() -> None:
    o = outcome(oauth_trace())
    with pytest.raises(NotObserved, match="no SAML Response was seen"):
        read("saml.response.name_id", o)
    assert read("saml.response.present", o).value is False
    with pytest.raises(NotObserved, match="no trace"):
        read("saml.response.name_id", outcome(None))


def test_oauth_probes_read_the_authorize_request_and_the_token_exchange() -> None:
    o = outcome(oauth_trace())
    assert read("oauth.authorize.endpoint", o).value == f"{IDP}/common/oauth2/v2.0/authorize"
    assert read("oauth.authorize.client_id", o).value == "client-1"
    assert "offline_access" in read("oauth.authorize.scope", o).value
    assert read("oauth.token_request.endpoint", o).value == f"{IDP}/common/oauth2/v2.0/token"
    assert read("oauth.token_request.back_channel", o).value is True
    assert read("oauth.token_response.status", o).value == 200
    assert read("oauth.token_response.access_token_present", o).value is True
    assert read("oauth.token_response.refresh_token_present", o).value is True
    assert read("oauth.token_response.scope", o).value == ["https://outlook.office.com/IMAP.AccessAsUser.All"]


def test_a_refused_token_request_shows_its_error_codes_and_no_tokens() -> None:
    answer = {"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret provided.", "error_codes": [7000215]}
    o = outcome(oauth_trace(token_status=401, token_answer=answer))
    assert read("oauth.token_response.error_codes", o).value == [7000215]
    assert read("oauth.token_response.access_token_present", o).value is False
    assert read("flow.error_codes", o).value == [7000215]


def test_flow_error_codes_come_from_redirects_and_from_the_refusal_text() -> None:
    o = outcome(oauth_trace(callback_error="AADSTS65001: The user or administrator has not consented."))
    assert read("oauth.callback.error_codes", o).value == [65001]
    assert read("flow.error_codes", o).value == [65001]
    refused = outcome(None, refusal="AADSTS50194: Application is not configured as a multi-tenant application.")
    assert read("flow.error_codes", refused).value == [50194]
    assert read("flow.completed", refused).value is False
    assert read("flow.refusal", refused).value.startswith("AADSTS50194")


def test_final_and_document_probes_explain_what_is_missing() -> None:
    assert read("final.url", outcome(None, final_url="http://x/y")).value == "http://x/y"
    with pytest.raises(NotObserved, match="has no final page: boom"):
        read("final.url", outcome(None, final_url=None, error="boom"))
    with pytest.raises(NotObserved, match="fetched no document"):
        read("document.entity_id", outcome(None))
    with pytest.raises(NotObserved, match="no page"):
        read("page.text", outcome(None), selector="#user")


def test_probes_that_need_parameters_declare_them() -> None:
    assert PROBES["saml.response.attribute"].needs == ("name",)
    assert PROBES["page.attribute"].needs == ("selector", "attribute")
    assert all(p.about for p in PROBES.values())
