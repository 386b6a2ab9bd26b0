"""Faults a test can inject into a mock IdP's next responses.

Each field models a real misconfiguration or attack surface; ``None``/zero
means "behave normally". Faults change the response *before* it is signed, so
a wrong audience arrives with a perfectly valid signature, as it would from a
misconfigured tenant. The same faults apply to the tokens of the Entra-like
IdP where they make sense (wrong key, times, audience, claims).

The admin API carries faults as JSON objects whose keys are the field names
below; :func:`faults_from_json` / :func:`faults_to_json` convert.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["ResponseFaults", "NO_FAULTS", "FaultSpecError", "faults_from_json", "faults_to_json"]


@dataclass(frozen=True)
class ResponseFaults:
    name_id: str | None = None
    """Send this NameID value instead of the user's."""
    audience: str | None = None
    """Put this value in AudienceRestriction (or a token's ``aud``) instead of the SP's."""
    recipient: str | None = None
    """SubjectConfirmationData Recipient instead of the ACS URL."""
    destination: str | None = None
    """Response Destination instead of the ACS URL."""
    sign_nothing: bool = False
    """Send the response and assertion unsigned (a JWT with ``alg: none``)."""
    wrong_key: bool = False
    """Sign with a key the SP does not trust."""
    expired: bool = False
    """Issue an assertion whose validity window ended an hour ago."""
    not_yet_valid: bool = False
    """Issue an assertion whose validity window starts in about two hours."""
    clock_skew_seconds: int = 0
    """Shift every timestamp by this many seconds (the IdP clock is off)."""
    drop_attribute: str | None = None
    """Leave out this attribute (claim)."""
    alter_attribute: tuple[str, tuple[str, ...]] | None = None
    """``(name, values)``: send these values for this attribute (adding it if absent)."""
    status: str | None = None
    """A non-success top-level SAML status, e.g. ``Responder`` or its full URN; no assertion is sent."""
    sub_status: str | None = None
    """Second-level status code under :attr:`status`, e.g. ``AuthnFailed``."""
    status_message: str | None = None
    """StatusMessage to send with :attr:`status`."""
    aadsts: int | None = None
    """Entra-like IdP only: fail with this AADSTS code, in the shape of the endpoint."""
    delay_seconds: float = 0.0
    """Hold the response this long before sending it (a slow IdP)."""

    @property
    def is_clean(self) -> bool:
        return self == NO_FAULTS


NO_FAULTS = ResponseFaults()

_FIELDS = {f.name: f for f in dataclasses.fields(ResponseFaults)}


class FaultSpecError(ValueError):
    """A fault description (JSON or config) names an unknown field or a bad value."""


def faults_from_json(data: Mapping[str, Any]) -> ResponseFaults:
    """Build faults from a JSON object; unknown keys and wrong types are errors."""
    if not isinstance(data, Mapping):
        raise FaultSpecError("faults must be a JSON object")
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in _FIELDS:
            raise FaultSpecError(f"unknown fault {key!r}; known: {', '.join(sorted(_FIELDS))}")
        values[key] = _coerce(key, value)
    return ResponseFaults(**values)


def _coerce(key: str, value: Any) -> Any:
    if value is None:
        return None if _FIELDS[key].default is None else _FIELDS[key].default
    if key == "alter_attribute":
        if isinstance(value, Mapping):
            name, values = value.get("name"), value.get("values", [])
        elif isinstance(value, (list, tuple)) and len(value) == 2:
            name, values = value
        else:
            raise FaultSpecError('alter_attribute is {"name": ..., "values": [...]}')
        if isinstance(values, str):
            values = [values]
        if not isinstance(name, str) or not all(isinstance(v, str) for v in values):
            raise FaultSpecError("alter_attribute needs a string name and string values")
        return (name, tuple(values))
    default = _FIELDS[key].default
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise FaultSpecError(f"{key} is true or false")
        return value
    if key == "clock_skew_seconds" or key == "aadsts":
        if isinstance(value, bool) or not isinstance(value, int):
            raise FaultSpecError(f"{key} is an integer")
        return value
    if key == "delay_seconds":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise FaultSpecError("delay_seconds is a non-negative number")
        return float(value)
    if not isinstance(value, str):
        raise FaultSpecError(f"{key} is a string")
    return value


def faults_to_json(faults: ResponseFaults) -> dict[str, Any]:
    """Only the fields that differ from normal behaviour."""
    out: dict[str, Any] = {}
    for name, f in _FIELDS.items():
        value = getattr(faults, name)
        if value != f.default:
            out[name] = {"name": value[0], "values": list(value[1])} if name == "alter_attribute" else value
    return out
