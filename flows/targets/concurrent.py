"""A target's flows N at a time: one browser, one capture proxy, one mock fleet, a context per flow.

Each of the N lanes (:mod:`sso_harness.capture.lanes`) is a port of the one
proxy with a recorder of its own; a lane runs its flows one after another,
each in a fresh browser context whose proxy is the lane's port, so its hops
and only its hops are in its recorder. The lanes run as cooperative jobs on
the one Playwright connection (:mod:`sso_harness.browser.cooperative`), so
the flows are the same :func:`~sso_harness.targets.runner.play_flow` a
one-at-a-time run plays.

What a one-at-a-time run does between flows, a pool does once: the mock
fleet is reset before the pool starts, never while flows run (a reset would
end the other flows' sessions). Injected faults apply to whichever flow asks
the mock for an app's response, so concurrent flows with different faults
must use different apps (``inject(..., app=...)``); a fault for every app
(``app=None``) reaches every concurrent flow.

Each flow is finished in its lane (trace decoded, screenshot taken,
Playwright trace kept or dropped, context closed) before its outcome is
ready, so reading outcomes in any order gives the same reports.
"""

from __future__ import annotations

import itertools
import time
from functools import partial
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sso_harness.browser.cooperative import Cooperative
from sso_harness.capture.hop import Hop
from sso_harness.capture.lanes import Lane, close_lanes, open_lanes
from sso_harness.capture.proxy import CaptureProxy
from sso_harness.targets.runner import FlowCase, FlowResult, play_flow
from sso_harness.targets.target import Target
from sso_harness.trace.recording import FlowRecording
from sso_harness.trace.trace import Trace

if TYPE_CHECKING:
    from playwright.sync_api import Browser

__all__ = ["FlowOutcome", "FlowPool", "LaneRecording", "PoolError", "TraceKeeper", "BAD_CONCURRENCY", "NOT_RUN"]

BAD_CONCURRENCY = "targets.bad_concurrency"
NOT_RUN = "targets.flow_not_run"


class PoolError(RuntimeError):
    """A flow the pool could not play (``code``: ``targets.flow_not_run``), or a bad setting (``targets.bad_concurrency``)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code

#: Where to keep a flow's Playwright trace (given the case and whether it failed); None drops it.
TraceKeeper = Callable[[FlowCase, bool], Path | None]


@dataclass(eq=False)
class FlowOutcome:
    """One flow's result: its trace and recording, its failure (if any), what the report needs."""

    case: FlowCase
    index: int
    lane: str = ""
    recording: LaneRecording | None = None
    result: FlowResult | None = None
    error: BaseException | None = None
    screenshot: bytes | None = None
    playwright_trace: Path | None = None
    seconds: float = 0.0
    started: int = 0
    """Order of the flow's start among all starts and ends of the pool (not a time)."""
    ended: int = 0
    done: bool = False

    @property
    def trace(self) -> Trace | None:
        return self.recording.last_trace if self.recording is not None else None

    @property
    def passed(self) -> bool:
        return self.done and self.error is None


@dataclass
class _Settings:
    context_args: Mapping[str, Any]
    screenshot_dir: Callable[[FlowCase], Path | None]
    keep_trace: TraceKeeper | None
    screenshots: bool
    step_timeout_ms: float


