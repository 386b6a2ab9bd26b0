"""Typed failures raised by the protocol decoders and the XML-DSig signer.

Contract: every decoder in :mod:`sso_harness.protocols` is *total* — for any input
it either returns a value or raises :class:`DecodeError`.  Callers (the CLI,
the capture pipeline, report rendering) therefore only ever need a single
``except DecodeError`` to turn bad input into a readable verdict.
"""

from __future__ import annotations

from typing import Final, Literal

__all__ = [
    "DecodeError",
    "DecodeErrorCode",
    "SigningError",
    "DECODE_MALFORMED",
    "DECODE_NOT_RECOGNISED",
    "DECODE_TOO_LARGE",
    "DECODE_DEFLATE_BOMB",
    "DECODE_TRUNCATED",
    "DECODE_CERTIFICATE_UNREADABLE",
    "DECODE_LIBRARY_REFUSED",
    "DECODE_INTERNAL",
]

DecodeErrorCode = Literal[
    "decode.malformed",
    "decode.not_recognised",
    "decode.too_large",
    "decode.deflate_bomb",
    "decode.truncated",
    "decode.certificate_unreadable",
    "decode.library_refused",
    "decode.internal",
]
"""Why a decoder gave up, as a stable code (``DecodeError.code``); code matches on these, never on ``reason``."""

#: The input has the expected shape but breaks its format (bad base64, malformed XML, bad JSON...).
DECODE_MALFORMED: Final = "decode.malformed"
#: The input is not a message of this decoder's protocol at all (another decoder may read it).
DECODE_NOT_RECOGNISED: Final = "decode.not_recognised"
#: The input is larger than the decoder's bound (a size limit, not a format error).
DECODE_TOO_LARGE: Final = "decode.too_large"
#: Compressed content inflates past the output bound (SAML bindings §3.4.4.1 DEFLATE).
DECODE_DEFLATE_BOMB: Final = "decode.deflate_bomb"
#: The input was cut short before it reached the decoder (a recorder body limit).
DECODE_TRUNCATED: Final = "decode.truncated"
#: An X.509 certificate (RFC 5280) in the input cannot be parsed.
DECODE_CERTIFICATE_UNREADABLE: Final = "decode.certificate_unreadable"
#: A library the decoder relies on refused the hostile input with its own exception.
DECODE_LIBRARY_REFUSED: Final = "decode.library_refused"
#: A decoder failed in a way its contract does not allow (a bug); kept so the trace is not lost.
DECODE_INTERNAL: Final = "decode.internal"


class DecodeError(ValueError):
    """Input could not be decoded.

    ``reason`` says what is wrong in plain words, ``where`` names the field,
    parameter or layer that was being decoded (``"SAMLResponse"``,
    ``"Assertion/Conditions@NotOnOrAfter"``), and ``offset`` is the byte or
    character offset inside that field when one is meaningful.

    ``code`` (a :data:`DecodeErrorCode`, ``decode.malformed`` unless the
    raiser knows better) is what callers compare; ``reason`` is for people.

    ``str()`` reads ``"<where>: <reason> (at offset N)"``, omitting the parts
    that are unknown.
    """

    reason: str
    where: str | None
    offset: int | None
    code: DecodeErrorCode

    def __init__(
        self,
        reason: str,
        *,
        where: str | None = None,
        offset: int | None = None,
        code: DecodeErrorCode = DECODE_MALFORMED,
    ) -> None:
        self.reason = reason
        self.where = where
        self.offset = offset
        self.code = code
        super().__init__(self._render())

    def _render(self) -> str:
        text = f"{self.where}: {self.reason}" if self.where else self.reason
        if self.offset is not None:
            text += f" (at offset {self.offset})"
        return text

    def __str__(self) -> str:
        return self._render()

    def __repr__(self) -> str:
        return (
            f"DecodeError(reason={self.reason!r}, where={self.where!r}, offset={self.offset!r}, code={self.code!r})"
        )

    def __reduce__(self) -> tuple[type[DecodeError], tuple[str], dict[str, object]]:
        # Keep reason/where/offset/code intact across pickling (multiprocessing, xdist).
        return (type(self), (self.reason,), {"where": self.where, "offset": self.offset, "code": self.code})

    def within(self, where: str) -> DecodeError:
        """Return a copy whose ``where`` is prefixed by an outer layer name.

        Used when a nested decoder (e.g. the XML parser) fails inside a
        binding parameter, so the message reads ``"SAMLResponse/XML: ..."``.
        """
        inner = f"{where}/{self.where}" if self.where else where
        return DecodeError(self.reason, where=inner, offset=self.offset, code=self.code)

    @classmethod
    def from_library(
        cls, exc: BaseException, *, where: str, what: str, code: DecodeErrorCode = DECODE_LIBRARY_REFUSED
    ) -> DecodeError:
        """A library's own exception on hostile input, as a coded error naming the field.

        ``what`` says what could not be read (``"certificate"``); the reason
        keeps the library's exception type and message, which say why.
        """
        return cls(f"{what} is unreadable ({type(exc).__name__}: {exc})", where=where, code=code)


class SigningError(ValueError):
    """A signature could not be produced (bad template, key/algorithm mismatch).

    Raised only by the signing side (:mod:`sso_harness.protocols.xml.dsig.sign`);
    verification never raises it — it reports invalid signatures as data.
    """
