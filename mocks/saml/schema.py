"""Validate metadata against the SAML 2.0 metadata schema shipped with pysaml2.

pysaml2 bundles the OASIS schemas (``saml2.data.schemas``); its own
validator starts from the protocol schema, which does not import the
metadata namespace, so this module builds one rooted at
``saml-schema-metadata-2.0.xsd`` with the same local imports (no network).
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

import xmlschema
from lxml import etree

import saml2.data.schemas as _schemas
from sso_harness.protocols.xml.safe import parse_xml

__all__ = ["MetadataSchemaError", "validate_metadata"]


class MetadataSchemaError(ValueError):
    """The document does not conform to the metadata schema; the message has the first error."""


_NAMESPACES = {
    "http://www.w3.org/XML/1998/namespace": "xml.xsd",
    "http://www.w3.org/2001/04/xmlenc#": "xenc-schema.xsd",
    "http://www.w3.org/2009/xmlenc11#": "xenc-schema-11.xsd",
    "http://www.w3.org/2000/09/xmldsig#": "xmldsig-core-schema.xsd",
    "urn:oasis:names:tc:SAML:2.0:assertion": "saml-schema-assertion-2.0.xsd",
    "urn:oasis:names:tc:SAML:2.0:metadata": "saml-schema-metadata-2.0.xsd",
}


@lru_cache(maxsize=1)
def _validator() -> xmlschema.XMLSchema:
    root = files(_schemas)
    locations = {ns: str(root.joinpath(name)) for ns, name in _NAMESPACES.items()}
    source = locations["urn:oasis:names:tc:SAML:2.0:metadata"]
    return xmlschema.XMLSchema(source, locations=locations, base_url=source, allow="sandbox", validation="strict")


def validate_metadata(xml: str | bytes) -> None:
    """Raise :class:`MetadataSchemaError` unless ``xml`` is valid SAML 2.0 metadata."""
    data = xml.encode() if isinstance(xml, str) else xml
    root = parse_xml(data, where="metadata")  # the safe parser: no DTDs, no entities
    try:
        # xmlschema validates lxml trees (XMLResource accepts them); its annotations name only xml.etree types.
        _validator().validate(etree.ElementTree(root))  # type: ignore[arg-type]  # see above
    except xmlschema.XMLSchemaException as exc:
        reason = getattr(exc, "reason", None) or str(exc).split("\n\n")[0]
        path = getattr(exc, "path", None)
        raise MetadataSchemaError(f"{reason} (at {path})" if path else reason) from None
