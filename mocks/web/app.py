"""What every mock shares: the admin API, faults, reset, cookie names.

A mock is a callable ``Request -> Response`` (served by
:class:`sso_harness.mocks.web.http.MockServer`). Requests under ``/_admin/`` go to the admin
API; everything else to the mock's own :class:`~sso_harness.mocks.web.routing.Router`.

Admin API (JSON, on every mock)::

    GET    /_admin/faults   the injected faults
    POST   /_admin/faults   {"faults": {...}, "app": "<app key>"|null, "once": false}
    DELETE /_admin/faults   forget all injected faults
    POST   /_admin/reset    faults, sessions and configuration back to the start state

Mocks add their own admin routes (e.g. an SP's IdP-metadata upload) in
:meth:`MockApp.admin_routes`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

from sso_harness.mocks.base.clock import Clock, IdSource, random_ids, system_clock
from sso_harness.mocks.base.fault_book import FaultBook
from sso_harness.mocks.web.http import Request, Response, html_page, json_response
from sso_harness.mocks.web.routing import Router
from sso_harness.mocks.base.faults import FaultSpecError, ResponseFaults, faults_from_json

__all__ = ["MockApp", "Sleeper"]

Sleeper = Callable[[float], None]


class MockApp:
    """Base class of the mocks. Subclasses fill :attr:`routes` and override
    :meth:`reset_state` (sessions, caches, configuration)."""

    #: Short name; also the prefix of every cookie the mock sets (cookies ignore ports).
    name: str = "mock"

    def __init__(
        self,
        *,
        base_url: str,
        clock: Clock = system_clock,
        new_id: IdSource = random_ids,
        sleep: Sleeper = time.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.clock = clock
        self.new_id = new_id
        self.sleep = sleep
        self.faults = FaultBook()
        self.routes = Router()
        self._admin = Router()
        self._admin.add("GET", "/_admin/faults", self._get_faults)
        self._admin.add("POST", "/_admin/faults", self._post_faults)
        self._admin.add("DELETE", "/_admin/faults", self._delete_faults)
        self._admin.add("POST", "/_admin/reset", self._post_reset)
        self.admin_routes(self._admin)

    # -- for subclasses ---------------------------------------------------
    def admin_routes(self, router: Router) -> None:
        """Add mock-specific admin routes (paths under ``/_admin/``)."""

    def reset_state(self) -> None:
        """Forget sessions and restore the initial configuration."""

    def cookie(self, suffix: str) -> str:
        """A cookie name that no other mock on 127.0.0.1 uses."""
        return f"{self.name}_{suffix}"

    def take_faults(self, *app_keys: str) -> ResponseFaults:
        """The faults for the response being issued; waits out an injected delay."""
        faults = self.faults.take(*app_keys)
        if faults.delay_seconds > 0:
            self.sleep(faults.delay_seconds)
        return faults

    # -- public API ---------------------------------------------------------
    def inject(self, faults: ResponseFaults, *, app: str | None = None, once: bool = False) -> None:
        """Apply ``faults`` to responses for ``app`` (all apps when None), until
        :meth:`reset`; with ``once`` only to the next such response."""
        self.faults.add(faults, app=app, once=once)

    def reset(self) -> None:
        self.faults.clear()
        self.reset_state()

    def __call__(self, request: Request) -> Response:
        if request.path.startswith("/_admin/"):
            response = self._admin.dispatch(request)
        else:
            response = self.routes.dispatch(request)
        return response if response is not None else html_page("Not found", "<h1>404 Not found</h1>", status=404)

    # -- admin handlers -------------------------------------------------------
    def _get_faults(self, request: Request, _: Mapping[str, str]) -> Response:
        return json_response({"faults": [e.to_json() for e in self.faults.entries()]})

    def _post_faults(self, request: Request, _: Mapping[str, str]) -> Response:
        try:
            body = request.json()
            if not isinstance(body, dict):
                raise FaultSpecError("the body is a JSON object")
            app, once = body.get("app"), body.get("once", False)
            if app is not None and not isinstance(app, str) or not isinstance(once, bool):
                raise FaultSpecError('"app" is a string or null and "once" a boolean')
            faults = faults_from_json(body.get("faults", {}))
        except (ValueError, FaultSpecError) as exc:
            return json_response({"error": str(exc)}, status=400)
        self.inject(faults, app=app, once=once)
        return json_response({"ok": True, "app": app, "once": once}, status=201)

    def _delete_faults(self, request: Request, _: Mapping[str, str]) -> Response:
        self.faults.clear()
        return json_response({"ok": True})

    def _post_reset(self, request: Request, _: Mapping[str, str]) -> Response:
        self.reset()
        return json_response({"ok": True})
