"""One SAML SP engine, shared by the generic SP and the seed-system profiles.

pysaml2's :class:`saml2.client.Saml2Client` writes the AuthnRequests and
validates Responses a second time; :mod:`sso_harness.mocks.saml.sp_checks` gives every
refusal a name. A Response is accepted only when both agree (SAML profiles
§4.1.4.3: signature by a configured certificate, audience, recipient,
destination, time window with skew, InResponseTo, one-time use).

The trusted IdP is what an admin pastes into an SP's SSO settings: entity
ID, SSO URL and one or more signing certificates (several at once for
rollover). pysaml2 reads it as metadata synthesised from those settings.

``force_authn`` is the SP's "always ask the IdP for a fresh sign-in"
setting: its AuthnRequests then carry ForceAuthn="true" (SAML core §3.4.1).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field

from cryptography import x509
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.samlp import RequestedAuthnContext
from saml2.saml import AuthnContextClassRef

from sso_harness.protocols import DecodeError
from sso_harness.protocols.encoding import b64decode_lenient
from sso_harness.protocols.saml import Response as SamlResponse
from sso_harness.protocols.saml import parse_saml
from sso_harness.mocks.base.clock import Clock, system_clock
from sso_harness.mocks.saml.crypto import InProcessCrypto
from sso_harness.mocks.saml.metadata import BINDING_REDIRECT, Endpoint, idp_descriptor, to_xml
from sso_harness.mocks.saml.sp_checks import CheckFailure, SpPolicy, check_response

__all__ = ["TrustedIdp", "Accepted", "Refused", "SamlSpEngine"]

_REPLAY_CACHE = 10_000


@dataclass(frozen=True)
class TrustedIdp:
    """An SP's IdP settings: entity ID, SSO URL (HTTP-Redirect) and signing certificates."""

    entity_id: str
    sso_url: str
    certificates: tuple[x509.Certificate, ...]
    slo_url: str | None = None


@dataclass(frozen=True)
class Accepted:
    name_id: str
    name_id_format: str | None
    attributes: dict[str, tuple[str, ...]]
    session_index: str | None
    relay_state: str | None
    in_response_to: str | None
    target: str | None
    """What the SP stored with its AuthnRequest (where to go back to), for SP-initiated logins."""


@dataclass(frozen=True)
class Refused:
    failures: tuple[CheckFailure, ...]
    relay_state: str | None = None


@dataclass(frozen=True)
class _Requested:
    target: str


@dataclass
class _State:
    outstanding: dict[str, _Requested] = field(default_factory=dict)
    seen: OrderedDict[str, None] = field(default_factory=OrderedDict)


