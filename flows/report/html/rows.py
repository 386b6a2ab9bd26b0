"""One display row per hop, redacted once, shared by the timeline and the swim-lane picture."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from sso_harness.report.redact import Redactor
from sso_harness.report.views import message_view
from sso_harness.trace.trace import Trace, TraceHop

__all__ = ["HopRow", "build_rows"]


@dataclass(frozen=True)
class HopRow:
    """What the pages show of a hop; every string already went through the redactor."""

    index: int
    offset_ms: float
    duration_ms: float
    method: str
    host: str
    path: str
    url: str
    status: int | None
    error: str | None
    badges: tuple[str, ...]
    kinds: tuple[str, ...]
    redirect_to: int | None
    redirected_from: int | None
    back_channel: bool
    minor: bool
    messages: tuple[dict[str, Any], ...]
    request_headers: tuple[tuple[str, str], ...]
    response_headers: tuple[tuple[str, str], ...]
    form: tuple[tuple[str, str], ...]
    decode_errors: tuple[str, ...]
    truncated: tuple[str, ...] = ()
    """What the recorder's body limit cut on this hop (``Hop.truncated``), in words."""


def _netloc(url: str) -> str:
    return urlsplit(url).netloc


def _path(url: str) -> str:
    parts = urlsplit(url)
    text = parts.path or "/"
    if parts.query:
        text += "?" + parts.query
    if parts.fragment:
        text += "#" + parts.fragment
    return text


def _redirect_targets(trace: Trace) -> dict[int, int]:
    """Hop index of a 3xx → index of the hop its ``Location`` led to (the next request to that URL)."""
    hops = list(trace.hops)
    found: dict[int, int] = {}
    for i, h in enumerate(hops):
        if not h.hop.is_redirect:
            continue
        target = urljoin(h.hop.url, h.hop.location or "").split("#", 1)[0]
        for later in hops[i + 1 :]:
            if later.hop.url.split("#", 1)[0] == target:
                found[h.hop.index] = later.hop.index
                break
    return found


def _flow_hosts(trace: Trace) -> set[str]:
    """Hosts the flow itself visited: a page the browser showed, or a protocol message."""
    return {_netloc(h.hop.url) for h in trace.hops
            if h.messages or h.hop.request_header("sec-fetch-dest") in ("document", "iframe") or h.hop.back_channel}


def _minor(h: TraceHop, flow_hosts: set[str]) -> bool:
    """Requests a reader can skip: page resources, favicons, the browser's own calls to other hosts."""
    hop = h.hop
    if h.messages or h.errors or hop.is_redirect or hop.back_channel:
        return False
    if hop.path.endswith("/favicon.ico") or _netloc(hop.url) not in flow_hosts:
        return True
    return not (h.is_document or hop.status is None or hop.status >= 400 or hop.method != "GET")


def build_rows(trace: Trace, redactor: Redactor) -> list[HopRow]:
    targets = _redirect_targets(trace)
    sources = {v: k for k, v in targets.items()}
    t0 = trace.hops[0].hop.started if trace.hops else 0.0
    flow_hosts = _flow_hosts(trace)
    rows = []
    for h in trace.hops:
        hop = h.hop
        where = f"hop #{hop.index}"
        url = redactor.url(hop.url, where=f"{where} URL")
        rows.append(HopRow(
            index=hop.index,
            offset_ms=(hop.started - t0) * 1000.0,
            duration_ms=hop.duration_ms,
            method=hop.method,
            host=_netloc(url),
            path=_path(url),
            url=url,
            status=hop.status,
            error=hop.error,
            badges=tuple(dict.fromkeys(m.badge for m in h.messages)),
            kinds=tuple(m.kind for m in h.messages),
            redirect_to=targets.get(hop.index),
            redirected_from=sources.get(hop.index),
            back_channel=hop.back_channel,
            minor=_minor(h, flow_hosts),
            messages=tuple(message_view(m, redactor, where=f"{where} {m.kind}") for m in h.messages),
            request_headers=tuple(redactor.headers(hop.request_headers, where=f"{where} request")),
            response_headers=tuple(redactor.headers(hop.response_headers, where=f"{where} response")),
            form=tuple(redactor.form(hop.form, where=f"{where} request form").items()) if hop.form else (),
            decode_errors=tuple(str(e) for e in h.errors),
            truncated=hop.truncated,
        ))
    return rows
