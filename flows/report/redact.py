"""Redaction of secrets (and, on request, personal data) in everything written.

One module, used by every writer (trace JSON, HAR, SAML-tracer JSON, the
Allure attachments), so no writer can forget a secret. Secrets are replaced
by a fixed marker that does not depend on the value. In PII mode, NameID and
attribute values are replaced by salted HMAC tokens: equal values give equal
tokens within one run, so a reader can still see "the NameID equals the
email claim" without learning either.

Every replacement is logged as a :class:`Redaction` (where and what, never
the value); :meth:`Redactor.report_text` renders that log for REDACTIONS.txt.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sso_harness.protocols import DecodeError
from sso_harness.protocols.encoding import b64decode_lenient, inflate_bounded

# The names are protocol knowledge, shared with the capture layer's secret book (one list, not two).
from sso_harness.protocols.secrets import (
    COOKIE_HEADERS,
    SECRET_HEADERS,
    SECRET_PARAMETERS,
    URL_HEADERS,
    is_secret_parameter,
)

__all__ = [
    "REDACTED",
    "SECRET_PARAMETERS",
    "SECRET_HEADERS",
    "COOKIE_HEADERS",
    "URL_HEADERS",
    "Redaction",
    "Redactor",
    "is_secret_parameter",
    "redact_url",
    "redact_form",
    "redact_headers",
]

REDACTED = "[redacted]"

SAML_PARAMETERS = frozenset({"SAMLRequest", "SAMLResponse"})
DSIG = "http://www.w3.org/2000/09/xmldsig#"
SAML2 = "urn:oasis:names:tc:SAML:2.0:assertion"
SAML1 = "urn:oasis:names:tc:SAML:1.0:assertion"


@dataclass(frozen=True)
class Redaction:
    """One removal: ``where`` (e.g. "hop #4 request form") and ``what`` (e.g. "password")."""

    where: str
    what: str


@dataclass
class Redactor:
    """Redacts values and records what it removed.

    ``enabled=False`` is the explicit ``--no-redact`` mode: values pass through
    unchanged and nothing is recorded. ``pii=True`` also masks NameID and
    attribute values (and usernames in sign-in forms).
    """

    enabled: bool = True
    pii: bool = False
    salt: bytes = field(default_factory=lambda: os.urandom(16))
    log: list[Redaction] = field(default_factory=list)

    # -- primitives ------------------------------------------------------
    def _note(self, where: str, what: str) -> None:
        self.log.append(Redaction(where, what))

    def pii_token(self, value: str) -> str:
        digest = hmac.new(self.salt, value.encode("utf-8"), hashlib.sha256).hexdigest()
        return f"pii:{digest[:12]}"

    def _secret_pairs(self, pairs: list[tuple[str, str]], where: str) -> list[tuple[str, str]]:
        out = []
        for k, v in pairs:
            if is_secret_parameter(k):
                self._note(where, k)
                out.append((k, REDACTED))
            elif self.pii and k.lower() in ("username", "loginfmt", "login_hint", "email"):
                self._note(where, f"{k} (personal data)")
                out.append((k, self.pii_token(v)))
            elif k in SAML_PARAMETERS:
                out.append((k, self.saml_parameter(v, where=f"{where} {k}", deflated=False)))
            else:
                out.append((k, v))
        return out

    # -- URLs, headers, forms -------------------------------------------
    def url(self, url: str, *, where: str) -> str:
        """The URL with secret query/fragment parameters masked (exact octets kept otherwise)."""
        if not self.enabled:
            return url
        parts = urlsplit(url)
        query = self._query(parts.query, f"{where} query", deflated=True)
        fragment = self._query(parts.fragment, f"{where} fragment", deflated=False) if "=" in parts.fragment else parts.fragment
        return urlunsplit((parts.scheme, parts.netloc, parts.path, query, fragment))

    def _query(self, qs: str, where: str, *, deflated: bool) -> str:
        if not qs:
            return qs
        pairs = parse_qsl(qs, keep_blank_values=True)
        sensitive = any(is_secret_parameter(k) for k, _ in pairs) or (self.pii and any(k in SAML_PARAMETERS for k, _ in pairs))
        if not sensitive:
            return qs  # nothing secret: keep the exact octets (a Redirect signature covers them)
        out = []
        for k, v in pairs:
            if k in SAML_PARAMETERS:
                out.append((k, self.saml_parameter(v, where=f"{where} {k}", deflated=deflated)))
            else:
                out.extend(self._secret_pairs([(k, v)], where))
        return urlencode(out)

    def headers(self, headers: Iterable[tuple[str, str]], *, where: str) -> list[tuple[str, str]]:
        if not self.enabled:
            return list(headers)
        out = []
        for k, v in headers:
            lk = k.lower()
            if lk in SECRET_HEADERS:
                self._note(where, f"{k} header")
                scheme = v.split(" ", 1)[0] if " " in v else ""
                out.append((k, f"{scheme} {REDACTED}".strip()))
            elif lk in COOKIE_HEADERS:
                out.append((k, self._cookie(v, lk, where)))
            elif lk in URL_HEADERS:
                out.append((k, self.url(v, where=f"{where} {k} header")))
            else:
                out.append((k, v))
        return out

    def _cookie(self, value: str, header: str, where: str) -> str:
        # Keep cookie names and attributes (SameSite, Secure, Path) for diagnosis; mask values.
        segments = value.split(";")
        masked = []
        for i, seg in enumerate(segments):
            name, sep, _ = seg.partition("=")
            is_value = header == "cookie" or i == 0
            if sep and is_value:
                self._note(where, f"cookie {name.strip()}")
                masked.append(f"{name}={REDACTED}")
            else:
                masked.append(seg)
        return ";".join(masked)

    def form(self, form: Mapping[str, str], *, where: str) -> dict[str, str]:
        if not self.enabled:
            return dict(form)
        return dict(self._secret_pairs(list(form.items()), where))

    def form_text(self, body: bytes, *, where: str) -> str:
        text = body.decode("latin-1")
        if not self.enabled:
            return text
        return urlencode(self._secret_pairs(parse_qsl(text, keep_blank_values=True), where))

    def json_text(self, body: bytes, *, where: str) -> str | None:
        """A JSON body with secret members masked; ``None`` (and a log entry) if it is not JSON."""
        if not self.enabled:
            return body.decode("utf-8", "replace")
        try:
            data = json.loads(body)
        except ValueError:
            self._note(where, "body that is not valid JSON (removed whole)")
            return None
        return json.dumps(self._json(data, where), indent=None, sort_keys=False)

    def _json(self, data: object, where: str) -> object:
        if isinstance(data, dict):
            out: dict[object, object] = {}
            for k, v in data.items():
                if isinstance(k, str) and is_secret_parameter(k) and v not in (None, ""):
                    self._note(where, k)
                    out[k] = REDACTED
                else:
                    out[k] = self._json(v, where)
            return out
        if isinstance(data, list):
            return [self._json(v, where) for v in data]
        return data

    # -- SAML ------------------------------------------------------------
    def saml_xml(self, xml: bytes, *, where: str) -> bytes:
        """SignatureValue (and, in PII mode, NameID and attribute values) masked.

        The result no longer verifies: that is the point; signatures stay
        verifiable only in ``--no-redact`` mode.
        """
        if not self.enabled:
            return xml
        from lxml import etree

        from sso_harness.protocols.xml.safe import parse_xml
        from sso_harness.protocols.xml.text import text_content

        try:
            root = parse_xml(xml, where=where)
        except DecodeError:
            return xml  # undecodable: nothing we could verify either; left as captured
        for el in root.iter(f"{{{DSIG}}}SignatureValue"):
            el.text = REDACTED
            self._note(where, "XML signature value")
        if self.pii:
            for tag in (f"{{{SAML2}}}NameID", f"{{{SAML2}}}AttributeValue", f"{{{SAML1}}}NameIdentifier", f"{{{SAML1}}}AttributeValue"):
                for el in root.iter(tag):
                    text = text_content(el)
                    for child in list(el):
                        el.remove(child)
                    el.text = self.pii_token(text)
                    self._note(where, f"{etree.QName(el).localname} (personal data)")
        return etree.tostring(root)

    def saml_parameter(self, value: str, *, where: str, deflated: bool) -> str:
        """A SAMLRequest/SAMLResponse parameter re-encoded after :meth:`saml_xml`."""
        if not self.enabled:
            return value
        try:
            raw = b64decode_lenient(value, where=where)
            xml = inflate_bounded(raw, where=where) if deflated else raw
        except DecodeError:
            return value
        redacted = self.saml_xml(xml, where=where)
        if redacted == xml:
            return value
        if deflated:
            c = zlib.compressobj(wbits=-15)
            redacted = c.compress(redacted) + c.flush()
        return base64.b64encode(redacted).decode("ascii")

    # -- report ----------------------------------------------------------
    def report_text(self) -> str:
        """REDACTIONS.txt: what was removed and where, grouped; never a value."""
        if not self.enabled:
            return "Redaction was switched off (--no-redact): this bundle contains secrets in clear.\n"
        lines = [
            "Redactions (values removed; this file never contains them)",
            f"personal data masked: {'yes' if self.pii else 'no'}",
            "",
        ]
        counts: dict[tuple[str, str], int] = {}
        for r in self.log:
            counts[(r.where, r.what)] = counts.get((r.where, r.what), 0) + 1
        for (where, what), n in counts.items():
            lines.append(f"{where}: {what}" + (f" (x{n})" if n > 1 else ""))
        if not self.log:
            lines.append("nothing needed redacting")
        return "\n".join(lines) + "\n"


# Convenience functions used where no report is kept (e.g. the hop table).
def redact_url(url: str) -> str:
    return Redactor().url(url, where="url")


def redact_form(form: Mapping[str, str]) -> dict[str, str]:
    return Redactor().form(form, where="form")


def redact_headers(headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    return Redactor().headers(headers, where="headers")
