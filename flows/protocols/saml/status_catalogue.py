"""SAML 2.0 status codes as data: what each means and what usually fixes it.

Codes and their level come from SAML core §3.2.2.2 (four top-level codes,
nineteen second-level codes).  The meanings and fixes are this project's
own words, aimed at the person reading a failed-login report.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["STATUS_CATALOGUE", "STATUS_PREFIX", "StatusEntry", "lookup_status"]

STATUS_PREFIX = "urn:oasis:names:tc:SAML:2.0:status:"


@dataclass(frozen=True)
class StatusEntry:
    """One catalogued status code: ``name`` is the URI's last segment."""

    name: str
    level: Literal["top", "second"]
    meaning: str
    fix: str

    @property
    def uri(self) -> str:
        return STATUS_PREFIX + self.name


_ENTRIES: tuple[StatusEntry, ...] = (
    StatusEntry(
        "Success", "top", "The request was processed; the message carries what was asked for.", "Nothing to fix."
    ),
    StatusEntry(
        "Requester",
        "top",
        "The responder blames the request: something the SP sent is wrong or unacceptable.",
        "Read the second-level code and StatusMessage; then compare the SP's request (issuer, ACS URL, "
        "NameID policy, signature) with what the IdP has configured for this SP.",
    ),
    StatusEntry(
        "Responder",
        "top",
        "The responder failed on its own side (configuration, internal error, user could not be handled).",
        "Look at the IdP's logs or its sign-in log for the same time; the StatusMessage often names the cause.",
    ),
    StatusEntry(
        "VersionMismatch",
        "top",
        "The SAML version of the request is not one the responder handles.",
        "Send Version=\"2.0\" and make sure the SP is configured for SAML 2.0, not 1.1 or WS-Fed.",
    ),
    StatusEntry(
        "AuthnFailed",
        "second",
        "The IdP could not authenticate the user (wrong credentials, MFA not completed, account locked).",
        "Check the test user's credentials, MFA state and lockout in the IdP; retry the login by hand.",
    ),
    StatusEntry(
        "InvalidAttrNameOrValue",
        "second",
        "An attribute name or value in the request (or in the IdP's mapping) is not acceptable.",
        "Compare requested attributes and their formats with the IdP's attribute mapping; fix the offending one.",
    ),
    StatusEntry(
        "InvalidNameIDPolicy",
        "second",
        "The IdP cannot produce a NameID in the format the request's NameIDPolicy asked for.",
        "Ask for a NameID format the IdP is configured to release (or unspecified), or enable that format there.",
    ),
    StatusEntry(
        "NoAuthnContext",
        "second",
        "The IdP cannot meet the authentication context the request demanded (RequestedAuthnContext).",
        "Relax RequestedAuthnContext (Comparison and class refs) or enable that method (e.g. MFA) in the IdP.",
    ),
    StatusEntry(
        "NoAvailableIDP",
        "second",
        "A proxying IdP found none of the IdPs in the request's IDPList available.",
        "Check the IDPList in the request and that those IdPs are reachable and enabled at the proxy.",
    ),
    StatusEntry(
        "NoPassive",
        "second",
        "IsPassive was set but the IdP would have to interact with the user (no existing session).",
        "Log in interactively first or drop IsPassive=\"true\" from the request.",
    ),
    StatusEntry(
        "NoSupportedIDP",
        "second",
        "A proxying IdP supports none of the IdPs named in the request's IDPList.",
        "Name an IdP in IDPList that the proxy knows, or leave IDPList out.",
    ),
    StatusEntry(
        "PartialLogout",
        "second",
        "Single logout reached only some of the session participants.",
        "Find the SP that did not answer the LogoutRequest (its SLO endpoint, binding or signature) and fix it.",
    ),
    StatusEntry(
        "ProxyCountExceeded",
        "second",
        "The request would have to be proxied further than its ProxyCount allows.",
        "Raise or drop Scoping/ProxyCount in the request, or authenticate at the first IdP.",
    ),
    StatusEntry(
        "RequestDenied",
        "second",
        "The responder understood the request and chose not to honour it (policy, user not assigned).",
        "Check that the user is assigned to the application and that conditional-access or IdP policy allows it.",
    ),
    StatusEntry(
        "RequestUnsupported",
        "second",
        "The responder does not support this request (unknown SP, unsupported binding or feature).",
        "Check the SP entity ID (Issuer) and ACS URL registered at the IdP, and the request's features.",
    ),
    StatusEntry(
        "RequestVersionDeprecated",
        "second",
        "The responder no longer accepts requests of this protocol version.",
        "Move the SP to SAML 2.0.",
    ),
    StatusEntry(
        "RequestVersionTooHigh",
        "second",
        "The request's major version is higher than the responder supports.",
        "Send Version=\"2.0\".",
    ),
    StatusEntry(
        "RequestVersionTooLow",
        "second",
        "The request's major version is lower than the responder supports.",
        "Send Version=\"2.0\" (the SP may be speaking SAML 1.1).",
    ),
    StatusEntry(
        "ResourceNotRecognized",
        "second",
        "The resource named in the request is unknown or invalid to the responder.",
        "Check the identifiers in the request (e.g. the NameID or resource) against what the IdP knows.",
    ),
    StatusEntry(
        "TooManyResponses",
        "second",
        "The answer would contain more elements than the responder can return.",
        "Narrow the request (fewer attributes or a more specific query).",
    ),
    StatusEntry(
        "UnknownAttrProfile",
        "second",
        "The request uses an attribute profile the responder does not know.",
        "Use an attribute NameFormat the IdP supports (usually uri or basic).",
    ),
    StatusEntry(
        "UnknownPrincipal",
        "second",
        "The principal named in the request is not known to the responder.",
        "Check that the user exists at the IdP and that the NameID (format and value) matches its record.",
    ),
    StatusEntry(
        "UnsupportedBinding",
        "second",
        "The responder cannot answer over the binding the request asked for (ProtocolBinding).",
        "Ask for HTTP-POST (or a binding listed in the IdP's metadata) and register a matching ACS endpoint.",
    ),
)

STATUS_CATALOGUE: dict[str, StatusEntry] = {entry.uri: entry for entry in _ENTRIES}
"""Every SAML 2.0 status code URI → its :class:`StatusEntry`."""


def lookup_status(code: str | None) -> StatusEntry | None:
    """The catalogue entry for a status code URI (surrounding whitespace
    ignored), or None for unknown or vendor codes."""
    if not code:
        return None
    return STATUS_CATALOGUE.get(code.strip())
