"""Builders for test messages: signed SAML, encrypted assertions, signed
Redirect queries, WS-Federation RSTRs with SAML 1.1 tokens, fixed keys.

Everything is real crypto with ``cryptography``; the fixed keys under
``keys/`` are test-only and exist so golden files stay byte-stable.
"""

from __future__ import annotations

import base64
import zlib
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from lxml import etree

from sso_harness.protocols.xml.safe import parse_xml
from sso_harness.protocols.xml.dsig import (
    RSA_SHA256,
    SHA256,
    load_certificates,
    load_private_key,
    sign_element,
)
from sso_harness.protocols.xml.dsig.algorithms import SIGNATURE_METHODS
from sso_harness.protocols.xml.dsig.keys import PrivateKey, sign_octets

KEYS = Path(__file__).resolve().parent / "keys"
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
SAML11 = "urn:oasis:names:tc:SAML:1.0:assertion"


@lru_cache(maxsize=8)
def fixed_pair(name: str) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    """A stored test-only pair: ``idp-old``, ``idp-new`` or ``sp``."""
    key = load_private_key((KEYS / f"test-only-{name}-key.pem").read_bytes())
    assert isinstance(key, rsa.RSAPrivateKey)
    return key, load_certificates((KEYS / f"test-only-{name}-cert.pem").read_bytes())[0]


def sign(xml: bytes | str | etree._Element, key: PrivateKey, cert: x509.Certificate | None,
         *, xpath: str | None = None, algorithm: str = RSA_SHA256, digest: str = SHA256,
         position: str = "after-issuer") -> etree._Element:
    """Sign the root (or the first element matching ``xpath``) and return the root."""
    root = parse_xml(xml, where="test") if not isinstance(xml, etree._Element) else xml
    target = root if xpath is None else root.xpath(xpath, namespaces={"saml": SAML, "samlp": SAMLP, "saml1": SAML11})[0]
    sign_element(target, key, cert, signature_algorithm=algorithm, digest_algorithm=digest, position=position)  # type: ignore[arg-type]
    return root


def to_bytes(root: etree._Element) -> bytes:
    return etree.tostring(root)


def deflate_b64(xml: bytes) -> str:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return base64.b64encode(compressor.compress(xml) + compressor.flush()).decode()


def signed_redirect_query(
    xml: bytes,
    key: PrivateKey,
    *,
    parameter: str = "SAMLRequest",
    relay_state: str | None = None,
    sig_alg: str = RSA_SHA256,
    encode: Callable[[str], str] = lambda value: quote(value, safe=""),
) -> str:
    """A Redirect query string signed per SAML bindings §3.4.4.1.

    ``encode`` is the signer's URL-encoder: a verifier must use the octets
    as sent, whatever encoder produced them.
    """
    parts = [f"{parameter}={encode(deflate_b64(xml))}"]
    if relay_state is not None:
        parts.append(f"RelayState={encode(relay_state)}")
    parts.append(f"SigAlg={encode(sig_alg)}")
    signed = "&".join(parts).encode()
    signature = sign_octets(key, SIGNATURE_METHODS[sig_alg], signed)
    return "&".join(parts) + "&Signature=" + encode(base64.b64encode(signature).decode())


LOGOUT_REQUEST = f"""<samlp:LogoutRequest xmlns:samlp="{SAMLP}" xmlns:saml="{SAML}" ID="_lr1" Version="2.0" \
IssueInstant="2024-05-01T10:00:00Z" Destination="https://idp.example/slo" NotOnOrAfter="2024-05-01T10:05:00Z" \
Reason="urn:oasis:names:tc:SAML:2.0:logout:user"><saml:Issuer>https://sp.example/</saml:Issuer>\
{{identifier}}<samlp:SessionIndex>sess-1</samlp:SessionIndex><samlp:SessionIndex> sess-2 </samlp:SessionIndex>\
</samlp:LogoutRequest>"""

NAME_ID = f"""<saml:NameID xmlns:saml="{SAML}" Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent" \
SPNameQualifier="https://sp.example/">alice-7f3a</saml:NameID>"""

LOGOUT_RESPONSE = f"""<samlp:LogoutResponse xmlns:samlp="{SAMLP}" xmlns:saml="{SAML}" ID="_lp1" Version="2.0" \
IssueInstant="2024-05-01T10:00:01Z" Destination="https://sp.example/slo" InResponseTo="_lr1">\
<saml:Issuer>https://idp.example/</saml:Issuer><samlp:Status>\
<samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder">\
<samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:PartialLogout"/></samlp:StatusCode>\
<samlp:StatusMessage>one SP did not answer</samlp:StatusMessage></samlp:Status></samlp:LogoutResponse>"""


