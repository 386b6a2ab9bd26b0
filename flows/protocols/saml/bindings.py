"""SAML HTTP bindings: HTTP-Redirect (SAML bindings §3.4) and HTTP-POST (§3.5).

Redirect carries ``base64(raw-DEFLATE(xml))`` in the query string, POST
carries ``base64(xml)`` in a form field.  Either may carry ``SAMLRequest``
or ``SAMLResponse`` plus ``RelayState``; Redirect may add ``SigAlg`` and
``Signature`` (the query-string signature of §3.4.4.1 — reported, not yet
verified).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from urllib.parse import parse_qsl, urlsplit

from cryptography import x509

from flows.protocols.encoding import b64decode_lenient, inflate_bounded
from flows.protocols.errors import DecodeError
from flows.protocols.saml.model import SamlMessage
from flows.protocols.saml.parse import parse_saml

__all__ = [
    "Binding",
    "Parameter",
    "SamlBindingMessage",
    "decode_form",
    "decode_post",
    "decode_redirect",
    "parse_query",
]

Binding = Literal["HTTP-Redirect", "HTTP-POST"]
Parameter = Literal["SAMLRequest", "SAMLResponse"]
_PARAMETERS: tuple[Parameter, ...] = ("SAMLRequest", "SAMLResponse")
_MAX_FIELDS = 64


@dataclass(frozen=True)
class SamlBindingMessage:
    """A SAML message as it travelled: binding, parameter, RelayState, the
    decoded XML bytes, the Redirect ``SigAlg`` (if any) and the parsed
    message."""

    binding: Binding
    parameter: Parameter
    relay_state: str | None
    xml: bytes
    sig_alg: str | None
    message: SamlMessage

    @property
    def kind(self) -> str:
        """The carried message's kind (``saml.response`` …)."""
        return self.message.kind


def parse_query(query: str) -> dict[str, str]:
    """Parse a query string or a whole URL into its first value per key.

    Accepts ``?a=b``, ``a=b`` and ``https://host/path?a=b#frag``.  Raises
    :class:`DecodeError` for pathological inputs (too many fields).
    """
    text = query.strip()
    if "://" in text.split("?", 1)[0]:
        try:
            text = urlsplit(text).query
        except ValueError as exc:  # e.g. a malformed IPv6 host
            raise DecodeError(f"unparseable URL ({exc})", where="query") from None
    elif text.startswith("?"):
        text = text[1:]
    text = text.split("#", 1)[0]
    try:
        pairs = parse_qsl(text, keep_blank_values=True, max_num_fields=_MAX_FIELDS)
    except ValueError as exc:
        raise DecodeError(f"unparseable query ({exc})", where="query") from None
    fields: dict[str, str] = {}
    for key, value in pairs:
        fields.setdefault(key, value)
    return fields


def _field(form: Mapping[str, str], name: str) -> str | None:
    value: object = form.get(name)
    if isinstance(value, (list, tuple)):  # tolerate parse_qs-style multi-dicts
        value = value[0] if value else None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if value is None:
        return None
    if not isinstance(value, str):
        raise DecodeError(f"expected a string, got {type(value).__name__}", where=name)
    return value


def _pick_parameter(form: Mapping[str, str]) -> tuple[Parameter, str]:
    present = [(name, _field(form, name)) for name in _PARAMETERS]
    found = [(name, value) for name, value in present if value is not None]
    if not found:
        raise DecodeError("neither SAMLRequest nor SAMLResponse is present", where="parameters")
    if len(found) > 1:
        raise DecodeError("both SAMLRequest and SAMLResponse are present", where="parameters")
    name, value = found[0]
    return name, value or ""


def _b64(value: str, where: str) -> bytes:
    # Form decoding turns an unescaped '+' into a space; base64 never
    # contains spaces, so putting the '+' back is always right.
    return b64decode_lenient(value.replace(" ", "+"), where=where)


def _message(
    binding: Binding,
    form: Mapping[str, str],
    inflate: bool | None,
    certs: Sequence[x509.Certificate],
    now: datetime | None,
) -> SamlBindingMessage:
    name, value = _pick_parameter(form)
    raw = _b64(value, name)
    if inflate is None:  # auto-detect: DEFLATE output never starts with '<'
        inflate = not raw.lstrip(b" \t\r\n\xef\xbb\xbf").startswith(b"<")
        binding = "HTTP-Redirect" if inflate else "HTTP-POST"
    xml = inflate_bounded(raw, where=name) if inflate else raw
    try:
        message = parse_saml(xml, trusted_certs=certs, now=now)
    except DecodeError as exc:
        raise exc.within(name) from None
    return SamlBindingMessage(
        binding=binding,
        parameter=name,
        relay_state=_field(form, "RelayState"),
        xml=xml,
        sig_alg=_field(form, "SigAlg"),
        message=message,
    )


def decode_redirect(
    query: str | Mapping[str, str],
    *,
    trusted_certs: Sequence[x509.Certificate] = (),
    now: datetime | None = None,
) -> SamlBindingMessage:
    """Decode an HTTP-Redirect message from a URL, a query string or an
    already-parsed parameter mapping (SAML bindings §3.4.4.1)."""
    form = parse_query(query) if isinstance(query, str) else query
    return _message("HTTP-Redirect", form, True, trusted_certs, now)


def decode_post(
    form: Mapping[str, str],
    *,
    trusted_certs: Sequence[x509.Certificate] = (),
    now: datetime | None = None,
) -> SamlBindingMessage:
    """Decode an HTTP-POST message from its form fields (SAML bindings §3.5.4).
    Both SAMLResponse and SAMLRequest are accepted."""
    return _message("HTTP-POST", form, False, trusted_certs, now)


def decode_form(
    form: Mapping[str, str],
    *,
    trusted_certs: Sequence[x509.Certificate] = (),
    now: datetime | None = None,
) -> SamlBindingMessage:
    """Decode parameters whose binding is unknown (e.g. a pasted query or
    body): DEFLATEd content is reported as HTTP-Redirect, plain as HTTP-POST."""
    return _message("HTTP-POST", form, None, trusted_certs, now)
