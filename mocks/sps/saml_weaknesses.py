"""The weaknesses the vulnerable SAML SP can be switched to, and what each opens.

Each weakness is one mistake of a real SAML SP; :data:`OPENS` says which
attacks of the battery (:mod:`sso_harness.apps.security.catalogue` ids) succeed because
of it, and :func:`open_to` what a set of weaknesses is open to. The security
battery is proven against this: with a set switched on, exactly those
attacks must come out ACCEPTED.

The two wrapping weaknesses are two different careless readers, and an SP
has only one reader, so they cannot be switched on together.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum

from sso_harness.mocks.web.weak_app import weaknesses_by_name

__all__ = ["SamlWeakness", "OPENS", "PROOF_SETS", "open_to", "parse_weaknesses", "XSW_READERS"]


class SamlWeakness(str, Enum):
    XSW_ROOT_ASSERTION = "xsw-root-assertion"
    """Any valid signature suffices (IDs looked up last-wins); reads the Response's first child Assertion."""
    XSW_FIRST_ASSERTION = "xsw-first-assertion"
    """Any valid signature suffices (IDs looked up last-wins); reads the first Assertion anywhere in the document."""
    SIGNATURE_OPTIONAL = "signature-optional"
    """A Response without any Signature is taken as is."""
    KEYINFO_TRUSTED = "keyinfo-trusted"
    """Verifies with the certificate the message carries in KeyInfo."""
    CERT_BY_SUBJECT = "cert-by-subject"
    """Trusts a KeyInfo certificate whose subject equals the configured certificate's."""
    COMMENT_TRUNCATION = "comment-truncation"
    """Reads only the first text node of NameID."""
    LAX_CLOCK = "lax-clock"
    """Allows a day of clock skew."""
    NO_NOT_BEFORE = "no-not-before"
    """Ignores NotBefore."""
    NO_NOT_ON_OR_AFTER = "no-not-on-or-after"
    """Ignores NotOnOrAfter (Conditions and SubjectConfirmationData)."""
    NO_AUDIENCE = "no-audience"
    NO_RECIPIENT = "no-recipient"
    NO_DESTINATION = "no-destination"
    NO_REPLAY_CACHE = "no-replay-cache"
    """Neither remembers consumed assertions nor retires answered AuthnRequests."""
    UNSOLICITED_ACCEPTED = "unsolicited-accepted"
    """Takes a Response without InResponseTo although it only starts logins itself."""
    NO_IN_RESPONSE_TO = "no-in-response-to"
    """Ignores InResponseTo altogether."""
    XXE = "xxe"
    """Processes the DTD and fetches external entities."""
    ENTITY_EXPANSION = "entity-expansion"
    """Processes the DTD and expands internal entities."""
    OPEN_REDIRECT = "open-redirect"
    """Sends the browser wherever RelayState says."""
    REFLECTS_ATTRIBUTES = "reflects-attributes"
    """Writes attribute values into its pages without escaping."""

    def __str__(self) -> str:
        return self.value


W = SamlWeakness
_XSW_ALL_BUT_7 = frozenset({f"saml-xsw{n}" for n in (1, 2, 3, 4, 5, 6, 8)})
_XSW_ASSERTION = frozenset({f"saml-xsw{n}" for n in range(3, 9)})

OPENS: dict[SamlWeakness, frozenset[str]] = {
    # XSW7 hides its evil copy in Extensions, where a reader of the Response's
    # own children never looks; XSW1/2 put the signed copy *first* in document
    # order, so a reader of the first Assertion anywhere reads the signed one.
    W.XSW_ROOT_ASSERTION: _XSW_ALL_BUT_7,
    W.XSW_FIRST_ASSERTION: _XSW_ASSERTION,
    W.SIGNATURE_OPTIONAL: frozenset({"saml-signature-exclusion"}),
    W.KEYINFO_TRUSTED: frozenset({"saml-cert-clone", "saml-keyinfo-key"}),
    W.CERT_BY_SUBJECT: frozenset({"saml-cert-clone"}),
    W.COMMENT_TRUNCATION: frozenset({"saml-comment-injection"}),
    W.LAX_CLOCK: frozenset({"saml-expired", "saml-not-yet-valid"}),
    W.NO_NOT_BEFORE: frozenset({"saml-not-yet-valid", "saml-far-future"}),
    W.NO_NOT_ON_OR_AFTER: frozenset({"saml-expired"}),
    W.NO_AUDIENCE: frozenset({"saml-wrong-audience"}),
    W.NO_RECIPIENT: frozenset({"saml-wrong-recipient"}),
    W.NO_DESTINATION: frozenset({"saml-wrong-destination"}),
    W.NO_REPLAY_CACHE: frozenset({"saml-replay"}),
    W.UNSOLICITED_ACCEPTED: frozenset({"saml-unsolicited"}),
    W.NO_IN_RESPONSE_TO: frozenset({"saml-unsolicited", "saml-in-response-to-mismatch"}),
    W.XXE: frozenset({"saml-xxe"}),
    W.ENTITY_EXPANSION: frozenset({"saml-entity-expansion"}),
    W.OPEN_REDIRECT: frozenset({"saml-open-redirect"}),
    W.REFLECTS_ATTRIBUTES: frozenset({"saml-attribute-html"}),
}

XSW_READERS = frozenset({W.XSW_ROOT_ASSERTION, W.XSW_FIRST_ASSERTION})


def parse_weaknesses(names: Iterable[str | SamlWeakness]) -> frozenset[SamlWeakness]:
    """Weaknesses by name; ValueError for an unknown name or two wrapping readers at once."""
    found = weaknesses_by_name(SamlWeakness, names, "SAML")
    if XSW_READERS <= found:
        raise ValueError("xsw-root-assertion and xsw-first-assertion are two readers; an SP has one")
    return found


def open_to(weaknesses: Iterable[str | SamlWeakness]) -> frozenset[str]:
    """The attack ids a vulnerable SP with these weaknesses must be caught on."""
    opened: set[str] = set()
    for weakness in parse_weaknesses(weaknesses):
        opened |= OPENS[weakness]
    return frozenset(opened)


#: Weakness sets the battery is proven against: every weakness is on in at least one set,
#: in company, so the proof also covers weaknesses that must not mask one another.
PROOF_SETS: dict[str, tuple[str, ...]] = {
    "none": (),
    "wrapping-and-parsing": ("xsw-root-assertion", "signature-optional", "xxe", "no-replay-cache", "open-redirect"),
    "first-assertion-and-markup": ("xsw-first-assertion", "cert-by-subject", "entity-expansion", "reflects-attributes",
                                   "no-in-response-to"),
    "keyinfo-and-conditions": ("keyinfo-trusted", "lax-clock", "no-audience", "no-recipient", "comment-truncation"),
    "time-and-requests": ("no-not-before", "no-not-on-or-after", "no-destination", "unsolicited-accepted"),
}
