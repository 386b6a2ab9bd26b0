"""The harness redeems an SP's authorization code in the SP's place (a real target only).

A real SP's server sends its token request server to server, outside
the capture proxy, so the token side of a tenant's app registration is never
seen. With the target SP's client ID and client secret (from the
environment, through the targets file), the harness can check it itself:
:func:`hold_code` keeps the browser's arrival at the SP's redirect URI from
reaching the SP (the page is answered locally, so the SP never spends the
code), and :func:`redeem_code` posts the code to the token endpoint through
the capture proxy, where the exchange is recorded like any other hop. The
request repeats the SP's own ``redirect_uri`` and ``scope`` (read from its
authorization request in the trace). The secret is sent only to the token
endpoint and never shown.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit

from playwright.sync_api import Page, Route

from sso_harness.browser.oidc_client import opener_for
from sso_harness.trace.trace import Trace

__all__ = ["Redemption", "hold_code", "redeem_code"]

_HELD = "<!doctype html><title>code held</title><p>The harness holds this authorization code and redeems it itself.</p>"


@dataclass(frozen=True)
class Redemption:
    token_url: str
    client_id: str
    client_secret: str = field(repr=False)


def hold_code(page: Page, redirect_prefix: str) -> Callable[[], None]:
    """Answer navigations to ``redirect_prefix`` in the browser itself; returns the undo."""

    def matches(url: str) -> bool:
        return url.startswith(redirect_prefix)

    def answer(route: Route) -> None:
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=_HELD)

    page.route(matches, answer)
    return lambda: page.unroute(matches, answer)


def _sp_request(trace: Trace) -> tuple[str | None, str]:
    """The SP's ``redirect_uri`` and space-joined ``scope`` from its (first) authorization request."""
    for hop in trace.hops:
        for m in hop.messages:
            if m.kind == "oauth.authorize_request":
                request = m.message
                return getattr(request, "redirect_uri", None), " ".join(getattr(request, "scope", ()) or ())
    return None, ""


def redeem_code(
    callback_url: str, trace: Trace, redemption: Redemption, *, proxy_url: str, cafile: str | None, timeout_s: float = 15.0
) -> str | None:
    """Post the code of ``callback_url`` to the token endpoint; None when the endpoint answered (an error
    answer is a result for the checks), else why no answer came (no code, or the endpoint unreachable)."""
    callback = dict(parse_qsl(urlsplit(callback_url).query))
    if "code" not in callback:
        return None  # the IdP refused at the authorization step: the trace says why, nothing to redeem
    redirect_uri, scope = _sp_request(trace)
    body = {
        "grant_type": "authorization_code",
        "code": callback["code"],
        "redirect_uri": redirect_uri or callback_url.split("?", 1)[0],
        "client_id": redemption.client_id,
        "client_secret": redemption.client_secret,
    }
    if scope:
        body["scope"] = scope
    request = urllib.request.Request(redemption.token_url, data=urlencode(body).encode(), method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"})
    try:
        with opener_for(proxy_url, cafile).open(request, timeout=timeout_s) as answer:
            answer.read()
    except urllib.error.HTTPError as err:  # a refusal is in the trace, decoded like the SP's own would be
        err.read()
    except OSError as exc:
        return f"the harness could not redeem the code at {redemption.token_url}: {exc}"
    return None
