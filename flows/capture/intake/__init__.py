"""Bring your own trace: HAR, SAML-tracer, mitmproxy and sso-harness files read into capture hops.

Public API::

    read_capture_file(path, recorder=None) -> Intake(format, hops, timed, notes, blocked_hosts, captured_at, redacted)
    read_capture(data, recorder=None) -> Intake;  detect_format(data) -> (format, document)
    IntakeError(code, what, where=, source=) with codes intake.unreadable, .too_large, .unknown_format,
        .malformed, .unsupported_version, .empty
"""

from sso_harness.capture.intake.errors import (
    EMPTY,
    EXPECTED,
    MALFORMED,
    TOO_LARGE,
    UNKNOWN_FORMAT,
    UNREADABLE,
    UNSUPPORTED_VERSION,
    IntakeError,
)
from sso_harness.capture.intake.intake import (
    FORMAT_NAMES,
    MAX_FILE_BYTES,
    Format,
    Intake,
    detect_format,
    read_capture,
    read_capture_file,
)
from sso_harness.capture.intake.trace_json import TRACE_SCHEMA, TRACE_VERSION

__all__ = [
    "EMPTY", "EXPECTED", "FORMAT_NAMES", "MALFORMED", "MAX_FILE_BYTES", "TOO_LARGE", "TRACE_SCHEMA", "TRACE_VERSION",
    "UNKNOWN_FORMAT", "UNREADABLE", "UNSUPPORTED_VERSION", "Format", "Intake", "IntakeError", "detect_format",
    "read_capture", "read_capture_file",
]
