"""The HTTP-Redirect binding, outbound (SAML bindings §3.4.4).

``base64(raw DEFLATE(xml))`` in ``SAMLRequest``/``SAMLResponse``, then
``RelayState``; when a key is given, ``SigAlg`` and ``Signature`` are added,
the signature covering the exact query string built so far (§3.4.4.1).
"""

from __future__ import annotations

import base64
import zlib
from urllib.parse import quote

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from sso_harness.protocols.xml import dsig as xmldsig

__all__ = ["deflate_b64", "redirect_url"]

_SIG_HASH = {xmldsig.RSA_SHA256: hashes.SHA256, xmldsig.RSA_SHA1: hashes.SHA1}


def deflate_b64(xml: bytes) -> str:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)  # raw DEFLATE, no zlib header (RFC 1951)
    return base64.b64encode(compressor.compress(xml) + compressor.flush()).decode("ascii")


def redirect_url(
    endpoint: str,
    parameter: str,
    xml: bytes,
    relay_state: str | None = None,
    *,
    key: rsa.RSAPrivateKey | None = None,
    sig_alg: str = xmldsig.RSA_SHA256,
) -> str:
    """The URL that carries ``xml`` to ``endpoint`` by HTTP-Redirect."""
    query = f"{parameter}={quote(deflate_b64(xml), safe='')}"
    if relay_state is not None:
        query += f"&RelayState={quote(relay_state, safe='')}"
    if key is not None:
        query += f"&SigAlg={quote(sig_alg, safe='')}"
        signature = key.sign(query.encode("ascii"), padding.PKCS1v15(), _SIG_HASH[sig_alg]())
        query += f"&Signature={quote(base64.b64encode(signature).decode('ascii'), safe='')}"
    return endpoint + ("&" if "?" in endpoint else "?") + query
