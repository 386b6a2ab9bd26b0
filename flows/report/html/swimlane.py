"""The swim-lane picture: browser, SP(s) and IdP(s) as lanes, one arrow per hop, drawn as inline SVG.

Roles come from the messages each host received: a host that receives an
AuthnRequest, an authorization or token request (or serves discovery and
keys) is an IdP; one that receives a SAML Response, a WS-Fed token or an
authorization response is an SP (a federating IdP that also receives a
Response from its home IdP stays an IdP). The first host is the SP when
nothing else says so; everything else is "other".
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from urllib.parse import urlsplit

from sso_harness.report.html.rows import HopRow
from sso_harness.report.html.style import PROTOCOL_COLOURS
from sso_harness.trace.trace import Trace

__all__ = ["lane_roles", "render_swimlanes"]

_TO_IDP = {"saml.authn_request", "oauth.authorize_request", "oauth.token_request", "oidc.discovery", "jose.jwks",
           "oidc.userinfo", "wsfed.signin_request"}
_TO_SP = {"saml.response", "oauth.authorize_response", "wsfed.signin_response"}
LANE_W, ROW_H, TOP = 200, 34, 66
MAX_ROWS = 80
_COLOURS = [*PROTOCOL_COLOURS.values(), "#57606a"]


def _marker(i: int, colour: str) -> str:
    return (f'<marker id="ah{i}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" markerHeight="9" '
            f'markerUnits="userSpaceOnUse" orient="auto">'
            f'<path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>')


def lane_roles(trace: Trace) -> dict[str, str]:
    """netloc → ``"IdP"``, ``"SP"`` or ``"other"``."""
    roles: dict[str, str] = {}
    for h in trace.hops:
        netloc = urlsplit(h.hop.url).netloc
        for m in h.messages:
            if m.kind in _TO_IDP:
                roles[netloc] = "IdP"
            elif m.kind in _TO_SP:
                target = netloc
                if m.source == "Location header" and h.hop.location:
                    target = urlsplit(h.hop.location).netloc or netloc
                roles.setdefault(target, "SP")
    for h in trace.hops:
        netloc = urlsplit(h.hop.url).netloc
        if netloc not in roles:
            roles[netloc] = "SP" if not any(r == "SP" for r in roles.values()) and h is trace.hops[0] else "other"
    return roles


def _text(x: float, y: float, s: str, *, size: int = 12, anchor: str = "middle", fill: str = "#1f2328", weight: str = "400") -> str:
    return (f'<text x="{x:.0f}" y="{y:.0f}" font-size="{size}" text-anchor="{anchor}" fill="{fill}" '
            f'font-weight="{weight}" font-family="Segoe UI,Helvetica,Arial,sans-serif">{escape(s)}</text>')


def _clip(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def render_swimlanes(trace: Trace, rows: Sequence[HopRow]) -> str:
    roles = lane_roles(trace)
    order = ["Browser"] + [n for n, r in roles.items() if r == "SP"] + [n for n, r in roles.items() if r == "IdP"] + \
            [n for n, r in roles.items() if r == "other"]
    shown = [r for r in rows if not r.minor][:MAX_ROWS]
    used = {"Browser"} | {r.host for r in shown}
    lanes = [n for n in order if n in used]
    x = {name: 30 + LANE_W / 2 + i * LANE_W for i, name in enumerate(lanes)}
    width = 60 + LANE_W * len(lanes)
    height = TOP + ROW_H * max(1, len(shown)) + 20
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="swim-lane diagram of the flow">',
             "<defs>" + "".join(_marker(i, c) for i, c in enumerate(_COLOURS)) + "</defs>"]
    for name in lanes:
        role = "Browser" if name == "Browser" else roles.get(name, "other")
        fill = {"Browser": "#eef1f4", "SP": "#e7f0ff", "IdP": "#fff1e6"}.get(role, "#f4f4f5")
        cx = x[name]
        parts.append(f'<rect x="{cx - LANE_W / 2 + 8:.0f}" y="6" width="{LANE_W - 16}" height="44" rx="8" fill="{fill}" stroke="#d1d9e0"/>')
        parts.append(_text(cx, 24, role if role != "other" else "other host", weight="700", size=13))
        if name != "Browser":
            parts.append(_text(cx, 41, _clip(name, 26), size=11, fill="#59636e"))
        parts.append(f'<line x1="{cx:.0f}" y1="50" x2="{cx:.0f}" y2="{height - 6}" stroke="#c4ccd5" stroke-dasharray="4 4"/>')
    client = next((n for n in lanes if roles.get(n) == "SP"), "Browser")
    for k, r in enumerate(shown):
        y = TOP + k * ROW_H + 14
        src = client if r.back_channel else "Browser"
        if src == r.host:
            src = "Browser"
        x1, x2 = x[src], x[r.host]
        colour = PROTOCOL_COLOURS.get(r.badges[0], "#57606a") if r.badges else "#57606a"
        dash = ' stroke-dasharray="6 3"' if r.back_channel else ""
        parts.append(f'<a href="#hop-{r.index}"><title>#{r.index} {escape(r.method)} {escape(r.host)}{escape(r.path)}</title>')
        parts.append(f'<line x1="{x1:.0f}" y1="{y}" x2="{x2 - 6 if x2 > x1 else x2 + 6:.0f}" y2="{y}" stroke="{colour}" '
                     f'stroke-width="{2.2 if r.badges else 1.4}"{dash} marker-end="url(#ah{_COLOURS.index(colour)})"/>')
        left, right = min(x1, x2), max(x1, x2)
        label = f"#{r.index} {r.method} {_clip(r.path.split('?', 1)[0], 30)}"
        badge = f" [{' '.join(r.badges)}]" if r.badges else ""
        # Left-aligned above the arrow: a short arrow's label may run on over the next lanes, never into its status.
        parts.append(_text(left + 8, y - 7, label + badge, size=11, anchor="start", fill=colour if r.badges else "#1f2328",
                           weight="600" if r.badges else "400"))
        status = "failed" if r.status is None else str(r.status)
        st_colour = "#cf222e" if r.status is None or r.status >= 400 else "#0550ae" if r.status >= 300 else "#1a7f37"
        sx = right + 8 if x2 >= x1 else left - 8
        parts.append(_text(sx, y + 5, status, size=11, anchor="start" if x2 >= x1 else "end", fill=st_colour, weight="700"))
        parts.append("</a>")
    if not shown:
        parts.append(_text(width / 2, TOP + 10, "no hops recorded", fill="#59636e"))
    parts.append("</svg>")
    note = f"<p class='sub'>The first {MAX_ROWS} of {sum(1 for r in rows if not r.minor)} hops are drawn.</p>" \
        if sum(1 for r in rows if not r.minor) > MAX_ROWS else ""
    legend = ("<p class='sub' style='margin:6px 8px'>Solid arrows: the browser's requests; dashed: server-to-server calls. "
              "The number at the arrow head is the HTTP status. Click an arrow to open its hop.</p>")
    return f"<div class='lanes card'>{''.join(parts)}{legend}{note}</div>"
