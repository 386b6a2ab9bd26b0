"""Which protocol values are secrets, and the book of secret values seen in this process.

Protocol knowledge, so it lives low: the parameter and header names whose
values are secrets (used by the report layer's structural
:class:`~sso_harness.report.redact.Redactor`), and a :class:`SecretBook`, a
thread-safe set of the secret *values* met so far. The book is fed by the
target loader (passwords, TOTP and client secrets), by the capture recorder
(every hop: cookies, ``Authorization``, codes, tokens, the IdP's flow-state
tokens) and by the login drivers (what they type into password and
one-time-code fields). Writers and the report layer's redaction gate replace
every value in the book, in every encoding :func:`encoded_forms` lists.

The process-wide book is :func:`secret_book`; a pytest-xdist worker sends its
values to the controller, which sweeps the artifacts of the whole run.

Kept visible on purpose: OAuth ``state`` and ``nonce`` and SAML
``RelayState`` are correlation values that tests and diagnoses compare, and a
leak of one grants nothing on its own.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import threading
from collections.abc import Iterable, Iterator
from urllib.parse import parse_qsl, quote, quote_plus, urlsplit

__all__ = [
    "SECRET_PARAMETERS",
    "FLOW_STATE_PARAMETERS",
    "SECRET_HEADERS",
    "COOKIE_HEADERS",
    "URL_HEADERS",
    "MIN_SECRET_LENGTH",
    "SecretBook",
    "encoded_forms",
    "is_secret_parameter",
    "remember_secret",
    "secret_book",
]

# The flow-state tokens of real IdPs: each one resumes a half-done sign-in, so it is a credential
# while it lives. Entra posts ctx/flowToken/canary back on every screen and carries sFT/sCtx in
# its $Config; SimpleSAMLphp carries AuthState between its login page and its SSO service.
FLOW_STATE_PARAMETERS = frozenset({"ctx", "flowtoken", "canary", "sft", "sctx", "authstate"})

# Form fields, query parameters and JSON keys whose values are secrets (lower case).
SECRET_PARAMETERS = frozenset(
    {
        "password", "passwd", "pwd", "pass", "otc", "totp", "otp",
        "client_secret", "client_assertion", "code", "code_verifier",
        "access_token", "refresh_token", "id_token", "assertion", "samlart",
        "device_code", "user_code", "session_state",
    }
) | FLOW_STATE_PARAMETERS
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization"})
COOKIE_HEADERS = frozenset({"cookie", "set-cookie"})
URL_HEADERS = frozenset({"location", "referer", "content-location", "origin"})

MIN_SECRET_LENGTH = 5
"""Shorter values are not kept: replacing them in free text would hit ordinary words."""

# Entra's $Config object: "sFT":"...", "sCtx":"..."; hidden inputs of any IdP: name="ctx" value="...".
_CONFIG_MEMBER = re.compile(r'"(sFT|sCtx|canary)"\s*:\s*"([^"\\]{5,})"')
_HIDDEN_INPUT = re.compile(r"<input\b[^>]*>", re.I)
_ATTR = re.compile(r"""\b(name|value)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)


def is_secret_parameter(name: str) -> bool:
    """Whether a form field, query parameter or JSON key named ``name`` carries a secret."""
    return name.lower() in SECRET_PARAMETERS


def encoded_forms(value: str) -> list[str]:
    """The ways ``value`` can appear in a written file: raw, URL-encoded (``quote`` and
    ``quote_plus``) and base64 (standard and URL-safe, padded or not).

    base64 is given at the three byte alignments the value can have inside a longer
    encoded text, each without the edge characters that depend on its neighbours;
    a form shorter than 8 characters is left out (it would match by chance).
    """
    forms = [value, quote(value, safe=""), quote_plus(value), quote(value, safe="/:")]
    raw = value.encode("utf-8")
    for lead in range(3):
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            text = encode(b"\0" * lead + raw).decode("ascii")
            padded_end = text.endswith("=")
            text = text.rstrip("=")
            # Leading bytes: the first ceil(lead*4/3) characters mix in the neighbour's bits.
            start = (0, 2, 3)[lead]
            # Unless the value ends on a 3-byte boundary (no padding), the last character mixes in the next byte.
            core = text[start:-1] if padded_end else text[start:]
            if len(core) >= 8:
                forms.append(core)
    return list(dict.fromkeys(f for f in forms if len(f) >= MIN_SECRET_LENGTH))


