"""Faults a test can inject into the mock IdP's next SAML responses.

Each field models a real misconfiguration or attack surface; ``None``/zero
means "behave normally". Faults change the response *before* it is signed, so
a wrong audience arrives with a perfectly valid signature, as it would from a
misconfigured tenant.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ResponseFaults", "NO_FAULTS"]


@dataclass(frozen=True)
class ResponseFaults:
    name_id: str | None = None
    """Send this NameID value instead of the user's."""
    audience: str | None = None
    """Put this value in AudienceRestriction instead of the SP's entity ID."""
    recipient: str | None = None
    """SubjectConfirmationData Recipient instead of the ACS URL."""
    destination: str | None = None
    """Response Destination instead of the ACS URL."""
    sign_nothing: bool = False
    """Send the response and assertion unsigned."""
    wrong_key: bool = False
    """Sign with a key the SP does not trust."""
    expired: bool = False
    """Issue an assertion whose validity window ended an hour ago."""
    clock_skew_seconds: int = 0
    """Shift every timestamp by this many seconds (the IdP clock is off)."""
    drop_attribute: str | None = None
    """Leave out this attribute."""


NO_FAULTS = ResponseFaults()
