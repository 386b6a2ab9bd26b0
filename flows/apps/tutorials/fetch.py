"""A fetch flow: one HTTP request through the capture proxy, no browser.

Guides say "download the SP metadata", "download the Federation Metadata
XML", or show that a form refuses a password: a plain request does that.
It goes through the capture proxy, so it is a hop of the flow's trace, and
its body is kept for the ``document.*`` probes (bounded at 2 MiB).
"""

from __future__ import annotations

import ssl
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping

from sso_harness.trace.recording import FlowRecording
from sso_harness.apps.tutorials.outcome import FetchedDocument

__all__ = ["fetch_document"]

_LIMIT = 2 * 1024 * 1024


def fetch_document(
    url: str,
    recording: FlowRecording,
    *,
    proxy_url: str,
    method: str = "GET",
    form: Mapping[str, str] | None = None,
    cafile: str | None = None,
    timeout_s: float = 15.0,
) -> tuple[FetchedDocument | None, str | None]:
    """``(document, None)``, or ``(None, why)`` when nothing came back at all."""
    data = urllib.parse.urlencode(dict(form)).encode() if form else None
    request = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
    handlers: list[urllib.request.BaseHandler] = [urllib.request.ProxyHandler({"http": proxy_url, "https": proxy_url})]
    if cafile:
        handlers.append(urllib.request.HTTPSHandler(context=ssl.create_default_context(cafile=cafile)))
    opener = urllib.request.build_opener(*handlers)
    try:
        with opener.open(request, timeout=timeout_s) as answer:
            status, body = answer.status, answer.read(_LIMIT)
    except urllib.error.HTTPError as exc:  # an answer all the same: a refusal is evidence
        status, body = exc.code, exc.read(_LIMIT)
    except OSError as exc:
        return None, f"{method} {url} failed: {exc}"
    hops = [h for h in recording.hops() if h.url == url and h.method == method]
    label = hops[-1].label if hops else f"{method} {url}"
    return FetchedDocument(url, status, body.decode("utf-8", "replace"), label), None
