"""Every mock's metadata validates against the SAML 2.0 metadata schema and loads in pysaml2."""

from __future__ import annotations

import pytest
from saml2.config import Config
from saml2.mdstore import MetadataStore

from sso_harness.protocols.xml import dsig as xmldsig
from sso_harness.protocols.xml.safe import parse_xml
from sso_harness.mocks.fleet import MockFleet
from sso_harness.mocks.saml.metadata import MetadataError, parse_idp_metadata
from sso_harness.mocks.saml.schema import MetadataSchemaError, validate_metadata
from sso_harness.mocks.scenario import IDS
from .mock_walker import Walker


def _documents(f: MockFleet, w: Walker) -> dict[str, str]:
    e, tid = f.entra, f.tenant_id
    urls = {
        "entra tenant": e.federation_metadata_url(tid),
        "entra tenant (upper-case path, by domain)": f"{e.base_url}/contoso.com/FederationMetadata/2007-06/FederationMetadata.xml",
        "entra common": e.federation_metadata_url("common"),
        "entra app atlassian": e.federation_metadata_url(tid, IDS.atlassian_app),
        "entra app alibaba": e.federation_metadata_url(tid, IDS.alibaba_app),
        "entra app mitel": e.federation_metadata_url(tid, IDS.mitel_app),
        "jumpcloud office365": f.jumpcloud.metadata_url("office365"),
        "jumpcloud atlassian-cloud": f.jumpcloud.metadata_url("atlassian-cloud"),
        "atlassian sp": f.atlassian.entity_id,
        "alibaba sp": f"{f.alibaba.base_url}/settings/sp-metadata.xml",
        "mitel sp": f.mitel.entity_id,
        "generic idp": f.idp.settings.entity_id,
        "generic sp": f.sp.settings.entity_id,
    }
    docs = {}
    for name, url in urls.items():
        page = w.get(url)
        assert page.status == 200, (name, page.text[:300])
        docs[name] = page.text
    return docs


def test_every_metadata_document_validates_and_loads_in_pysaml2(fleet: MockFleet, walker: Walker) -> None:
    for name, xml in _documents(fleet, walker).items():
        validate_metadata(xml)
        store = MetadataStore(attrc=None, config=Config())
        store.load("inline", xml)
        entity_id = parse_xml(xml.encode(), where=name).get("entityID")
        assert entity_id in store.keys(), name


def test_entra_metadata_is_signed_by_the_certificate_it_publishes(fleet: MockFleet, walker: Walker) -> None:
    xml = walker.get(fleet.entra.federation_metadata_url(fleet.tenant_id, IDS.mitel_app)).text
    root = parse_xml(xml.encode(), where="metadata")
    assert root.get("ID", "").startswith("_") and root.get("entityID") == f"https://sts.windows.net/{fleet.tenant_id}/"
    info = parse_idp_metadata(xml)
    assert info.sso_url == fleet.entra.saml_url(fleet.tenant_id) and info.slo_url == info.sso_url
    assert info.certificates == (fleet.entra.signing_key(IDS.mitel_app).cert,)  # the active certificate only
    checks = xmldsig.verify_signatures(root, list(info.certificates))
    assert [c.covers for c in checks if c.valid] == ["EntityDescriptor"]


def test_tenant_metadata_publishes_the_tenant_key_and_app_metadata_the_app_key(fleet: MockFleet, walker: Walker) -> None:
    tenant = parse_idp_metadata(walker.get(fleet.entra.federation_metadata_url(fleet.tenant_id)).text)
    app = parse_idp_metadata(walker.get(fleet.entra.federation_metadata_url(fleet.tenant_id, IDS.atlassian_app)).text)
    assert tenant.certificates == (fleet.entra.ctx.tenant_key(fleet.tenant_id).cert,)
    assert app.certificates == (fleet.entra.signing_key(IDS.atlassian_app).cert,)
    common = parse_xml(walker.get(fleet.entra.federation_metadata_url("common")).text.encode(), where="common")
    assert common.get("entityID") == "https://sts.windows.net/{tenant}/"


def test_unknown_app_or_tenant_metadata_is_an_aadsts_error(fleet: MockFleet, walker: Walker) -> None:
    assert 'data-aadsts="700016"' in walker.get(fleet.entra.federation_metadata_url(fleet.tenant_id, "nope")).text
    assert 'data-aadsts="90002"' in walker.get(fleet.entra.federation_metadata_url("nowhere.example")).text


def test_the_schema_check_rejects_what_is_not_metadata() -> None:
    with pytest.raises(MetadataSchemaError):
        validate_metadata("<md:EntityDescriptor xmlns:md='urn:oasis:names:tc:SAML:2.0:metadata' entityID='x'/>")
    with pytest.raises(MetadataSchemaError):
        validate_metadata(
            "<md:EntityDescriptor xmlns:md='urn:oasis:names:tc:SAML:2.0:metadata' entityID='x'>"
            "<md:IDPSSODescriptor protocolSupportEnumeration='urn:oasis:names:tc:SAML:2.0:protocol'/></md:EntityDescriptor>"
        )


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        (b"<not-closed", "not readable XML"),
        (b"<x/>", "no EntityDescriptor"),
        (b"<md:EntityDescriptor xmlns:md='urn:oasis:names:tc:SAML:2.0:metadata' entityID='e'/>", "no IDPSSODescriptor"),
    ],
)
def test_reading_idp_metadata_says_what_is_missing(xml: bytes, message: str) -> None:
    with pytest.raises(MetadataError, match=message):
        parse_idp_metadata(xml)
