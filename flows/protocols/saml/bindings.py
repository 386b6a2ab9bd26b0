"""SAML HTTP bindings: HTTP-Redirect (SAML bindings §3.4), HTTP-POST (§3.5)
and HTTP-Artifact (§3.6).

Redirect carries ``base64(raw-DEFLATE(xml))`` in the query string, POST
carries ``base64(xml)`` in a form field, Artifact a ``SAMLart`` reference
in either.  Redirect may add ``SigAlg`` and ``Signature``: the query-string
signature of §3.4.4.1, verified here over the raw query octets when the
raw query string is supplied (a URL or query *string*, not a mapping).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from urllib.parse import parse_qsl, urlsplit

from cryptography import x509

from sso_harness.protocols.certinfo import DEFAULT_HORIZON, CertificateInfo
from sso_harness.protocols.encoding import b64decode_lenient, inflate_bounded
from sso_harness.protocols.errors import DECODE_NOT_RECOGNISED, DecodeError
from sso_harness.protocols.xml.safe import parse_xml
from sso_harness.protocols.saml.artifact import decode_artifact
from sso_harness.protocols.problems import SAML_NOT_TRUSTED
from sso_harness.protocols.saml.messages import AuthnRequest, LogoutRequest, LogoutResponse, Response, SamlMessage
from sso_harness.protocols.saml.options import DecodeOptions, decode_options
from sso_harness.protocols.saml.parse import parse_saml_root
from sso_harness.protocols.saml.query_signature import verify_query_signature
from sso_harness.protocols.saml.signatures import assess
from sso_harness.protocols.xml.dsig.keys import PrivateKey
from sso_harness.protocols.xml.dsig.verify import DSIG_UNVERIFIABLE, SignatureCheck

__all__ = [
    "Binding",
    "Parameter",
    "SamlBindingMessage",
    "decode_form",
    "decode_post",
    "decode_redirect",
    "parse_query",
    "query_string",
]

Binding = Literal["HTTP-Redirect", "HTTP-POST", "HTTP-Artifact"]
Parameter = Literal["SAMLRequest", "SAMLResponse", "SAMLart"]
_PARAMETERS: tuple[Parameter, ...] = ("SAMLRequest", "SAMLResponse", "SAMLart")
_MAX_FIELDS = 64
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://")
# The message kinds that carry signatures, a trust verdict, warnings and certificates.
_SIGNABLE = (AuthnRequest, Response, LogoutRequest, LogoutResponse)


@dataclass(frozen=True)
class SamlBindingMessage:
    """A SAML message as it travelled: binding, parameter, RelayState, the
    decoded XML bytes (empty for an artifact), the Redirect ``SigAlg`` (if
    any), the parsed message, and the verdict on the Redirect query
    signature (``query_signature``, ``covers == "query"``; None when the
    query carried no Signature).  A verified query signature makes the
    carried message ``trusted``.  ``raw_query`` is the query string exactly
    as received (None when a parsed mapping was decoded)."""

    binding: Binding
    parameter: Parameter
    relay_state: str | None
    xml: bytes
    sig_alg: str | None
    message: SamlMessage
    query_signature: SignatureCheck | None = None
    binding_warnings: tuple[str, ...] = ()
    binding_certificates: tuple[CertificateInfo, ...] = ()
    raw_query: str | None = None

    @property
    def kind(self) -> str:
        """The carried message's kind (``saml.response`` …)."""
        return self.message.kind

    @property
    def trusted(self) -> bool:
        """The carried message's verdict (query signature included)."""
        m = self.message
        return isinstance(m, _SIGNABLE) and m.trusted

    @property
    def warnings(self) -> tuple[str, ...]:
        """The message's warnings, then the query signature's."""
        m = self.message
        own = m.warnings if isinstance(m, _SIGNABLE) else ()
        return tuple(dict.fromkeys((*own, *self.binding_warnings)))

    @property
    def certificates(self) -> tuple[CertificateInfo, ...]:
        m = self.message
        own = m.certificates if isinstance(m, _SIGNABLE) else ()
        return own + tuple(c for c in self.binding_certificates if c not in own)


def query_string(query: str) -> str:
    """The raw (still URL-encoded) query of a URL, ``?query`` or query string."""
    text = query.strip()
    if _URL.match(text):
        try:
            text = urlsplit(text).query
        except ValueError as exc:  # e.g. a malformed IPv6 host
            raise DecodeError(f"unparseable URL ({exc})", where="query") from None
    elif text.startswith("?"):
        text = text[1:]
    return text.split("#", 1)[0]


def parse_query(query: str) -> dict[str, str]:
    """Parse a query string or a whole URL into its first value per key.

    Accepts ``?a=b``, ``a=b`` and ``https://host/path?a=b#frag``.  Raises
    :class:`DecodeError` for pathological inputs (too many fields).
    """
    try:
        pairs = parse_qsl(query_string(query), keep_blank_values=True, max_num_fields=_MAX_FIELDS)
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
    if not isinstance(form, Mapping):
        raise DecodeError(f"expected a mapping of form fields, got {type(form).__name__}", where="parameters")
    present = [(name, _field(form, name)) for name in _PARAMETERS]
    found = [(name, value) for name, value in present if value is not None]
    if not found:
        raise DecodeError(
            "neither SAMLRequest nor SAMLResponse (nor SAMLart) is present", where="parameters", code=DECODE_NOT_RECOGNISED
        )
    if len(found) == 2 and found[1][0] == "SAMLResponse" and found[0][0] == "SAMLRequest":
        raise DecodeError("both SAMLRequest and SAMLResponse are present", where="parameters")
    if len(found) > 1:
        raise DecodeError(f"more than one of {', '.join(n for n, _ in found)} is present", where="parameters")
    name, value = found[0]
    return name, value or ""


