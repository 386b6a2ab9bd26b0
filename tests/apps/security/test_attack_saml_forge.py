"""The non-wrapping SAML derivations, checked with real signatures and our own decoder."""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import replace

import pytest
from lxml import etree

from sso_harness.apps.security.catalogue import SAML_ATTACKS, attack
from sso_harness.apps.security.saml_forge import (
    COMMENT_SUFFIX,
    EXPANSION_ATTRIBUTE,
    FAR_FUTURE,
    NotForgeable,
    forge,
    markup,
)
from sso_harness.apps.security.saml_mint import Minted, mint
from sso_harness.apps.security.saml_tamper import (
    LAUGHS,
    clone_certificate,
    entity_expansion,
    inject_comment,
    resign,
    strip_signatures,
)
from sso_harness.apps.security.saml_xml import ds
from sso_harness.protocols import DecodeError
from sso_harness.protocols.saml import Response, parse_saml
from sso_harness.mocks.sps import naive_saml

from .attack_support import NOW, SP
from sso_harness.apps.security.lab_subjects import LAB_USER, LAB_VICTIM


def _decode(xml: bytes, signer) -> Response:  # type: ignore[no-untyped-def]
    message = parse_saml(xml, trusted_certs=[signer.certificate])
    assert isinstance(message, Response)
    return message


def test_every_saml_attack_has_a_recipe(material) -> None:
    for a in SAML_ATTACKS:
        forged = forge(a, material)
        assert forged.xml and forged.note, a.id


def test_the_baseline_is_trusted_and_right_for_the_sp(material, signer) -> None:
    forged = forge(attack("saml-baseline"), material)
    message = _decode(forged.xml, signer)
    assert message.trusted and message.destination == SP.acs_url and message.in_response_to == "_request-1"
    assert message.assertion is not None and message.assertion.name_id.value == LAB_USER.name_id  # type: ignore[union-attr]
    assert message.assertion.audiences == (SP.entity_id,) and message.assertion.recipient == SP.acs_url
    assert forged.relay_state == "/home"


@pytest.mark.parametrize(("attack_id", "field", "wrong"), [
    ("saml-wrong-audience", "audiences", ("https://sp.attacker.invalid/metadata",)),
    ("saml-wrong-recipient", "recipient", "https://sp.attacker.invalid/acs"),
])
def test_condition_attacks_are_validly_signed_but_wrong_in_one_field(material, signer, attack_id, field, wrong) -> None:
    message = _decode(forge(attack(attack_id), material).xml, signer)
    assert message.trusted
    assert getattr(message.assertion, field) == wrong


def test_destination_and_in_response_to_attacks(material, signer) -> None:
    wrong_destination = _decode(forge(attack("saml-wrong-destination"), material).xml, signer)
    assert wrong_destination.trusted and wrong_destination.destination == "https://sp.attacker.invalid/acs"
    mismatch = _decode(forge(attack("saml-in-response-to-mismatch"), material).xml, signer)
    assert mismatch.trusted and mismatch.in_response_to not in (None, "_request-1")
    unsolicited = forge(attack("saml-unsolicited"), material)
    assert _decode(unsolicited.xml, signer).in_response_to is None and unsolicited.relay_state is None


@pytest.mark.parametrize(("attack_id", "window"), [
    ("saml-expired", lambda a: a.not_on_or_after < NOW),
    ("saml-not-yet-valid", lambda a: a.not_before > NOW + dt.timedelta(hours=1)),
    ("saml-far-future", lambda a: a.not_before >= FAR_FUTURE - dt.timedelta(minutes=5)),
])
def test_time_attacks_move_the_validity_window(material, signer, attack_id, window) -> None:
    message = _decode(forge(attack(attack_id), material).xml, signer)
    assert message.trusted and window(message.assertion)


def test_signature_exclusion_leaves_no_signature_and_names_the_victim(material, signer) -> None:
    xml = forge(attack("saml-signature-exclusion"), material).xml
    message = _decode(xml, signer)
    assert not message.signatures and not message.trusted
    assert message.assertion.name_id.value == LAB_VICTIM.name_id  # type: ignore[union-attr]


def test_the_cloned_certificate_copies_the_names_but_not_the_key(signer, evil_key) -> None:
    cloned = clone_certificate(signer.certificate, evil_key[0])
    assert cloned.subject == signer.certificate.subject and cloned.issuer == signer.certificate.issuer
    assert cloned.serial_number == signer.certificate.serial_number
    assert cloned.public_key().public_numbers() != signer.certificate.public_key().public_numbers()


