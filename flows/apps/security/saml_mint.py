"""Mint legitimately signed SAML Responses, as the IdP an SP trusts would.

The attacker of the issue "holds a legitimately signed response for user
A". In the mock lane (and for any SP that trusts an IdP whose key the
harness holds, e.g. the mock IdP federated with SimpleSAMLphp) the harness
mints it: a Response in the shape of :mod:`sso_harness.mocks.saml.response_builder`,
signed in-process (assertion first, so a Response signature covers the
signed assertion, SAML core §5.4.1). Every value a derivation might alter is
a parameter, so a wrong Audience or an expired window is signed as validly
as a correct one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from lxml import etree

from sso_harness.protocols.xml import dsig as xmldsig
from sso_harness.mocks.base.clock import IdSource, random_ids
from sso_harness.mocks.saml.response_builder import AssertionSpec, ResponseSpec, build_response

__all__ = ["EMAIL_FORMAT", "SamlSigner", "Persona", "SpFacts", "Minted", "mint", "sign"]

EMAIL_FORMAT = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
SignWhat = Literal["assertion", "response", "both"]


@dataclass(frozen=True)
class SamlSigner:
    """A key the SP trusts, and the IdP entity ID it signs as."""

    idp_entity_id: str
    key: rsa.RSAPrivateKey = field(repr=False)
    certificate: x509.Certificate


@dataclass(frozen=True)
class Persona:
    """A user as the IdP asserts them (``name_id``, attributes) and as the SP shows them (``shown``)."""

    name_id: str
    shown: str
    attributes: Mapping[str, Sequence[str]] = field(default_factory=dict)
    name_id_format: str = EMAIL_FORMAT


@dataclass(frozen=True)
class SpFacts:
    """What a Response must say to be right for this SP (SAML profiles §4.1.4.2)."""

    entity_id: str
    acs_url: str


@dataclass(frozen=True)
class Minted:
    """Parameters that differ from the correct Response; None means "the right value"."""

    in_response_to: str | None = None
    name_id: str | None = None
    audience: str | None = None
    recipient: str | None = None
    destination: str | None = None
    issue_instant: dt.datetime | None = None
    attributes: Mapping[str, Sequence[str]] | None = None
    sign: SignWhat = "both"


def sign(element: etree._Element, signer: SamlSigner | tuple[rsa.RSAPrivateKey, x509.Certificate]) -> None:
    """An enveloped RSA-SHA256 / Exc-C14N signature right after the element's Issuer."""
    key, cert = (signer.key, signer.certificate) if isinstance(signer, SamlSigner) else signer
    xmldsig.sign_element(element, key, cert)


def mint(
    signer: SamlSigner,
    sp: SpFacts,
    persona: Persona,
    *,
    now: dt.datetime,
    params: Minted = Minted(),
    new_id: IdSource = random_ids,
) -> etree._Element:
    """A signed ``samlp:Response`` root for ``persona``, right for ``sp`` unless ``params`` say otherwise."""
    instant = params.issue_instant or now
    assertion = AssertionSpec(
        issuer=signer.idp_entity_id,
        name_id=params.name_id if params.name_id is not None else persona.name_id,
        name_id_format=persona.name_id_format,
        audience=params.audience or sp.entity_id,
        recipient=params.recipient or sp.acs_url,
        in_response_to=params.in_response_to,
        attributes=params.attributes if params.attributes is not None else persona.attributes,
    )
    spec = ResponseSpec(
        issuer=signer.idp_entity_id,
        destination=params.destination or sp.acs_url,
        in_response_to=params.in_response_to,
        issue_instant=instant,
        assertion=assertion,
    )
    response, element = build_response(spec, new_id)
    assert element is not None  # a spec with an assertion builds one
    if params.sign in ("assertion", "both"):
        sign(element, signer)
    if params.sign in ("response", "both"):
        sign(response, signer)
    return response