class SecretBook:
    """A thread-safe set of secret values; :meth:`add` ignores values shorter than ``min_length``.

    ``version`` increases with every new value, so a scrubber built from the
    book knows when to rebuild.
    """

    def __init__(self, values: Iterable[str] = (), *, min_length: int = MIN_SECRET_LENGTH) -> None:
        self._lock = threading.Lock()
        self._values: set[str] = set()
        self.min_length = min_length
        self.version = 0
        self.add_all(values)

    # -- values ------------------------------------------------------------------
    def add(self, value: str | None) -> bool:
        """Keep ``value`` (stripped); True if it was new and long enough to keep."""
        if value is None:
            return False
        value = value.strip()
        if len(value) < self.min_length or value == "[redacted]":
            return False
        with self._lock:
            if value in self._values:
                return False
            self._values.add(value)
            self.version += 1
        return True

    def add_all(self, values: Iterable[str | None]) -> int:
        return sum(1 for v in values if self.add(v))

    def values(self) -> frozenset[str]:
        """A snapshot of every value kept."""
        with self._lock:
            return frozenset(self._values)

    def __contains__(self, value: object) -> bool:
        with self._lock:
            return value in self._values

    def __len__(self) -> int:
        with self._lock:
            return len(self._values)

    def __iter__(self) -> Iterator[str]:
        return iter(self.values())

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self.version += 1

    # -- learning from protocol data -----------------------------------------------
    def learn_pairs(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Values of secret parameters among ``(name, value)`` pairs."""
        for name, value in pairs:
            if is_secret_parameter(name):
                self.add(value)

    def learn_url(self, url: str) -> None:
        """Secret query and fragment parameters of ``url``."""
        try:
            parts = urlsplit(url)
        except ValueError:
            return
        self.learn_pairs(parse_qsl(parts.query, keep_blank_values=True))
        if "=" in parts.fragment:
            self.learn_pairs(parse_qsl(parts.fragment, keep_blank_values=True))

    def learn_headers(self, headers: Iterable[tuple[str, str]]) -> None:
        """Credentials of ``Authorization`` headers (and the secret of a Basic one), every cookie value,
        secret parameters of URL-valued headers (``Location``...)."""
        for name, value in headers:
            lname = name.lower()
            if lname in SECRET_HEADERS:
                scheme, _, credential = value.strip().partition(" ")
                self.add(credential or scheme)
                if scheme.lower() == "basic" and credential:
                    self._learn_basic(credential.strip())
            elif lname in COOKIE_HEADERS:
                segments = value.split(";") if lname == "cookie" else value.split(";")[:1]
                for segment in segments:
                    _, sep, cookie_value = segment.partition("=")
                    if sep:
                        self.add(cookie_value.strip().strip('"'))
            elif lname in URL_HEADERS:
                self.learn_url(value)

    def _learn_basic(self, credential: str) -> None:
        try:
            decoded = base64.b64decode(credential, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            return
        user, _, secret = decoded.partition(":")
        # RFC 6749 §2.3.1: client id and secret are form-urlencoded before Basic encoding.
        self.add(secret)
        self.add(_unquote_plus(secret))

    def learn_form(self, body: str) -> None:
        """Secret fields of an ``application/x-www-form-urlencoded`` body."""
        self.learn_pairs(parse_qsl(body, keep_blank_values=True))

    def learn_json(self, body: str | bytes) -> None:
        """String values of secret members anywhere in a JSON document (not JSON: ignored)."""
        try:
            data = json.loads(body)
        except ValueError:
            return
        stack: list[object] = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                for key, value in item.items():
                    if isinstance(key, str) and is_secret_parameter(key) and isinstance(value, str):
                        self.add(value)
                    else:
                        stack.append(value)
            elif isinstance(item, list):
                stack.extend(item)

    def learn_html(self, text: str) -> None:
        """Flow-state tokens a sign-in page carries: hidden inputs named like secrets, Entra's ``$Config``."""
        for match in _CONFIG_MEMBER.finditer(text):
            self.add(match.group(2))
        for tag in _HIDDEN_INPUT.finditer(text):
            attrs = {m.group(1).lower(): m.group(2) if m.group(2) is not None else m.group(3) for m in _ATTR.finditer(tag.group(0))}
            if is_secret_parameter(attrs.get("name", "")):
                self.add(attrs.get("value"))

    def learn_body(self, body: bytes, content_type: str) -> None:
        """A request or response body, read by its content type (form, JSON, HTML); others ignored."""
        if not body:
            return
        ctype = content_type.split(";")[0].strip().lower()
        text = body.decode("utf-8", "replace")
        if ctype == "application/x-www-form-urlencoded":
            self.learn_form(text)
        elif ctype.endswith("json") or body[:1] in (b"{", b"["):
            self.learn_json(body)
        elif "html" in ctype or "javascript" in ctype:
            self.learn_html(text)

    def learn_exchange(
        self,
        url: str,
        request_headers: Iterable[tuple[str, str]],
        request_body: bytes,
        response_headers: Iterable[tuple[str, str]],
        response_body: bytes,
    ) -> None:
        """Every secret one HTTP exchange carries (the capture recorder calls this per hop)."""
        request_headers, response_headers = list(request_headers), list(response_headers)
        self.learn_url(url)
        self.learn_headers(request_headers)
        self.learn_headers(response_headers)
        self.learn_body(request_body, _header(request_headers, "content-type"))
        self.learn_body(response_body, _header(response_headers, "content-type"))


def _header(headers: list[tuple[str, str]], name: str) -> str:
    return next((v for k, v in headers if k.lower() == name), "")


def _unquote_plus(text: str) -> str:
    from urllib.parse import unquote_plus

    return unquote_plus(text)


_BOOK = SecretBook()


def secret_book() -> SecretBook:
    """This process's book: one per pytest session (an xdist worker is its own process)."""
    return _BOOK


def remember_secret(value: str | None) -> None:
    """Add ``value`` to this process's book (a login driver typing a password, a loader resolving ``${VAR}``)."""
    _BOOK.add(value)
