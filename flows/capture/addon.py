"""The capture addon as a standalone mitmproxy script.

    mitmdump -s flows/capture/addon.py --set sso_trace_out=trace.json

loads the same recorder the harness uses in-process, decodes the recorded
hops when mitmproxy shuts down (Ctrl-C), and writes the trace JSON,
redacted unless ``--set sso_no_redact=true``. Support engineers can so use
their own mitmproxy, mitmweb or a proxy already configured in a browser.
The script needs the ``sso-harness`` package importable by mitmproxy's
Python (run the ``mitmdump`` installed in the harness's virtualenv).
"""

from __future__ import annotations

import logging
from pathlib import Path

from mitmproxy import ctx, http
from mitmproxy.addonmanager import Loader

from sso_harness.capture.recorder import Recorder

__all__ = ["TraceWriter", "addons"]

log = logging.getLogger(__name__)


class TraceWriter:
    """Records every hop and writes the decoded trace on shutdown."""

    def __init__(self) -> None:
        self.recorder = Recorder(loopback_only=False)

    def load(self, loader: Loader) -> None:
        loader.add_option("sso_trace_out", str, "sso-trace.json", "Where to write the sso-harness trace JSON on exit.")
        loader.add_option("sso_loopback_only", bool, False, "Answer non-loopback hosts locally and leave them out.")
        loader.add_option("sso_no_redact", bool, False, "Write secrets in clear (recorded in the file).")
        loader.add_option("sso_pii", bool, False, "Also mask NameID, attribute values and user names.")

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
        from sso_harness.report.redact import Redactor
        from sso_harness.report.trace_json import dump_trace
        from sso_harness.trace.trace import Trace

        out = Path(ctx.options.sso_trace_out)
        trace = Trace.from_hops(self.recorder.hops(), blocked_hosts=dict(self.recorder.blocked))
        redactor = Redactor(enabled=not ctx.options.sso_no_redact, pii=ctx.options.sso_pii)
        out.write_text(dump_trace(trace, redactor, metadata={"captured_by": "mitmproxy script"}), encoding="utf-8")
        log.info("sso-harness: wrote %d hops to %s", len(trace), out)


addons = [TraceWriter()]