@pytest.mark.parametrize("attack_id", ["saml-cert-clone", "saml-keyinfo-key"])
def test_resigned_responses_verify_only_with_the_key_in_their_keyinfo(material, signer, attack_id) -> None:
    xml = forge(attack(attack_id), material).xml
    root = etree.fromstring(xml)
    carried = naive_saml.keyinfo_certificates(root)
    assert carried and not _decode(xml, signer).trusted
    message = parse_saml(xml, trusted_certs=carried)
    assert isinstance(message, Response) and message.trusted
    assert message.assertion.name_id.value == LAB_VICTIM.name_id  # type: ignore[union-attr]


def test_comment_injection_keeps_the_signature_and_splits_the_name_id(material, signer) -> None:
    xml = forge(attack("saml-comment-injection"), material).xml
    message = _decode(xml, signer)
    assert message.trusted, "the comment is outside the signed octets"
    assert message.assertion.name_id.value == LAB_VICTIM.name_id + COMMENT_SUFFIX  # type: ignore[union-attr]
    assert naive_saml.first_text_name_id(etree.fromstring(xml).find("{urn:oasis:names:tc:SAML:2.0:assertion}Assertion")) == LAB_VICTIM.name_id


def test_inject_comment_refuses_a_name_id_that_does_not_extend_the_prefix(signer) -> None:
    root = mint(signer, SP, LAB_USER, now=NOW)
    with pytest.raises(ValueError, match="does not extend"):
        inject_comment(root, keep="someone.else@")


def test_xxe_prepends_a_dtd_our_parser_refuses(material) -> None:
    xml = forge(attack("saml-xxe"), material).xml
    assert xml.startswith(b"<!DOCTYPE Response [<!ENTITY % sso_harness_probe SYSTEM \"http://127.0.0.1:9/oob/t\">")
    with pytest.raises(DecodeError):
        parse_saml(xml)


def test_entity_expansion_expands_back_to_exactly_what_was_signed(material, signer) -> None:
    xml = forge(attack("saml-entity-expansion"), material).xml
    assert LAUGHS.encode() not in xml and b"&l3;" in xml
    expanded = naive_saml.parse_with_dtd(xml, expand_entities=True, fetch_external=False)
    message = parse_saml(etree.tostring(expanded), trusted_certs=[signer.certificate])
    assert isinstance(message, Response) and message.trusted
    assert message.assertion.attributes[EXPANSION_ATTRIBUTE] == (LAUGHS,)  # type: ignore[union-attr]
    with pytest.raises(DecodeError):
        parse_saml(xml)


def test_entity_expansion_needs_its_marker() -> None:
    with pytest.raises(ValueError, match="marker"):
        entity_expansion(b"<Response/>")


def test_open_redirect_and_markup(material, signer) -> None:
    assert forge(attack("saml-open-redirect"), material).relay_state == "http://localhost:9/landing/t"
    message = _decode(forge(attack("saml-attribute-html"), material).xml, signer)
    assert message.trusted
    assert set(message.assertion.attributes.values()) == {(markup("m-1"),)}  # type: ignore[union-attr]


def test_attacks_needing_the_idp_key_say_so_with_only_a_captured_response(material, signer) -> None:
    captured = mint(signer, SP, LAB_USER, now=NOW, params=Minted(in_response_to="_r"))
    without_key = replace(material, signer=None, captured=captured)
    for a in SAML_ATTACKS:
        if a.needs_signer:
            with pytest.raises(NotForgeable, match="signed by a key the SP trusts"):
                forge(a, without_key)
        else:
            assert forge(a, without_key).xml
    nothing = replace(material, signer=None, captured=None)
    with pytest.raises(NotForgeable, match="no legitimately signed response"):
        forge(attack("saml-baseline"), nothing)


def test_strip_and_resign_do_not_touch_their_input(signer, evil_key) -> None:
    root = mint(signer, SP, LAB_USER, now=NOW)
    before = etree.tostring(root)
    assert next(strip_signatures(root).iter(ds("Signature")), None) is None
    resign(root, evil_key, evil_name_id="x@y")
    assert etree.tostring(root) == before
    assert base64.b64encode(before)


def test_a_captured_response_signed_only_on_the_assertion_leaves_xsw1_and_xsw2_not_applicable(material, signer) -> None:  # type: ignore[no-untyped-def]
    from sso_harness.apps.security.saml_xsw import NO_RESPONSE_SIGNATURE, XswNotApplicable

    captured = mint(signer, SP, LAB_USER, now=NOW, params=Minted(in_response_to="_r", sign="assertion"))
    assertion_only = replace(material, signer=None, captured=captured)
    for n in (1, 2):
        with pytest.raises(XswNotApplicable) as raised:
            forge(attack(f"saml-xsw{n}"), assertion_only)
        assert raised.value.code == NO_RESPONSE_SIGNATURE
    for n in range(3, 9):
        assert forge(attack(f"saml-xsw{n}"), assertion_only).xml
