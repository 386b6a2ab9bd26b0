"""One recorded hop and the protocol messages decoded from it."""

from __future__ import annotations

from dataclasses import dataclass

from sso_harness.capture.hop import Hop
from sso_harness.protocols import DecodeError
from sso_harness.protocols.saml import SamlBindingMessage, SamlMessage
from sso_harness.trace.decoded import DecodedMessage, Protocol

__all__ = ["TraceHop"]


@dataclass(frozen=True)
class TraceHop:
    """A recorded hop and what was decoded from it."""

    hop: Hop
    messages: tuple[DecodedMessage, ...] = ()
    errors: tuple[DecodeError, ...] = ()

    @property
    def label(self) -> str:
        return self.hop.label

    @property
    def saml(self) -> SamlBindingMessage | None:
        """The SAML binding message on this hop, if any."""
        for m in self.messages:
            if isinstance(m.message, SamlBindingMessage):
                return m.message
        return None

    @property
    def saml_message(self) -> SamlMessage | None:
        """The SAML message (AuthnRequest, Response ...) the binding on this hop carried, if any."""
        binding = self.saml
        return None if binding is None else binding.message

    def of_protocol(self, protocol: Protocol) -> list[DecodedMessage]:
        return [m for m in self.messages if m.protocol == protocol]

    @property
    def is_document(self) -> bool:
        """A top-level navigation (Chromium marks these ``Sec-Fetch-Dest: document``)."""
        dest = self.hop.request_header("sec-fetch-dest")
        return dest == "document" if dest is not None else not self.hop.path.endswith(".ico")