def _b64(value: str, where: str) -> bytes:
    # Form decoding turns an unescaped '+' into a space; base64 never
    # contains spaces, so putting the '+' back is always right.
    return b64decode_lenient(value.replace(" ", "+"), where=where)


def _with_query_signature(
    message: SamlBindingMessage, raw_query: str | None, options: DecodeOptions
) -> SamlBindingMessage:
    """Verify the query's Signature (the caller saw one) and fold it in."""
    check: SignatureCheck | None = verify_query_signature(raw_query, message.parameter, options.trusted_certs)
    if check is None:  # a mapping was given: the signed octets are gone
        reason = "the raw query string is needed to check the signature (a parsed mapping was given)"
        check = SignatureCheck("query", None, False, message.sig_alg, None, reason, failure=DSIG_UNVERIFIABLE)
    inner = message.message
    if check.valid and isinstance(inner, Response):
        kept = tuple(p for p in inner.problems if p.code != SAML_NOT_TRUSTED)
        inner = dataclasses.replace(inner, trusted=True, problems=kept)
    elif check.valid and isinstance(inner, (AuthnRequest, LogoutRequest, LogoutResponse)):
        inner = dataclasses.replace(inner, trusted=True)
    findings = assess([check], options.trusted_certs, options.now, options.cert_horizon)
    errors = () if check.valid else (f"Query signature: {check.reason}",)
    return dataclasses.replace(
        message,
        message=inner,
        query_signature=check,
        binding_warnings=findings.warnings + errors,
        binding_certificates=findings.certificates,
    )


def _message(
    binding: Binding,
    form: Mapping[str, str],
    inflate: bool | None,
    options: DecodeOptions,
    raw_query: str | None = None,
) -> SamlBindingMessage:
    name, value = _pick_parameter(form)
    if name == "SAMLart":
        return SamlBindingMessage(
            binding="HTTP-Artifact",
            parameter=name,
            relay_state=_field(form, "RelayState"),
            xml=b"",
            sig_alg=None,
            message=decode_artifact(value),
            raw_query=raw_query,
        )
    raw = _b64(value, name)
    if inflate is None:  # auto-detect: DEFLATE output never starts with '<'
        inflate = not raw.lstrip(b" \t\r\n\xef\xbb\xbf").startswith(b"<")
        binding = "HTTP-Redirect" if inflate else "HTTP-POST"
    xml = inflate_bounded(raw, where=name) if inflate else raw
    try:
        message = parse_saml_root(parse_xml(xml, where="XML"), options)
    except DecodeError as exc:
        raise exc.within(name) from None
    decoded = SamlBindingMessage(
        binding=binding,
        parameter=name,
        relay_state=_field(form, "RelayState"),
        xml=xml,
        sig_alg=_field(form, "SigAlg"),
        message=message,
        raw_query=raw_query,
    )
    if binding != "HTTP-Redirect" or _field(form, "Signature") is None:
        return decoded
    return _with_query_signature(decoded, raw_query, options)


def decode_redirect(
    query: str | Mapping[str, str],
    *,
    trusted_certs: Sequence[x509.Certificate] = (),
    now: datetime | None = None,
    sp_keys: Sequence[PrivateKey] = (),
    cert_horizon: timedelta = DEFAULT_HORIZON,
) -> SamlBindingMessage:
    """Decode an HTTP-Redirect message (SAML bindings §3.4.4.1).

    ``query`` is a URL or a raw query string — kept as received so the
    query signature can be verified over its exact octets — or an
    already-parsed mapping (then a Signature is reported as uncheckable).
    A ``SAMLart`` parameter yields an HTTP-Artifact message instead.
    """
    options = decode_options(trusted_certs, now, sp_keys, cert_horizon)
    if isinstance(query, str):
        raw = query_string(query)
        return _message("HTTP-Redirect", parse_query(raw), True, options, raw)
    return _message("HTTP-Redirect", query, True, options)


def decode_post(
    form: Mapping[str, str],
    *,
    trusted_certs: Sequence[x509.Certificate] = (),
    now: datetime | None = None,
    sp_keys: Sequence[PrivateKey] = (),
    cert_horizon: timedelta = DEFAULT_HORIZON,
) -> SamlBindingMessage:
    """Decode an HTTP-POST message from its form fields (SAML bindings §3.5.4).
    SAMLResponse, SAMLRequest and SAMLart (§3.6.3) are accepted."""
    options = decode_options(trusted_certs, now, sp_keys, cert_horizon)
    return _message("HTTP-POST", form, False, options)


def decode_form(
    form: Mapping[str, str],
    *,
    trusted_certs: Sequence[x509.Certificate] = (),
    now: datetime | None = None,
    sp_keys: Sequence[PrivateKey] = (),
    cert_horizon: timedelta = DEFAULT_HORIZON,
    raw_query: str | None = None,
) -> SamlBindingMessage:
    """Decode parameters whose binding is unknown (e.g. a pasted query or
    body): DEFLATEd content is reported as HTTP-Redirect, plain as HTTP-POST.
    Pass ``raw_query`` to have a Redirect query signature verified."""
    options = decode_options(trusted_certs, now, sp_keys, cert_horizon)
    return _message("HTTP-POST", form, None, options, raw_query)
