"""Several pieces of sync-Playwright code at once, in this one thread, on one Playwright connection.

Playwright's sync API is its async API run by a dispatcher greenlet: a sync
call starts a task on the event loop and switches to the dispatcher, which
runs the loop until the task is done and then switches back. Event handlers
already run that way in greenlets of their own while the caller waits. A
:class:`Cooperative` does the same for whole jobs: each job runs in its own
greenlet, started from the loop, and whenever it waits for the browser the
loop serves the others. So every login driver and journey of the harness,
written for the sync API, runs N at a time in one Chromium without a second
Playwright driver, thread or browser.

Jobs run only while the thread waits for Playwright: the caller lets them
run with :meth:`Cooperative.wait_until`. Blocking calls that do not go
through Playwright (``urllib``, decoding a trace) pause every job: they
share one thread, as they share one interpreter lock anyway.

Playwright does not publish its dispatcher; it is read from the sync
object the jobs use (``_dispatcher_fiber``, ``_loop``), here and only here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import greenlet

__all__ = ["Cooperative", "CooperativeError", "Job"]

UNSUPPORTED = "browser.cooperative_unsupported"
CONNECTION_CLOSED = "browser.connection_closed"
WRONG_GREENLET = "browser.cooperative_wrong_greenlet"


class CooperativeError(RuntimeError):
    """Cooperative jobs cannot run or go on; ``code`` says why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code


@dataclass(eq=False)
class Job:
    """One job: done once its function returned or raised (``error``)."""

    name: str
    done: bool = False
    error: BaseException | None = None


class Cooperative:
    """Run jobs concurrently on the Playwright connection of ``anchor`` (any sync-API object, e.g. the Browser).

    Create it, :meth:`spawn` jobs, and :meth:`wait_until` a condition from
    the greenlet that created it (the test's own).
    """

    def __init__(self, anchor: Any) -> None:
        dispatcher = getattr(anchor, "_dispatcher_fiber", None)
        loop = getattr(anchor, "_loop", None)
        if not isinstance(dispatcher, greenlet.greenlet) or not isinstance(loop, asyncio.AbstractEventLoop):
            raise CooperativeError(UNSUPPORTED, f"{type(anchor).__name__} is not a Playwright sync-API object "
                                                "with a dispatcher this version of the harness knows")
        self._dispatcher = dispatcher
        self._loop = loop
        self._owner = greenlet.getcurrent()
        self._owner_waiting = False

    def spawn(self, name: str, work: Callable[[], None]) -> Job:
        """Start ``work`` as a job; it runs while the owner waits. Its exception ends up in ``Job.error``."""
        job = Job(name)

        def body() -> None:
            try:
                work()
            except greenlet.GreenletExit:
                job.error = CooperativeError(CONNECTION_CLOSED, f"job {name} was stopped")
            except BaseException as exc:  # the job's own failure; the loop it runs in must go on
                job.error = exc
            finally:
                job.done = True
                self.wake()

        # Started from the loop, so the job's parent is the dispatcher: when it ends, the loop goes on.
        self._loop.call_soon(lambda: greenlet.greenlet(body).switch())
        return job

    def wake(self) -> None:
        """Let the owner check its condition again (jobs call it when something it may wait for happened)."""
        if self._owner_waiting:
            self._loop.call_soon(self._resume_owner)

    def wait_until(self, condition: Callable[[], bool]) -> None:
        """Run the jobs (and Playwright) until ``condition()`` holds; checked after each :meth:`wake`."""
        if greenlet.getcurrent() is not self._owner:
            raise CooperativeError(WRONG_GREENLET, "wait_until must be called by the greenlet that created the Cooperative")
        while not condition():
            if self._dispatcher.dead:
                raise CooperativeError(CONNECTION_CLOSED, "the Playwright connection closed while jobs were running")
            self._owner_waiting = True
            try:
                self._dispatcher.switch()
            finally:
                self._owner_waiting = False

    def _resume_owner(self) -> None:
        # Runs on the loop. A stale wake (the owner already resumed) must not switch to it at an arbitrary point.
        if self._owner_waiting:
            self._owner_waiting = False
            self._owner.switch()
