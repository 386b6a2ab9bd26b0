"""The secret (and, in PII mode, personal) values of one recorded flow, and a scrubber for free text.

The :class:`~sso_harness.report.redact.Redactor` removes secrets where it knows
their place (a ``password`` field, a ``Cookie`` header). Some texts have no
such structure: a finding's sentence, a page's visible text, the Playwright
trace (actions, DOM snapshots, network log). For those, the values
themselves are collected from the recorded hops (every value the Redactor
would remove), and every occurrence is replaced, whichever way it is
encoded: raw, URL-encoded, JSON- or HTML-escaped.
"""

from __future__ import annotations

import base64
import binascii
import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote, quote_plus, urlsplit

from sso_harness.report.redact import (
    COOKIE_HEADERS,
    REDACTED,
    SAML_PARAMETERS,
    SECRET_HEADERS,
    URL_HEADERS,
    Redactor,
    is_secret_parameter,
)
from sso_harness.report.views import PII_CLAIMS
from sso_harness.protocols.saml import Response, SamlBindingMessage
from sso_harness.trace.decoded import Payload, carried_id_token, carried_xml
from sso_harness.trace.trace import Trace

__all__ = ["SecretValues", "secret_values", "MIN_LENGTH"]

MIN_LENGTH = 5
"""Shorter values are not scrubbed from free text: they would match ordinary words."""

_PII_FORM_FIELDS = ("username", "loginfmt", "login_hint", "email")
_DSIG_VALUE = re.compile(rb"<(?:\w+:)?SignatureValue[^>]*>([^<]+)<", re.S)


@dataclass
class SecretValues:
    """Raw value → its replacement (``[redacted]`` or a ``pii:`` token)."""

    replacements: dict[str, str] = field(default_factory=dict)
    enabled: bool = True

    def add(self, value: str | None, replacement: str = REDACTED) -> None:
        if value is None:
            return
        value = value.strip()
        if len(value) >= MIN_LENGTH and value != replacement and value != REDACTED:
            self.replacements.setdefault(value, replacement)

    def __len__(self) -> int:
        return len(self.replacements)

    def scrub(self, text: str) -> tuple[str, int]:
        """``text`` with every known value replaced; and how many replacements were made."""
        if not self.enabled or not text:
            return text, 0
        total = 0
        for raw in sorted(self.replacements, key=len, reverse=True):
            for form in _forms(raw):
                if form in text:
                    total += text.count(form)
                    text = text.replace(form, self.replacements[raw])
        return text, total

    def scrub_text(self, text: str) -> str:
        return self.scrub(text)[0]


def _forms(raw: str) -> list[str]:
    forms = [raw, quote(raw, safe=""), quote_plus(raw), quote(raw, safe="/:"), json.dumps(raw)[1:-1], html.escape(raw)]
    return list(dict.fromkeys(f for f in forms if len(f) >= MIN_LENGTH))


def secret_values(trace: Trace, redactor: Redactor, *, extra_secrets: Iterable[str] = (), extra_personal: Iterable[str] = ()) -> SecretValues:
    """Every secret value the hops of ``trace`` carry, plus ``extra_secrets`` (e.g. the password a login
    driver typed); in PII mode also personal values (NameID, attributes, user names, personal claims)."""
    found = SecretValues(enabled=redactor.enabled)
    if not redactor.enabled:
        return found
    # A private redactor with the same salt: same pii tokens, and nothing added to the shared log.
    quiet = Redactor(enabled=True, pii=redactor.pii, salt=redactor.salt)
    personal = _Personal(found, quiet)
    for value in extra_secrets:
        found.add(value)
    for value in extra_personal:
        personal.add(value)
    for h in trace.hops:
        hop = h.hop
        _pairs(found, personal, quiet, _url_pairs(hop.url))
        _pairs(found, personal, quiet, list(hop.form.items()))
        for name, value in hop.request_headers + hop.response_headers:
            _header(found, personal, quiet, name, value)
        for body in (hop.request_body, hop.response_body):
            _json_body(found, body)
        for m in h.messages:
            xml = carried_xml(m.message)
            if xml is not None:
                for match in _DSIG_VALUE.finditer(xml):
                    found.add(re.sub(rb"\s+", b"", match.group(1)).decode("ascii", "replace"))
            _message_personal(personal, m.message)
    return found


@dataclass
class _Personal:
    values: SecretValues
    redactor: Redactor

    def add(self, value: str | None) -> None:
        if self.redactor.pii and value:
            self.values.add(value, self.redactor.pii_token(value))


def _url_pairs(url: str) -> list[tuple[str, str]]:
    parts = urlsplit(url)
    return parse_qsl(parts.query, keep_blank_values=True) + (parse_qsl(parts.fragment, keep_blank_values=True) if "=" in parts.fragment else [])


def _pairs(found: SecretValues, personal: _Personal, quiet: Redactor, pairs: list[tuple[str, str]]) -> None:
    for key, value in pairs:
        if is_secret_parameter(key):
            found.add(value)
        elif key in SAML_PARAMETERS:
            # Redirect-binding values are deflated; form values are not.
            for deflated in (True, False):
                redacted = quiet.saml_parameter(value, where="scrub", deflated=deflated)
                if redacted != value:
                    found.add(value, redacted)
                    break
        elif key.lower() in _PII_FORM_FIELDS:
            personal.add(value)


def _header(found: SecretValues, personal: _Personal, quiet: Redactor, name: str, value: str) -> None:
    lname = name.lower()
    if lname in SECRET_HEADERS:
        scheme, _, credential = value.partition(" ")
        found.add(credential or scheme)
        if scheme.lower() == "basic" and credential:
            try:
                user, _, secret = base64.b64decode(credential, validate=True).decode("utf-8").partition(":")
            except (binascii.Error, UnicodeDecodeError, ValueError):
                return
            found.add(secret)
    elif lname in COOKIE_HEADERS:
        segments = value.split(";") if lname == "cookie" else value.split(";")[:1]
        for segment in segments:
            _, sep, cookie_value = segment.partition("=")
            if sep:
                found.add(cookie_value)
    elif lname in URL_HEADERS:
        _pairs(found, personal, quiet, _url_pairs(value))


def _json_body(found: SecretValues, body: bytes) -> None:
    if not body or body[:1] not in (b"{", b"["):
        return
    try:
        data = json.loads(body)
    except ValueError:
        return
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if isinstance(key, str) and is_secret_parameter(key) and isinstance(value, str):
                    found.add(value)
                else:
                    stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)


def _message_personal(personal: _Personal, message: Payload) -> None:
    if not personal.redactor.pii:
        return
    inner = message.message if isinstance(message, SamlBindingMessage) else message
    assertion = inner.assertion if isinstance(inner, Response) else None
    if assertion is not None:
        personal.add(None if assertion.name_id is None else assertion.name_id.value)
        for values in assertion.attributes.values():
            for value in values:
                personal.add(value)
    for jwt in (carried_id_token(message),):
        if jwt is not None:
            for key, value in jwt.claims.items():
                if key in PII_CLAIMS and isinstance(value, str):
                    personal.add(value)
