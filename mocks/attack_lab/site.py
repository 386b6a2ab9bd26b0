"""The attacker's own web server, on loopback: where crafted messages leave from.

A crafted SAMLResponse reaches the SP's ACS the way a real attack would: the
victim's browser opens a page on the attacker's site that posts a form
across sites (SAML bindings §3.5.4). Crafted OAuth callbacks leave the same
way, by a page that navigates to them. The site also listens for what a
vulnerable target would send back: an out-of-band fetch by an XML parser
(``/oob/{token}``), a browser sent to the attacker's page by an open
redirect (``/landing/{token}``, on ``localhost`` so it is another host than
the ``127.0.0.1`` targets), or an authorization code delivered to a
redirect URI the attacker chose (``/callback/{token}``).

Pages are machine-readable as well as self-acting: a form carries its
fields, a redirect page its target in ``<a id="next">``, so a driver without
JavaScript (the unit tests') can follow them too.

The site is an app (a ``Request -> Response`` callable) built with its base
URL: the attack lab serves it with the rest
(:class:`~sso_harness.mocks.attack_lab.lab.AttackLab`), and
:func:`serve_attacker_site` serves it alone.
"""

from __future__ import annotations

import html
import secrets
import threading
from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from urllib.parse import urlsplit

from sso_harness.mocks.web.http import Request, Response, html_page, text_response
from sso_harness.mocks.web.servers import serve_app

__all__ = ["AttackerSite", "Hit", "same_origin", "serve_attacker_site"]


@dataclass(frozen=True)
class Hit:
    kind: str  # "oob", "landing", "callback", "idp"
    token: str
    url: str
    method: str
    query: Mapping[str, str]


class AttackerSite:
    """The site at ``base_url`` (``http://127.0.0.1:PORT``); thread-safe."""

    def __init__(self, base_url: str) -> None:
        self.origin = base_url.rstrip("/")
        port = urlsplit(self.origin).port
        if port is None:
            raise ValueError(f"the attacker site's base URL names no port: {base_url!r}")
        self.port = port
        self._lock = threading.Lock()
        self._staged: dict[str, str] = {}
        self._hits: list[Hit] = []

    # -- addresses -----------------------------------------------------------------------------

    @staticmethod
    def token() -> str:
        return secrets.token_hex(8)

    def oob_url(self, token: str) -> str:
        return f"{self.origin}/oob/{token}"

    def external_url(self, token: str) -> str:
        """The attacker's "external" page: ``localhost`` is another host than any ``127.0.0.1`` target."""
        return f"http://localhost:{self.port}/landing/{token}"

    def callback_url(self, token: str) -> str:
        return f"http://localhost:{self.port}/callback/{token}"

    @property
    def idp_stub_url(self) -> str:
        """An SSO endpoint that records AuthnRequests and answers nothing (for SPs whose IdP the attacker plays)."""
        return f"{self.origin}/idp/sso"

    # -- staging -----------------------------------------------------------------------------
    def stage_form(self, action: str, fields: Mapping[str, str | None]) -> str:
        """A page that posts ``fields`` to ``action`` as soon as it loads; returns its URL."""
        inputs = "".join(
            f"<input type='hidden' name='{html.escape(k)}' value='{html.escape(v)}'>" for k, v in fields.items() if v is not None
        )
        body = (
            f"<form id='attack' method='post' action='{html.escape(action)}'>{inputs}"
            "<noscript><button type='submit'>Continue</button></noscript></form>"
            "<script>document.getElementById('attack').submit()</script>"
        )
        return self._stage(html_page("Loading...", body))

    def stage_redirect(self, url: str) -> str:
        """A page that navigates to ``url`` as soon as it loads; returns its URL."""
        quoted = html.escape(url)
        body = f"<a id='next' href='{quoted}'>Continue</a><script>location.replace(document.getElementById('next').href)</script>"
        return self._stage(html_page("Loading...", body))

    def _stage(self, page: Response) -> str:
        token = self.token()
        with self._lock:
            self._staged[token] = page.body.decode("utf-8")
        return f"{self.origin}/deliver/{token}"

    # -- what came back --------------------------------------------------------------------------
    def hits(self, kind: str, token: str | None = None) -> list[Hit]:
        with self._lock:
            return [h for h in self._hits if h.kind == kind and (token is None or h.token == token)]

    def reset(self) -> None:
        """Forget what was staged and what came back."""
        with self._lock:
            self._hits.clear()
            self._staged.clear()

    # -- HTTP ------------------------------------------------------------------------------------
    def __call__(self, request: Request) -> Response:
        parts = request.path.strip("/").split("/")
        kind, token = (parts + ["", ""])[:2]
        if kind == "deliver":
            with self._lock:
                page = self._staged.get(token)
            return Response(body=page.encode()) if page is not None else html_page("Gone", "<h1>Gone</h1>", status=404)
        if kind in ("oob", "landing", "callback") or request.path == "/idp/sso":
            kind = "idp" if request.path == "/idp/sso" else kind
            self._record(kind, token, request)
            if kind == "oob":
                return text_response("", content_type="application/xml-dtd")
            label = {"landing": "attacker-landing", "callback": "attacker-callback", "idp": "attacker-idp"}[kind]
            return html_page("Attacker", f"<h1 id='{label}'>You reached the attacker's site</h1>")
        return html_page("Not found", "<h1>404</h1>", status=404)

    def _record(self, kind: str, token: str, request: Request) -> None:
        url = f"{request.headers.get('host', '')}{request.path}"
        with self._lock:
            self._hits.append(Hit(kind, token, url, request.method, dict(request.params)))


def same_origin(url: str, origin: str) -> bool:
    a, b = urlsplit(url), urlsplit(origin)
    return (a.scheme, a.netloc) == (b.scheme, b.netloc)


def serve_attacker_site(*, host: str = "127.0.0.1", port: int = 0) -> AbstractContextManager[AttackerSite]:
    """The attacker site alone on ``host`` (port 0: ephemeral), for a ``with`` block."""
    return serve_app(AttackerSite, name="attacker-site", host=host, port=port)
