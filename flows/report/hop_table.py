"""A trace as a table of hops (CSV for Allure, text for terminals)."""

from __future__ import annotations

import csv
import io

from sso_harness.report.redact import redact_url
from sso_harness.trace.trace import Trace

__all__ = ["hop_rows", "hops_csv"]

HEADER = ("#", "method", "url", "status", "ms", "saml")


def hop_rows(trace: Trace) -> list[tuple[str, ...]]:
    """One row per hop, URLs redacted; never headers or bodies."""
    rows: list[tuple[str, ...]] = []
    t0 = trace.hops[0].hop.started if trace.hops else 0.0
    for h in trace:
        saml = ""
        if h.saml is not None:
            saml = f"{h.saml.kind} ({h.saml.binding})"
        elif h.errors:
            saml = f"decode error: {h.errors[0]}"
        rows.append(
            (
                str(h.hop.index),
                h.hop.method,
                redact_url(h.hop.url),
                str(h.hop.status if h.hop.status is not None else h.hop.error),
                f"{(h.hop.started - t0) * 1000:.0f}+{h.hop.duration_ms:.0f}",
                saml,
            )
        )
    return rows


def hops_csv(trace: Trace) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(HEADER)
    writer.writerows(hop_rows(trace))
    return buf.getvalue()
