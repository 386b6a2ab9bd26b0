"""A mock that is deliberately vulnerable: weaknesses switched on and off at run time.

The weaknesses are an enum of the mock's own (each one mistake real
implementations made); this base class keeps which are on, switches them by
code (:meth:`WeakApp.switch`) or by the admin API, and restores the
initial set on reset.

Admin API::

    GET  /_admin/weaknesses   {"weaknesses": [names switched on]}
    POST /_admin/weaknesses   {"weaknesses": [names]}: replace the set (400 for an unknown name)
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from enum import Enum
from typing import Generic, TypeVar

from sso_harness.mocks.base.clock import Clock, IdSource, random_ids, system_clock
from sso_harness.mocks.web.app import MockApp, Sleeper
from sso_harness.mocks.web.http import Request, Response, json_response
from sso_harness.mocks.web.routing import Router

__all__ = ["WeakApp", "weaknesses_by_name"]

W = TypeVar("W", bound=Enum)


def weaknesses_by_name(kind: type[W], names: Iterable[str | W], label: str) -> frozenset[W]:
    """The members of ``kind`` named (or given); ``ValueError`` naming every known one for an unknown name."""
    found: set[W] = set()
    for name in names:
        try:
            found.add(kind(name))
        except ValueError:
            known = ", ".join(str(w.value) for w in kind)
            raise ValueError(f"unknown {label} weakness {name!r}; known: {known}") from None
    return frozenset(found)


class WeakApp(MockApp, Generic[W]):
    """A :class:`MockApp` with switchable weaknesses; ``parse`` turns names into the mock's enum
    (``ValueError`` for an unknown name or an impossible combination)."""

    def __init__(
        self,
        *,
        base_url: str,
        parse: Callable[[Iterable[str | W]], frozenset[W]],
        weaknesses: Iterable[str | W] = (),
        clock: Clock = system_clock,
        new_id: IdSource = random_ids,
        sleep: Sleeper = time.sleep,
    ) -> None:
        self._parse_weaknesses = parse
        self._initial_weaknesses = parse(weaknesses)
        self.weaknesses = self._initial_weaknesses
        super().__init__(base_url=base_url, clock=clock, new_id=new_id, sleep=sleep)

    def switch(self, weaknesses: Iterable[str | W]) -> frozenset[W]:
        """Replace the weaknesses switched on (until reset)."""
        self.weaknesses = self._parse_weaknesses(weaknesses)
        return self.weaknesses

    def on(self, weakness: W) -> bool:
        return weakness in self.weaknesses

    def reset_state(self) -> None:
        """Back to the weaknesses the mock was built with; subclasses add their own state."""
        self.weaknesses = self._initial_weaknesses

    def admin_routes(self, router: Router) -> None:
        router.add("GET", "/_admin/weaknesses", lambda req, _: json_response({"weaknesses": sorted(w.value for w in self.weaknesses)}))
        router.add("POST", "/_admin/weaknesses", self._admin_switch)

    def _admin_switch(self, request: Request, _: Mapping[str, str]) -> Response:
        try:
            body = request.json()
            names = body.get("weaknesses") if isinstance(body, dict) else None
            if not isinstance(names, list):
                raise ValueError('expected {"weaknesses": [...]}')
            switched = self.switch(names)
        except ValueError as exc:
            return json_response({"error": str(exc)}, status=400)
        return json_response({"ok": True, "weaknesses": sorted(w.value for w in switched)})
