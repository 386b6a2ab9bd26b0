"""One JSON-able dict per decoded message — the harness's machine view.

The shape is stable across message kinds: every key of the common set is
always present (``null`` / empty when it does not apply), so reports and
expectations can index without guarding.  Datetimes are ISO-8601 UTC with
``Z``.  ``json.dumps`` works without a custom encoder, and the view is
deterministic for a given input (goldens rely on that).

Common keys (every kind)::

    kind, id, issue_instant, issuer, destination, in_response_to, status,
    assertion_count, assertion_id, assertion_issuer, assertion_signed,
    name_id, audiences, recipient, subject_in_response_to,
    subject_not_on_or_after, not_before, not_on_or_after, authn_instant,
    session_index, authn_context_class_ref, attributes,
    encrypted, decrypted, trusted, signatures, errors, problems, warnings,
    certificates

``errors`` lists the problems' messages (plain words, as before);
``problems`` the same problems as ``{code, message}``, ``code`` being one of
:data:`sso_harness.protocols.problems.ProblemCode`.

``status`` is null or ``{code, sub_codes, message, ok, aadsts_codes,
entries: [{code, name, level, meaning, fix}]}``.  ``name_id`` is null or
``{value, format, name_qualifier, sp_name_qualifier}``; ``name_id_encrypted``
says it came as EncryptedID.  Each signature is ``{covers, covers_id,
valid, algorithm, digest_algorithm, reason, failure (a stable code:
``dsig.digest_mismatch``, ``dsig.untrusted_key`` ...), certificate_sha256,
certificate_index, certificate_subject, weak, weaknesses,
embedded_certificates: [sha256…]}``.  Each certificate is ``{subject,
issuer, serial_hex, sha256_fingerprint, sha1_fingerprint, not_before,
not_after, key_type, key_bits, self_signed, verified_signature, embedded}``.

Kind-specific keys:

* ``saml.authn_request``: ``acs_url, protocol_binding, name_id_policy,
  force_authn, is_passive``;
* ``saml.logout_request``: ``name_id`` (from NameID/EncryptedID),
  ``name_id_encrypted, session_indexes, reason``; ``not_on_or_after`` is the
  request's own;
* ``saml.logout_response``: ``in_response_to`` and ``status`` are filled;
* ``saml.artifact``: ``type_code, endpoint_index, source_id,
  message_handle, note``;
* ``saml.response``: ``name_id_encrypted`` (of the reported assertion);
* other roots: ``root_name``.

A message that came through a binding adds ``binding, parameter,
relay_state, sig_alg, query_signature`` (a signature dict with ``covers:
"query"``, or null); its ``trusted``, ``warnings`` and ``certificates``
include the query signature's.  WS-Federation messages
(``wsfed.*``) are rendered by :mod:`sso_harness.protocols.wsfed.jsonview`,
which imports this module (never the other way round).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sso_harness.protocols.certinfo import CertificateInfo
from sso_harness.protocols.problems import Problem, problems_json
from sso_harness.protocols.saml.bindings import SamlBindingMessage
from sso_harness.protocols.saml.messages import (
    Assertion,
    AuthnRequest,
    LogoutRequest,
    LogoutResponse,
    NameID,
    OtherSamlMessage,
    Response,
    SamlArtifact,
    SamlMessage,
    Status,
)
from sso_harness.protocols.saml.signatures import SignatureReport
from sso_harness.protocols.saml.timeutil import format_instant
from sso_harness.protocols.xml.dsig.verify import SignatureCheck

__all__ = [
    "certificate_json",
    "name_id_json",
    "problem_parts",
    "signature_json",
    "status_json",
    "to_json",
    "unsigned_parts",
]


def status_json(status: Status | None) -> dict[str, Any] | None:
    if status is None:
        return None
    return {
        "code": status.code,
        "sub_codes": list(status.sub_codes),
        "message": status.message,
        "ok": status.ok,
        "aadsts_codes": list(status.aadsts_codes),
        "entries": [
            {"code": e.uri, "name": e.name, "level": e.level, "meaning": e.meaning, "fix": e.fix}
            for e in status.entries
        ],
    }


def name_id_json(name_id: NameID | None) -> dict[str, Any] | None:
    if name_id is None:
        return None
    return {
        "value": name_id.value,
        "format": name_id.format,
        "name_qualifier": name_id.name_qualifier,
        "sp_name_qualifier": name_id.sp_name_qualifier,
    }


def signature_json(check: SignatureCheck) -> dict[str, Any]:
    report = check if isinstance(check, SignatureReport) else None
    return {
        "covers": check.covers,
        "covers_id": check.covers_id,
        "valid": check.valid,
        "algorithm": check.algorithm,
        "digest_algorithm": check.digest_algorithm,
        "reason": check.reason,
        "failure": check.failure,
        "certificate_sha256": check.certificate_sha256,
        "certificate_index": None if report is None else report.certificate_index,
        "certificate_subject": None if report is None else report.certificate_subject,
        "weak": False if report is None else report.weak,
        "weaknesses": [] if report is None else list(report.weaknesses),
        "embedded_certificates": [] if report is None else [c.sha256_fingerprint for c in report.embedded_certificates],
    }


def certificate_json(info: CertificateInfo, checks: Sequence[SignatureCheck] = ()) -> dict[str, Any]:
    """A certificate, plus whether it verified one of ``checks`` and whether
    one of their KeyInfo elements carried it."""
    embedded = any(
        info in check.embedded_certificates for check in checks if isinstance(check, SignatureReport)
    )
    return {
        "subject": info.subject,
        "issuer": info.issuer,
        "serial_hex": info.serial_hex,
        "sha256_fingerprint": info.sha256_fingerprint,
        "sha1_fingerprint": info.sha1_fingerprint,
        "not_before": format_instant(info.not_before),
        "not_after": format_instant(info.not_after),
        "key_type": info.key_type,
        "key_bits": info.key_bits,
        "self_signed": info.self_signed,
        "verified_signature": any(check.certificate_sha256 == info.sha256_fingerprint for check in checks),
        "embedded": embedded,
    }


def _assertion_fields(assertion: Assertion | None) -> dict[str, Any]:
    a = assertion
    return {
        "assertion_id": None if a is None else a.id,
        "assertion_issuer": None if a is None else a.issuer,
        "assertion_signed": None if a is None else a.signed,
        "name_id": None if a is None else name_id_json(a.name_id),
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


def _signed_parts(message: AuthnRequest | Response | LogoutRequest | LogoutResponse) -> dict[str, Any]:
    signatures = message.signatures
    return {
        "trusted": message.trusted,
        "signatures": [signature_json(c) for c in signatures],
        "warnings": list(message.warnings),
        "certificates": [certificate_json(c, signatures) for c in message.certificates],
        **problem_parts(message.problems),
    }


def problem_parts(problems: Sequence[Problem]) -> dict[str, Any]:
    return {"errors": [p.message for p in problems], "problems": problems_json(problems)}


def unsigned_parts() -> dict[str, Any]:
    """The encryption, trust and problem keys, in view order, as they stand
    for a message that is not encrypted, carries no signature and has no
    problems; a view overwrites the ones its message fills."""
    return {
        "encrypted": False,
        "decrypted": False,
        "trusted": False,
        "signatures": [],
        "errors": [],
        "problems": [],
        "warnings": [],
        "certificates": [],
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
        **unsigned_parts(),
    }
    if isinstance(message, Response):
        view.update(
            issue_instant=format_instant(message.issue_instant),
            in_response_to=message.in_response_to,
            status=status_json(message.status),
            assertion_count=len(message.assertions),
            encrypted=message.encrypted,
            decrypted=message.decrypted,
            **_signed_parts(message),
            **_assertion_fields(message.assertion),
            name_id_encrypted=message.assertion is not None and message.assertion.name_id_encrypted,
        )
    elif isinstance(message, AuthnRequest):
        policy = message.name_id_policy
        view.update(
            issue_instant=format_instant(message.issue_instant),
            **_signed_parts(message),
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
    elif isinstance(message, LogoutRequest):
        view.update(
            issue_instant=format_instant(message.issue_instant),
            **_signed_parts(message),
            name_id=name_id_json(message.name_id),
            name_id_encrypted=message.name_id_encrypted,
            session_indexes=list(message.session_indexes),
            not_on_or_after=format_instant(message.not_on_or_after),
            reason=message.reason,
        )
    elif isinstance(message, LogoutResponse):
        view.update(
            issue_instant=format_instant(message.issue_instant),
            in_response_to=message.in_response_to,
            status=status_json(message.status),
            **_signed_parts(message),
        )
    elif isinstance(message, SamlArtifact):
        view.update(
            type_code=message.type_code,
            endpoint_index=message.endpoint_index,
            source_id=message.source_id_hex,
            message_handle=message.message_handle_hex,
            note=message.note,
        )
    elif isinstance(message, OtherSamlMessage):
        view["root_name"] = message.root_name
    return view


def _binding(message: SamlBindingMessage) -> dict[str, Any]:
    view = _message(message.message)
    query = message.query_signature
    checks = [*view_checks(message.message), *([query] if query is not None else [])]
    view.update(
        binding=message.binding,
        parameter=message.parameter,
        relay_state=message.relay_state,
        sig_alg=message.sig_alg,
        query_signature=None if query is None else signature_json(query),
        trusted=message.trusted,
        warnings=list(message.warnings),
        certificates=[certificate_json(c, checks) for c in message.certificates],
    )
    return view


def view_checks(message: SamlMessage) -> tuple[SignatureCheck, ...]:
    """The embedded signature checks of any SAML message kind."""
    if isinstance(message, (AuthnRequest, Response, LogoutRequest, LogoutResponse)):
        return message.signatures
    return ()


def to_json(message: SamlBindingMessage | SamlMessage) -> dict[str, Any]:
    """Flatten a decoded message (optionally wrapped in its binding) to a
    JSON-serialisable dict.  Accepts SAML messages and :class:`SamlBindingMessage`;
    WS-Federation, which builds on these views, has its own
    :func:`sso_harness.protocols.wsfed.jsonview.wsfed_to_json`."""
    if isinstance(message, SamlBindingMessage):
        return _binding(message)
    return _message(message)
