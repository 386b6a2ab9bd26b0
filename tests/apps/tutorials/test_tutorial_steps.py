"""Setup steps on an emulation: calls, faults, admin requests and hooks, each failing with a reason."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from sso_harness.apps.tutorials.errors import StepFailed
from sso_harness.apps.tutorials.hook import HookContext, resolve_hook
from sso_harness.apps.tutorials.spec import Step
from sso_harness.apps.tutorials.steps import run_step
from sso_harness.mocks.base.faults import ResponseFaults


class FakeIdp:
    def __init__(self) -> None:
        self.calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
        self.injected: list[tuple[ResponseFaults, str | None, bool]] = []

    def configure_app(self, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("colour"):
            raise TypeError("unexpected keyword argument 'colour'")
        self.calls.append((args, kwargs))

    def inject(self, faults: ResponseFaults, *, app: str | None = None, once: bool = False) -> None:
        self.injected.append((faults, app, once))


class Admin(BaseHTTPRequestHandler):
    seen: list[tuple[str, str, bytes]] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        Admin.seen.append((self.path, self.headers.get("Content-Type", ""), body))
        status = 400 if self.path == "/_admin/bad" else 200
        self.send_response(status)
        self.end_headers()
        self.wfile.write(b'{"error": "expected entity_id"}' if status == 400 else b"{}")

    def do_GET(self) -> None:  # noqa: N802
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"<md:EntityDescriptor/>")

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def admin_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Admin)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Admin.seen = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


class FakeFleet:
    def __init__(self, admin_url: str = "http://127.0.0.1:9") -> None:
        self.idp = FakeIdp()
        self.mocks = {"idp": self.idp}
        self._admin = admin_url

    def urls(self) -> dict[str, str]:
        return {"idp": self._admin}


VALUES = {"ids.app": "app-1", "urls.sp": "http://sp"}


def test_a_call_step_fills_templates_and_passes_tuples() -> None:
    fleet = FakeFleet()
    run_step(fleet, Step("call", "idp.configure_app", ("{ids.app}",), {"reply_urls": ["{urls.sp}/acs"], "sign_on_url": None}), VALUES)
    assert fleet.idp.calls == [(("app-1",), {"reply_urls": ("http://sp/acs",), "sign_on_url": None})]


@pytest.mark.parametrize(
    ("step", "message"),
    [
        (Step("call", "nobody.configure_app"), "call nobody.configure_app: no mock 'nobody'; running: idp"),
        (Step("call", "idp.reset_everything"), "the idp mock has no configuration method 'reset_everything'"),
        (Step("call", "idp._private"), "no configuration method '_private'"),
        (Step("call", "idp.configure_app", (), {"colour": "red"}), "call idp.configure_app: TypeError: unexpected keyword argument 'colour'"),
        (Step("fault", "idp", kwargs={"no_such_fault": True}), "fault idp:"),
    ],
)
def test_step_mistakes_name_the_step(step: Step, message: str) -> None:
    with pytest.raises(StepFailed, match=message.replace("(", r"\(").replace(")", r"\)")):
        run_step(FakeFleet(), step, VALUES)


def test_a_fault_step_injects_typed_faults() -> None:
    fleet = FakeFleet()
    run_step(fleet, Step("fault", "idp", kwargs={"wrong_key": True}, options={"app": "{ids.app}", "once": True}), VALUES)
    faults, app, once = fleet.idp.injected[0]
    assert faults.wrong_key is True and app == "app-1" and once is True


def test_admin_steps_send_json_or_a_fetched_body(admin_url: str) -> None:
    fleet = FakeFleet(admin_url)
    run_step(fleet, Step("admin", "idp", options={"method": "POST", "path": "/_admin/sso", "json": {"enabled": True}}), VALUES)
    run_step(fleet, Step("admin", "idp", options={"path": "/_admin/idp-metadata", "body_from": f"{admin_url}/metadata.xml"}), VALUES)
    (path1, type1, body1), (path2, _, body2) = Admin.seen
    assert (path1, type1, json.loads(body1)) == ("/_admin/sso", "application/json", {"enabled": True})
    assert (path2, body2) == ("/_admin/idp-metadata", b"<md:EntityDescriptor/>")
    with pytest.raises(StepFailed, match='admin POST idp/_admin/bad: HTTP 400: {"error": "expected entity_id"}'):
        run_step(fleet, Step("admin", "idp", options={"path": "/_admin/bad", "json": {}}), VALUES)


def test_hooks_are_resolved_in_the_hooks_package_or_by_module_path() -> None:
    assert resolve_hook("mitel_connect:roll_over_signing_certificate").__name__ == "roll_over_signing_certificate"
    assert resolve_hook("sso_harness.apps.tutorials.hooks.jira_oauth:gcc_tenant").__name__ == "gcc_tenant"
    with pytest.raises(StepFailed, match="cannot import sso_harness.apps.tutorials.hooks.nowhere"):
        resolve_hook("nowhere:f")
    with pytest.raises(StepFailed, match="has no public function '_only'"):
        resolve_hook("jira_oauth:_only")


def test_a_hook_step_returns_its_undo() -> None:
    class Ctx:
        resources = {"before": 1}

    class Entra:
        ctx = Ctx()

    fleet = FakeFleet()
    fleet.entra = Entra()  # type: ignore[attr-defined]
    before = Ctx.resources
    undo = run_step(fleet, Step("hook", "jira_oauth:commercial_tenant"), VALUES)
    # a commercial tenant: Graph and outlook.office.com, not the GCC host
    assert set(Entra.ctx.resources) == {"https://graph.microsoft.com", "https://outlook.office.com"}
    assert undo is not None
    undo()
    assert Entra.ctx.resources is before
    assert isinstance(HookContext(None).values, dict)
