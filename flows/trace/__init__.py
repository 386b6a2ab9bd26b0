"""The trace layer: decoded messages, hop decoders, correlation, and the
:class:`Trace` that tests and reports query."""

from sso_harness.trace.decoded import DecodedMessage
from sso_harness.trace.trace import DecodeContext, Trace, TraceHop, TraceQueryError

__all__ = ["DecodeContext", "DecodedMessage", "Trace", "TraceHop", "TraceQueryError"]
