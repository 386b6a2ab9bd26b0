"""A pysaml2 crypto backend that signs and verifies in-process.

pysaml2's default backend spawns the ``xmlsec1`` binary for every signature
(about 60 ms each on this class of machine). This adapter keeps pysaml2's
protocol logic but routes XML-DSig through :mod:`sso_harness.protocols.xml.dsig`,
which works on the parsed tree directly.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from saml2.sigver import CryptoBackend, SignatureError

from sso_harness.mocks.base.keys import key_for_file
from sso_harness.protocols.xml import dsig as xmldsig
from sso_harness.protocols.xml.safe import parse_xml

__all__ = ["InProcessCrypto"]


@lru_cache(maxsize=32)
def _private_key(path: str) -> xmldsig.PrivateKey:
    known = key_for_file(path)  # the fleet's own keys: already in memory, so no second parse and RSA check
    if known is not None:
        return known
    key = load_pem_private_key(Path(path).read_bytes(), password=None)
    if not isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
        raise SignatureError(f"{path}: XML-DSig signs with RSA or EC keys")
    return key


@lru_cache(maxsize=64)
def _certificates(path: str) -> tuple[x509.Certificate, ...]:
    return tuple(xmldsig.load_certificates(Path(path).read_bytes()))


# pysaml2 ships no type hints (mypy sees CryptoBackend as Any); the overrides below are typed as pysaml2 calls them.
class InProcessCrypto(CryptoBackend):  # type: ignore[misc]  # see the comment above
    """Drop-in for ``CryptoBackendXmlSec1`` covering signing and verification."""

    @property
    def version(self) -> str:
        return "1.0.0"

    def sign_statement(self, statement: object, node_name: str, key_file: str | Path, node_id: str | None) -> str:
        xml = statement if isinstance(statement, str) else str(statement)
        try:
            return xmldsig.sign_statement_xml(xml, node_name, node_id, _private_key(str(key_file)))
        except Exception as exc:
            raise SignatureError(f"in-process signing of {node_name} failed: {exc}") from exc

    def validate_signature(
        self, signedtext: str | bytes, cert_file: str | Path, cert_type: str, node_name: str, node_id: str | None
    ) -> bool:
        """True when a signature by ``cert_file`` covers the node with ``node_id``."""
        if cert_type != "pem":
            raise SignatureError(f"unsupported certificate type {cert_type!r}")
        data = signedtext if isinstance(signedtext, bytes) else signedtext.encode()
        root = parse_xml(data, where="signed document")
        local = node_name.rsplit(":", 1)[-1]
        checks = xmldsig.verify_signatures(root, _certificates(str(cert_file)))
        for check in checks:
            if check.valid and check.covers == local and (node_id is None or check.covers_id == node_id):
                return True
        raise SignatureError(f"no valid signature covers {local} {node_id or ''}".strip())
