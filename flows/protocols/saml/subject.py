"""Reading the principal's identifier: ``saml:NameID`` or ``saml:EncryptedID``
(SAML core §2.2.3, §2.2.4), as found in a Subject or a LogoutRequest."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from sso_harness.protocols.errors import DecodeError
from sso_harness.protocols.saml.messages import NameID
from sso_harness.protocols.saml.names import first_child, full_text, local_name, saml
from sso_harness.protocols.xml.dsig.keys import PrivateKey
from sso_harness.protocols.xml.enc.decrypt import decrypt_element

__all__ = ["NameIDReading", "read_identifier", "read_name_id"]


@dataclass(frozen=True)
class NameIDReading:
    """The identifier found: ``encrypted`` when it came as EncryptedID;
    ``problem`` says why an EncryptedID could not be read (None if it was,
    or if no SP key was supplied — see ``needs_key``)."""

    name_id: NameID | None
    encrypted: bool = False
    problem: str | None = None

    @property
    def needs_key(self) -> bool:
        return self.encrypted and self.name_id is None and self.problem is None


def read_name_id(parent: etree._Element | None) -> NameID | None:
    """The direct ``saml:NameID`` child of ``parent`` (full text content)."""
    element = first_child(parent, saml("NameID"))
    if element is None:
        return None
    return NameID(
        value=full_text(element) or "",
        format=element.get("Format"),
        name_qualifier=element.get("NameQualifier"),
        sp_name_qualifier=element.get("SPNameQualifier"),
    )


def read_identifier(parent: etree._Element | None, sp_keys: Sequence[PrivateKey], *, where: str) -> NameIDReading:
    """NameID, else EncryptedID decrypted with ``sp_keys``; never raises."""
    plain = read_name_id(parent)
    if plain is not None:
        return NameIDReading(plain)
    encrypted = first_child(parent, saml("EncryptedID"))
    if encrypted is None:
        return NameIDReading(None)
    if not sp_keys:
        return NameIDReading(None, encrypted=True)
    try:
        element = decrypt_element(encrypted, sp_keys, where=where)
    except DecodeError as problem:
        return NameIDReading(None, encrypted=True, problem=str(problem))
    if element.tag != saml("NameID"):
        return NameIDReading(None, True, f"{where}: decrypted element is {local_name(element)!r}, not saml:NameID")
    return NameIDReading(read_name_id(element.getparent()), encrypted=True)