class SamlSpEngine:
    """AuthnRequests out (:meth:`start`), Responses in (:meth:`consume`). Thread-safe."""

    def __init__(
        self,
        *,
        entity_id: str,
        acs_url: str,
        clock: Clock = system_clock,
        allow_unsolicited: bool = False,
        skew: dt.timedelta = dt.timedelta(seconds=60),
        name_id_format: str | None = None,
        requested_authn_context: tuple[str, ...] = (),
        idp: TrustedIdp | None = None,
        force_authn: bool = False,
    ) -> None:
        self.entity_id = entity_id
        self.acs_url = acs_url
        self.clock = clock
        self.allow_unsolicited = allow_unsolicited
        self.skew = skew
        self.name_id_format = name_id_format
        self.requested_authn_context = requested_authn_context
        #: AuthnRequests carry ForceAuthn="true"; settable at any time, :meth:`reset` restores the constructed value.
        self.force_authn = force_authn
        self._configured_force_authn = force_authn
        self._lock = threading.Lock()
        self._state = _State()
        self.idp: TrustedIdp | None = None
        self._client: Saml2Client | None = None
        self.trust(idp)

    def trust(self, idp: TrustedIdp | None) -> None:
        """Replace the IdP settings (None: SSO not configured)."""
        client = self._make_client(idp) if idp is not None else None
        with self._lock:
            self.idp, self._client = idp, client

    def reset(self) -> None:
        with self._lock:
            self._state = _State()
            self.force_authn = self._configured_force_authn

    # -- SP-initiated -------------------------------------------------------
    def start(self, target: str, relay_state: str | None = None) -> str:
        """The IdP URL (HTTP-Redirect) carrying a fresh AuthnRequest; ``target``
        is remembered under the request ID."""
        with self._lock:
            client, idp = self._client, self.idp
        if client is None or idp is None:
            raise LookupError("SSO is not configured: no identity provider")
        kwargs: dict[str, object] = {}
        if self.requested_authn_context:
            kwargs["requested_authn_context"] = RequestedAuthnContext(
                authn_context_class_ref=[AuthnContextClassRef(text=c) for c in self.requested_authn_context],
                comparison="exact",
            )
        if self.force_authn:
            kwargs["force_authn"] = "true"
        request_id, info = client.prepare_for_authenticate(
            entityid=idp.entity_id, relay_state=relay_state or "", binding=BINDING_HTTP_REDIRECT, **kwargs
        )
        with self._lock:
            self._state.outstanding[request_id] = _Requested(target)
        return str(dict(info["headers"])["Location"])

    # -- ACS ------------------------------------------------------------------
    def consume(self, form: Mapping[str, str]) -> Accepted | Refused:
        relay = form.get("RelayState")
        encoded = form.get("SAMLResponse")
        with self._lock:
            client, idp = self._client, self.idp
            outstanding = dict(self._state.outstanding)
            seen = set(self._state.seen)
        if not encoded:
            return Refused((CheckFailure("binding", "the POST carries no SAMLResponse"),), relay)
        if client is None or idp is None:
            return Refused((CheckFailure("configuration", "SAML single sign-on is not configured on this site"),), relay)
        try:
            message = parse_saml(b64decode_lenient(encoded, where="SAMLResponse"), trusted_certs=idp.certificates)
        except DecodeError as exc:
            return Refused((CheckFailure("format", str(exc)),), relay)
        if not isinstance(message, SamlResponse):
            return Refused((CheckFailure("format", f"expected a samlp:Response, got {message.kind}"),), relay)
        policy = SpPolicy(self.entity_id, self.acs_url, idp.entity_id, self.allow_unsolicited, self.skew)
        failures = check_response(message, policy, outstanding=outstanding, seen_assertions=seen, now=self.clock())
        if not failures:
            failures = self._pysaml2_verdict(client, encoded, outstanding)
        if failures:
            return Refused(tuple(failures), relay)
        assertion = message.assertion
        assert assertion is not None and assertion.name_id is not None  # check_response guarantees both
        with self._lock:
            requested = self._state.outstanding.pop(message.in_response_to or "", None)
            if assertion.id in self._state.seen:  # a concurrent replay of the same assertion
                return Refused((CheckFailure("replay", f"assertion {assertion.id} was already consumed"),), relay)
            self._state.seen[assertion.id or ""] = None
            while len(self._state.seen) > _REPLAY_CACHE:
                self._state.seen.popitem(last=False)
        return Accepted(
            name_id=assertion.name_id.value,
            name_id_format=assertion.name_id.format,
            attributes=dict(assertion.attributes),
            session_index=assertion.session_index,
            relay_state=relay,
            in_response_to=message.in_response_to,
            target=requested.target if requested else None,
        )

    def _pysaml2_verdict(self, client: Saml2Client, encoded: str, outstanding: dict[str, _Requested]) -> list[CheckFailure]:
        try:
            result = client.parse_authn_request_response(
                encoded, BINDING_HTTP_POST, {k: v.target for k, v in outstanding.items()}
            )
        except Exception as exc:  # pysaml2 signals refusal with many exception types
            return [CheckFailure("pysaml2", f"{type(exc).__name__}: {exc}")]
        if result is None:
            return [CheckFailure("pysaml2", "the response was refused without a reason")]
        return []

    # -- pysaml2 wiring ---------------------------------------------------------
    def _make_client(self, idp: TrustedIdp) -> Saml2Client:
        metadata = to_xml(
            idp_descriptor(
                idp.entity_id,
                sso=[Endpoint(BINDING_REDIRECT, idp.sso_url)],
                certificates=idp.certificates,
            )
        )
        sp: dict[str, object] = {
            "endpoints": {"assertion_consumer_service": [(self.acs_url, BINDING_HTTP_POST)]},
            # Entra signs the assertion by default, the Response on request, or
            # both: a careful SP accepts a trusted signature on either.
            "want_assertions_signed": False,
            "want_response_signed": False,
            "want_assertions_or_response_signed": True,
            "allow_unsolicited": self.allow_unsolicited,
            "authn_requests_signed": False,
        }
        if self.name_id_format:
            sp["name_id_policy_format"] = self.name_id_format
        config = SPConfig()
        config.load(
            {
                "entityid": self.entity_id,
                "service": {"sp": sp},
                "metadata": {"inline": [metadata]},
                "accepted_time_diff": int(self.skew.total_seconds()),
            }
        )
        client = Saml2Client(config=config)
        client.sec.crypto = InProcessCrypto()
        return client
