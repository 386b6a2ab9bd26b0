"""Browser-side rules: cookies the browser dropped, and redirect loops.

Chromium rejects a ``SameSite=None`` cookie without ``Secure`` (since
Chrome 80) and a ``Secure`` cookie set over plain HTTP from a non-local
origin, and it does not attach ``SameSite=Lax`` (the default) cookies to a
cross-site POST, which is exactly how a SAML Response or a ``form_post``
answer reaches an SP (RFC 6265bis §5.4.7). An SP that kept its login state
in such a cookie loses it and usually starts the login again: a loop.

A loop is the same request made again and again. A sign-in of several
screens (Entra's account picker, password, method choice, consent ...)
posts each screen's form back to one URL, and each post answers with the
next page: those are different requests that happen to share a URL, so a
POST answered with a page counts as a visit of its form (the field names,
and the screen it says it answers), not of the bare URL. The same form
posted again and again is still a loop.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit

from sso_harness.capture.hop import Hop
from sso_harness.capture.scope import is_loopback_host
from sso_harness.diagnose.cookies import SetCookie, cookie_names, parse_set_cookie
from sso_harness.diagnose.evidence import Evidence
from sso_harness.diagnose.finding import Finding

__all__ = ["dropped_cookies", "redirect_loop"]

# Chromium's "Lax-allowing-unsafe": a cookie without SameSite still rides a
# top-level cross-site POST within two minutes of being set.
LAX_GRACE_SECONDS = 120.0
VOLATILE = frozenset({
    "samlrequest", "samlresponse", "relaystate", "signature", "sigalg", "state", "nonce", "code", "session_state",
    "client-request-id", "ctx", "flowtoken", "sso_nonce", "_", "t", "ts", "timestamp", "wctx", "sso_reload",
})
# Form fields whose value names the screen a post answers (Entra's ``type``, a scripted page's ``step``):
# a post of another screen to the same URL is progress, not a repeat.
SCREEN_FIELDS = frozenset({"step", "type"})


def dropped_cookies(ev: Evidence) -> Iterator[Finding]:
    jar: list[tuple[int, float, str, SetCookie]] = []  # (hop index, time, host it was set on, cookie)
    for h in ev.trace.hops:
        hop = h.hop
        host = hop.host
        if hop.request_header("sec-fetch-site") == "cross-site" and (hop.method != "GET" or h.is_document):
            sent = cookie_names(hop.request_header("cookie"))
            for set_at, when, set_on, c in jar:
                if c.name in sent or not c.matches(host, hop.path, set_on):
                    continue
                mode = c.same_site or "lax"
                if mode == "strict" or (mode == "lax" and hop.method != "GET" and (c.same_site or hop.started - when > LAX_GRACE_SECONDS)):
                    label = f"SameSite={c.same_site.capitalize()}" if c.same_site else "no SameSite attribute (Lax by default)"
                    yield Finding(
                        "cookie-dropped", "warning", hop.index, h.label,
                        f"The browser did not send cookie {c.name!r} (set at {ev.label(set_at)} with {label}) with this "
                        f"cross-site {hop.method}; if the site keeps its login state in it, that state is lost here.",
                        f"Set {c.name!r} with SameSite=None; Secure (and serve the site over HTTPS) if it must survive the "
                        "IdP's POST back, or keep the state in RelayState/state instead of a cookie.",
                    )
        for name, value in hop.response_headers:
            if name.lower() != "set-cookie":
                continue
            cookie = parse_set_cookie(value)
            if cookie is None:
                continue
            jar = [j for j in jar if not (j[3].name == cookie.name and j[2] == host)]
            if cookie.deletes:
                continue
            if cookie.same_site == "none" and not cookie.secure:
                yield Finding(
                    "cookie-rejected", "error", hop.index, h.label,
                    f"Cookie {cookie.name!r} is set with SameSite=None but without Secure; Chromium rejects it, "
                    "so the browser never sends it back.",
                    f"Add the Secure attribute to {cookie.name!r} (SameSite=None requires it) and serve the site over HTTPS.",
                )
                continue
            if cookie.secure and urlsplit(hop.url).scheme == "http" and not is_loopback_host(host):
                yield Finding(
                    "cookie-rejected", "error", hop.index, h.label,
                    f"Cookie {cookie.name!r} is marked Secure but was set over plain HTTP; the browser rejects it.",
                    "Serve the site over HTTPS, or (only for local testing) drop the Secure attribute.",
                )
                continue
            jar.append((hop.index, hop.started, host, cookie))


def _loop_key(method: str, url: str) -> str:
    parts = urlsplit(url)
    query = [(k, "" if k.lower() in VOLATILE else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    return f"{method} {parts.scheme}://{parts.netloc.lower()}{parts.path}" + (f"?{urlencode(query)}" if query else "")


def _screen(hop: Hop) -> str:
    """Which form a POST answered with a page submitted: its field names and the screen it names (empty:
    not such a post). Never a field's other values: those are the user's input (passwords, codes)."""
    if hop.method.upper() != "POST" or hop.is_redirect:
        return ""
    form = hop.form
    if not form:
        return ""
    named = sorted(f"{k}={v}" for k, v in form.items() if k.lower() in SCREEN_FIELDS)
    return " form(" + ",".join(sorted(form)) + (";" + ",".join(named) if named else "") + ")"


def redirect_loop(ev: Evidence) -> Iterator[Finding]:
    limit = ev.tolerances.loop
    seen: dict[str, list[int]] = {}
    for h in ev.trace.hops:
        if not (h.hop.is_redirect or h.is_document) or h.hop.back_channel:
            continue
        key = _loop_key(h.hop.method, h.hop.url) + _screen(h.hop)
        seen.setdefault(key, []).append(h.hop.index)
    for key, indexes in seen.items():
        if len(indexes) > limit:
            at = indexes[limit]
            shown = ", ".join(f"#{i}" for i in indexes[:8]) + (" …" if len(indexes) > 8 else "")
            yield Finding(
                "redirect-loop", "error", at, ev.label(at),
                f"Redirect loop: the browser requested {key.split('?', 1)[0].split(' form(', 1)[0]} {len(indexes)} times (hops {shown}); "
                f"more than {limit} visits to the same URL means the flow goes round in circles.",
                "Look at the hop before each repeat: usually the SP refuses the login (see the other findings), loses its "
                "session cookie (SameSite, Secure, domain), or two apps each send the user to the other.",
            )
