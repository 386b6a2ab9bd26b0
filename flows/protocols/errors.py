"""Typed failures raised by the protocol decoders and the XML-DSig signer.

Contract: every decoder in :mod:`sso_harness.protocols` is *total* — for any input
it either returns a value or raises :class:`DecodeError`.  Callers (the CLI,
the capture pipeline, report rendering) therefore only ever need a single
``except DecodeError`` to turn bad input into a readable verdict.
"""

from __future__ import annotations

__all__ = ["DecodeError", "SigningError"]


class DecodeError(ValueError):
    """Input could not be decoded.

    ``reason`` says what is wrong in plain words, ``where`` names the field,
    parameter or layer that was being decoded (``"SAMLResponse"``,
    ``"Assertion/Conditions@NotOnOrAfter"``), and ``offset`` is the byte or
    character offset inside that field when one is meaningful.

    ``str()`` reads ``"<where>: <reason> (at offset N)"``, omitting the parts
    that are unknown.
    """

    reason: str
    where: str | None
    offset: int | None

    def __init__(self, reason: str, *, where: str | None = None, offset: int | None = None) -> None:
        self.reason = reason
        self.where = where
        self.offset = offset
        super().__init__(self._render())

    def _render(self) -> str:
        text = f"{self.where}: {self.reason}" if self.where else self.reason
        if self.offset is not None:
            text += f" (at offset {self.offset})"
        return text

    def __str__(self) -> str:
        return self._render()

    def __repr__(self) -> str:
        return f"DecodeError(reason={self.reason!r}, where={self.where!r}, offset={self.offset!r})"

    def __reduce__(self) -> tuple[type[DecodeError], tuple[str], dict[str, object]]:
        # Keep reason/where/offset intact across pickling (multiprocessing, xdist).
        return (type(self), (self.reason,), {"where": self.where, "offset": self.offset})

    def within(self, where: str) -> DecodeError:
        """Return a copy whose ``where`` is prefixed by an outer layer name.

        Used when a nested decoder (e.g. the XML parser) fails inside a
        binding parameter, so the message reads ``"SAMLResponse/XML: ..."``.
        """
        inner = f"{where}/{self.where}" if self.where else where
        return DecodeError(self.reason, where=inner, offset=self.offset)


class SigningError(ValueError):
    """A signature could not be produced (bad template, key/algorithm mismatch).

    Raised only by the signing side (:mod:`sso_harness.protocols.xml.dsig.sign`);
    verification never raises it — it reports invalid signatures as data.
    """
