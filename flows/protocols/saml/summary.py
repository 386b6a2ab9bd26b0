"""Short aligned plain-text summary of a decoded message (``sso-harness decode``).

Rendered from the :func:`~sso_harness.protocols.saml.jsonview.to_json` view so the
human and machine outputs can never disagree.  Works for every kind the
view knows (SAML and WS-Federation); absent keys are simply not shown.
"""

from __future__ import annotations

from typing import Any

from sso_harness.protocols.saml.bindings import SamlBindingMessage
from sso_harness.protocols.saml.jsonview import to_json
from sso_harness.protocols.saml.messages import SamlMessage

__all__ = ["DECRYPTED_NOTE", "ENCRYPTED_NOTE", "render_summary"]

ENCRYPTED_NOTE = "encrypted, not decrypted (pass the SP private key with --sp-key)"
DECRYPTED_NOTE = "encrypted, decrypted with a supplied SP key"
_WIDTH = 16


def _line(label: str, value: object) -> str:
    return f"{label + ':':<{_WIDTH}} {value}"


def _status(view: dict[str, Any]) -> str | None:
    status = view.get("status")
    if status is None:
        return None
    parts = [status["code"] or "(no code)", *status["sub_codes"]]
    text = " / ".join(parts)
    return f"{text} — {status['message']}" if status["message"] else text


def _window(view: dict[str, Any]) -> str | None:
    start, end = view.get("not_before"), view.get("not_on_or_after")
    if start is None and end is None:
        return None
    return f"{start or '-∞'} .. {end or '+∞'}"


def _artifact(view: dict[str, Any]) -> str | None:
    if view.get("kind") != "saml.artifact":
        return None
    return (
        f"type 0x{view['type_code']:04x}, endpoint {view['endpoint_index']}, source {view['source_id']}, "
        f"handle {view['message_handle']} ({view['note']})"
    )


def _signature_lines(view: dict[str, Any]) -> list[str]:
    lines = []
    for sig in view.get("signatures") or []:
        target = f"{sig['covers'] or '?'} {sig['covers_id'] or ''}".rstrip()
        algorithm = (sig["algorithm"] or "?").rpartition("#")[2]
        verdict = (
            f"VALID (cert sha256 {sig['certificate_sha256'][:16]}…)" if sig["valid"] else f"INVALID: {sig['reason']}"
        )
        lines.append(f"  {target} [{algorithm}] {verdict}")
    return lines


def render_summary(message: SamlBindingMessage | SamlMessage, *, evaluated_at: str | None = None) -> str:
    """Human-readable multi-line summary; ends with a newline."""
    view = to_json(message)
    rows: list[tuple[str, object | None]] = [
        ("kind", view.get("kind")),
        ("binding", f"{view.get('binding')} ({view.get('parameter')})" if view.get("binding") else None),
        ("relay state", view.get("relay_state")),
        ("wtrealm", view.get("wtrealm")),
        ("wreply", view.get("wreply")),
        ("wctx", view.get("wctx")),
        ("whr", view.get("whr")),
        ("applies to", view.get("applies_to")),
        ("token", f"SAML {view['token_version']}" if view.get("token_version") else None),
        ("id", view.get("id")),
        ("in response to", view.get("in_response_to")),
        ("issue instant", view.get("issue_instant")),
        ("issuer", view.get("issuer")),
        ("destination", view.get("destination")),
        ("root element", view.get("root_name")),
        ("acs url", view.get("acs_url")),
        ("protocol bind.", view.get("protocol_binding")),
        ("status", _status(view)),
        ("assertion", view.get("assertion_id")),
        (
            "name id",
            None
            if view.get("name_id") is None
            else f"{view['name_id']['value']} ({view['name_id']['format'] or 'no format'})",
        ),
        ("audiences", ", ".join(view.get("audiences") or []) or None),
        ("recipient", view.get("recipient")),
        ("valid window", _window(view)),
        ("subject until", view.get("subject_not_on_or_after")),
        ("authn context", view.get("authn_context_class_ref")),
        ("session index", view.get("session_index")),
        ("session indexes", ", ".join(view.get("session_indexes") or []) or None),
        ("logout reason", view.get("reason")),
        ("artifact", _artifact(view)),
        ("aadsts codes", ", ".join(str(n) for n in (view.get("status") or {}).get("aadsts_codes", [])) or None),
        ("evaluated at", evaluated_at),
    ]
    lines = [_line(label, value) for label, value in rows if value not in (None, "")]
    if view.get("encrypted"):
        lines.append(_line("assertion", DECRYPTED_NOTE if view.get("decrypted") else ENCRYPTED_NOTE))
    attributes: dict[str, list[str]] = view.get("attributes") or {}
    if attributes:
        lines.append("attributes:")
        width = min(max(len(name) for name in attributes), 60)
        for name, values in attributes.items():
            lines.append(f"  {name:<{width}}  {' | '.join(values)}")
    if view.get("signatures"):
        lines.append("signatures:")
        lines.extend(_signature_lines(view))
    else:
        lines.append(_line("signatures", "none"))
    if view.get("query_signature"):
        lines.append("query signature:")
        lines.extend(_signature_lines({"signatures": [view.get("query_signature")]}))
    lines.append(_line("trusted", "yes" if view.get("trusted") else "no"))
    errors: list[str] = view.get("errors") or []
    if errors:
        lines.append("errors:")
        lines.extend(f"  - {error}" for error in errors)
    warnings: list[str] = view.get("warnings") or []
    if warnings:
        lines.append("warnings:")
        lines.extend(f"  - {warning}" for warning in warnings)
    return "\n".join(lines) + "\n"
