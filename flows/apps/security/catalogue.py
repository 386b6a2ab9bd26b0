"""The battery: every attack the harness mounts, with its goal and reference.

An attack's *goal* says what would count as the target's failure (see
:class:`~sso_harness.apps.security.verdicts.Goal`); its *reference* is the specification
clause the target must honour, or the public advisory of a library that
failed it. Identifiers are stable (they name rows in reports and filter
``--only``); ``*`` globs select several (``saml-xsw*``).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from sso_harness.apps.security.verdicts import Goal

__all__ = ["Attack", "SAML_ATTACKS", "OIDC_ATTACKS", "ALL_ATTACKS", "attack", "select", "UnknownAttack"]

Protocol = Literal["saml", "oidc"]

_XSW_PAPER = 'Somorovsky et al., "On Breaking SAML: Be Whoever You Want to Be" (USENIX Security 2012)'
_XSW_SPEC = "SAML core §5.4.2 (the signature must cover the element consumed)"


@dataclass(frozen=True)
class Attack:
    id: str
    protocol: Protocol
    title: str
    goal: Goal
    reference: str
    needs_signer: bool = False
    """The crafted message must be signed by a key the target trusts (minted by our own IdP)."""
    control: bool = False
    """The baseline: an untampered message, which must be ACCEPTED for the other verdicts to mean anything."""


def _xsw(n: int, what: str, goal: Goal = Goal.IMPERSONATE) -> Attack:
    return Attack(f"saml-xsw{n}", "saml", f"XSW{n}: {what}", goal, f"{_XSW_SPEC}; {_XSW_PAPER}; SAML Raider XSW{n}")


SAML_ATTACKS: tuple[Attack, ...] = (
    Attack("saml-baseline", "saml", "untampered response (control)", Goal.SESSION,
           "SAML profiles §4.1.4.3", control=True),
    _xsw(1, "signed Response cloned into its own Signature, evil Response outside"),
    _xsw(2, "signed Response cloned before its Signature, evil Response outside"),
    _xsw(3, "evil Assertion inserted before the signed one"),
    _xsw(4, "signed Assertion moved inside an evil Assertion"),
    _xsw(5, "evil Assertion keeps the Signature, a clean copy appended"),
    _xsw(6, "evil Assertion keeps the Signature, a clean copy inside it"),
    _xsw(7, "evil copy of the Assertion in samlp:Extensions"),
    _xsw(8, "clean copy of the Assertion in a ds:Object of its Signature"),
    Attack("saml-signature-exclusion", "saml", "every signature removed", Goal.IMPERSONATE,
           f"SAML profiles §4.1.3.5 (the assertion MUST be signed); {_XSW_PAPER} §5 (signature exclusion)"),
    Attack("saml-cert-clone", "saml", "self-signed certificate cloned from the IdP's subject", Goal.IMPERSONATE,
           "XML-DSig §4.5 (KeyInfo is a hint, trust comes from configuration); SAML Raider certificate cloning"),
    Attack("saml-keyinfo-key", "saml", "attacker key in KeyInfo", Goal.IMPERSONATE,
           "XML-DSig §4.5; SAML metadata §2.4.1.1 (only the IdP's configured keys are trusted)"),
    Attack("saml-comment-injection", "saml", "comment injected in NameID (victim<!---->.evil)", Goal.IMPERSONATE,
           "CVE-2017-11427, CVE-2017-11428, CVE-2017-11429, CVE-2017-11430, CVE-2018-0489 (CERT VU#475445)",
           needs_signer=True),
    Attack("saml-expired", "saml", "expired assertion", Goal.SESSION,
           "SAML core §2.5.1.2 (NotOnOrAfter); profiles §4.1.4.2", needs_signer=True),
    Attack("saml-not-yet-valid", "saml", "assertion not yet valid (NotBefore in 2 h)", Goal.SESSION,
           "SAML core §2.5.1.2 (NotBefore)", needs_signer=True),
    Attack("saml-far-future", "saml", "assertion issued in the far future (year 2100)", Goal.SESSION,
           "SAML core §2.5.1.2 (NotBefore); CWE-190 (time overflow)", needs_signer=True),
    Attack("saml-wrong-audience", "saml", "Audience of another SP", Goal.SESSION,
           "SAML core §2.5.1.4 (AudienceRestriction)", needs_signer=True),
    Attack("saml-wrong-recipient", "saml", "Recipient of another ACS", Goal.SESSION,
           "SAML profiles §4.1.4.2 (SubjectConfirmationData Recipient)", needs_signer=True),
    Attack("saml-wrong-destination", "saml", "Destination of another ACS", Goal.SESSION,
           "SAML core §3.2.2 (Destination); bindings §3.5.5.2", needs_signer=True),
    Attack("saml-replay", "saml", "replay of a consumed assertion", Goal.SESSION,
           "SAML profiles §4.1.4.5 (one-time use of bearer assertions)"),
    Attack("saml-unsolicited", "saml", "unsolicited response to an SP-initiated-only SP", Goal.SESSION,
           "SAML profiles §4.1.5 (unsolicited responses are the SP's choice)", needs_signer=True),
    Attack("saml-in-response-to-mismatch", "saml", "InResponseTo of a request the SP never sent", Goal.SESSION,
           "SAML profiles §4.1.4.3 (InResponseTo must match the SP's request)", needs_signer=True),
    Attack("saml-xxe", "saml", "external entity in the response (out-of-band fetch)", Goal.OUT_OF_BAND,
           "CWE-611 (XML external entities); a SAML parser must refuse DTDs"),
    Attack("saml-entity-expansion", "saml", "nested entity expansion (billion laughs, small)", Goal.SESSION,
           "CWE-776 (entity expansion); a SAML parser must refuse DTDs", needs_signer=True),
    Attack("saml-open-redirect", "saml", "RelayState pointing to an external site", Goal.REDIRECT,
           "SAML bindings §3.5.3 (RelayState); CWE-601"),
    Attack("saml-attribute-html", "saml", "HTML/JS in attribute values", Goal.REFLECTED,
           "CWE-79 (attribute values are attacker-influenced input)", needs_signer=True),
)

OIDC_ATTACKS: tuple[Attack, ...] = (
    Attack("oidc-baseline", "oidc", "untampered code flow (control)", Goal.SESSION, "OIDC Core §3.1", control=True),
    Attack("oidc-state-missing", "oidc", "callback without state (login CSRF)", Goal.LOGIN_CSRF,
           "RFC 6749 §10.12; RFC 9700 §4.7"),
    Attack("oidc-state-mismatch", "oidc", "callback with another session's state (login CSRF)", Goal.LOGIN_CSRF,
           "RFC 6749 §10.12; RFC 9700 §4.7"),
    Attack("oidc-code-injection", "oidc", "authorization code from another session injected", Goal.IMPERSONATE,
           "RFC 9700 §4.5 (PKCE or nonce bind the code to the session)"),
    Attack("oidc-alg-none", "oidc", "ID token with alg: none", Goal.IMPERSONATE,
           "RFC 8725 §3.1; OIDC Core §3.1.3.7 step 6"),
    Attack("oidc-wrong-key", "oidc", "ID token signed by a key the provider does not publish", Goal.IMPERSONATE,
           "OIDC Core §3.1.3.7 step 6; RFC 7515 §5.2"),
    Attack("oidc-wrong-iss", "oidc", "ID token with another issuer", Goal.IMPERSONATE, "OIDC Core §3.1.3.7 step 2"),
    Attack("oidc-wrong-aud", "oidc", "ID token for another client", Goal.IMPERSONATE, "OIDC Core §3.1.3.7 step 3"),
    Attack("oidc-expired", "oidc", "expired ID token", Goal.IMPERSONATE, "OIDC Core §3.1.3.7 step 9"),
    Attack("oidc-nonce-mismatch", "oidc", "ID token with another session's nonce", Goal.IMPERSONATE,
           "OIDC Core §3.1.3.7 step 11"),
    Attack("oidc-redirect-uri", "oidc", "redirect_uri taken from the attacker's link", Goal.CODE_LEAK,
           "RFC 6749 §10.6; RFC 9700 §4.1"),
    Attack("oidc-pkce-downgrade", "oidc", "PKCE dropped when the provider does not advertise it", Goal.WEAK_REQUEST,
           "RFC 9700 §2.1.1 and §4.8; RFC 7636 §4.2"),
    Attack("oidc-mix-up", "oidc", "mix-up across two providers", Goal.CODE_LEAK, "RFC 9700 §4.4; RFC 9207 §2.4"),
)

ALL_ATTACKS: tuple[Attack, ...] = SAML_ATTACKS + OIDC_ATTACKS
_BY_ID = {a.id: a for a in ALL_ATTACKS}


class UnknownAttack(ValueError):
    """``--only`` named an attack that does not exist."""


def attack(attack_id: str) -> Attack:
    try:
        return _BY_ID[attack_id]
    except KeyError:
        raise UnknownAttack(f"unknown attack {attack_id!r}; known: {', '.join(_BY_ID)}") from None


def select(attacks: Sequence[Attack], only: Iterable[str] | None) -> tuple[Attack, ...]:
    """The attacks whose id matches one of the ``only`` patterns (all when None).

    The baseline (control) always stays in: without it, a refusal proves
    nothing. A pattern that matches no attack at all is an error.
    """
    patterns = [p.strip() for p in (only or ()) if p.strip()]
    if not patterns:
        return tuple(attacks)
    for pattern in patterns:
        if not any(fnmatch.fnmatchcase(a.id, pattern) for a in ALL_ATTACKS):
            raise UnknownAttack(f"--only {pattern!r} matches no attack; known: {', '.join(_BY_ID)}")
    return tuple(a for a in attacks if a.control or any(fnmatch.fnmatchcase(a.id, p) for p in patterns))
