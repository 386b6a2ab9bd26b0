"""Jira-like OAuth 2.0 client: an incoming-mail integration with Microsoft as provider.

From the Jira guide: an integration holds the authorization and token
endpoints (the "Microsoft" preset uses the ``common`` v2 endpoints), client
ID, client secret (the secret's *Value*), scopes and a redirect URL.
"Test connection" runs the authorization code flow (RFC 6749 §4.1): the
browser goes to the authorize endpoint, comes back to the redirect URL, and
Jira redeems the code at the token endpoint *server to server* (through
``outbound``, so the capture proxy can record it). The page then says the
connection works, or shows the AADSTS message, and the log keeps the line
Jira writes ("Error occurred while authorizing an integration. The error
message is: ...").

Endpoints::

    GET  /secure/admin/oauth2                              the integration and its Test connection button
    POST /rest/oauth2-client/latest/config/flow/{id}       Test connection: starts the flow
    GET  /rest/oauth2-client/latest/callback               the redirect URL
    GET  /_admin/log                                       the log lines (JSON)
    POST /_admin/config                                    change the integration (JSON, field names below)
"""

from __future__ import annotations

import html
import json
import re
import secrets
import threading
from collections.abc import Mapping
from dataclasses import dataclass, fields
from urllib.parse import urlencode

from sso_harness.mocks.base.records import with_changes
from sso_harness.mocks.web.app import MockApp
from sso_harness.mocks.base.clock import Clock, system_clock
from sso_harness.mocks.web.http import Request, Response, html_page, json_response, redirect
from sso_harness.mocks.web.outbound import OutboundError, OutboundHttp
from sso_harness.mocks.web.routing import Router

__all__ = ["OAuthIntegration", "JiraOAuthClient", "SCOPE_SETS", "SCOPES_IMAP_POP", "SCOPES_IMAP_POP_GCC", "SCOPES_GRAPH_MAIL"]

SCOPES_IMAP_POP = ("https://outlook.office.com/IMAP.AccessAsUser.All", "https://outlook.office.com/POP.AccessAsUser.All", "offline_access")
SCOPES_IMAP_POP_GCC = ("https://outlook.office365.com/IMAP.AccessAsUser.All", "https://outlook.office365.com/POP.AccessAsUser.All", "offline_access")
SCOPES_GRAPH_MAIL = ("Mail.ReadWrite", "offline_access")
SCOPE_SETS = {"imap-pop": SCOPES_IMAP_POP, "imap-pop-gcc": SCOPES_IMAP_POP_GCC, "graph": SCOPES_GRAPH_MAIL}
CALLBACK = "/rest/oauth2-client/latest/callback"


@dataclass(frozen=True)
class OAuthIntegration:
    integration_id: str
    name: str
    authorization_endpoint: str
    token_endpoint: str
    client_id: str
    client_secret: str
    scopes: tuple[str, ...] = SCOPES_IMAP_POP
    provider: str = "Microsoft"

    def __repr__(self) -> str:  # the secret stays out of logs and reports
        return f"OAuthIntegration(name={self.name!r}, client_id={self.client_id!r})"


@dataclass(frozen=True)
class TestResult:
    ok: bool
    message: str
    error_codes: tuple[int, ...] = ()
    scope: str = ""


