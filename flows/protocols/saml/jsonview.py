"""One JSON-able dict per decoded message — the harness's machine view.

The shape is stable across message kinds: every key below is always present
(``null`` / empty when it does not apply), so reports and expectations can
index without guarding.  AuthnRequests add their request-specific keys; a
message that came through a binding adds ``binding``, ``parameter``,
``relay_state`` and ``sig_alg``.  Datetimes are ISO-8601 UTC with ``Z``.
"""

from __future__ import annotations

from typing import Any

from flows.protocols.saml.bindings import SamlBindingMessage
from flows.protocols.saml.model import (
    Assertion,
    AuthnRequest,
    NameID,
    OtherSamlMessage,
    Response,
    SamlMessage,
    Status,
)
from flows.protocols.saml.timeutil import format_instant
from flows.protocols.xmldsig_verify import SignatureCheck

__all__ = ["to_json"]


def _status(status: Status | None) -> dict[str, Any] | None:
    if status is None:
        return None
    return {"code": status.code, "sub_codes": list(status.sub_codes), "message": status.message, "ok": status.ok}


def _name_id(name_id: NameID | None) -> dict[str, Any] | None:
    if name_id is None:
        return None
    return {
        "value": name_id.value,
        "format": name_id.format,
        "name_qualifier": name_id.name_qualifier,
        "sp_name_qualifier": name_id.sp_name_qualifier,
    }


def _signature(check: SignatureCheck) -> dict[str, Any]:
    return {
        "covers": check.covers,
        "covers_id": check.covers_id,
        "valid": check.valid,
        "algorithm": check.algorithm,
        "digest_algorithm": check.digest_algorithm,
        "reason": check.reason,
        "certificate_sha256": check.certificate_sha256,
    }


def _assertion_fields(assertion: Assertion | None) -> dict[str, Any]:
    a = assertion
    return {
        "assertion_id": None if a is None else a.id,
        "assertion_issuer": None if a is None else a.issuer,
        "assertion_signed": None if a is None else a.signed,
        "name_id": None if a is None else _name_id(a.name_id),
        "audiences": [] if a is None else list(a.audiences),
        "recipient": None if a is None else a.recipient,
        "subject_in_response_to": None if a is None else a.subject_in_response_to,
        "subject_not_on_or_after": None if a is None else format_instant(a.subject_not_on_or_after),
        "not_before": None if a is None else format_instant(a.not_before),
        "not_on_or_after": None if a is None else format_instant(a.not_on_or_after),
        "authn_instant": None if a is None else format_instant(a.authn_instant),
        "session_index": None if a is None else a.session_index,
        "authn_context_class_ref": None if a is None else a.authn_context_class_ref,
        "attributes": {} if a is None else {name: list(values) for name, values in a.attributes.items()},
    }


def _message(message: SamlMessage) -> dict[str, Any]:
    view: dict[str, Any] = {
        "kind": message.kind,
        "id": message.id,
        "issue_instant": None,
        "issuer": message.issuer,
        "destination": message.destination,
        "in_response_to": None,
        "status": None,
        "assertion_count": 0,
        **_assertion_fields(None),
        "encrypted": False,
        "trusted": False,
        "signatures": [],
        "errors": [],
    }
    if isinstance(message, Response):
        view.update(
            issue_instant=format_instant(message.issue_instant),
            in_response_to=message.in_response_to,
            status=_status(message.status),
            assertion_count=len(message.assertions),
            encrypted=message.encrypted,
            trusted=message.trusted,
            signatures=[_signature(c) for c in message.signatures],
            errors=list(message.errors),
            **_assertion_fields(message.assertion),
        )
    elif isinstance(message, AuthnRequest):
        policy = message.name_id_policy
        view.update(
            issue_instant=format_instant(message.issue_instant),
            trusted=message.trusted,
            signatures=[_signature(c) for c in message.signatures],
            errors=[
                f"Signature over {c.covers or 'unresolved reference'}: {c.reason}"
                for c in message.signatures
                if not c.valid
            ],
            acs_url=message.acs_url,
            protocol_binding=message.protocol_binding,
            name_id_policy=None
            if policy is None
            else {
                "format": policy.format,
                "allow_create": policy.allow_create,
                "sp_name_qualifier": policy.sp_name_qualifier,
            },
            force_authn=message.force_authn,
            is_passive=message.is_passive,
        )
    elif isinstance(message, OtherSamlMessage):
        view["root_name"] = message.root_name
    return view


def to_json(message: SamlBindingMessage | SamlMessage) -> dict[str, Any]:
    """Flatten a decoded message (optionally wrapped in its binding) to a
    JSON-serialisable dict (``json.dumps`` works without a custom encoder)."""
    if isinstance(message, SamlBindingMessage):
        view = _message(message.message)
        view.update(
            binding=message.binding,
            parameter=message.parameter,
            relay_state=message.relay_state,
            sig_alg=message.sig_alg,
        )
        return view
    return _message(message)
