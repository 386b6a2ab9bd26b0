"""XSW1 to XSW8: each shape keeps a signature valid, moves the evil assertion where careless readers look,
and never fools the harness's own decoder (whose trust rule is the SP-side defence)."""

from __future__ import annotations

import pytest
from lxml import etree

from sso_harness.apps.security.saml_mint import Minted, mint
from sso_harness.apps.security.saml_xml import first_assertion, name_id_element, saml, set_name_id
from sso_harness.apps.security.saml_xsw import NO_ASSERTION_SIGNATURE, NO_RESPONSE_SIGNATURE, XswNotApplicable, wrap
from sso_harness.protocols.saml import parse_saml
from sso_harness.mocks.sps import naive_saml
from sso_harness.mocks.sps.saml_weaknesses import OPENS, SamlWeakness

from .attack_support import NOW, SP
from sso_harness.apps.security.lab_subjects import LAB_USER, LAB_VICTIM


def _signed(signer, sign: str) -> etree._Element:  # type: ignore[no-untyped-def]
    return mint(signer, SP, LAB_USER, now=NOW, params=Minted(in_response_to="_r1", sign=sign))  # type: ignore[arg-type]


def _evil(assertion: etree._Element) -> None:
    set_name_id(assertion, LAB_VICTIM.name_id)


def _name(assertion: etree._Element | None) -> str | None:
    element = None if assertion is None else name_id_element(assertion)
    return None if element is None else element.text


@pytest.mark.parametrize("n", range(1, 9))
def test_the_wrapped_signature_still_verifies_but_our_decoder_does_not_trust_the_evil_content(signer, n: int) -> None:
    base = _signed(signer, "response" if n <= 2 else "assertion")
    wrapped = wrap(n, base, _evil)

    assert naive_saml.naive_signature_valid(wrapped, [signer.certificate]), "the shape must keep a valid signature"
    decoded = parse_saml(etree.tostring(wrapped), trusted_certs=[signer.certificate])
    assert not decoded.trusted
    assert LAB_VICTIM.name_id.encode() in etree.tostring(wrapped)


@pytest.mark.parametrize("n", range(1, 9))
def test_each_shape_fools_exactly_the_readers_that_open_it(signer, n: int) -> None:
    wrapped = wrap(n, _signed(signer, "response" if n <= 2 else "assertion"), _evil)
    root_reader = _name(wrapped.find(saml("Assertion")))
    first_reader = _name(next(wrapped.iter(saml("Assertion"))))

    assert (root_reader == LAB_VICTIM.name_id) == (f"saml-xsw{n}" in OPENS[SamlWeakness.XSW_ROOT_ASSERTION])
    assert (first_reader == LAB_VICTIM.name_id) == (f"saml-xsw{n}" in OPENS[SamlWeakness.XSW_FIRST_ASSERTION])


def test_the_input_response_is_left_untouched(signer) -> None:
    base = _signed(signer, "assertion")
    before = etree.tostring(base)
    wrap(5, base, _evil)
    assert etree.tostring(base) == before
    assert parse_saml(before, trusted_certs=[signer.certificate]).trusted


def test_shapes_say_when_the_signature_they_need_is_missing(signer) -> None:
    with pytest.raises(XswNotApplicable) as no_response:
        wrap(1, _signed(signer, "assertion"), _evil)
    assert no_response.value.code == NO_RESPONSE_SIGNATURE
    with pytest.raises(XswNotApplicable) as no_assertion:
        wrap(3, _signed(signer, "response"), _evil)
    assert no_assertion.value.code == NO_ASSERTION_SIGNATURE
    with pytest.raises(ValueError, match="shapes are 1 to 8"):
        wrap(9, _signed(signer, "both"), _evil)


def test_xsw7_hides_an_evil_copy_with_the_same_id_in_extensions(signer) -> None:
    base = _signed(signer, "assertion")
    wrapped = wrap(7, base, _evil)
    extensions = wrapped.find("{urn:oasis:names:tc:SAML:2.0:protocol}Extensions")
    assert extensions is not None
    evil = extensions.find(saml("Assertion"))
    assert evil is not None and evil.get("ID") == first_assertion(base).get("ID")  # type: ignore[union-attr]
    assert _name(evil) == LAB_VICTIM.name_id