@dataclass(eq=False)
class FlowPool:
    """Play ``cases`` of ``target`` ``concurrency`` at a time in ``browser``, through ``proxy``.

    ``proxy``'s recorder must be a :class:`~sso_harness.capture.lanes.LaneRouter`.
    :meth:`start` opens the lanes and queues the cases (in order);
    :meth:`outcome` waits for one of them (the flows run while it waits);
    :meth:`close` waits for the rest and closes the lanes. ``context_args``
    are the browser context's options (the lane sets ``proxy``);
    ``keep_trace`` turns on Playwright tracing per flow.
    """

    browser: Browser
    proxy: CaptureProxy
    target: Target
    concurrency: int
    context_args: Mapping[str, Any] = field(default_factory=dict)
    screenshot_dir: Callable[[FlowCase], Path | None] = lambda case: None
    keep_trace: TraceKeeper | None = None
    screenshots: bool = True
    step_timeout_ms: float = 15_000
    _outcomes: list[FlowOutcome] = field(default_factory=list, init=False)
    _queue: list[FlowOutcome] = field(default_factory=list, init=False)
    _lanes: list[Lane] = field(default_factory=list, init=False)
    _coop: Cooperative | None = field(default=None, init=False)
    _clock: itertools.count[int] = field(default_factory=itertools.count, init=False)
    _running: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        if self.concurrency < 1:
            raise PoolError(BAD_CONCURRENCY, f"concurrency is at least 1, not {self.concurrency}")

    def start(self, cases: Sequence[FlowCase]) -> list[FlowOutcome]:
        """Queue ``cases`` and start the lanes; returns their outcomes (filled in as flows finish)."""
        outcomes = [FlowOutcome(case, len(self._outcomes) + i) for i, case in enumerate(cases)]
        self._outcomes += outcomes
        self._queue += outcomes
        if self._coop is None:
            self._coop = Cooperative(self.browser)
        lanes_wanted = min(self.concurrency, len(self._queue)) - self._running
        if lanes_wanted > 0:
            new = open_lanes(self.proxy, lanes_wanted)
            self._lanes += new
            for lane in new:
                self._running += 1
                self._coop.spawn(lane.name, partial(self._lane_job, lane))
        return outcomes

    def outcome(self, item: FlowOutcome) -> FlowOutcome:
        """``item`` once its flow finished (runs the flows until then)."""
        if not item.done:
            assert self._coop is not None, "start() queues the flows"
            self._coop.wait_until(lambda: item.done or self._running == 0)
        if not item.done:  # every lane ended without it: a lane failed outside any flow
            item.error = PoolError(NOT_RUN, f"no lane was left to run {item.case.id}")
            item.done = True
        return item

    def run(self, cases: Sequence[FlowCase]) -> list[FlowOutcome]:
        """Every case, ``concurrency`` at a time; their outcomes in the order given."""
        return [self.outcome(o) for o in self.start(cases)]

    def release(self, item: FlowOutcome) -> None:
        """Drop what the pool keeps of a reported flow (its hops, its screenshot)."""
        if item.recording is not None:
            item.recording.release()
        item.screenshot = None

    def close(self) -> None:
        """Drop the flows not started yet (a session stopped early: ``-x``, Ctrl+C), let the running ones
        end, then stop listening on the lanes' ports. :meth:`run` has waited for all of its flows already."""
        for item in self._queue:
            item.error, item.done = PoolError(NOT_RUN, f"{item.case.id} was not run: the pool closed first"), True
        self._queue.clear()
        if self._coop is not None and self._running:
            self._coop.wait_until(lambda: self._running == 0)
        if self._lanes:
            close_lanes(self.proxy, self._lanes)
            self._lanes = []

    # -- in a lane -------------------------------------------------------------------------------
    def _lane_job(self, lane: Lane) -> None:
        try:
            while self._queue:
                item = self._queue.pop(0)
                item.lane = lane.name
                self._play(lane, item)
                assert self._coop is not None
                self._coop.wake()
        finally:
            self._running -= 1

    def _play(self, lane: Lane, item: FlowOutcome) -> None:
        from playwright.sync_api import Error as PlaywrightError

        item.started = next(self._clock)
        began = time.perf_counter()
        recording: LaneRecording | None = None
        context = page = None
        try:
            context = self.browser.new_context(**{**self.context_args, "proxy": {"server": lane.url}})
            if self.keep_trace is not None:
                context.tracing.start(title=item.case.id, screenshots=True, snapshots=True, sources=True)
            page = context.new_page()
            recording = LaneRecording(lane)
            item.result = play_flow(page, recording, self.target, item.case, proxy_url=lane.url,
                                    cafile=str(self.proxy.ca_cert_path), screenshot_dir=self.screenshot_dir(item.case),
                                    step_timeout_ms=self.step_timeout_ms)
        except Exception as exc:  # the flow's verdict, reported by whoever reads the outcome
            item.error = exc
        item.seconds = time.perf_counter() - began
        if recording is not None:
            recording.freeze()
        item.recording = recording
        if context is not None:
            try:
                if self.screenshots and page is not None:
                    item.screenshot = page.screenshot(full_page=True)
            except PlaywrightError:
                pass  # the page may be gone; the trace is still there
            try:
                if self.keep_trace is not None:
                    kept = self.keep_trace(item.case, item.error is not None)
                    if kept is not None:
                        kept.parent.mkdir(parents=True, exist_ok=True)
                    context.tracing.stop(path=kept)
                    item.playwright_trace = kept
            finally:
                context.close()
        item.ended = next(self._clock)
        item.done = True


class LaneRecording(FlowRecording):
    """A flow's recording on a lane: once the flow ends, its hops are fixed (later flows of the lane are not its)."""

    def __init__(self, lane: Lane) -> None:
        super().__init__(lane.recorder)
        self._lane = lane
        self._end: int | None = None
        self._frozen: list[Hop] | None = None

    def freeze(self) -> None:
        """The flow ended: its hops are those recorded so far; keep its trace."""
        self._end = self._lane.recorder.mark()
        self._frozen = super().hops()
        if self.last_trace is None:
            self.trace()

    def hops(self) -> list[Hop]:
        return super().hops() if self._frozen is None else list(self._frozen)

    def release(self) -> None:
        if self._end is not None:
            self._lane.recorder.discard_before(self._end)
        self._frozen = []
