"""JSON views of WS-Federation messages, aligned with the SAML view.

Keys shared with :mod:`sso_harness.protocols.saml.jsonview` mean the same thing:
``kind, issuer, name_id, audiences, not_before, not_on_or_after,
attributes, trusted, signatures, errors, problems, warnings, certificates, encrypted,
decrypted, assertion_id, assertion_signed, issue_instant, authn_instant``.
WS-Federation adds ``wa, wtrealm, wreply, wctx, whr, wct, wfresh``
(null when absent or not applicable), ``cleanup`` (sign-out), and for
sign-in responses ``trust_version, applies_to, created, expires,
token_type, token_version`` ("1.1" / "2.0") and ``authn_method`` (SAML 1.1
AuthenticationMethod or SAML 2.0 AuthnContextClassRef).  Every key is
always present for every ``wsfed.*`` kind.
"""

from __future__ import annotations

from typing import Any

from sso_harness.protocols.saml.jsonview import (
    certificate_json,
    name_id_json,
    problem_parts,
    signature_json,
    unsigned_parts,
)
from sso_harness.protocols.saml.messages import Assertion
from sso_harness.protocols.saml.timeutil import format_instant
from sso_harness.protocols.wsfed.messages import (
    WsFedMessage,
    WsFedSignInRequest,
    WsFedSignInResponse,
    WsFedSignOutRequest,
)

__all__ = ["wsfed_to_json"]


def _token_fields(response: WsFedSignInResponse | None) -> dict[str, Any]:
    token = None if response is None else response.token
    saml2 = isinstance(token, Assertion)
    return {
        "token_version": None if token is None else ("2.0" if saml2 else "1.1"),
        "assertion_id": None if token is None else token.id,
        "assertion_signed": None if token is None else token.signed,
        "issue_instant": None if token is None else format_instant(token.issue_instant),
        "issuer": None if token is None else token.issuer,
        "name_id": None if token is None else name_id_json(token.name_id),
        "audiences": [] if token is None else list(token.audiences),
        "not_before": None if token is None else format_instant(token.not_before),
        "not_on_or_after": None if token is None else format_instant(token.not_on_or_after),
        "authn_instant": None if token is None else format_instant(token.authn_instant),
        "authn_method": None
        if token is None
        else (token.authn_context_class_ref if isinstance(token, Assertion) else token.authn_method),
        "attributes": {} if token is None else {name: list(values) for name, values in token.attributes.items()},
    }


def wsfed_to_json(message: WsFedMessage) -> dict[str, Any]:
    """Flatten a WS-Federation message to a JSON-serialisable dict."""
    view: dict[str, Any] = {
        "kind": message.kind,
        "wa": message.wa,
        "wtrealm": None,
        "wreply": None,
        "wctx": message.wctx,
        "whr": None,
        "wct": None,
        "wfresh": None,
        "cleanup": None,
        "trust_version": None,
        "applies_to": None,
        "created": None,
        "expires": None,
        "token_type": None,
        **_token_fields(None),
        **unsigned_parts(),
    }
    if isinstance(message, WsFedSignInRequest):
        view.update(
            wtrealm=message.wtrealm,
            wreply=message.wreply,
            whr=message.whr,
            wct=message.wct,
            wfresh=message.wfresh,
            **problem_parts(message.problems),
        )
    elif isinstance(message, WsFedSignOutRequest):
        view.update(wtrealm=message.wtrealm, wreply=message.wreply, cleanup=message.cleanup)
    elif isinstance(message, WsFedSignInResponse):
        view.update(
            trust_version=message.trust_version,
            applies_to=message.applies_to,
            created=format_instant(message.created),
            expires=format_instant(message.expires),
            token_type=message.token_type,
            **_token_fields(message),
            encrypted=message.encrypted,
            decrypted=message.decrypted,
            trusted=message.trusted,
            signatures=[signature_json(c) for c in message.signatures],
            **problem_parts(message.problems),
            warnings=list(message.warnings),
            certificates=[certificate_json(c, message.signatures) for c in message.certificates],
        )
    return view
