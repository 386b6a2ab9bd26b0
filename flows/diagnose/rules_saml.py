"""SAML addressing and identity rules: audience, recipient, destination, ACS, NameID, RelayState.

What a careful SP checks on a Response (SAML profiles §4.1.4.3): its own
entity ID among the audiences, the Recipient and Destination equal to the
ACS URL the Response arrived at, the NameID it can match a user by. The
rules compare against the SP's configuration when a target gives it, and
otherwise against what the trace shows: the Issuer and
AssertionConsumerServiceURL of the SP's own AuthnRequest and the URL the
browser actually posted the Response to.
"""

from __future__ import annotations

from collections.abc import Iterator

from sso_harness.diagnose.evidence import Evidence
from sso_harness.diagnose.finding import Finding
from sso_harness.diagnose.urls import same_url, without_query
from sso_harness.protocols.catalogues import find_codes
from sso_harness.protocols.saml import AuthnRequest

__all__ = ["audience", "recipient_destination", "acs", "name_id", "relay_state"]

UNSPECIFIED = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
EMAIL = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
INVALID_REPLY_TO = 50011


def _delivered_to(url: str, binding: str) -> str:
    # HTTP-Redirect carries the message in the query; the endpoint is the URL without it.
    return without_query(url) if "Redirect" in binding else url


def audience(ev: Evidence) -> Iterator[Finding]:
    for h, _b, response in ev.saml_responses():
        assertion = response.assertion
        if assertion is None or not response.status or not response.status.ok:
            continue
        expected, source = ev.expected.entity_id, "the SP's configured entity ID"
        if expected is None:
            paired = ev.authn_request_for(response)
            if paired is None or not paired[2].issuer:
                continue
            expected, source = paired[2].issuer, f"the Issuer of the SP's AuthnRequest at {paired[0].label}"
        if expected in assertion.audiences:
            continue
        seen = ", ".join(repr(a) for a in assertion.audiences) or "no AudienceRestriction at all"
        yield Finding(
            "audience", "error", h.hop.index, h.label,
            f"The assertion is addressed to audience {seen}, but the SP is {expected!r} ({source}); "
            "the SP must refuse an assertion meant for someone else.",
            f"At the IdP, set this app's Identifier (Entity ID) to exactly {expected!r}, "
            "or change the SP's entity ID to the value the IdP sends.",
        )


def recipient_destination(ev: Evidence) -> Iterator[Finding]:
    for h, b, response in ev.saml_responses():
        at = _delivered_to(h.hop.url, b.binding)
        if response.destination is not None and not same_url(response.destination, at):
            yield Finding(
                "destination", "error", h.hop.index, h.label,
                f"The Response's Destination is {response.destination!r}, but the browser delivered it to {at!r}; "
                "the SP refuses a Response meant for another endpoint (SAML bindings §3.5.5.2).",
                f"At the IdP, set the Reply URL (ACS) for this app to exactly {at!r}, as the SP's metadata lists it.",
            )
        assertion = response.assertion
        if assertion is not None and assertion.recipient is not None and not same_url(assertion.recipient, at):
            yield Finding(
                "recipient", "error", h.hop.index, h.label,
                f"The assertion's SubjectConfirmationData Recipient is {assertion.recipient!r}, but it arrived at {at!r}; "
                "the SP must refuse it (SAML profiles §4.1.4.3).",
                f"At the IdP, set the Reply URL (ACS) for this app to exactly {at!r}.",
            )


def acs(ev: Evidence) -> Iterator[Finding]:
    requests = [(h, b.message) for h, b in ev.saml() if isinstance(b.message, AuthnRequest)]
    for h, b, response in ev.saml_responses():
        paired = ev.authn_request_for(response)
        if paired is None or not paired[2].acs_url:
            continue
        at = _delivered_to(h.hop.url, b.binding)
        if not same_url(paired[2].acs_url, at):
            yield Finding(
                "acs", "error", h.hop.index, h.label,
                f"The SP asked (AuthnRequest at {paired[0].label}) for the Response at {paired[2].acs_url!r}, "
                f"but the IdP posted it to {at!r}.",
                f"At the IdP, make {paired[2].acs_url!r} this app's Reply URL (ACS), or fix the ACS URL the SP sends.",
            )
    if requests and _invalid_reply_to(ev) and not any(True for _ in ev.saml_responses()):
        h, request = requests[-1]
        sent = repr(request.acs_url) if request.acs_url else "no AssertionConsumerServiceURL (so the IdP uses its default)"
        yield Finding(
            "acs", "error", h.hop.index, h.label,
            f"The IdP refused the AuthnRequest because its reply URL does not match: the SP sent {sent}, "
            "which is not among the Reply URLs registered for the app (AADSTS50011).",
            f"Add {request.acs_url!r} to the app's Reply URL list exactly as sent (scheme, host, port, path, "
            "trailing slash), or configure the SP to send a registered one." if request.acs_url
            else "Register the SP's ACS URL as the app's (default) Reply URL.",
        )


