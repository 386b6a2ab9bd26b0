"""The timeline: one expandable row per hop, redirect arrows between rows, decoded messages inside."""

from __future__ import annotations

import datetime as dt
from collections.abc import Set as AbstractSet, Sequence
from html import escape

from sso_harness.report.html.messages import protocol_badge, render_message
from sso_harness.report.html.rows import HopRow

__all__ = ["render_timeline"]


def _status(row: HopRow) -> str:
    if row.status is None:
        return f'<span class="st st-x" title="{escape(row.error or "")}">failed</span>'
    return f'<span class="st st-{str(row.status)[0]}">{row.status}</span>'


def _arrow(row: HopRow) -> str:
    if row.redirect_to is not None:
        return f'<a class="arrow" href="#hop-{row.redirect_to}" title="redirected to hop #{row.redirect_to}">↪ to #{row.redirect_to}</a>'
    if row.redirected_from is not None:
        return f'<span class="arrow in" title="reached by the redirect of hop #{row.redirected_from}">↳ from #{row.redirected_from}</span>'
    if row.back_channel:
        return '<span class="arrow in" title="server-to-server call, not the browser">⇄ back channel</span>'
    return '<span class="arrow"></span>'


def _headers(title: str, headers: Sequence[tuple[str, str]]) -> str:
    if not headers:
        return ""
    body = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in headers)
    return f"<details class='raw'><summary>{escape(title)} ({len(headers)})</summary><table class='kv'>{body}</table></details>"


def _detail(row: HopRow, now: dt.datetime | None) -> str:
    parts = [f"<p class='mono'>{escape(row.method)} {escape(row.url)}</p>"]
    if row.error:
        parts.append(f"<p class='errors'>Proxy error: {escape(row.error)}</p>")
    if row.truncated:
        # Said before the messages: anything read from a cut body is incomplete.
        parts.append(f"<p class='errors truncated'>Truncated: {escape('; '.join(row.truncated))} by the recorder; "
                     "messages read from it are incomplete.</p>")
    parts += [render_message(m, now=now) for m in row.messages]
    for problem in row.decode_errors:
        parts.append(f"<p class='errors'>Could not decode: {escape(problem)}</p>")
    if row.form:
        parts.append(_headers("form fields", row.form))
    parts.append(_headers("request headers", row.request_headers))
    parts.append(_headers("response headers", row.response_headers))
    return "<div class='detail'>" + "".join(parts) + "</div>"


def render_timeline(rows: Sequence[HopRow], *, now: dt.datetime | None, flagged: AbstractSet[int] = frozenset()) -> str:
    minor = sum(1 for r in rows if r.minor)
    toggle = (f'<input type="checkbox" id="show-minor"><label class="toggle" for="show-minor">show {minor} other requests '
              '(scripts, styles, images)</label>') if minor else '<input type="checkbox" id="show-minor" hidden>'
    head = ('<div class="tl-head"><span>#</span><span>time</span><span>method</span><span>host</span>'
            '<span class="c-path">path</span><span>status</span><span class="c-badges">protocol</span>'
            '<span class="c-arrow">redirect</span><span style="text-align:right">ms</span></div>')
    items = []
    for r in rows:
        classes = ["hop"] + (["minor"] if r.minor else []) + (["flagged"] if r.index in flagged else [])
        badges = "".join(protocol_badge(b) for b in r.badges)
        if r.truncated:
            badges += f'<span class="badge truncated" style="background:#b45309" title="{escape("; ".join(r.truncated))}">truncated</span>'
        summary = (
            f'<summary><span class="idx">{r.index}</span><span class="t">+{r.offset_ms / 1000:.3f}s</span>'
            f'<span class="method">{escape(r.method)}</span><span class="host" title="{escape(r.host)}">{escape(r.host)}</span>'
            f'<span class="path" title="{escape(r.path)}">{escape(r.path)}</span>{_status(r)}'
            f'<span class="badges">{badges}</span>{_arrow(r)}<span class="ms">{r.duration_ms:.0f}</span></summary>'
        )
        items.append(f'<details class="{" ".join(classes)}" id="hop-{r.index}">{summary}{_detail(r, now)}</details>')
    if not rows:
        items.append('<p class="sub" style="padding:12px">No hops were recorded: the browser sent nothing through the proxy.</p>')
    buttons = ('<span class="toggle"><button type="button" class="link" data-expand="all">expand all</button> · '
               '<button type="button" class="link" data-expand="none">collapse all</button></span> ')
    return f'{buttons}{toggle}<div class="timeline card">{head}{"".join(items)}</div>'
