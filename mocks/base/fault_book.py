"""Which faults apply to which response: per app, for everyone, or just once.

A mock keeps one :class:`FaultBook`. Standing faults apply to every
response (for one app, or for all apps) until cleared; one-shot faults apply
to the next response only (for one app, or whichever comes first). When a
response is issued the mock *takes* its faults: the oldest matching one-shot
entry wins, then the app's standing faults, then the global ones.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from sso_harness.mocks.base.faults import NO_FAULTS, ResponseFaults, faults_to_json

__all__ = ["FaultBook", "FaultEntry"]


@dataclass(frozen=True)
class FaultEntry:
    faults: ResponseFaults
    app: str | None
    once: bool

    def matches(self, keys: tuple[str, ...]) -> bool:
        return self.app is None or self.app in keys

    def to_json(self) -> dict[str, Any]:
        return {"app": self.app, "once": self.once, "faults": faults_to_json(self.faults)}


class FaultBook:
    """Thread-safe store of injected faults. ``app`` keys are whatever the mock
    uses to name an app (app ID, entity ID, slug); a response may match several."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._standing: dict[str | None, ResponseFaults] = {}
        self._once: list[FaultEntry] = []

    def add(self, faults: ResponseFaults, *, app: str | None = None, once: bool = False) -> None:
        with self._lock:
            if once:
                self._once.append(FaultEntry(faults, app, True))
            else:
                self._standing[app] = faults

    def take(self, *keys: str) -> ResponseFaults:
        """The faults for one response to an app known by ``keys``; consumes one-shot entries."""
        with self._lock:
            for i, entry in enumerate(self._once):
                if entry.matches(keys):
                    del self._once[i]
                    return entry.faults
            for key in keys:
                if key in self._standing:
                    return self._standing[key]
            return self._standing.get(None, NO_FAULTS)

    def peek(self, *keys: str) -> ResponseFaults:
        """Like :meth:`take` but consumes nothing."""
        with self._lock:
            entry = next((e for e in self._once if e.matches(keys)), None)
            if entry is not None:
                return entry.faults
            for key in keys:
                if key in self._standing:
                    return self._standing[key]
            return self._standing.get(None, NO_FAULTS)

    def clear(self) -> None:
        with self._lock:
            self._standing.clear()
            self._once.clear()

    def entries(self) -> list[FaultEntry]:
        with self._lock:
            standing = [FaultEntry(f, app, False) for app, f in self._standing.items()]
            return standing + list(self._once)
