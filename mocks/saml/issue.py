"""Issue a signed SAML Response: apply the faults, build, sign, serialise.

Shared by every mock IdP. Faults are applied to the *specification*, before
anything is built or signed, so a wrong audience or an expired window is
signed as validly as a correct one. Signing happens in-process
(:func:`sso_harness.protocols.xml.dsig.sign_element`); the assertion is signed
first so that a Response signature covers the signed assertion (SAML core
§5.4.1, as Entra does with "Sign SAML response and assertion").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Literal

from lxml import etree

from sso_harness.protocols.xml import dsig as xmldsig
from sso_harness.mocks.base.clock import IdSource
from sso_harness.mocks.base.keys import KeyPair
from sso_harness.mocks.base.faults import ResponseFaults
from sso_harness.mocks.saml.metadata import cert_b64
from sso_harness.mocks.saml.response_builder import SAML, ResponseSpec, StatusSpec, build_response, default_namespace

__all__ = ["SigningPolicy", "SignWhat", "apply_faults", "issue_response", "sign_enveloped", "status_uri"]

SignWhat = Literal["assertion", "response", "both"]
STATUS_PREFIX = "urn:oasis:names:tc:SAML:2.0:status:"
_ALGORITHMS = {
    "sha256": (xmldsig.RSA_SHA256, xmldsig.SHA256),
    "sha1": (xmldsig.RSA_SHA1, xmldsig.SHA1),
}


@dataclass(frozen=True)
class SigningPolicy:
    """What to sign and how; ``wrong_key`` is used when a fault asks for it."""

    key: KeyPair
    wrong_key: KeyPair | None = None
    sign: SignWhat = "assertion"
    algorithm: Literal["sha256", "sha1"] = "sha256"


def status_uri(code: str) -> str:
    """``Responder`` -> ``urn:oasis:names:tc:SAML:2.0:status:Responder`` (full URIs pass through)."""
    return code if ":" in code else STATUS_PREFIX + code


def apply_faults(spec: ResponseSpec, faults: ResponseFaults) -> ResponseSpec:
    """The specification the faulty IdP would have produced (pure)."""
    shift = dt.timedelta(seconds=faults.clock_skew_seconds)
    if faults.expired:
        shift -= dt.timedelta(hours=2)
    if faults.not_yet_valid:
        shift += dt.timedelta(hours=2)
    destination = faults.destination or spec.destination
    if faults.status:
        status = StatusSpec(
            status_uri(faults.status),
            status_uri(faults.sub_status) if faults.sub_status else None,
            faults.status_message,
        )
        return replace(spec, issue_instant=spec.issue_instant + shift, destination=destination, status=status, assertion=None)
    assertion = spec.assertion
    if assertion is not None:
        attributes = {k: tuple(v) for k, v in assertion.attributes.items() if k != faults.drop_attribute}
        if faults.alter_attribute is not None:
            name, values = faults.alter_attribute
            attributes[name] = values
        assertion = replace(
            assertion,
            name_id=faults.name_id or assertion.name_id,
            audience=faults.audience or assertion.audience,
            recipient=faults.recipient or assertion.recipient,
            attributes=attributes,
            authn_instant=(assertion.authn_instant + shift) if assertion.authn_instant else None,
        )
    return replace(spec, issue_instant=spec.issue_instant + shift, destination=destination, assertion=assertion)


def issue_response(spec: ResponseSpec, faults: ResponseFaults, policy: SigningPolicy, new_id: IdSource) -> bytes:
    """Serialised Response (one line, no XML declaration, as Entra sends it)."""
    response, assertion = build_response(apply_faults(spec, faults), new_id)
    if not faults.sign_nothing:
        pair = policy.wrong_key if faults.wrong_key and policy.wrong_key is not None else policy.key
        method, digest = _ALGORITHMS[policy.algorithm]
        if policy.sign in ("assertion", "both") and assertion is not None:
            sign_enveloped(assertion, pair, method, digest)
        # A status-only response has no assertion to carry the signature: sign the Response.
        if policy.sign in ("response", "both") or assertion is None:
            sign_enveloped(response, pair, method, digest)
    return etree.tostring(response)


def sign_enveloped(element: etree._Element, pair: KeyPair, method: str = xmldsig.RSA_SHA256, digest: str = xmldsig.SHA256) -> None:
    """An enveloped exc-c14n signature right after ``saml:Issuer``, in Entra's serialisation.

    Entra writes ``<Signature xmlns="http://www.w3.org/2000/09/xmldsig#">``
    with the dsig namespace as the default (entra.md §1), so the template is
    built that way and filled by :func:`sso_harness.protocols.xml.dsig.sign_template`.
    """
    ds = xmldsig.DS_NS

    def el(parent: etree._Element, name: str, **attrs: str) -> etree._Element:
        return etree.SubElement(parent, f"{{{ds}}}{name}", attrib=attrs)

    signature = etree.Element(f"{{{ds}}}Signature", nsmap=default_namespace(ds))
    info = el(signature, "SignedInfo")
    el(info, "CanonicalizationMethod", Algorithm=xmldsig.EXC_C14N)
    el(info, "SignatureMethod", Algorithm=method)
    reference = el(info, "Reference", URI=f"#{element.get('ID')}")
    transforms = el(reference, "Transforms")
    el(transforms, "Transform", Algorithm=xmldsig.ENVELOPED)
    el(transforms, "Transform", Algorithm=xmldsig.EXC_C14N)
    el(reference, "DigestMethod", Algorithm=digest)
    el(reference, "DigestValue")
    el(signature, "SignatureValue")
    el(el(el(signature, "KeyInfo"), "X509Data"), "X509Certificate").text = cert_b64(pair.cert)
    issuer = element.find(f"{{{SAML}}}Issuer")
    element.insert(element.index(issuer) + 1 if issuer is not None else 0, signature)
    xmldsig.sign_template(element, signature, pair.key)
