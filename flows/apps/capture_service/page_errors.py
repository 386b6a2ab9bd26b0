"""A recorder that also keeps the error lines of HTML pages (Entra's ``AADSTSnnnnn: ...`` page).

The capture recorder keeps response bodies only for protocol payloads
(JSON, JWT). An IdP's HTML error page is where the cause of many failures
is written (Entra's InvalidReplyTo page quotes ``AADSTS50011: The redirect
URI ...``), so this recorder reads small HTML responses and keeps the lines
that name an AADSTS code, as diagnosis evidence for the hop that served it.
"""

from __future__ import annotations

import html
import re
import threading

from mitmproxy import http

from sso_harness.capture.recorder import BLOCKED_KEY, Recorder
from sso_harness.diagnose import PageText
from sso_harness.protocols.catalogues import find_codes

__all__ = ["PageErrorRecorder", "error_lines"]

HTML_LIMIT = 512 * 1024
_TAGS = re.compile(r"<script\b.*?</script>|<style\b.*?</style>|<[^>]+>", re.S | re.I)


def error_lines(page_html: str, *, limit: int = 5) -> str:
    """The visible lines of ``page_html`` that name an AADSTS code (at most ``limit``)."""
    text = html.unescape(_TAGS.sub("\n", page_html))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join([line for line in lines if find_codes(line)][:limit])


class PageErrorRecorder(Recorder):
    """:class:`~sso_harness.capture.recorder.Recorder` plus :attr:`pages`: error text of HTML pages, by hop."""

    def __init__(self, *, loopback_only: bool = True, body_limit: int = 256 * 1024, all_response_bodies: bool = False) -> None:
        super().__init__(loopback_only=loopback_only, body_limit=body_limit, all_response_bodies=all_response_bodies)
        self._pages_lock = threading.Lock()
        self._pages: list[PageText] = []

    def response(self, flow: http.HTTPFlow) -> None:
        super().response(flow)
        resp = flow.response
        if flow.metadata.get(BLOCKED_KEY) or resp is None:
            return
        if "html" not in resp.headers.get("content-type", "").lower():
            return
        body = (resp.get_content(strict=False) or b"")[:HTML_LIMIT]
        lines = error_lines(body.decode("utf-8", "replace"))
        if lines:
            # Hooks run one at a time on the proxy's event loop, so the hop just kept is the last one.
            with self._pages_lock:
                self._pages.append(PageText(flow.request.pretty_url, lines, self.mark() - 1))

    def pages(self, since: int = 0) -> list[PageText]:
        with self._pages_lock:
            return [p for p in self._pages if p.hop is None or p.hop >= since]
