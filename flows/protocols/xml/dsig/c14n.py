"""Canonical XML serialisation helpers shared by the XML-DSig signer and verifier.

Both directions must produce byte-identical canonical forms, so the rules
live here once:

* C14N 1.0 (inclusive, W3C REC-xml-c14n) and Exclusive C14N 1.0 (with the
  ``InclusiveNamespaces PrefixList`` of Exc-C14N §3) are produced by libxml2
  through ``lxml.etree.tostring(method="c14n")``.  For a non-root element
  lxml serialises it as a document subset whose apex carries every namespace
  in scope (what SignedInfo canonicalisation needs — XML-DSig §4.3.3 / the
  infamous "SignedInfo inherits xmlns:samlp from the Response" case).
* Every non-root element (and every element with an enveloped Signature
  to leave out) is canonicalised as a standalone copy (:func:`_standalone`),
  never in place, for reasons the differential test against xmlsec1 found:

  - lxml 6 / libxml2 2.14 serialise a non-root subtree whose apex declares
    a default namespace with a spurious ``xmlns=""`` on its grandchildren
    (``<A xmlns="urn:a"><B><C xmlns="">``), which no other implementation
    produces;
  - inclusive C14N must put the nearest ``xml:*`` attributes (``xml:lang``,
    ``xml:space``…) of the omitted ancestors on the apex (C14N 1.0 §2.4,
    "Document Subsets"), which lxml's element serialisation leaves out;
    exclusive C14N does not inherit them (Exc-C14N §3);
  - the enveloped-signature transform (XML-DSig §6.6.4) used to be applied
    by detaching the Signature from the live tree and putting it back; on
    re-insertion lxml drops namespace declarations inside the Signature
    whose *namespace URI* an ancestor already binds, even under another
    prefix (``xmlns:saml`` under ``<Assertion xmlns="…assertion">``), and
    that changed the canonical SignedInfo computed afterwards: a modified
    SignedInfo verified.  Now the copy is made and the Signature removed
    from the copy, leaving its following text in place.

  The copy declares every namespace in scope on its root, so its canonical
  form is the document subset's.
* lxml silently drops the ``#default`` token of an ``InclusiveNamespaces
  PrefixList`` (it only passes prefixes that occur in the document), so
  with ``#default`` the default-namespace declarations of the exclusive
  output are rewritten afterwards (:func:`_render_default_namespace`): with
  the token, the default namespace follows the inclusive rule (Exc-C14N §3)
  — declared wherever it differs from the parent's, ``xmlns=""`` included.
  Also found by the xmlsec1 differential.
* The enveloped-signature transform (XML-DSig §6.6.4) is applied by
  temporarily detaching the Signature node from the live tree, so the
  referenced element keeps its real namespace context; it is re-inserted at
  the same index with the same tail text afterwards.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from xml.sax.saxutils import quoteattr

from lxml import etree

from sso_harness.protocols.errors import DecodeError
from sso_harness.protocols.xml.dsig.algorithms import EXC_C14N_NS, CanonicalizationMode

__all__ = ["canonicalize", "detached", "inclusive_prefixes"]

_INCLUSIVE_NAMESPACES = f"{{{EXC_C14N_NS}}}InclusiveNamespaces"
_XML_ATTRIBUTE = "{http://www.w3.org/XML/1998/namespace}"
_DEFAULT_TOKEN = "#default"
# In canonical output "<" starts a tag, a comment or a PI (text and attribute values escape it).
_TOKENS = re.compile(rb'<!--.*?-->|<\?.*?\?>|<(?P<name>[^\s/>!?][^\s/>]*)(?P<default> xmlns="[^"]*")?', re.S)
# Re-reads our own serialisation of an already-parsed subtree (no DTD, no entities).
_REPARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                            remove_comments=False, remove_pis=False)


def canonicalize(
    element: etree._Element,
    mode: CanonicalizationMode,
    prefixes: Sequence[str] = (),
    *,
    with_comments: bool | None = None,
    omit: etree._Element | None = None,
) -> bytes:
    """Return the canonical octets of ``element`` and its subtree.

    ``omit`` is a descendant left out with its subtree (the enveloped
    Signature, XML-DSig §6.6.4); the text after it stays.  The tree is never
    modified.

    ``with_comments`` overrides the mode's comment handling; the verifier
    passes ``False`` for same-document ``#id`` references because XML-DSig
    §4.3.3.3 says such a dereference yields a node-set *without* comments,
    whatever canonicalisation follows.  ``prefixes`` is only honoured for
    exclusive canonicalisation (it is meaningless for inclusive C14N).
    Raises :class:`DecodeError` if libxml2 refuses (e.g. relative namespace
    URIs, which C14N forbids).
    """
    comments = mode.with_comments if with_comments is None else with_comments
    if element.getparent() is not None or omit is not None:
        element = _standalone(element, inherit_xml_attributes=not mode.exclusive, omit=omit)
    try:
        octets = etree.tostring(
            element,
            method="c14n",
            exclusive=mode.exclusive,
            with_comments=comments,
            inclusive_ns_prefixes=list(prefixes) if (mode.exclusive and prefixes) else None,
        )
    except (etree.LxmlError, ValueError, TypeError) as exc:
        raise DecodeError(f"canonicalisation failed ({exc})", where="c14n") from None
    if mode.exclusive and _DEFAULT_TOKEN in prefixes:
        return _render_default_namespace(element, octets)
    return octets


def _render_default_namespace(apex: etree._Element, octets: bytes) -> bytes:
    """Rewrite the ``xmlns="…"`` declarations of exclusive canonical
    ``octets`` of ``apex`` as the ``#default`` token requires: each element
    declares its default namespace when it differs from its parent's (the
    apex: when it is not empty).  Canonical form puts the default
    declaration right after the element name (namespace nodes sort first,
    the default one before the others — C14N 1.0 §4.6)."""
    elements = list(apex.iter(etree.Element))
    pieces: list[bytes] = []
    position = count = 0
    for match in _TOKENS.finditer(octets):
        if match.group("name") is None:
            continue
        if count >= len(elements):
            raise DecodeError("canonicalisation failed (element count mismatch)", where="c14n")
        element = elements[count]
        count += 1
        parent = element.getparent()
        wanted = element.nsmap.get(None, "")
        inherited = "" if element is apex or parent is None else parent.nsmap.get(None, "")
        declaration = b"" if wanted == inherited else b' xmlns="' + _escape_attribute(wanted) + b'"'
        pieces += [octets[position:match.end("name")], declaration]
        position = match.end("default") if match.group("default") is not None else match.end("name")
    if count != len(elements):
        raise DecodeError("canonicalisation failed (element count mismatch)", where="c14n")
    pieces.append(octets[position:])
    return b"".join(pieces)


def _escape_attribute(value: str) -> bytes:
    """C14N 1.0 §4.2 attribute-value escaping."""
    for raw, escaped in (("&", "&amp;"), ("<", "&lt;"), ('"', "&quot;"), ("\t", "&#x9;"), ("\n", "&#xA;"),
                         ("\r", "&#xD;")):
        value = value.replace(raw, escaped)
    return value.encode()


def _standalone(
    element: etree._Element, *, inherit_xml_attributes: bool, omit: etree._Element | None
) -> etree._Element:
    """``element``'s subtree as the root of its own document, declaring every
    namespace in scope, carrying (when asked) the nearest ancestors' ``xml:*``
    attributes that ``element`` lacks (C14N 1.0 §2.4), and without ``omit``.

    Built through text: a deep copy is serialised (lxml keeps its prefixes)
    and the missing declarations are written into its start tag, then it is
    parsed again; building the root with an ``nsmap`` instead would let lxml
    pick among several prefixes bound to one namespace."""
    path = [] if omit is None else _child_path(element, omit)
    clone = copy.deepcopy(element)
    clone.tail = None
    extra: list[str] = []
    for prefix, uri in element.nsmap.items():
        if prefix not in clone.nsmap:
            name = "xmlns" if prefix is None else f"xmlns:{prefix}"
            extra.append(f" {name}={quoteattr(uri)}")
    if inherit_xml_attributes:
        for ancestor in element.iterancestors():
            for attribute, value in ancestor.attrib.items():
                inherited = isinstance(attribute, str) and attribute.startswith(_XML_ATTRIBUTE)
                if inherited and attribute not in clone.attrib:
                    clone.set(attribute, value)
    text = etree.tostring(clone)
    start = len(clone.prefix or "") + (1 if clone.prefix else 0) + len(etree.QName(clone).localname) + 1
    try:
        apex = etree.fromstring(text[:start] + "".join(extra).encode() + text[start:], parser=_REPARSER)
    except etree.XMLSyntaxError as exc:
        raise DecodeError(f"canonicalisation failed ({exc})", where="c14n") from None
    if path:
        node = apex
        for index in path:
            node = node[index]
        _remove_keeping_tail(node)
    return apex


def _child_path(apex: etree._Element, descendant: etree._Element) -> list[int]:
    """Child indexes leading from ``apex`` down to ``descendant``."""
    path: list[int] = []
    node = descendant
    while node is not apex:
        parent = node.getparent()
        if parent is None:
            raise DecodeError("the node to omit is not inside the canonicalised element", where="c14n")
        path.append(parent.index(node))
        node = parent
    return path[::-1]


def _remove_keeping_tail(node: etree._Element) -> None:
    parent = node.getparent()
    assert parent is not None  # reached by a path of at least one step
    previous = node.getprevious()
    if node.tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + node.tail
        else:
            parent.text = (parent.text or "") + node.tail
    parent.remove(node)


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

    Caution: on re-insertion lxml drops namespace declarations inside
    ``node`` whose namespace URI an ancestor already binds, even under
    another prefix, which changes inclusive canonical forms computed
    afterwards.  The verifier does not use this (``canonicalize(...,
    omit=...)`` works on a copy); it is kept for the deliberately naive
    mock SP.  Not safe against concurrent use of the same tree from
    several threads.
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
