"""The facts of SAML metadata a guide asks people to copy, read safely."""

from __future__ import annotations

import pytest

from sso_harness.protocols import DecodeError
from sso_harness.apps.tutorials.metadata_doc import metadata_facts

MD = 'xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#"'
SP_METADATA = f"""<md:EntityDescriptor {MD} entityID="https://sp.example/saml/org-1">
  <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact" Location="https://sp.example/art" index="0"/>
    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp.example/acs?c=1" index="1"/>
  </md:SPSSODescriptor>
</md:EntityDescriptor>"""
IDP_METADATA = f"""<md:EntitiesDescriptor {MD}><md:EntityDescriptor entityID="https://sts.example/t/">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>MIIB</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>MIIC</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://sts.example/t/saml2"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor></md:EntitiesDescriptor>"""


def test_sp_metadata_gives_the_entity_id_and_the_post_acs() -> None:
    facts = metadata_facts(SP_METADATA)
    assert (facts.entity_id, facts.acs, facts.sso_url, facts.certificates) == ("https://sp.example/saml/org-1", "https://sp.example/acs?c=1", None, 0)


def test_idp_metadata_inside_an_entities_descriptor_gives_sso_url_and_certificates() -> None:
    facts = metadata_facts(IDP_METADATA.encode())
    assert (facts.entity_id, facts.sso_url, facts.acs, facts.certificates) == ("https://sts.example/t/", "https://sts.example/t/saml2", None, 2)


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        ("<html><body>Sign in</body></html>", "not SAML metadata"),
        ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>', "DTD not allowed"),
        ("<md:EntityDescriptor", "malformed XML"),
    ],
)
def test_anything_else_is_a_decode_error(document: str, reason: str) -> None:
    with pytest.raises(DecodeError, match=reason):
        metadata_facts(document)