def logout_request(identifier: str = NAME_ID) -> str:
    return LOGOUT_REQUEST.format(identifier=identifier)


SAML11_ASSERTION = f"""<saml:Assertion xmlns:saml="{SAML11}" MajorVersion="1" MinorVersion="1" \
AssertionID="{{assertion_id}}" Issuer="https://sts.example/adfs/services/trust" IssueInstant="2024-05-01T10:00:00.123Z">\
<saml:Conditions NotBefore="2024-05-01T09:59:00Z" NotOnOrAfter="2024-05-01T11:00:00Z">\
<saml:AudienceRestrictionCondition><saml:Audience>urn:federation:rp.example</saml:Audience>\
</saml:AudienceRestrictionCondition></saml:Conditions>\
<saml:AttributeStatement><saml:Subject>\
<saml:NameIdentifier Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">{{name}}</saml:NameIdentifier>\
<saml:SubjectConfirmation><saml:ConfirmationMethod>urn:oasis:names:tc:SAML:1.0:cm:bearer</saml:ConfirmationMethod>\
</saml:SubjectConfirmation></saml:Subject>\
<saml:Attribute AttributeName="upn" AttributeNamespace="http://schemas.xmlsoap.org/ws/2005/05/identity/claims">\
<saml:AttributeValue>{{name}}</saml:AttributeValue></saml:Attribute>\
<saml:Attribute AttributeName="Group" AttributeNamespace="http://schemas.xmlsoap.org/claims">\
<saml:AttributeValue>Domain Users</saml:AttributeValue><saml:AttributeValue>Finance</saml:AttributeValue></saml:Attribute>\
</saml:AttributeStatement>\
<saml:AuthenticationStatement AuthenticationMethod="urn:oasis:names:tc:SAML:1.0:am:password" \
AuthenticationInstant="2024-05-01T09:59:58Z"><saml:Subject>\
<saml:NameIdentifier Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">{{name}}</saml:NameIdentifier>\
</saml:Subject></saml:AuthenticationStatement></saml:Assertion>"""

TRUST_12 = "http://schemas.xmlsoap.org/ws/2005/02/trust"
TRUST_13 = "http://docs.oasis-open.org/ws-sx/ws-trust/200512"

RSTR = """<t:RequestSecurityTokenResponse xmlns:t="{trust}">\
<t:Lifetime><wsu:Created xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">\
2024-05-01T10:00:00.123Z</wsu:Created><wsu:Expires xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">\
2024-05-01T11:00:00.123Z</wsu:Expires></t:Lifetime>\
<wsp:AppliesTo xmlns:wsp="http://schemas.xmlsoap.org/ws/2004/09/policy">\
<wsa:EndpointReference xmlns:wsa="http://www.w3.org/2005/08/addressing">\
<wsa:Address>urn:federation:rp.example</wsa:Address></wsa:EndpointReference></wsp:AppliesTo>\
<t:RequestedSecurityToken>{token}</t:RequestedSecurityToken>\
<t:TokenType>{token_type}</t:TokenType>\
<t:RequestType>{trust}/Issue</t:RequestType><t:KeyType>{trust}/Bearer</t:KeyType>\
</t:RequestSecurityTokenResponse>"""

SAML11_TOKEN_TYPE = "urn:oasis:names:tc:SAML:1.0:assertion"
SAML2_TOKEN_TYPE = "urn:oasis:names:tc:SAML:2.0:assertion"


def saml11_assertion(assertion_id: str = "_s11-1", name: str = "alice@example.com") -> str:
    return SAML11_ASSERTION.format(assertion_id=assertion_id, name=name)


def signed_saml11(key: PrivateKey, cert: x509.Certificate | None, **kwargs: str) -> str:
    """A SAML 1.1 assertion with its enveloped signature last (SAML 1.1 schema order)."""
    root = sign(saml11_assertion(**kwargs), key, cert, position="last")
    return etree.tostring(root, encoding="unicode")


def rstr(token: str, *, version: str = "1.2", token_type: str = SAML11_TOKEN_TYPE, collection: bool = False) -> str:
    trust = TRUST_12 if version == "1.2" else TRUST_13
    body = RSTR.format(trust=trust, token=token, token_type=token_type)
    if collection:
        body = f'<t:RequestSecurityTokenResponseCollection xmlns:t="{trust}">{body}</t:RequestSecurityTokenResponseCollection>'
    return body
