"""Reading ``samlp:AuthnRequest`` (SAML core §3.4.1)."""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from sso_harness.protocols.errors import DecodeError
from sso_harness.protocols.problems import SAML_SIGNATURE_INVALID, Problem
from sso_harness.protocols.saml.header import read_header
from sso_harness.protocols.saml.messages import AuthnRequest, NameIDPolicy
from sso_harness.protocols.saml.names import first_child, samlp
from sso_harness.protocols.xml.dsig.verify import SignatureCheck

__all__ = ["parse_boolean", "read_authn_request"]

_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}


def parse_boolean(value: str | None, *, where: str) -> bool | None:
    """xs:boolean (XML Schema Part 2 §3.2.2): true/false/1/0; None if absent."""
    if value is None:
        return None
    result = _BOOLEANS.get(value.strip())
    if result is None:
        raise DecodeError(f"not an xs:boolean: {value[:32]!r}", where=where)
    return result


def _name_id_policy(root: etree._Element) -> NameIDPolicy | None:
    policy = first_child(root, samlp("NameIDPolicy"))
    if policy is None:
        return None
    return NameIDPolicy(
        format=policy.get("Format"),
        allow_create=parse_boolean(policy.get("AllowCreate"), where="AuthnRequest/NameIDPolicy@AllowCreate"),
        sp_name_qualifier=policy.get("SPNameQualifier"),
    )


def read_authn_request(root: etree._Element, signatures: Sequence[SignatureCheck]) -> AuthnRequest:
    """Flatten an AuthnRequest root; DecodeError for bad timestamps/booleans."""
    return AuthnRequest(
        **read_header(root, "AuthnRequest"),
        acs_url=root.get("AssertionConsumerServiceURL"),
        protocol_binding=root.get("ProtocolBinding"),
        name_id_policy=_name_id_policy(root),
        force_authn=parse_boolean(root.get("ForceAuthn"), where="AuthnRequest@ForceAuthn"),
        is_passive=parse_boolean(root.get("IsPassive"), where="AuthnRequest@IsPassive"),
        signatures=tuple(signatures),
        trusted=any(check.valid and check.element is root for check in signatures),
        problems=tuple(
            Problem(SAML_SIGNATURE_INVALID, f"Signature over {c.covers or 'unresolved reference'}: {c.reason}")
            for c in signatures
            if not c.valid
        ),
    )
