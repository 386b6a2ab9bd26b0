"""Indented rendering of untrusted XML for humans (reports, CLI)."""

from __future__ import annotations

from lxml import etree

from sso_harness.protocols.xml.safe import parse_xml

__all__ = ["pretty_xml"]


def pretty_xml(xml: bytes | str) -> str:
    """Return ``xml`` re-indented with two spaces.

    Parsed with the hardened parser (DOCTYPE refused, entities never
    expanded); raises :class:`~sso_harness.protocols.errors.DecodeError` like it.
    Only whitespace-only text is re-indented, so values stay intact — but the
    output is for display: re-indentation breaks signatures.
    """
    root = parse_xml(xml, where="XML")
    tree = root.getroottree()
    etree.indent(tree, space="  ")
    return etree.tostring(tree, encoding="unicode", pretty_print=True)
