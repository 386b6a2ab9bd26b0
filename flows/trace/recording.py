"""The slice of the proxy's recording that belongs to one flow."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import replace

from cryptography import x509

from sso_harness.capture.hop import Hop
from sso_harness.capture.recorder import Recorder
from sso_harness.trace.noise import number_flow
from sso_harness.trace.trace import DecodeContext, Trace

__all__ = ["FlowRecording"]


class FlowRecording:
    """Hops recorded from construction (or :meth:`restart`) on, numbered from 0.

    The proxy numbers hops for its whole session; a flow's hops are
    renumbered from its own start, so hop #0 is the flow's first hop in its
    trace, timeline and attachments whatever ran before it. Browser noise
    (Chromium's ``/favicon.ico``, which can land anywhere in a flow) is kept
    but numbered after the flow's own hops (:func:`~sso_harness.trace.noise.number_flow`),
    so the same flow has the same hop numbers from run to run.

    ``trusted_certs`` are the IdP certificates that signatures are checked
    against; ``clock`` gives the evaluation time for validity windows.
    The last built trace is kept in :attr:`last_trace` for reports.
    """

    def __init__(
        self,
        recorder: Recorder,
        *,
        trusted_certs: Sequence[x509.Certificate] = (),
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.timezone.utc),
    ) -> None:
        self._recorder = recorder
        self.trusted_certs = list(trusted_certs)
        self._clock = clock
        self._mark = recorder.mark()
        self._blocked_before = dict(recorder.blocked)
        self.last_trace: Trace | None = None
        self.context: DecodeContext | None = None
        """Decode context (JWKS, SP keys); when set, it replaces ``trusted_certs``/clock."""
        self.signin_screens: list[str] = []
        """The sign-in screens the login driver went through, in order (the Entra driver names them);
        the flow's timeline and its trace JSON metadata show them. Empty when the driver names none."""

    def now(self) -> dt.datetime:
        return self._clock()

    def restart(self) -> None:
        self._mark = self._recorder.mark()
        self._blocked_before = dict(self._recorder.blocked)
        self.last_trace = None
        self.signin_screens = []

    def hops(self) -> list[Hop]:
        """This flow's hops so far: its own numbered from 0 in the order they finished, then the browser's noise."""
        return number_flow(self._recorder.hops(self._mark))

    def _blocked_since(self) -> dict[str, int]:
        """Blocked requests during this flow only (the recorder counts for the whole session)."""
        now = dict(self._recorder.blocked)
        return {h: n - self._blocked_before.get(h, 0) for h, n in now.items() if n > self._blocked_before.get(h, 0)}

    def trace(self, *, trusted_certs: Sequence[x509.Certificate] | None = None) -> Trace:
        """Decode what was recorded so far into a :class:`Trace`."""
        certs = self.trusted_certs if trusted_certs is None else list(trusted_certs)
        context = self.context or DecodeContext(trusted_certs=tuple(certs), now=self._clock())
        if self.context is not None and certs and not self.context.trusted_certs:
            context = replace(self.context, trusted_certs=tuple(certs))
        trace = Trace.from_hops(self.hops(), context=context, blocked_hosts=self._blocked_since())
        self.last_trace = trace
        return trace
