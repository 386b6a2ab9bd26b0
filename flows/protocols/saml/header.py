"""Reading the header every SAML protocol message opens with (SAML core §3.2.1, §3.2.2)."""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict

from lxml import etree

from sso_harness.protocols.saml.names import first_child, saml, trimmed_text
from sso_harness.protocols.saml.timeutil import parse_instant

__all__ = ["HeaderFields", "read_header"]


class HeaderFields(TypedDict):
    """The fields of :class:`sso_harness.protocols.saml.messages.MessageHeader`,
    as keyword arguments for any message class that extends it."""

    id: str | None
    issue_instant: datetime | None
    issuer: str | None
    destination: str | None


def read_header(root: etree._Element, name: str) -> HeaderFields:
    """``ID``, ``IssueInstant``, ``Issuer`` (trimmed) and ``Destination`` of
    the message element ``root``.  ``name`` is the message's name
    (``"LogoutRequest"``); a :class:`DecodeError` for an unparseable
    IssueInstant says ``where=f"{name}@IssueInstant"``."""
    return HeaderFields(
        id=root.get("ID"),
        issue_instant=parse_instant(root.get("IssueInstant"), where=f"{name}@IssueInstant"),
        issuer=trimmed_text(first_child(root, saml("Issuer"))),
        destination=root.get("Destination"),
    )