class JiraOAuthClient(MockApp):
    name = "jira"

    def __init__(self, *, base_url: str, integration: OAuthIntegration, outbound: OutboundHttp | None = None, clock: Clock = system_clock) -> None:
        super().__init__(base_url=base_url, clock=clock)
        self._initial = integration
        self.integration = integration
        self.outbound = outbound or OutboundHttp()
        self._lock = threading.Lock()
        self._states: dict[str, str] = {}
        self.log: list[str] = []
        self.last_result: TestResult | None = None
        r = self.routes
        r.add("GET", "/secure/admin/oauth2", self._admin_page)
        r.add("POST", "/rest/oauth2-client/latest/config/flow/{id}", self._start)
        r.add("GET", CALLBACK, self._callback)

    @property
    def redirect_url(self) -> str:
        return f"{self.base_url}{CALLBACK}"

    @property
    def test_connection_url(self) -> str:
        return f"{self.base_url}/secure/admin/oauth2"

    def admin_routes(self, router: Router) -> None:
        router.add("GET", "/_admin/log", lambda req, _: json_response({"log": list(self.log)}))
        router.add("POST", "/_admin/config", self._admin_config)

    def reset_state(self) -> None:
        self.integration = self._initial
        with self._lock:
            self._states.clear()
            self.log.clear()
            self.last_result = None

    def configure(self, **changes: object) -> OAuthIntegration:
        """Edit the integration (field names of :class:`OAuthIntegration`) until reset."""
        if isinstance(changes.get("scopes"), str):
            changes["scopes"] = SCOPE_SETS[str(changes["scopes"])]
        self.integration = with_changes(self.integration, changes)
        return self.integration

    # -- pages ------------------------------------------------------------------------------------
    def _admin_page(self, request: Request, _: Mapping[str, str]) -> Response:
        i = self.integration
        scopes = "".join(f"<li>{html.escape(s)}</li>" for s in i.scopes)
        body = (
            f"<h1>OAuth 2.0 integration: <span id='integration-name'>{html.escape(i.name)}</span></h1>"
            f"<dl><dt>Provider</dt><dd>{html.escape(i.provider)}</dd>"
            f"<dt>Redirect URL</dt><dd id='redirect-url'>{html.escape(self.redirect_url)}</dd>"
            f"<dt>Client ID</dt><dd id='client-id'>{html.escape(i.client_id)}</dd>"
            f"<dt>Authorization endpoint</dt><dd id='authorization-endpoint'>{html.escape(i.authorization_endpoint)}</dd>"
            f"<dt>Token endpoint</dt><dd id='token-endpoint'>{html.escape(i.token_endpoint)}</dd></dl>"
            f"<ul id='scopes'>{scopes}</ul>"
            f"<form method='post' action='/rest/oauth2-client/latest/config/flow/{html.escape(i.integration_id)}'>"
            "<button id='test-connection' type='submit'>Test connection</button></form>"
        )
        return html_page("OAuth 2.0 integrations - Jira", body)

    def _start(self, request: Request, path: Mapping[str, str]) -> Response:
        i = self.integration
        if path["id"] != i.integration_id:
            return html_page("Not found", "<h1>No such integration</h1>", status=404)
        state = secrets.token_urlsafe(24)
        with self._lock:
            self._states[state] = i.integration_id
        query = urlencode(
            {
                "client_id": i.client_id,
                "response_type": "code",
                "redirect_uri": self.redirect_url,
                "scope": " ".join(i.scopes),
                "state": state,
                "response_mode": "query",
                "prompt": "select_account",
            }
        )
        sep = "&" if "?" in i.authorization_endpoint else "?"
        return redirect(i.authorization_endpoint + sep + query)

    def _callback(self, request: Request, _: Mapping[str, str]) -> Response:
        q = request.query
        with self._lock:
            known = self._states.pop(q.get("state", ""), None)
        if known is None:
            result = TestResult(False, "The authorization response does not match a flow Jira started (state mismatch).")
        elif "error" in q:
            result = TestResult(False, q.get("error_description") or q["error"], _codes(q.get("error_description", "")))
        elif not q.get("code"):
            result = TestResult(False, "The authorization response carries no code.")
        else:
            result = self._redeem(q["code"])
        return self._show(result)

    def _redeem(self, code: str) -> TestResult:
        i = self.integration
        fields_ = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": self.redirect_url,
            "client_id": i.client_id,
            "client_secret": i.client_secret,
            "scope": " ".join(i.scopes),
        }
        try:
            answer = self.outbound.post_form(i.token_endpoint, fields_)
        except OutboundError as exc:
            return TestResult(False, f"The token endpoint could not be reached: {exc}")
        try:
            body = json.loads(answer.text())
        except ValueError:
            body = {}
        if not isinstance(body, dict):
            body = {}
        if answer.status == 200 and body.get("access_token"):
            return TestResult(True, "The integration is authorized.", scope=str(body.get("scope", "")))
        description = str(body.get("error_description") or body.get("error") or f"HTTP {answer.status}")
        codes = tuple(c for c in body.get("error_codes", []) if isinstance(c, int)) or _codes(description)
        return TestResult(False, description, codes)

    def _show(self, result: TestResult) -> Response:
        with self._lock:
            self.last_result = result
        if result.ok:
            self.log.append(f"INFO Integration {self.integration.name} authorized.")
            body = (
                "<div id='oauth2-result' data-result='success'>Connection successful.</div>"
                f"<p id='granted-scopes'>{html.escape(result.scope)}</p>"
            )
            return html_page("Test connection - Jira", body)
        self.log.append(f"ERROR Error occurred while authorizing an integration. The error message is: {result.message}")
        first = result.message.splitlines()[0] if result.message else ""
        codes = " ".join(str(c) for c in result.error_codes)
        body = (
            f"<div id='oauth2-result' data-result='error' data-aadsts='{codes}'>Connection failed.</div>"
            f"<p id='error-message'>Error occurred while authorizing an integration. The error message is: {html.escape(first)}</p>"
        )
        return html_page("Test connection - Jira", body, status=400)

    def _admin_config(self, request: Request, _: Mapping[str, str]) -> Response:
        allowed = {f.name for f in fields(OAuthIntegration)} - {"integration_id"}
        try:
            body = request.json()
            if not isinstance(body, dict) or not set(body) <= allowed:
                raise ValueError(f"fields are {sorted(allowed)}")
            if isinstance(body.get("scopes"), list):
                body["scopes"] = tuple(body["scopes"])
            self.configure(**body)
        except (ValueError, KeyError, TypeError) as exc:
            return json_response({"error": str(exc)}, status=400)
        return json_response({"ok": True, "integration": repr(self.integration)})


def _codes(text: str) -> tuple[int, ...]:
    return tuple(dict.fromkeys(int(m) for m in re.findall(r"AADSTS(\d+)", text)))
