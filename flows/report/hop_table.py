"""A trace as a table of hops (CSV for Allure, text for terminals)."""

from __future__ import annotations

import csv
import io

from sso_harness.report.redact import Redactor
from sso_harness.trace.trace import Trace

__all__ = ["hop_rows", "hops_csv"]

HEADER = ("#", "method", "url", "status", "ms", "saml")


def hop_rows(trace: Trace, redactor: Redactor | None = None) -> list[tuple[str, ...]]:
    """One row per hop, URLs through ``redactor`` (default: redacting); never headers or bodies."""
    redactor = redactor or Redactor()
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
                redactor.url(h.hop.url, where=f"hop #{h.hop.index} URL"),
                str(h.hop.status if h.hop.status is not None else h.hop.error),
                f"{(h.hop.started - t0) * 1000:.0f}+{h.hop.duration_ms:.0f}",
                saml,
            )
        )
    return rows


def hops_csv(trace: Trace, redactor: Redactor | None = None) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(HEADER)
    writer.writerows(hop_rows(trace, redactor))
    return buf.getvalue()
