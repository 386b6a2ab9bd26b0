"""Reading partners' SAML metadata for a peer's configuration: total, and faithful."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sso_harness.apps.peers.saml_entities import Endpoint, read_entity
from sso_harness.protocols import DecodeError

MD = "urn:oasis:names:tc:SAML:2.0:metadata"
POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"


def _doc(descriptor: str, entity_id: str = "http://127.0.0.1:1/metadata") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><md:EntityDescriptor xmlns:md="{MD}" '
        f'xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="{entity_id}">{descriptor}</md:EntityDescriptor>'
    )


def _key(use: str | None, cert: str) -> str:
    attr = f' use="{use}"' if use else ""
    return f"<md:KeyDescriptor{attr}><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"


def test_an_sp_gives_its_acs_endpoints_and_signing_certificates() -> None:
    keys = _key("signing", "MIIsign\n  ing==") + _key("encryption", "MIIenc==") + _key(None, "MIIboth==")
    xml = _doc(
        f'<md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">{keys}'
        f"<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>"
        f'<md:AssertionConsumerService Binding="{POST}" Location="http://127.0.0.1:1/acs" index="1"/>'
        f"</md:SPSSODescriptor>"
    )
    sp = read_entity(xml, "sp")
    assert sp.entity_id == "http://127.0.0.1:1/metadata"
    assert sp.acs == (Endpoint(POST, "http://127.0.0.1:1/acs", 1),)
    # Encryption-only keys are not for signatures (metadata §2.4.1.1); whitespace in base64 is dropped.
    assert sp.signing_certs_b64 == ("MIIsigning==", "MIIboth==")
    assert sp.name_id_formats == ("urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",)


def test_an_idp_gives_its_sso_endpoints() -> None:
    xml = _doc(f'<md:IDPSSODescriptor protocolSupportEnumeration="x">{_key("signing", "MIIidp==")}'
               f'<md:SingleSignOnService Binding="{REDIRECT}" Location="http://127.0.0.1:2/sso"/></md:IDPSSODescriptor>')
    idp = read_entity(xml.encode(), "idp")
    assert idp.sso == (Endpoint(REDIRECT, "http://127.0.0.1:2/sso"),)
    assert idp.signing_certs_b64 == ("MIIidp==",)


def test_the_mocks_own_metadata_reads(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from sso_harness.mocks.base.keys import make_keypair
    from sso_harness.mocks.saml.metadata import BINDING_POST, sp_descriptor, to_xml
    from sso_harness.mocks.saml.metadata import Endpoint as MockEndpoint

    pair = make_keypair("sp", tmp_path)
    xml = to_xml(sp_descriptor("http://127.0.0.1:3/metadata", acs=[MockEndpoint(BINDING_POST, "http://127.0.0.1:3/acs")],
                               certificates=[pair.cert], want_assertions_signed=True))
    sp = read_entity(xml, "sp")
    assert sp.acs[0].location == "http://127.0.0.1:3/acs"
    assert sp.signing_certs_b64 == (pair.cert_b64,)


@pytest.mark.parametrize(
    ("xml", "role", "reason"),
    [
        ("<x/>", "sp", "expected md:EntityDescriptor"),
        (f'<md:EntityDescriptor xmlns:md="{MD}"/>', "sp", "no entityID"),
        (_doc(""), "idp", "no IDPSSODescriptor"),
        (_doc('<md:SPSSODescriptor protocolSupportEnumeration="x"/>'), "sp", "no AssertionConsumerService"),
        (_doc('<md:IDPSSODescriptor protocolSupportEnumeration="x"/>'), "idp", "no SingleSignOnService"),
        (_doc('<md:SPSSODescriptor><md:AssertionConsumerService Location="http://x/acs"/></md:SPSSODescriptor>'), "sp", "lacks Binding"),
        (_doc(f'<md:SPSSODescriptor><md:AssertionConsumerService Binding="{POST}" Location="http://x" index="one"/></md:SPSSODescriptor>'), "sp", "index is not a number"),
        (_doc(f'<md:SPSSODescriptor><md:AssertionConsumerService Binding="{POST}" Location="http://x" index="\u00b2"/></md:SPSSODescriptor>'), "sp", "index is not a number"),
        ('<!DOCTYPE x [<!ENTITY a "b">]><x/>', "sp", "DTD not allowed"),
        (_doc(""), "both", "role is 'idp' or 'sp'"),
    ],
)
def test_unusable_metadata_is_a_decode_error_that_says_why(xml: str, role: str, reason: str) -> None:
    with pytest.raises(DecodeError) as err:
        read_entity(xml, role)
    assert reason in str(err.value)


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=300) | st.text(max_size=300).map(lambda t: _doc(t)))
def test_any_input_reads_or_is_a_decode_error(data) -> None:  # type: ignore[no-untyped-def]
    for role in ("idp", "sp"):
        try:
            read_entity(data, role)
        except DecodeError:
            pass
