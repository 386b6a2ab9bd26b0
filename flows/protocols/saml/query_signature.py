"""The HTTP-Redirect binding's query-string signature (SAML bindings §3.4.4.1).

The signer signs the octets ``SAMLRequest=…&RelayState=…&SigAlg=…`` (or
``SAMLResponse=…``; RelayState only if present), built from the values
*exactly as they appear URL-encoded in the query string*.  Re-encoding a
decoded value is not equivalent (``%2f`` vs ``%2F``, ``+`` vs ``%20``), so
the raw query string must be kept; a parsed mapping cannot be checked.
The parameters may appear in any order in the URL; the signed string
always uses this order.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import unquote

from cryptography import x509

from sso_harness.protocols.encoding import b64decode_lenient
from sso_harness.protocols.errors import DecodeError
from sso_harness.protocols.saml.signatures import SignatureReport, enrich
from sso_harness.protocols.xml.dsig.algorithms import SIGNATURE_METHODS
from sso_harness.protocols.xml.dsig.keys import certificate_sha256, verify_octets
from sso_harness.protocols.xml.dsig.verify import (
    DSIG_NO_TRUST_ANCHORS,
    DSIG_UNSUPPORTED_METHOD,
    DSIG_UNTRUSTED_KEY,
    SignatureCheck,
    SignatureRefused,
)

__all__ = ["raw_parameters", "signed_query_octets", "verify_query_signature"]

_MAX_PIECES = 64


def raw_parameters(raw_query: str) -> dict[str, list[str]]:
    """Map each (decoded) parameter name to its raw, still-encoded values."""
    found: dict[str, list[str]] = {}
    for piece in raw_query.split("&")[:_MAX_PIECES]:
        if not piece:
            continue
        key, _, value = piece.partition("=")
        found.setdefault(unquote(key.replace("+", " ")), []).append(value)
    return found


def _one(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name)
    if not values:
        return None
    if len(values) > 1:
        raise DecodeError(f"{name} appears {len(values)} times in the query", where="query signature")
    return values[0]


def signed_query_octets(raw_query: str, parameter: str) -> bytes:
    """The octets the signer signed; DecodeError if a part is missing or repeated."""
    params = raw_parameters(raw_query)
    message, relay_state, sig_alg = (_one(params, n) for n in (parameter, "RelayState", "SigAlg"))
    if message is None:
        raise DecodeError(f"{parameter} missing", where="query signature")
    if sig_alg is None:
        raise DecodeError("SigAlg missing (a Signature parameter needs one)", where="query signature")
    text = f"{parameter}={message}"
    if relay_state is not None:
        text += f"&RelayState={relay_state}"
    text += f"&SigAlg={sig_alg}"
    return text.encode("utf-8", "surrogatepass")


def verify_query_signature(
    raw_query: str | None,
    parameter: str,
    trusted_certs: Sequence[x509.Certificate],
) -> SignatureReport | None:
    """Verdict on the query's ``Signature`` (None when there is none).

    ``covers`` is ``"query"``; ``algorithm`` is the SigAlg URI.  Never
    raises: every problem becomes an invalid verdict with a reason.
    """
    if raw_query is None:
        return None
    params = raw_parameters(raw_query)
    if "Signature" not in params:
        return None
    algorithm: str | None = None
    certs = tuple(trusted_certs)
    try:
        raw_alg = _one(params, "SigAlg")
        algorithm = None if raw_alg is None else unquote(raw_alg.replace("+", " "))
        octets = signed_query_octets(raw_query, parameter)
        method = SIGNATURE_METHODS.get(algorithm or "")
        if method is None:
            raise SignatureRefused(DSIG_UNSUPPORTED_METHOD, f"unsupported SigAlg {algorithm!r}", where="SigAlg")
        # A '+' left unescaped in base64 means '+', never a space.
        signature = b64decode_lenient(unquote(_one(params, "Signature") or ""), where="Signature")
        if not certs:
            raise SignatureRefused(DSIG_NO_TRUST_ANCHORS, "no trusted certificates supplied", where="Signature")
        for cert in certs:
            if verify_octets(cert, method, signature, octets):
                check = SignatureCheck("query", None, True, algorithm, None, None, certificate_sha256(cert))
                return enrich(check, certs)
        raise SignatureRefused(DSIG_UNTRUSTED_KEY, "no trusted certificate verifies the query signature", where="Signature")
    except DecodeError as problem:
        failed = SignatureCheck(
            "query", None, False, algorithm, None, problem.reason, failure=SignatureRefused.failure_of(problem)
        )
        return enrich(failed, certs)
