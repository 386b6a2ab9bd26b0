"""Reading ``samlp:Status`` (SAML core §3.2.2) into :class:`Status`."""

from __future__ import annotations

from lxml import etree

from sso_harness.protocols.saml.messages import Status
from sso_harness.protocols.saml.names import first_child, full_text, samlp

__all__ = ["read_status"]


def read_status(root: etree._Element) -> Status | None:
    """The direct ``samlp:Status`` child of a StatusResponseType, or None.

    Nested StatusCode elements form a chain (§3.2.2.2); every level is kept,
    outermost first.  The chain's depth is bounded by the XML parser's
    nesting limit.
    """
    status = first_child(root, samlp("Status"))
    if status is None:
        return None
    code = first_child(status, samlp("StatusCode"))
    sub_codes: list[str] = []
    nested = first_child(code, samlp("StatusCode"))
    while nested is not None:
        sub_codes.append(nested.get("Value") or "")
        nested = first_child(nested, samlp("StatusCode"))
    message = full_text(first_child(status, samlp("StatusMessage")))
    return Status(
        code=None if code is None else code.get("Value"),
        sub_codes=tuple(sub_codes),
        message=None if message is None else message.strip(),
    )
