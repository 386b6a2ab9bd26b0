"""The capture as a standalone mitmproxy script, for support engineers' own proxies.

    mitmdump -s flows/apps/capture_service/mitmdump_script.py --set sso_trace_out=trace.json

(from a checkout; an installed package has the file at this module's
``__file__``) records with the same recorder the harness uses in-process, decodes the
hops when mitmproxy shuts down (Ctrl-C) and writes the trace JSON, redacted
unless ``--set sso_no_redact=true``. It also registers the ``SSO`` content
view (:mod:`~sso_harness.apps.capture_service.contentview`), so SAML, WS-Fed
and JWTs decode live in mitmweb and mitmdump. mitmproxy's Python must be able to
import ``sso_harness`` (use the ``mitmdump`` of the harness's virtualenv).
"""

from __future__ import annotations

import logging
from pathlib import Path

from mitmproxy import ctx
from mitmproxy.addonmanager import Loader

from sso_harness.apps.capture_service.contentview import SsoContentView
from sso_harness.capture.addon import RecordingAddon
from sso_harness.capture.recorder import Recorder
from sso_harness.report.redact import Redactor
from sso_harness.report.trace_json import dump_trace
from sso_harness.trace.trace import Trace

__all__ = ["TraceOptions", "addons", "write_trace"]

log = logging.getLogger(__name__)


class TraceOptions:
    """The script's own options: where the trace goes and how much is redacted."""

    def load(self, loader: Loader) -> None:
        loader.add_option("sso_trace_out", str, "sso-trace.json", "Where to write the sso-harness trace JSON on exit.")
        loader.add_option("sso_no_redact", bool, False, "Write secrets in clear (recorded in the file).")
        loader.add_option("sso_pii", bool, False, "Also mask NameID, attribute values and user names.")


def write_trace(recorder: Recorder) -> None:
    """Decode what ``recorder`` holds and write it to ``sso_trace_out``."""
    out = Path(ctx.options.sso_trace_out)
    trace = Trace.from_hops(recorder.hops(), blocked_hosts=dict(recorder.blocked))
    redactor = Redactor(enabled=not ctx.options.sso_no_redact, pii=ctx.options.sso_pii)
    out.write_text(dump_trace(trace, redactor, metadata={"captured_by": "mitmproxy script"}), encoding="utf-8")
    log.info("sso-harness: wrote %d hops to %s", len(trace), out)


addons = [TraceOptions(), RecordingAddon(on_done=write_trace), SsoContentView()]
