"""The diagnosis block at the top of a page: one card per finding, errors first."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from sso_harness.diagnose import Finding

__all__ = ["render_findings"]


def render_findings(findings: Sequence[Finding]) -> str:
    if not findings:
        return ("<div class='card allclear'><span class='pill sev-ok'>no problems found</span> "
                "No diagnosis rule saw a problem in this flow.</div>")
    counts = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
    summary = " ".join(f"<span class='pill sev-{s}'>{n} {s}{'s' if n != 1 else ''}</span>" for s, n in counts.items() if n)
    cards = []
    for f in findings:
        at = f" at <a href='#hop-{f.hop}'>{escape(f.hop_label or f'#{f.hop}')}</a>" if f.hop is not None else ""
        cards.append(
            f"<div class='card finding {f.severity}' data-rule='{escape(f.rule)}'><div class='head'>"
            f"<span class='pill sev-{f.severity}'>{f.severity}</span><code>{escape(f.rule)}</code><span>{at}</span></div>"
            f"<p class='what'>{escape(f.what)}</p><p class='change'>{escape(f.change)}</p></div>"
        )
    return f"<div class='summary-counts'>{summary}</div><div class='findings'>{''.join(cards)}</div>"
