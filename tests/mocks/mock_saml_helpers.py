"""Building AuthnRequests by hand and reading the Responses the mocks post back."""

from __future__ import annotations

import base64
import datetime as dt

from sso_harness.protocols.saml import parse_saml
from sso_harness.protocols.saml.messages import Response
from sso_harness.mocks.saml.redirect import redirect_url
from sso_harness.mocks.saml.response_builder import iso

SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"


def authn_request(
    issuer: str,
    *,
    acs: str | None = None,
    request_id: str = "_req-0001",
    destination: str = "",
    name_id_format: str | None = None,
    sp_name_qualifier: str | None = None,
    classes: tuple[str, ...] = (),
    subject: str | None = None,
    force_authn: bool = False,
) -> bytes:
    attrs = f'ID="{request_id}" Version="2.0" IssueInstant="{iso(dt.datetime.now(dt.timezone.utc))}"'
    if destination:
        attrs += f' Destination="{destination}"'
    if acs:
        attrs += f' AssertionConsumerServiceURL="{acs}"'
    if force_authn:
        attrs += ' ForceAuthn="true"'
    body = f'<saml:Issuer>{issuer}</saml:Issuer>'
    if subject:
        body += f"<saml:Subject><saml:NameID>{subject}</saml:NameID></saml:Subject>"
    if name_id_format or sp_name_qualifier:
        policy = f' Format="{name_id_format}"' if name_id_format else ""
        policy += f' SPNameQualifier="{sp_name_qualifier}"' if sp_name_qualifier else ""
        body += f"<samlp:NameIDPolicy{policy}/>"
    if classes:
        refs = "".join(f"<saml:AuthnContextClassRef>{c}</saml:AuthnContextClassRef>" for c in classes)
        body += f'<samlp:RequestedAuthnContext Comparison="exact">{refs}</samlp:RequestedAuthnContext>'
    return f'<samlp:AuthnRequest xmlns:samlp="{SAMLP}" xmlns:saml="{SAML}" {attrs}>{body}</samlp:AuthnRequest>'.encode()


def sso_url(endpoint: str, xml: bytes, relay_state: str | None = None) -> str:
    return redirect_url(endpoint, "SAMLRequest", xml, relay_state)


def decode_response(encoded: str, certs=(), now: dt.datetime | None = None) -> Response:  # type: ignore[no-untyped-def]
    message = parse_saml(base64.b64decode(encoded), trusted_certs=list(certs), now=now)
    assert isinstance(message, Response), message
    return message
