"""The secret (and, in PII mode, personal) values of one recorded flow, and a scrubber for free text.

The :class:`~sso_harness.report.redact.Redactor` removes secrets where it knows
their place (a ``password`` field, a ``Cookie`` header). Some texts have no
such structure: a finding's sentence, a page's visible text, the Playwright
trace (actions, DOM snapshots, network log). For those, the values
themselves are collected from the recorded hops (every value the Redactor
would remove), and every occurrence is replaced, whichever way it is
encoded: raw, URL-encoded, base64, JSON- or HTML-escaped. The session's
:class:`~sso_harness.protocols.secrets.SecretBook` adds the values met
anywhere else (:meth:`SecretValues.add_book`).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from sso_harness.protocols.secrets import MIN_SECRET_LENGTH, SecretBook, encoded_forms
from sso_harness.report.redact import REDACTED, SAML_PARAMETERS, URL_HEADERS, Redactor
from sso_harness.report.views import PII_CLAIMS
from sso_harness.protocols.saml import Response, SamlBindingMessage
from sso_harness.trace.decoded import Payload, carried_id_token, carried_xml
from sso_harness.trace.trace import Trace

__all__ = ["SecretValues", "secret_values", "trie_pattern", "MIN_LENGTH"]

MIN_LENGTH = MIN_SECRET_LENGTH
"""Shorter values are not scrubbed from free text: they would match ordinary words."""

_PII_FORM_FIELDS = ("username", "loginfmt", "login_hint", "email")
_DSIG_VALUE = re.compile(rb"<(?:\w+:)?SignatureValue[^>]*>([^<]+)<", re.S)


@dataclass
class SecretValues:
    """Raw value → its replacement (``[redacted]`` or a ``pii:`` token); :meth:`scrub` replaces
    every known value in every form of :func:`_forms` (raw, URL-encoded, base64, JSON/HTML-escaped)."""

    replacements: dict[str, str] = field(default_factory=dict)
    enabled: bool = True
    _matcher: tuple[int, re.Pattern[str], dict[str, str]] | None = field(default=None, init=False, repr=False, compare=False)

    def add(self, value: str | None, replacement: str = REDACTED) -> None:
        if value is None:
            return
        value = value.strip()
        if len(value) >= MIN_LENGTH and value != replacement and value != REDACTED:
            self.replacements.setdefault(value, replacement)

    def add_book(self, book: SecretBook) -> SecretValues:
        """Every value of ``book`` (the session's known secrets), replaced by ``[redacted]``; returns self."""
        for value in book.values():
            self.add(value)
        return self

    @classmethod
    def from_book(cls, book: SecretBook, *, enabled: bool = True) -> SecretValues:
        return cls(enabled=enabled).add_book(book)

    def __len__(self) -> int:
        return len(self.replacements)

    def _pattern(self) -> tuple[re.Pattern[str], dict[str, str]]:
        # One pass over the text whatever the number of values: the forms as a trie-shaped regex
        # (an alternation of thousands of literals would try each one at every position).
        if self._matcher is None or self._matcher[0] != len(self.replacements):
            by_form: dict[str, str] = {}
            for raw in sorted(self.replacements, key=len, reverse=True):
                for form in _forms(raw):
                    by_form.setdefault(form, self.replacements[raw])
            # An all-digit form (a typed one-time code) matches only a whole number, never digits inside a
            # timestamp or a duration: replacing those would corrupt the file and protect nothing.
            digits = [f for f in by_form if f.isdigit()]
            others = [f for f in by_form if not f.isdigit()]
            number = (r"(?<![0-9])(?<![0-9]\.)", r"(?![0-9])(?!\.[0-9])")
            pattern = trie_pattern(others) + (f"|{number[0]}(?:{trie_pattern(digits)}){number[1]}" if digits else "")
            self._matcher = (len(self.replacements), re.compile(pattern), by_form)
        return self._matcher[1], self._matcher[2]

    def scrub(self, text: str) -> tuple[str, int]:
        """``text`` with every known value replaced; and how many replacements were made."""
        if not self.enabled or not text or not self.replacements:
            return text, 0
        pattern, by_form = self._pattern()
        return pattern.subn(lambda m: by_form[m.group(0)], text)

    def scrub_text(self, text: str) -> str:
        return self.scrub(text)[0]


def _forms(raw: str) -> list[str]:
    forms = encoded_forms(raw) + [json.dumps(raw)[1:-1], html.escape(raw)]
    return list(dict.fromkeys(f for f in forms if len(f) >= MIN_LENGTH))


def trie_pattern(words: Iterable[str]) -> str:
    """A regex matching any of ``words``, longest first, shaped as a trie (shared prefixes matched once)."""
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    if not root:
        return "(?!)"
    return _render(root)


def _render(node: dict[str, Any]) -> str:
    # A chain of single children becomes one literal, so recursion depth is the number of branchings.
    parts: list[str] = []
    while len(node) == 1 and "" not in node:
        (ch, node), = node.items()
        parts.append(re.escape(ch))
    branches = [re.escape(ch) + _render(child) for ch, child in node.items() if ch != ""]
    if branches:
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        parts.append(f"(?:{body})?" if "" in node else body)
    return "".join(parts)


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
    book = SecretBook()  # the secrets a hop carries: the same rules as the capture recorder's listener
    for h in trace.hops:
        hop = h.hop
        book.learn_exchange(hop.url, hop.request_headers, hop.request_body, hop.response_headers, hop.response_body)
        book.learn_pairs(hop.form.items())
        _pairs(found, personal, quiet, _url_pairs(hop.url))
        _pairs(found, personal, quiet, list(hop.form.items()))
        for name, value in hop.request_headers + hop.response_headers:
            if name.lower() in URL_HEADERS:
                _pairs(found, personal, quiet, _url_pairs(value))
        for m in h.messages:
            xml = carried_xml(m.message)
            if xml is not None:
                for match in _DSIG_VALUE.finditer(xml):
                    found.add(re.sub(rb"\s+", b"", match.group(1)).decode("ascii", "replace"))
            _message_personal(personal, m.message)
    found.add_book(book)
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
    # Secret parameters are the book's; here the SAML messages (their signature values) and personal fields.
    for key, value in pairs:
        if key in SAML_PARAMETERS:
            # Redirect-binding values are deflated; form values are not.
            for deflated in (True, False):
                redacted = quiet.saml_parameter(value, where="scrub", deflated=deflated)
                if redacted != value:
                    found.add(value, redacted)
                    break
        elif key.lower() in _PII_FORM_FIELDS:
            personal.add(value)


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
