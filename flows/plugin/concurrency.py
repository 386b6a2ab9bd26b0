"""``--sso-concurrency N``: a worker plays the target's flows N at a time (registered by :mod:`sso_harness.plugin.hooks`).

The tests stay one pytest item per flow, reported one after another as
usual (progress, JUnit, Allure, summary, timelines); only the flows' work
overlaps. When the first flow item runs, the worker's
:class:`~sso_harness.targets.concurrent.FlowPool` queues every flow item of
the session in order and starts N lanes in the session's browser; each item
then waits for its own flow's outcome and reports it: the flow's timeline,
trace, HAR (failed) and final screenshot are attached exactly as for a flow
played alone, its failure is raised as the test's, and its JUnit time is
the flow's own (not the time its item waited).

The mock fleet is reset once, before the pool starts, not before every
flow. ``--tracing on|retain-on-failure`` keeps each flow's Playwright trace
under ``--output`` as pytest-playwright would; ``--video`` and
``--screenshot`` (pytest-playwright's) do not apply to pooled flows.

One pytest worker runs the pool: with pytest-xdist, ``-n 1`` only (each
worker would queue flows the scheduler gives to another). Scale across
workers or machines with ``--sso-shard``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from sso_harness.targets.concurrent import FlowOutcome, FlowPool
    from sso_harness.targets.runner import FlowCase, FlowResult

__all__ = ["OPTION", "ConcurrentFlows", "add_options", "concurrency_of", "concurrent_flows", "pytest_configure",
           "sso_flow_pool"]

OPTION = "--sso-concurrency"
CASE_PARAM = "flow_case"


def add_options(group: pytest.OptionGroup) -> None:
    """Add ``--sso-concurrency`` to the plugin's option group."""
    group.addoption(OPTION, type=int, default=1, metavar="N",
                    help="play the target's flows N at a time in one browser, proxy and mock fleet (default: 1; "
                         "with pytest-xdist, -n 1 only)")


def concurrency_of(config: pytest.Config) -> int:
    value = config.getoption(OPTION, 1)
    return 1 if value is None else int(value)


def pytest_configure(config: pytest.Config) -> None:
    n = concurrency_of(config)
    if n < 1:
        raise pytest.UsageError(f"{OPTION} {n}: give 1 or more flows at a time")
    if n > 1 and not hasattr(config, "workerinput"):  # checked once, by the controller (a worker's error would crash it)
        workers = config.getoption("numprocesses", None)  # pytest-xdist's -n: an int, or auto/logical
        if workers not in (None, 0, 1):
            raise pytest.UsageError(f"{OPTION} {n} with -n {workers}: one worker runs the pool (-n 1); "
                                    "to spread flows over workers or machines, use --sso-shard")


class ConcurrentFlows:
    """The session's pool as the flow items use it: :meth:`play` one item's case."""

    def __init__(self, pool: FlowPool, session: pytest.Session) -> None:
        self.pool = pool
        self._session = session
        self._queued: dict[str, FlowOutcome] = {}

    def play(self, case: FlowCase, request: pytest.FixtureRequest) -> FlowResult | None:
        """Wait for ``case``'s flow, hand it to the report, raise its failure; its result when it passed."""
        from sso_harness.plugin import fixtures

        if case.id not in self._queued:
            self._queue_session_flows(case)
        outcome = self.pool.outcome(self._queued.pop(case.id))
        node = request.node
        node.stash[_SECONDS] = outcome.seconds
        if outcome.recording is not None:  # the report hook of sso_harness.plugin.fixtures attaches it
            node.stash[fixtures._FLOW] = fixtures._Flow(outcome.recording, outcome.screenshot or b"", request)

        def forget() -> None:
            if fixtures._FLOW in node.stash:
                del node.stash[fixtures._FLOW]
            self.pool.release(outcome)

        request.addfinalizer(forget)
        if outcome.error is not None:
            raise outcome.error
        return outcome.result

    def _queue_session_flows(self, first: FlowCase) -> None:
        # Every flow item still to run in this session, in order (the item asking first): a lane never idles
        # while an item further down waits for its turn.
        cases = [first]
        for item in self._session.items:
            case = getattr(getattr(item, "callspec", None), "params", {}).get(CASE_PARAM)
            if case is not None and case.id not in self._queued and case.id != first.id and not _ran(item):
                cases.append(case)
        for outcome in self.pool.start(cases):
            self._queued[outcome.case.id] = outcome


def _ran(item: pytest.Item) -> bool:
    return hasattr(item, "sso_report_call") or hasattr(item, "sso_report_setup")


_SECONDS = pytest.StashKey[float]()


def concurrent_flows(request: pytest.FixtureRequest) -> ConcurrentFlows | None:
    """The session's pool when ``--sso-concurrency`` is above 1, else None (play the flow alone)."""
    if concurrency_of(request.config) <= 1:
        return None
    pool: ConcurrentFlows = request.getfixturevalue("sso_flow_pool")
    return pool


@pytest.fixture(scope="session")
def sso_flow_pool(pytestconfig: pytest.Config, request: pytest.FixtureRequest,
                  tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConcurrentFlows]:
    """The worker's :class:`~sso_harness.targets.concurrent.FlowPool` over the selected target."""
    from sso_harness.plugin.target_option import selected_target
    from sso_harness.targets.concurrent import FlowPool

    target = selected_target(pytestconfig)
    if target.embedded_mocks:
        from sso_harness.targets.mock_target import mock_target

        fleet = request.getfixturevalue("sso_mock_fleet")
        fleet.reset()  # once: resetting while flows run would end their sessions
        target = mock_target(fleet, target)
    tracing = str(pytestconfig.getoption("--tracing", "off") or "off")
    output = Path(str(pytestconfig.getoption("--output", "test-results"))).absolute()
    shots = tmp_path_factory.mktemp("sso-concurrent")

    def keep_trace(case: FlowCase, failed: bool) -> Path | None:
        return output / _slug(case.id) / "trace.zip" if tracing == "on" or (failed and tracing == "retain-on-failure") else None

    def screenshot_dir(case: FlowCase) -> Path:
        return shots / _slug(case.id)

    args: dict[str, Any] = dict(request.getfixturevalue("browser_context_args"))
    pool = FlowPool(request.getfixturevalue("browser"), request.getfixturevalue("sso_proxy"), target,
                    concurrency=concurrency_of(pytestconfig), context_args=args, screenshot_dir=screenshot_dir,
                    keep_trace=keep_trace if tracing in ("on", "retain-on-failure") else None)
    try:
        yield ConcurrentFlows(pool, request.session)
    finally:
        pool.close()


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in text)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome: Any = yield
    seconds = item.stash.get(_SECONDS, None)
    if call.when == "call" and seconds is not None:
        # The flow's own time, not the time its item waited for a lane: JUnit durations feed --sso-shard-durations.
        outcome.get_result().duration = seconds
