"""What the seed-system SP emulations share: engine, accounts, sessions, IdP settings.

A profile (Atlassian-like, Alibaba CloudSSO-like, Mitel-like) is a
:class:`ProfileSp` subclass that says how it matches an assertion to one of
its accounts (:meth:`ProfileSp.match`) and where a signed-in user lands
(:meth:`ProfileSp.landing`). Everything else is common: the careful checks
of :class:`~sso_harness.mocks.saml.sp_engine.SamlSpEngine`, a refusal page naming the
failed check, a session cookie named after the mock, and the IdP settings an
admin types in (entity ID, SSO URL, certificates; admin API
``POST /_admin/idp`` with ``{"entity_id", "sso_url", "certificates": "<PEM...>"}``).
"""

from __future__ import annotations

import datetime as dt
import html
import secrets
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from cryptography import x509

from sso_harness.protocols.xml.dsig import load_certificates
from sso_harness.mocks.web.app import MockApp
from sso_harness.mocks.base.clock import Clock, system_clock
from sso_harness.mocks.web.http import Request, Response, html_page, json_response, redirect
from sso_harness.mocks.web.routing import Router
from sso_harness.mocks.saml.metadata import BINDING_POST, Endpoint, sp_descriptor, to_xml
from sso_harness.mocks.saml.sp_checks import CheckFailure
from sso_harness.mocks.saml.sp_engine import Accepted, SamlSpEngine, TrustedIdp
from sso_harness.mocks.saml.sp_pages import refused_page

__all__ = ["Account", "ProfileSp", "certificates_from_pem"]


@dataclass(frozen=True)
class Account:
    """A user as the SP knows them."""

    username: str
    display_name: str = ""
    email: str = ""
    password: str = ""

    def __repr__(self) -> str:
        return f"Account(username={self.username!r})"


def certificates_from_pem(text: str | bytes) -> tuple[x509.Certificate, ...]:
    """One or more PEM certificates pasted one after another (or base64 DER)."""
    data = text.encode() if isinstance(text, str) else text
    return tuple(load_certificates(data))


class ProfileSp(MockApp):
    brand = "SP"
    allow_unsolicited = True

    def __init__(
        self,
        *,
        base_url: str,
        entity_id: str,
        acs_url: str,
        accounts: Sequence[Account],
        idp: TrustedIdp | None = None,
        clock: Clock = system_clock,
        skew: dt.timedelta = dt.timedelta(seconds=60),
        requested_authn_context: tuple[str, ...] = (),
        force_authn: bool = False,
    ) -> None:
        super().__init__(base_url=base_url, clock=clock)
        self.entity_id = entity_id
        self.acs_url = acs_url
        self._initial_accounts = tuple(accounts)
        self.accounts = self._initial_accounts
        self._initial_idp = idp
        self.engine = SamlSpEngine(
            entity_id=entity_id,
            acs_url=acs_url,
            clock=clock,
            allow_unsolicited=self.allow_unsolicited,
            skew=skew,
            requested_authn_context=requested_authn_context,
            idp=idp,
            force_authn=force_authn,
        )
        self._sessions: dict[str, Account] = {}
        self._lock = threading.Lock()

    # -- to be provided by profiles ----------------------------------------------------------
    def match(self, accepted: Accepted) -> Account | CheckFailure:
        raise NotImplementedError

    def landing(self, accepted: Accepted, account: Account) -> str:
        raise NotImplementedError

    # -- shared behaviour ---------------------------------------------------------------------
    def admin_routes(self, router: Router) -> None:
        router.add("POST", "/_admin/idp", self._admin_idp)

    def reset_state(self) -> None:
        self.accounts = self._initial_accounts
        self.engine.trust(self._initial_idp)
        self.engine.reset()
        with self._lock:
            self._sessions.clear()

    @property
    def idp(self) -> TrustedIdp | None:
        return self.engine.idp

    def configure_idp(self, entity_id: str, sso_url: str, certificates: str | bytes | Sequence[x509.Certificate]) -> TrustedIdp:
        """The SP's SSO settings: IdP entity ID, SSO URL and signing certificate(s)."""
        certs = certificates_from_pem(certificates) if isinstance(certificates, (str, bytes)) else tuple(certificates)
        idp = TrustedIdp(entity_id, sso_url, certs)
        self.engine.trust(idp)
        return idp

    @property
    def metadata_xml(self) -> str:
        return to_xml(sp_descriptor(self.entity_id, acs=[Endpoint(BINDING_POST, self.acs_url)], want_assertions_signed=True))

    def metadata_response(self, request: Request | None = None, _: Mapping[str, str] | None = None) -> Response:
        return Response(body=self.metadata_xml.encode(), content_type="application/samlmetadata+xml")

    def account(self, request: Request) -> Account | None:
        with self._lock:
            return self._sessions.get(request.cookies.get(self.cookie("session"), ""))

    def find_account(self, name: str, *, by: str = "username") -> Account | None:
        wanted = name.strip().lower()
        return next((a for a in self.accounts if getattr(a, by).lower() == wanted and wanted), None)

    def start_sso(self, target: str, relay_state: str | None) -> Response:
        try:
            return redirect(self.engine.start(target, relay_state))
        except LookupError:
            return refused_page([CheckFailure("configuration", "SAML single sign-on is not configured on this site")], brand=self.brand, status=409)

    def consume(self, request: Request) -> Response:
        verdict = self.engine.consume(request.form)
        if not isinstance(verdict, Accepted):
            return refused_page(verdict.failures, brand=self.brand)
        found = self.match(verdict)
        if isinstance(found, CheckFailure):
            return refused_page([found], brand=self.brand)
        return self.sign_in(found, self.landing(verdict, found))

    def sign_in(self, account: Account, target: str) -> Response:
        session = secrets.token_urlsafe(24)
        with self._lock:
            self._sessions[session] = account
        return redirect(target).set_cookie(self.cookie("session"), session)

    def page(self, title: str, account: Account | None, body: str, status: int = 200) -> Response:
        who = f"<p>Signed in as <span id='user'>{html.escape(account.username)}</span></p>" if account else ""
        return html_page(f"{title} - {self.brand}", f"<header id='brand'>{html.escape(self.brand)}</header><h1>{html.escape(title)}</h1>{who}{body}", status)

    def _admin_idp(self, request: Request, _: Mapping[str, str]) -> Response:
        try:
            body = request.json()
            if not isinstance(body, dict):
                raise ValueError("the body is a JSON object")
            idp = self.configure_idp(str(body["entity_id"]), str(body["sso_url"]), str(body["certificates"]))
        except (ValueError, KeyError) as exc:
            return json_response({"error": f"expected entity_id, sso_url and certificates (PEM): {exc}"}, status=400)
        return json_response({"ok": True, "entity_id": idp.entity_id, "certificates": len(idp.certificates)})
