"""The recorder as a mitmproxy addon, for any mitmproxy: mitmdump, mitmweb or a proxy
already configured in a browser.

Capture stops at hops: what happens to them when mitmproxy shuts down is
the caller's ``on_done`` (the standalone script in
:mod:`sso_harness.apps.capture_service.mitmdump_script` decodes and writes a
redacted trace there), so this layer never imports trace or report code.
"""

from __future__ import annotations

from collections.abc import Callable

from mitmproxy import ctx, http
from mitmproxy.addonmanager import Loader

from sso_harness.capture.recorder import Recorder

__all__ = ["RecordingAddon"]


class RecordingAddon:
    """Records every hop; on shutdown hands the recorder to ``on_done``."""

    def __init__(self, on_done: Callable[[Recorder], None] | None = None) -> None:
        self.recorder = Recorder(loopback_only=False)
        self._on_done = on_done

    def load(self, loader: Loader) -> None:
        loader.add_option("sso_loopback_only", bool, False, "Answer non-loopback hosts locally and leave them out.")

    def configure(self, updated: set[str]) -> None:
        if "sso_loopback_only" in updated:
            self.recorder.loopback_only = ctx.options.sso_loopback_only

    def request(self, flow: http.HTTPFlow) -> None:
        self.recorder.request(flow)

    def response(self, flow: http.HTTPFlow) -> None:
        self.recorder.response(flow)

    def error(self, flow: http.HTTPFlow) -> None:
        self.recorder.error(flow)

    def done(self) -> None:
        if self._on_done is not None:
            self._on_done(self.recorder)
