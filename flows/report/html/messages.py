"""A decoded message as HTML: the fields a person reads, signature and certificate status, the raw view.

Input is the redacted JSON view of :func:`sso_harness.report.views.message_view`
(secrets reduced to presence and fingerprint by the decoders, personal data
masked in PII mode, signature values removed from the XML).
"""

from __future__ import annotations

import datetime as dt
import json
from html import escape
from typing import Any

from sso_harness.protocols.xml.dsig.verify import DSIG_NO_TRUST_ANCHORS
from sso_harness.report.html.style import PROTOCOL_COLOURS

__all__ = ["render_message", "protocol_badge", "trust_pill"]

BADGES = {"saml": "SAML", "wsfed": "WS-Fed", "oauth": "OAuth", "oidc": "OIDC", "jose": "JWT"}
_SAML_FIELDS = (
    ("issuer", "Issuer"), ("id", "ID"), ("destination", "Destination"), ("in_response_to", "InResponseTo"),
    ("acs_url", "AssertionConsumerServiceURL"), ("relay_state", "RelayState"), ("audiences", "Audience"),
    ("recipient", "Recipient"), ("issue_instant", "IssueInstant"), ("not_before", "NotBefore"),
    ("not_on_or_after", "NotOnOrAfter"), ("authn_context_class_ref", "AuthnContextClassRef"),
)
_SKIP_OAUTH = {"kind", "claims", "claim_names", "header", "trusted", "errors", "problems", "warnings", "extra", "catalogue", "explanations",
               "response_types", "response_mode_explicit"}


def protocol_badge(label: str) -> str:
    colour = PROTOCOL_COLOURS.get(label, "#4b5563")
    return f'<span class="badge" style="background:{colour}">{escape(label)}</span>'


def _pill(kind: str, text: str) -> str:
    return f'<span class="pill sev-{kind}">{escape(text)}</span>'


def _short(uri: str | None) -> str:
    return "" if not uri else uri.rsplit(":", 1)[-1] if uri.startswith("urn:") else uri


def trust_pill(view: dict[str, Any]) -> str:
    """Signature status of a decoded message, as one coloured pill."""
    decoded = view.get("decoded") or {}
    sigs = list(decoded.get("signatures") or [])
    if decoded.get("query_signature"):
        sigs.append(decoded["query_signature"])
    if view.get("protocol") in ("saml", "wsfed"):
        if decoded.get("trusted"):
            return _pill("ok", "signature trusted")
        if not sigs:
            return _pill("warning" if decoded.get("kind") in ("saml.response", "wsfed.signin_response") else "info", "unsigned")
        if any(s.get("failure") == DSIG_NO_TRUST_ANCHORS for s in sigs):
            return _pill("info", "signature not checked (no trusted certificate given)")
        return _pill("error", "signature NOT trusted")
    trusted = decoded.get("trusted")
    if trusted is True:
        return _pill("ok", "token signature verified")
    if trusted is False:
        return _pill("error", "token signature not verified")
    return ""


def _value(value: Any) -> str:
    if isinstance(value, list):
        return "<br>".join(escape(str(v)) for v in value) or '<span class="sub">(none)</span>'
    if isinstance(value, dict):
        if set(value) >= {"present", "sha256_8"}:
            return escape(f"present, sha256 {value['sha256_8']}…, {value.get('length')} chars") if value["present"] else "absent"
        return escape(json.dumps(value, ensure_ascii=False))
    return escape(str(value))


def _kv(rows: list[tuple[str, Any]]) -> str:
    body = "".join(f"<tr><th>{escape(k)}</th><td>{_value(v)}</td></tr>" for k, v in rows)
    return f'<table class="kv">{body}</table>' if body else ""


def _saml_rows(d: dict[str, Any]) -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = []
    status = d.get("status")
    if status:
        text = " / ".join(_short(c) for c in [status.get("code"), *status.get("sub_codes", [])] if c)
        if status.get("message"):
            text += f" — {status['message']}"
        rows.append(("Status", text))
    name_id = d.get("name_id")
    if name_id:
        rows.append(("NameID", f"{name_id.get('value')}  ({_short(name_id.get('format')) or 'no format'})"))
    policy = d.get("name_id_policy")
    if policy and policy.get("format"):
        rows.append(("NameIDPolicy Format", _short(policy["format"])))
    for key, label in _SAML_FIELDS:
        value = d.get(key)
        if value not in (None, [], ""):
            rows.append((label, value))
    return rows


