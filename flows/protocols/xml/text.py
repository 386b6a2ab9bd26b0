"""Reading the text and the child elements of an lxml element, typed as lxml really behaves."""

from __future__ import annotations

from lxml import etree

__all__ = ["child_elements", "text_content"]


def text_content(element: etree._Element) -> str:
    """All text inside ``element`` in document order, including text after comments.

    lxml yields ``str`` text nodes; its stubs also allow ``bytes``, which never occur.
    """
    return "".join(part for part in element.itertext() if isinstance(part, str))


def child_elements(parent: etree._Element) -> list[etree._Element]:
    """The direct children that are elements (comments and processing instructions skipped)."""
    return list(parent.iterchildren(etree.Element))
