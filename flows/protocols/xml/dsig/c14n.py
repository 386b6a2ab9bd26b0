"""Canonical XML serialisation helpers shared by the XML-DSig signer and verifier.

Both directions must produce byte-identical canonical forms, so the rules
live here once:

* C14N 1.0 (inclusive, W3C REC-xml-c14n) and Exclusive C14N 1.0 (with the
  ``InclusiveNamespaces PrefixList`` of Exc-C14N §3) are produced by libxml2
  through ``lxml.etree.tostring(method="c14n")``.  For a non-root element
  lxml serialises it as a document subset whose apex carries every namespace
  in scope, which is exactly what inclusive C14N of a subset requires (and
  what SignedInfo canonicalisation needs — XML-DSig §4.3.3 / the infamous
  "SignedInfo inherits xmlns:samlp from the Response" case).
  One known gap: inclusive C14N of a subset should also inherit ``xml:*``
  attributes (``xml:lang``…) from ancestors; lxml does not, and SAML
  signatures in practice use Exclusive C14N, which does not inherit them.
* The enveloped-signature transform (XML-DSig §6.6.4) is applied by
  temporarily detaching the Signature node from the live tree, so the
  referenced element keeps its real namespace context; it is re-inserted at
  the same index with the same tail text afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from lxml import etree

from sso_harness.protocols.errors import DecodeError
from sso_harness.protocols.xml.dsig.algorithms import EXC_C14N_NS, CanonicalizationMode

__all__ = ["canonicalize", "detached", "inclusive_prefixes"]

_INCLUSIVE_NAMESPACES = f"{{{EXC_C14N_NS}}}InclusiveNamespaces"


def canonicalize(
    element: etree._Element,
    mode: CanonicalizationMode,
    prefixes: Sequence[str] = (),
    *,
    with_comments: bool | None = None,
) -> bytes:
    """Return the canonical octets of ``element`` and its subtree.

    ``with_comments`` overrides the mode's comment handling; the verifier
    passes ``False`` for same-document ``#id`` references because XML-DSig
    §4.3.3.3 says such a dereference yields a node-set *without* comments,
    whatever canonicalisation follows.  ``prefixes`` is only honoured for
    exclusive canonicalisation (it is meaningless for inclusive C14N).
    Raises :class:`DecodeError` if libxml2 refuses (e.g. relative namespace
    URIs, which C14N forbids).
    """
    comments = mode.with_comments if with_comments is None else with_comments
    try:
        return etree.tostring(
            element,
            method="c14n",
            exclusive=mode.exclusive,
            with_comments=comments,
            inclusive_ns_prefixes=list(prefixes) if (mode.exclusive and prefixes) else None,
        )
    except (etree.LxmlError, ValueError, TypeError) as exc:
        raise DecodeError(f"canonicalisation failed ({exc})", where="c14n") from None


def inclusive_prefixes(method_element: etree._Element) -> tuple[str, ...]:
    """Read the Exc-C14N §3 ``InclusiveNamespaces/@PrefixList`` of a
    Transform or CanonicalizationMethod element (``#default`` is passed on
    as-is; libxml2 understands it)."""
    found = method_element.find(_INCLUSIVE_NAMESPACES)
    if found is None:
        return ()
    return tuple(found.get("PrefixList", "").split())


@contextmanager
def detached(node: etree._Element) -> Iterator[None]:
    """Temporarily remove ``node`` (and only it) from its tree.

    The enveloped-signature transform removes the Signature *element*; the
    text that follows it (its lxml ``tail``) is a sibling in the XPath data
    model and must stay in the canonical form.  So the tail is first moved
    onto the previous sibling (or the parent's text), and on exit the node
    goes back at its original index and the texts are restored exactly.

    Note: lxml drops namespace declarations on the re-inserted subtree that
    merely repeat ones already in scope.  That cannot change any canonical
    form (C14N is defined over in-scope namespaces), so no digest elsewhere
    in the document is affected.  Not safe against concurrent use of the
    same tree from several threads.
    """
    parent = node.getparent()
    if parent is None:
        raise DecodeError("cannot detach the document element", where="enveloped-signature")
    index = parent.index(node)
    tail = node.tail
    previous = node.getprevious()
    saved_text = previous.tail if previous is not None else parent.text
    if tail:
        if previous is not None:
            previous.tail = (saved_text or "") + tail
        else:
            parent.text = (saved_text or "") + tail
    node.tail = None
    parent.remove(node)
    try:
        yield
    finally:
        if previous is not None:
            previous.tail = saved_text
        else:
            parent.text = saved_text
        parent.insert(index, node)
        node.tail = tail
