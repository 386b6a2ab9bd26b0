"""``sso-harness capture``: record one SSO flow in a real browser and write a support bundle.

Public API::

    capture(CaptureOptions(url, ...), *, env=os.environ, out=sys.stdout) -> CaptureResult
    drive(page, Plan(start_url, until, login, credentials, timeout_s, before_login), StopRequest()) -> str
    drive_outcome(page, plan, stop) -> Outcome(kind, reason); capture_findings(outcome, hops, final_url=, sign_in=) -> [Finding]
    check_signed_in(page, rule, hops) -> SignedInVerdict | None
    collect_leftovers(page, context, tracing="stop") -> BrowserLeftovers
    bundle_flow(recording, leftovers, *, out, redactor, argv, capture_facts, pages, ...) -> (path, findings, hops)
    PageErrorRecorder (a Recorder that keeps AADSTS lines of HTML pages); url_matcher(pattern)
    import_trace(path, redactor=, trusted_certs=) -> ImportedTrace;  bundle_import(imported, out, redactor=, argv=)
    run_proxy(ProxyOptions(out, port, ...), stop=None) -> ProxyResult   (``sso-harness proxy``)
    SsoView / SsoContentView: the mitmproxy content view (contentview.py is also a mitmproxy script)
"""

from sso_harness.apps.capture_service.collect import BrowserLeftovers, collect_leftovers
from sso_harness.apps.capture_service.options import (
    CaptureOptions,
    CaptureSetupError,
    default_bundle_path,
    has_display,
)
from sso_harness.apps.capture_service.imported import ImportedTrace, bundle_import, import_trace
from sso_harness.apps.capture_service.page_errors import PageErrorRecorder, error_lines
from sso_harness.apps.capture_service.proxy_session import ProxyOptions, ProxyResult, run_proxy
from sso_harness.apps.capture_service.run import CaptureResult, bundle_flow, capture, check_signed_in, trusted_certificates
from sso_harness.apps.capture_service.session import Outcome, Plan, StopRequest, drive, drive_outcome, error_on_page, page_text
from sso_harness.apps.capture_service.until import UrlTest, url_matcher
from sso_harness.apps.capture_service.verdict import INCOMPLETE, NOT_SIGNED_IN, SIGN_IN_UNDECIDED, capture_findings

__all__ = [
    "INCOMPLETE", "NOT_SIGNED_IN", "SIGN_IN_UNDECIDED", "BrowserLeftovers", "CaptureOptions", "CaptureResult",
    "CaptureSetupError", "ImportedTrace",
    "Outcome", "ProxyOptions", "ProxyResult", "bundle_import", "import_trace", "run_proxy",
    "PageErrorRecorder", "Plan", "StopRequest", "UrlTest", "bundle_flow", "capture", "capture_findings", "check_signed_in",
    "collect_leftovers", "default_bundle_path", "drive", "drive_outcome", "error_lines", "error_on_page", "has_display",
    "page_text", "trusted_certificates", "url_matcher",
]
