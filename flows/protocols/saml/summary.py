"""Short aligned plain-text summary of a decoded message (``sso-harness decode``).

Rendered from the :func:`~flows.protocols.saml.jsonview.to_json` view so the
human and machine outputs can never disagree.
"""

from __future__ import annotations

from typing import Any

from flows.protocols.saml.bindings import SamlBindingMessage
from flows.protocols.saml.jsonview import to_json
from flows.protocols.saml.model import SamlMessage

__all__ = ["ENCRYPTED_NOTE", "render_summary"]

ENCRYPTED_NOTE = "encrypted (decryption arrives with protocol coverage)"
_WIDTH = 16


def _line(label: str, value: object) -> str:
    return f"{label + ':':<{_WIDTH}} {value}"


def _status(view: dict[str, Any]) -> str | None:
    status = view["status"]
    if status is None:
        return None
    parts = [status["code"] or "(no code)", *status["sub_codes"]]
    text = " / ".join(parts)
    return f"{text} — {status['message']}" if status["message"] else text


def _window(view: dict[str, Any]) -> str | None:
    start, end = view["not_before"], view["not_on_or_after"]
    if start is None and end is None:
        return None
    return f"{start or '-∞'} .. {end or '+∞'}"


def _signature_lines(view: dict[str, Any]) -> list[str]:
    lines = []
    for sig in view["signatures"]:
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
        ("kind", view["kind"]),
        ("binding", f"{view.get('binding')} ({view.get('parameter')})" if view.get("binding") else None),
        ("relay state", view.get("relay_state")),
        ("id", view["id"]),
        ("in response to", view["in_response_to"]),
        ("issue instant", view["issue_instant"]),
        ("issuer", view["issuer"]),
        ("destination", view["destination"]),
        ("root element", view.get("root_name")),
        ("acs url", view.get("acs_url")),
        ("protocol bind.", view.get("protocol_binding")),
        ("status", _status(view)),
        ("assertion", view["assertion_id"]),
        (
            "name id",
            None
            if view["name_id"] is None
            else f"{view['name_id']['value']} ({view['name_id']['format'] or 'no format'})",
        ),
        ("audiences", ", ".join(view["audiences"]) or None),
        ("recipient", view["recipient"]),
        ("valid window", _window(view)),
        ("subject until", view["subject_not_on_or_after"]),
        ("authn context", view["authn_context_class_ref"]),
        ("session index", view["session_index"]),
        ("evaluated at", evaluated_at),
    ]
    lines = [_line(label, value) for label, value in rows if value not in (None, "")]
    if view["encrypted"]:
        lines.append(_line("assertion", ENCRYPTED_NOTE))
    if view["attributes"]:
        lines.append("attributes:")
        width = min(max(len(name) for name in view["attributes"]), 60)
        for name, values in view["attributes"].items():
            lines.append(f"  {name:<{width}}  {' | '.join(values)}")
    if view["signatures"]:
        lines.append("signatures:")
        lines.extend(_signature_lines(view))
    else:
        lines.append(_line("signatures", "none"))
    lines.append(_line("trusted", "yes" if view["trusted"] else "no"))
    if view["errors"]:
        lines.append("errors:")
        lines.extend(f"  - {error}" for error in view["errors"])
    return "\n".join(lines) + "\n"