def _invalid_reply_to(ev: Evidence) -> bool:
    texts = [p.text for p in ev.pages]
    for _h, _b, response in ev.saml_responses():
        if response.status is not None and response.status.message:
            texts.append(response.status.message)
    return any(INVALID_REPLY_TO in find_codes(t) for t in texts)


def name_id(ev: Evidence) -> Iterator[Finding]:
    for h, _b, response in ev.saml_responses():
        assertion = response.assertion
        if assertion is None or assertion.name_id is None:
            continue
        nid = assertion.name_id
        fmt = nid.format or UNSPECIFIED
        paired = ev.authn_request_for(response)
        policy = paired[2].name_id_policy if paired else None
        asked = policy.format if policy is not None else None
        if paired is not None and asked and asked != UNSPECIFIED and asked != fmt:
            yield Finding(
                "name-id", "error", h.hop.index, h.label,
                f"The SP asked for NameID format {_short(asked)} (NameIDPolicy at {paired[0].label}), "
                f"but the IdP sent {_short(fmt)}.",
                f"At the IdP, set the app's Name identifier format to {_short(asked)} "
                "(Entra: Attributes & Claims → Unique User Identifier), or let the SP accept the format sent.",
            )
        want_fmt = ev.expected.name_id_format
        if want_fmt and want_fmt != fmt:
            yield Finding(
                "name-id", "error", h.hop.index, h.label,
                f"The SP expects NameID format {_short(want_fmt)}, but the IdP sent {_short(fmt)}.",
                f"Set the IdP's NameID format for this app to {_short(want_fmt)}.",
            )
        if fmt == EMAIL and "@" not in nid.value:
            yield Finding(
                "name-id", "error", h.hop.index, h.label,
                f"The NameID claims to be an email address but its value {nid.value!r} is not one, "
                "so an SP that matches users by email finds nobody.",
                "At the IdP, source the NameID from the user's mail/UPN attribute (Entra: user.mail or "
                "user.userprincipalname), or send a format that matches the value.",
            )
        want = ev.expected.name_id
        if want is not None and want != nid.value:
            yield Finding(
                "name-id", "error", h.hop.index, h.label,
                f"The NameID is {nid.value!r}, but the SP expects {want!r} for this user.",
                "Check which user attribute the IdP uses as NameID for this app and what the SP stores as the "
                "user's identifier; they must be the same value.",
            )


def _short(fmt: str) -> str:
    return fmt.rsplit(":", 1)[-1]


def relay_state(ev: Evidence) -> Iterator[Finding]:
    for h, b, response in ev.saml_responses():
        paired = ev.authn_request_for(response)
        if paired is None:
            continue
        sent = paired[1].relay_state
        if sent is None:
            continue
        back = b.relay_state
        if back is None:
            yield Finding(
                "relay-state", "error", h.hop.index, h.label,
                f"The SP sent RelayState {sent!r} with its AuthnRequest ({paired[0].label}), but the Response came back "
                "without it, so the SP cannot return the user to where they started.",
                "The IdP (or a proxy between) must return RelayState unchanged (SAML bindings §3.4.3, §3.5.3); "
                "check for a fixed Relay State configured on the IdP's app or a proxy that drops form fields.",
            )
        elif back != sent:
            yield Finding(
                "relay-state", "error", h.hop.index, h.label,
                f"RelayState changed: the SP sent {sent!r} ({paired[0].label}), the Response returned {back!r}.",
                "The IdP must echo RelayState byte for byte (SAML bindings §3.4.3); remove a fixed Relay State "
                "from the IdP's app configuration, and keep it under 80 bytes.",
            )
