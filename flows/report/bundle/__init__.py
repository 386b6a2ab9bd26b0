"""Support bundles: a redacted zip with the HTML timeline, the trace in three formats and the diagnosis.

Public API::

    write_bundle(path, BundleInput(trace, redactor, findings, argv, capture, screenshots, playwright_trace, ...))
        -> BundleResult(path, files, findings)
    read_bundle(path) -> BundleInfo(path, metadata, names);  BundleServer(path, port=0)
    scrub_playwright_trace(data, secrets) -> ScrubbedTrace;  safe_command_line(argv) -> list[str]
"""

from sso_harness.report.bundle.metadata import (
    BUNDLE_SCHEMA,
    BUNDLE_VERSION,
    bundle_metadata,
    safe_command_line,
)
from sso_harness.report.bundle.pwtrace import ScrubbedTrace, scrub_playwright_trace
from sso_harness.report.bundle.reader import BundleError, BundleInfo, BundleServer, read_bundle
from sso_harness.report.bundle.writer import FILE_DESCRIPTIONS, BundleInput, BundleResult, write_bundle

__all__ = [
    "BUNDLE_SCHEMA", "BUNDLE_VERSION", "FILE_DESCRIPTIONS", "BundleError", "BundleInfo", "BundleInput", "BundleResult",
    "BundleServer", "ScrubbedTrace", "bundle_metadata", "read_bundle", "safe_command_line", "scrub_playwright_trace",
    "write_bundle",
]
