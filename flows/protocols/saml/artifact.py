"""The HTTP-Artifact binding's ``SAMLart`` value (SAML bindings §3.6.4).

A type 0x0004 artifact is 44 octets, base64-encoded::

    TypeCode (2) = 0x0004 | EndpointIndex (2) | SourceID (20) | MessageHandle (20)

SourceID is by convention the SHA-1 of the issuer's entity ID, so the
receiver knows which ArtifactResolutionService to ask; MessageHandle is a
random reference to the real message, which is fetched on the back channel
with an ``ArtifactResolve`` over SOAP (§3.6.3) — never through the browser.
"""

from __future__ import annotations

import base64
import hashlib

from dataclasses import dataclass
from typing import ClassVar

from sso_harness.protocols.encoding import b64decode_lenient
from sso_harness.protocols.errors import DecodeError
from sso_harness.protocols.xml.dsig.verify import SignatureCheck

__all__ = ["ARTIFACT_LENGTH", "TYPE_CODE_0004", "SamlArtifact", "decode_artifact", "encode_artifact", "source_id_for"]

TYPE_CODE_0004 = 0x0004
ARTIFACT_LENGTH = 44


@dataclass(frozen=True)
class SamlArtifact:
    """A ``SAMLart`` value (SAML bindings §3.6.4), type 0x0004.

    ``source_id_hex`` is the SHA-1 of the issuer's entity ID (compare with
    :func:`source_id_for`).  The message
    itself is not here: the receiver fetches it on the back channel with an
    ``ArtifactResolve`` over SOAP (SAML bindings §3.6.3), which a browser
    capture never sees.
    """

    kind: ClassVar[str] = "saml.artifact"
    note: ClassVar[str] = (
        "the SAML message is not in the browser flow: the receiver resolves this artifact on the "
        "back channel (ArtifactResolve over SOAP, SAML bindings §3.6.3)"
    )

    type_code: int
    endpoint_index: int
    source_id_hex: str
    message_handle_hex: str

    # The common message surface, so views need no special cases.
    id: ClassVar[None] = None
    issuer: ClassVar[None] = None
    destination: ClassVar[None] = None
    trusted: ClassVar[bool] = False
    signatures: ClassVar[tuple[SignatureCheck, ...]] = ()
    warnings: ClassVar[tuple[str, ...]] = ()

    def issued_by(self, entity_id: str) -> bool:
        """True if ``entity_id`` hashes to this artifact's SourceID."""
        return source_id_for(entity_id) == self.source_id_hex


def source_id_for(entity_id: str) -> str:
    """Hex SHA-1 of ``entity_id`` (UTF-8): the SourceID an IdP with this
    entity ID puts in its artifacts (SAML bindings §3.6.4)."""
    return hashlib.sha1(entity_id.encode("utf-8")).hexdigest()


def decode_artifact(value: str, *, where: str = "SAMLart") -> SamlArtifact:
    """Decode a ``SAMLart`` value; :class:`DecodeError` for anything but a
    well-formed 44-octet type 0x0004 artifact."""
    # Form decoding may have turned '+' into ' '; base64 has no spaces.
    raw = b64decode_lenient(value.replace(" ", "+"), where=where)
    if len(raw) < 2:
        raise DecodeError(f"artifact too short ({len(raw)} bytes)", where=where)
    type_code = int.from_bytes(raw[:2], "big")
    if type_code != TYPE_CODE_0004:
        raise DecodeError(
            f"unsupported artifact type code 0x{type_code:04x} (SAML 2.0 defines 0x0004; "
            "0x0001 and 0x0002 are SAML 1.x)",
            where=where,
        )
    if len(raw) != ARTIFACT_LENGTH:
        raise DecodeError(f"a type 0x0004 artifact is {ARTIFACT_LENGTH} bytes, this one is {len(raw)}", where=where)
    return SamlArtifact(
        type_code=type_code,
        endpoint_index=int.from_bytes(raw[2:4], "big"),
        source_id_hex=raw[4:24].hex(),
        message_handle_hex=raw[24:44].hex(),
    )


def encode_artifact(entity_id: str, message_handle: bytes, *, endpoint_index: int = 0) -> str:
    """Build a type 0x0004 ``SAMLart`` value (for tests and mock IdPs)."""
    if len(message_handle) != 20 or not 0 <= endpoint_index <= 0xFFFF:
        raise ValueError("message_handle must be 20 bytes and endpoint_index fit in 2 bytes")
    raw = TYPE_CODE_0004.to_bytes(2, "big") + endpoint_index.to_bytes(2, "big")
    raw += bytes.fromhex(source_id_for(entity_id)) + message_handle
    return base64.b64encode(raw).decode("ascii")
