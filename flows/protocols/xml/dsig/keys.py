"""Certificates and raw public-key operations for XML-DSig.

Trust model: verification keys come only from certificates the caller
configured (IdP metadata / ``--idp-cert``).  Certificates found in a
message's ``KeyInfo`` are parsed for display at most — never for trust.

Signature value formats (XML-DSig §6.4): RSA PKCS#1 v1.5 and RSA-PSS values
are the plain big-endian integer; ECDSA values are ``r || s``, each padded to
the curve's byte length (RFC 4050 §3.3 / XML-DSig 1.1 §6.4.3) — not DER, which
is what ``cryptography`` speaks, so they are converted both ways here.
"""

from __future__ import annotations

import functools
import re

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

from sso_harness.protocols.encoding import b64decode_lenient
from sso_harness.protocols.errors import DECODE_CERTIFICATE_UNREADABLE, DecodeError, SigningError
from sso_harness.protocols.xml.dsig.algorithms import SignatureMethod

__all__ = [
    "PrivateKey",
    "PublicKey",
    "certificate_from_keyinfo_text",
    "certificate_sha256",
    "load_certificates",
    "load_private_key",
    "sign_octets",
    "verify_octets",
]

PublicKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey
PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey

_PEM_CERT = re.compile(rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.S)


def load_certificates(pem_or_der_bytes: bytes) -> list[x509.Certificate]:
    """Read every certificate in a file's bytes.

    Accepts one or many PEM blocks (other PEM blocks and text around them are
    ignored), a single DER certificate, or bare base64 of a DER certificate
    (as copied out of SAML metadata).  Raises :class:`DecodeError` when no
    certificate can be read.
    """
    data = bytes(pem_or_der_bytes)
    blocks = _PEM_CERT.findall(data)
    if blocks:
        certs: list[x509.Certificate] = []
        for number, block in enumerate(blocks, start=1):
            try:
                certs.append(x509.load_pem_x509_certificate(block))
            # cryptography raises more than ValueError on damaged DER (InvalidVersion
            # is a bare Exception): anything it raises means "unreadable".
            except Exception as exc:  # noqa: BLE001
                raise DecodeError.from_library(
                    exc, where="certificate", what=f"PEM certificate #{number}", code=DECODE_CERTIFICATE_UNREADABLE
                ) from None
        return certs
    try:
        return [x509.load_der_x509_certificate(data)]
    except Exception:  # noqa: BLE001 - not DER; the base64 reading below says why
        pass
    return [certificate_from_keyinfo_text(data)]


def certificate_from_keyinfo_text(text: str | bytes) -> x509.Certificate:
    """Parse the content of a ``ds:X509Certificate`` element.

    XML-DSig §4.5.4 says base64 of DER; some IdPs (ADFS templates, see the
    ruby-saml samples) put base64 of a whole *PEM* there, so both are read.
    Raises :class:`DecodeError` (code ``decode.certificate_unreadable``) if
    neither works, whatever ``cryptography`` raised (``InvalidVersion`` for a
    bad version field is not a ValueError).
    """
    raw = b64decode_lenient(text, where="X509Certificate")
    try:
        if raw.lstrip().startswith(b"-----BEGIN"):
            return x509.load_pem_x509_certificate(raw.strip())
        return x509.load_der_x509_certificate(raw)
    except Exception as exc:  # noqa: BLE001 - any library exception on hostile bytes is "unreadable"
        raise DecodeError.from_library(
            exc, where="X509Certificate", what="certificate", code=DECODE_CERTIFICATE_UNREADABLE
        ) from None


def load_private_key(pem: bytes, password: bytes | None = None) -> PrivateKey:
    """Load an RSA or EC private key from PEM; :class:`SigningError` otherwise."""
    try:
        key = serialization.load_pem_private_key(pem, password=password)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise SigningError(f"cannot load private key ({exc})") from None
    if not isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
        raise SigningError(f"unsupported private key type {type(key).__name__}")
    return key


@functools.lru_cache(maxsize=256)
def _key_and_fingerprint(cert: x509.Certificate) -> tuple[PublicKey | None, str]:
    # Extracting the key and hashing the DER costs more than an RSA verify;
    # the same few IdP certificates are used over and over, so cache them.
    fingerprint = cert.fingerprint(hashes.SHA256()).hex()
    try:
        key = cert.public_key()
    except Exception:  # noqa: BLE001 - a damaged key field: this certificate verifies nothing
        return None, fingerprint
    if isinstance(key, (rsa.RSAPublicKey, ec.EllipticCurvePublicKey)):
        return key, fingerprint
    return None, fingerprint


def certificate_sha256(cert: x509.Certificate) -> str:
    """Lower-case hex SHA-256 fingerprint of the certificate's DER."""
    return _key_and_fingerprint(cert)[1]


def _ecdsa_der(value: bytes) -> bytes | None:
    if not value or len(value) % 2:
        return None
    half = len(value) // 2
    return encode_dss_signature(int.from_bytes(value[:half], "big"), int.from_bytes(value[half:], "big"))


def verify_octets(cert: x509.Certificate, method: SignatureMethod, signature: bytes, data: bytes) -> bool:
    """True iff ``signature`` over ``data`` checks out with ``cert``'s key.

    A key of the wrong family for ``method`` simply does not verify.  Never
    raises for bad input.
    """
    key, _ = _key_and_fingerprint(cert)
    try:
        if method.family == "rsa" and isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, data, padding.PKCS1v15(), method.hash())
            return True
        if method.family == "rsa-pss" and isinstance(key, rsa.RSAPublicKey):
            algorithm = method.hash()
            # RFC 6931 §2.3.10: without RSAPSSParams the salt is as long as the hash.
            pss = padding.PSS(mgf=padding.MGF1(algorithm), salt_length=algorithm.digest_size)
            key.verify(signature, data, pss, algorithm)
            return True
        if method.family == "ecdsa" and isinstance(key, ec.EllipticCurvePublicKey):
            der = _ecdsa_der(signature)
            if der is None:
                return False
            key.verify(der, data, ec.ECDSA(method.hash()))
            return True
    except (InvalidSignature, ValueError, TypeError, OverflowError, UnsupportedAlgorithm):
        return False
    return False


def sign_octets(private_key: PrivateKey, method: SignatureMethod, data: bytes) -> bytes:
    """Sign ``data`` and return the XML-DSig SignatureValue octets.

    Raises :class:`SigningError` if the key family does not match ``method``.
    """
    if method.family == "rsa" and isinstance(private_key, rsa.RSAPrivateKey):
        return private_key.sign(data, padding.PKCS1v15(), method.hash())
    if method.family == "rsa-pss" and isinstance(private_key, rsa.RSAPrivateKey):
        algorithm = method.hash()
        pss = padding.PSS(mgf=padding.MGF1(algorithm), salt_length=algorithm.digest_size)
        return private_key.sign(data, pss, algorithm)
    if method.family == "ecdsa" and isinstance(private_key, ec.EllipticCurvePrivateKey):
        r, s = decode_dss_signature(private_key.sign(data, ec.ECDSA(method.hash())))
        size = (private_key.curve.key_size + 7) // 8
        return r.to_bytes(size, "big") + s.to_bytes(size, "big")
    raise SigningError(f"a {type(private_key).__name__} cannot produce a {method.uri} signature")
