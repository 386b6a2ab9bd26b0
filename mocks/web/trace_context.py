"""W3C Trace Context for the mocks: the ``traceparent`` of the request being served, passed on to back-channel calls.

A traced service copies the inbound ``traceparent`` onto the outbound calls
it makes while serving a request, so both land in one trace. The mocks do
the same: :class:`~sso_harness.mocks.web.http.MockServer` holds the inbound
value while its handler runs (:func:`serving`), and
:class:`~sso_harness.mocks.web.outbound.OutboundHttp` adds it to its requests
(:func:`current`). The capture proxy uses it to put a relying party's code
redemption in the trace of the browser that sent the code, when several
flows run at once. No inbound header, no outbound header.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["HEADER", "current", "serving"]

HEADER = "traceparent"

_CURRENT: ContextVar[str | None] = ContextVar("sso_harness_mock_traceparent", default=None)


def current() -> str | None:
    """The ``traceparent`` of the request this thread is serving, if it had one."""
    return _CURRENT.get()


@contextmanager
def serving(traceparent: str | None) -> Iterator[None]:
    """Hold ``traceparent`` as the current one while a request is served."""
    token = _CURRENT.set(traceparent)
    try:
        yield
    finally:
        _CURRENT.reset(token)