def _signatures(d: dict[str, Any]) -> str:
    sigs = list(d.get("signatures") or [])
    if d.get("query_signature"):
        sigs.append(d["query_signature"])
    items = []
    for s in sigs:
        what = f"{s.get('covers') or 'unresolved reference'} {s.get('covers_id') or ''}".strip()
        alg = _short((s.get("algorithm") or "").rsplit("#", 1)[-1])
        if s.get("valid"):
            by = f" by {s['certificate_subject']}" if s.get("certificate_subject") else ""
            items.append(f"<li>✔ {escape(what)}: valid ({escape(alg)}){escape(by)}</li>")
        else:
            items.append(f'<li class="bad">✘ {escape(what)}: {escape(s.get("reason") or "invalid")} ({escape(alg)})</li>')
    return f"<h4>Signatures</h4><ul>{''.join(items)}</ul>" if items else ""


def _cert_status(not_after: str | None, now: dt.datetime | None) -> str:
    if not not_after or now is None:
        return ""
    try:
        end = dt.datetime.fromisoformat(not_after.replace("Z", "+00:00"))
    except ValueError:
        return ""
    if end < now:
        return _pill("error", f"expired {end:%Y-%m-%d}")
    days = (end - now).days
    if days <= 30:
        return _pill("warning", f"expires in {days} days")
    return _pill("ok", f"valid until {end:%Y-%m-%d}")


def _certificates(d: dict[str, Any], now: dt.datetime | None) -> str:
    items = []
    for c in d.get("certificates") or []:
        role = "verified a signature" if c.get("verified_signature") else "carried in KeyInfo (not trusted by itself)" if c.get("embedded") else ""
        items.append(
            f"<li>{_cert_status(c.get('not_after'), now)} <span class='mono'>{escape(c.get('subject') or '(no subject)')}</span>"
            f" · sha256 {escape((c.get('sha256_fingerprint') or '')[:16])}… · {escape(role)}</li>"
        )
    return f"<h4>Certificates</h4><ul>{''.join(items)}</ul>" if items else ""


def _notes(d: dict[str, Any]) -> str:
    out = ""
    if d.get("errors"):
        out += "<h4>Errors</h4><ul class='errors'>" + "".join(f"<li>{escape(str(e))}</li>" for e in d["errors"]) + "</ul>"
    if d.get("warnings"):
        out += "<h4>Warnings</h4><ul class='warnings'>" + "".join(f"<li>{escape(str(w))}</li>" for w in d["warnings"]) + "</ul>"
    for entry in d.get("explanations") or []:
        out += f"<p><b>AADSTS{entry.get('code')} {escape(entry.get('title') or '')}</b>: {escape(entry.get('meaning') or '')}</p>"
    return out


def _oauth_rows(d: dict[str, Any]) -> list[tuple[str, Any]]:
    rows = []
    for key, value in d.items():
        if key in _SKIP_OAUTH or value in (None, [], {}, ""):
            continue
        if isinstance(value, dict) and "present" in value and not value["present"]:
            continue
        rows.append((key, value))
    if d.get("claim_names"):
        rows.append(("claims in token", d["claim_names"]))
    return rows


def render_message(view: dict[str, Any], *, now: dt.datetime | None) -> str:
    d = view.get("decoded") or {}
    protocol = view.get("protocol", "")
    badge = protocol_badge(BADGES.get(protocol, protocol))
    via = f" via {d['binding']}" if d.get("binding") else ""
    title = f"{badge}<span>{escape(view.get('kind', ''))}{escape(via)}</span><span class='sub'>({escape(view.get('source', ''))})</span>{trust_pill(view)}"
    if d.get("truncated"):  # read from a body the recorder cut: never shown as a complete message
        why = escape(str(d["truncated"]))
        title += f"<span class='pill sev-warning' title='{why}'>truncated</span>"
    if protocol in ("saml", "wsfed"):
        body = _kv(_saml_rows(d)) + _signatures(d) + _certificates(d, now)
    else:
        body = _kv(_oauth_rows(d))
    body += _notes(d)
    raw = json.dumps(d, indent=2, ensure_ascii=False, default=str)
    body += f"<details class='raw'><summary>decoded JSON</summary><pre>{escape(raw)}</pre></details>"
    if view.get("xml"):
        label = "XML (signature values removed)" if "[redacted]" in view["xml"] else "XML"
        body += f"<details class='raw'><summary>{label}</summary><pre>{escape(view['xml'])}</pre></details>"
    return f"<div class='msg card'><div class='title'>{title}</div>{body}</div>"
