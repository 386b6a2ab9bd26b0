"""Hypothesis strategies that build hostile protocol input, structure first.

Random bytes rarely get past a base64 or XML parser, so these strategies
build the structures the decoders walk (SAML messages with signatures and
KeyInfo certificates, encrypted assertions, WS-Federation RSTRs, JWTs, JWK
Sets, OAuth URLs and forms, hops, trace files) and then damage them in the
places a hostile peer would: certificates with a bad version or cut DER,
deflate bombs, bad base64, huge counts, truncated tokens, odd timestamps.

Used by the property tests (modest ``max_examples``) and by
``scripts/fuzz_decoders.py`` (many more).
"""

from __future__ import annotations

import base64
import functools
import json
import zlib
from pathlib import Path
from urllib.parse import quote, urlencode

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from hypothesis import strategies as st
from lxml import etree

from sso_harness.protocols.xml.dsig.keys import load_certificates
from sso_harness.protocols.xml.enc.encrypt import encrypt_assertion

KEYS = Path(__file__).resolve().parent / "keys"
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
SAML11 = "urn:oasis:names:tc:SAML:1.0:assertion"
DS = "http://www.w3.org/2000/09/xmldsig#"
XENC = "http://www.w3.org/2001/04/xmlenc#"
TRUST = "http://docs.oasis-open.org/ws-sx/ws-trust/200512"

__all__ = [
    "certificate",
    "hostile_bytes",
    "hop_parts",
    "jwks_text",
    "jwt_text",
    "oauth_text",
    "saml_xml",
    "samltracer_text",
    "trace_text",
    "trusted_certificate",
    "wsfed_text",
]


@functools.lru_cache(maxsize=1)
def trusted_certificate() -> x509.Certificate:
    """The test-only IdP certificate (tests/protocols/keys)."""
    return load_certificates((KEYS / "test-only-idp-new-cert.pem").read_bytes())[0]


@functools.lru_cache(maxsize=1)
def _der() -> bytes:
    return trusted_certificate().public_bytes(Encoding.DER)


@functools.lru_cache(maxsize=4)
def _bomb(size: int) -> bytes:
    """Raw DEFLATE of ``size`` zero bytes: a few KiB that inflate past every limit."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = b"\0" * (1024 * 1024)
    out = b"".join(packer.compress(chunk) for _ in range(size // len(chunk)))
    return out + packer.flush()


def _deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


# -- certificates ----------------------------------------------------------

def _with_version(version: int) -> bytes:
    der = bytearray(_der())
    at = der.find(b"\xa0\x03\x02\x01\x02")
    der[at + 4] = version
    return bytes(der)


def _flipped(positions: list[int]) -> bytes:
    der = bytearray(_der())
    for p in positions:
        der[p % len(der)] ^= 0xFF
    return bytes(der)


certificate = st.one_of(
    st.builds(lambda: _b64(_der())),
    st.integers(0, 255).map(lambda v: _b64(_with_version(v))),  # InvalidVersion and friends
    st.integers(0, 900).map(lambda n: _b64(_der()[:n])),  # cut DER
    st.lists(st.integers(0, 2000), min_size=1, max_size=6).map(lambda p: _b64(_flipped(p))),
    st.builds(lambda: _b64(trusted_certificate().public_bytes(Encoding.PEM))),  # PEM inside base64
    st.binary(max_size=64).map(_b64),
    st.text(max_size=24),  # not base64 at all
)
"""The text of a ``ds:X509Certificate``: valid, a bad version, cut or flipped DER, PEM, junk."""

# -- SAML ------------------------------------------------------------------

_INSTANTS = st.sampled_from(
    ["2024-01-01T00:00:00Z", "2024-01-01T00:00:00.123456789Z", "9999-12-31T23:59:59Z", "0000-00-00T00:00:00Z",
     "2024-13-45T99:99:99Z", "yesterday", "", "2024-01-01T00:00:00+25:00", "1" * 40, "2024-02-30T00:00:00Z"]
)
_ALGORITHMS = st.sampled_from(
    ["http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
     "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256", "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1",
     "http://www.w3.org/2000/09/xmldsig#hmac-sha1", "urn:unknown", ""]
)
_C14N = st.sampled_from(
    ["http://www.w3.org/2001/10/xml-exc-c14n#", "http://www.w3.org/2001/10/xml-exc-c14n#WithComments",
     "http://www.w3.org/TR/2001/REC-xml-c14n-20010315", "http://www.w3.org/2006/12/xml-c14n11", "urn:nope"]
)
_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="<&\x00"), max_size=20)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


@st.composite
def _signature(draw: st.DrawFn, target: str) -> str:
    certs = "".join(f"<ds:X509Certificate>{c}</ds:X509Certificate>" for c in draw(st.lists(certificate, max_size=3)))
    transforms = "".join(
        f'<ds:Transform Algorithm="{a}"/>'
        for a in draw(st.lists(st.sampled_from(
            ["http://www.w3.org/2000/09/xmldsig#enveloped-signature", "http://www.w3.org/2001/10/xml-exc-c14n#",
             "http://www.w3.org/TR/1999/REC-xpath-19991116", "urn:x"]), max_size=3))
    )
    references = "".join(
        f'<ds:Reference URI="{_escape(uri)}"><ds:Transforms>{transforms}</ds:Transforms>'
        f'<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>'
        f"<ds:DigestValue>{draw(st.binary(max_size=40).map(_b64))}</ds:DigestValue></ds:Reference>"
        for uri in draw(st.lists(st.sampled_from([f"#{target}", "#", "", "#missing", "http://x/", f"#{target}"]),
                                 min_size=0, max_size=3))
    )
    value = draw(st.one_of(st.binary(max_size=300).map(_b64), _TEXT.map(_escape)))
    return (
        f'<ds:Signature xmlns:ds="{DS}"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="{draw(_C14N)}"/>'
        f'<ds:SignatureMethod Algorithm="{draw(_ALGORITHMS)}"/>{references}</ds:SignedInfo>'
        f"<ds:SignatureValue>{value}</ds:SignatureValue>"
        f"<ds:KeyInfo><ds:X509Data>{certs}</ds:X509Data></ds:KeyInfo></ds:Signature>"
    )


@st.composite
def _encrypted(draw: st.DrawFn) -> str:
    method = draw(st.sampled_from([f"{XENC}aes128-cbc", "http://www.w3.org/2009/xmlenc11#aes256-gcm", "urn:x", ""]))
    transport = draw(st.sampled_from([f"{XENC}rsa-oaep-mgf1p", f"{XENC}rsa-1_5", "urn:x"]))
    return (
        f'<saml:EncryptedAssertion><xenc:EncryptedData xmlns:xenc="{XENC}"><xenc:EncryptionMethod Algorithm="{method}"/>'
        f'<ds:KeyInfo xmlns:ds="{DS}"><xenc:EncryptedKey><xenc:EncryptionMethod Algorithm="{transport}"/>'
        f"<xenc:CipherData><xenc:CipherValue>{draw(st.binary(max_size=300).map(_b64))}</xenc:CipherValue>"
        f"</xenc:CipherData></xenc:EncryptedKey></ds:KeyInfo><xenc:CipherData><xenc:CipherValue>"
        f"{draw(st.one_of(st.binary(max_size=200).map(_b64), _TEXT.map(_escape)))}</xenc:CipherValue>"
        f"</xenc:CipherData></xenc:EncryptedData></saml:EncryptedAssertion>"
    )


@functools.lru_cache(maxsize=1)
def _sp_certificate() -> x509.Certificate:
    return load_certificates((KEYS / "test-only-sp-cert.pem").read_bytes())[0]


@st.composite
def _encrypted_for_sp(draw: st.DrawFn) -> str:
    """A real EncryptedAssertion for the test SP key, over a hostile assertion, perhaps damaged after."""
    inner = draw(_assertion(5)).replace("<saml:Assertion ", f'<saml:Assertion xmlns:saml="{SAML}" ', 1)
    seed = draw(st.binary(min_size=8, max_size=8))
    counter = iter(range(1 << 30))

    def random(n: int) -> bytes:  # deterministic per example, so a failure can be replayed
        return (seed + next(counter).to_bytes(4, "big") * 8)[:n].ljust(n, b"\1")

    element = encrypt_assertion(
        inner, _sp_certificate(), random=random,
        data_algorithm=draw(st.sampled_from([f"{XENC}aes128-cbc", f"{XENC}aes256-cbc",
                                             "http://www.w3.org/2009/xmlenc11#aes256-gcm"])),
        key_transport=draw(st.sampled_from([f"{XENC}rsa-oaep-mgf1p", f"{XENC}rsa-1_5"])),
    )
    text = etree.tostring(element, encoding="unicode")
    if draw(st.booleans()):  # damage one character of a CipherValue
        at = text.find("CipherValue>") + 12 + draw(st.integers(0, 40))
        text = text[:at] + draw(st.sampled_from(["A", "/", "=", " "])) + text[at + 1:]
    return text


@st.composite
def _assertion(draw: st.DrawFn, attributes: int) -> str:
    aid = draw(st.sampled_from(["_a1", "_r1", "", "_a1 "]))
    count = draw(st.integers(0, attributes))
    same_name = draw(st.booleans())
    attrs = "".join(
        f'<saml:Attribute Name="{"n" if same_name else f"n{i}"}"><saml:AttributeValue>v{i}</saml:AttributeValue>'
        f"<!-- c --><saml:AttributeValue/></saml:Attribute>"
        for i in range(count)
    )
    signature = draw(st.one_of(st.just(""), _signature(aid)))
    return (
        f'<saml:Assertion ID="{aid}" Version="2.0" IssueInstant="{draw(_INSTANTS)}"><saml:Issuer>idp</saml:Issuer>'
        f"{signature}<saml:Subject><saml:NameID Format=\"{_escape(draw(_TEXT))}\">{_escape(draw(_TEXT))}</saml:NameID>"
        f'<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">'
        f'<saml:SubjectConfirmationData NotOnOrAfter="{draw(_INSTANTS)}" Recipient="https://sp/acs"/>'
        f"</saml:SubjectConfirmation></saml:Subject>"
        f'<saml:Conditions NotBefore="{draw(_INSTANTS)}" NotOnOrAfter="{draw(_INSTANTS)}">'
        f"<saml:AudienceRestriction><saml:Audience>{_escape(draw(_TEXT))}</saml:Audience></saml:AudienceRestriction>"
        f'</saml:Conditions><saml:AuthnStatement AuthnInstant="{draw(_INSTANTS)}"/>'
        f"<saml:AttributeStatement>{attrs}</saml:AttributeStatement></saml:Assertion>"
    )


@st.composite
def saml_xml(draw: st.DrawFn, attributes: int = 50) -> bytes:
    """A SAML 2.0 message (Response, AuthnRequest, Logout*, unknown) with hostile parts."""
    kind = draw(st.sampled_from(["Response", "AuthnRequest", "LogoutRequest", "LogoutResponse", "ArtifactResolve"]))
    rid = draw(st.sampled_from(["_r1", "_a1", "", "x y"]))
    parts = [f"<saml:Issuer>{_escape(draw(_TEXT))}</saml:Issuer>"]
    if draw(st.booleans()):
        parts.append(draw(_signature(rid)))
    status = draw(st.sampled_from(["urn:oasis:names:tc:SAML:2.0:status:Success",
                                   "urn:oasis:names:tc:SAML:2.0:status:Responder", "", "x"]))
    depth = draw(st.integers(0, 3))
    nested = '<samlp:StatusCode Value="x">' * depth + "</samlp:StatusCode>" * depth
    if kind in ("Response", "LogoutResponse"):
        parts.append(f'<samlp:Status><samlp:StatusCode Value="{status}">{nested}</samlp:StatusCode></samlp:Status>')
    if kind == "LogoutRequest":
        parts.append(f"<saml:NameID>{_escape(draw(_TEXT))}</saml:NameID>")
    if kind == "Response":
        for _ in range(draw(st.integers(0, 3))):
            parts.append(draw(st.one_of(_assertion(attributes), _encrypted(), _encrypted_for_sp())))
    extra = draw(st.sampled_from(["", ' InResponseTo="_req"', ' Destination="https://sp/acs"', ' ID="_r1"', " Version=\"1.0\""]))
    xml = (
        f'<samlp:{kind} xmlns:samlp="{SAMLP}" xmlns:saml="{SAML}" ID="{rid}" Version="2.0" '
        f'IssueInstant="{draw(_INSTANTS)}"{extra}>{"".join(parts)}</samlp:{kind}>'
    )
    damage = draw(st.sampled_from(["none", "none", "comment", "cut", "doctype", "utf16", "ns"]))
    if damage == "comment":
        xml = xml.replace("</saml:Issuer>", "<!--x--></saml:Issuer>", 1)
    elif damage == "cut":
        xml = xml[: draw(st.integers(0, len(xml)))]
    elif damage == "doctype":
        xml = '<!DOCTYPE r [<!ENTITY a "aaaa">]>' + xml
    elif damage == "ns":
        xml = xml.replace(SAML, draw(st.sampled_from([SAML11, SAMLP, "", "urn:x"])), 1)
    if damage == "utf16":
        return xml.encode("utf-16")
    return xml.encode("utf-8", "surrogatepass")


@st.composite
def _rstr(draw: st.DrawFn) -> str:
    token = draw(st.one_of(
        saml_xml(attributes=5).map(lambda b: b.decode("utf-8", "replace")),
        st.just(f'<saml:Assertion xmlns:saml="{SAML11}" MajorVersion="1" MinorVersion="1" AssertionID="_s" '
                f'Issuer="i" IssueInstant="2024-01-01T00:00:00Z"><saml:AttributeStatement>'
                f'<saml:Attribute AttributeName="a" AttributeNamespace="http://x"><saml:AttributeValue>v'
                f"</saml:AttributeValue></saml:Attribute></saml:AttributeStatement></saml:Assertion>"),
        st.just(""),
        _TEXT.map(_escape),
    ))
    if "<?xml" in token:
        token = token.split("?>", 1)[-1]
    count = draw(st.integers(0, 2))
    return (
        f'<t:RequestSecurityTokenResponse xmlns:t="{TRUST}"><t:RequestedSecurityToken>{token * count}'
        f"</t:RequestedSecurityToken><t:TokenType>{draw(st.sampled_from([SAML11, SAML, 'x']))}</t:TokenType>"
        f"</t:RequestSecurityTokenResponse>"
    )


wsfed_text = st.one_of(
    _rstr().map(lambda r: urlencode({"wa": "wsignin1.0", "wresult": r, "wctx": "c"})),
    st.sampled_from(["wa=wsignin1.0", "wa=wsignin1.0&wtrealm=urn:x", "wa=wsignout1.0", "wa=bogus",
                     "wa=wsignin1.0&wresult=", "wa=wsignoutcleanup1.0&wreply=%ff"]),
)
"""WS-Federation query/form text: sign-in responses with hostile RSTRs, requests, odd actions."""

# -- JOSE and OAuth --------------------------------------------------------

_JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=False), _TEXT)
_JSON = st.recursive(_JSON_SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                              st.dictionaries(_TEXT, inner, max_size=3)), max_leaves=8)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@st.composite
def _jwk(draw: st.DrawFn) -> dict[str, object]:
    kty = draw(st.sampled_from(["RSA", "EC", "OKP", "oct", "x", None]))
    key: dict[str, object] = {"kty": kty, "kid": draw(st.one_of(_TEXT, st.integers()))}
    blob = st.one_of(st.binary(max_size=600).map(_b64url), _TEXT, st.integers())
    if kty == "RSA":
        key |= {"n": draw(blob), "e": draw(st.sampled_from(["AQAB", "AA", "", "AQ", "_w"]))}
    elif kty in ("EC", "OKP"):
        key |= {"crv": draw(st.sampled_from(["P-256", "P-384", "P-521", "Ed25519", "X25519", "secp256k1", ""])),
                "x": draw(blob), "y": draw(blob)}
    elif kty == "oct":
        key["k"] = draw(blob)
    if draw(st.booleans()):
        key["x5c"] = draw(st.lists(certificate, max_size=2))
    if draw(st.booleans()):
        key["alg"] = draw(st.sampled_from(["RS256", "ES256", "EdDSA", "HS256", "none", "PS512", 7]))
    return key


jwks_text = st.one_of(
    st.lists(_jwk(), max_size=4).map(lambda keys: json.dumps({"keys": keys})),
    st.integers(250, 300).map(lambda n: json.dumps({"keys": [{"kty": "oct", "k": "AA"}] * n})),
    _JSON.map(lambda v: json.dumps({"keys": v})),
)
"""JWK Set JSON: hostile keys (odd sizes, curves, x5c certificates), too many keys, wrong types."""


@st.composite
def jwt_text(draw: st.DrawFn) -> str:
    """A compact JWS: odd headers and claims, signatures of any length, then perhaps cut or damaged."""
    header: dict[str, object] = {"alg": draw(st.sampled_from(["RS256", "ES256", "HS256", "EdDSA", "none", "", 5]))}
    if draw(st.booleans()):
        header["kid"] = draw(st.one_of(_TEXT, st.integers()))
    if draw(st.booleans()):
        header["x5c"] = draw(st.lists(certificate, max_size=2))
    if draw(st.booleans()):
        header["jwk"] = draw(_jwk())
    claims = draw(st.dictionaries(
        st.sampled_from(["iss", "aud", "exp", "nbf", "iat", "nonce", "sub", "azp", "at_hash", "c_hash", "ver", "tid"]),
        st.one_of(_JSON_SCALARS, st.lists(_TEXT, max_size=3)), max_size=8))
    body = json.dumps(claims) if draw(st.integers(0, 9)) else draw(_TEXT)
    token = ".".join([_b64url(json.dumps(header).encode()), _b64url(body.encode()),
                      _b64url(draw(st.binary(max_size=300)))])
    damage = draw(st.sampled_from(["none", "cut", "cut", "char", "segments"]))
    if damage == "cut":
        token = token[: draw(st.integers(0, len(token)))]
    elif damage == "char":
        at = draw(st.integers(0, len(token)))
        token = token[:at] + draw(st.sampled_from(["!", "=", " ", "é", ".", "+", "\x00"])) + token[at:]
    elif damage == "segments":
        token = token + "." + token
    return token


@st.composite
def oauth_text(draw: st.DrawFn) -> str:
    """OAuth/OIDC as pasted or recorded: authorize URLs, callbacks, token forms and JSON, discovery."""
    jwt = draw(jwt_text())
    values = st.one_of(_TEXT, st.just(jwt), st.sampled_from(["%", "%zz", "a" * 3000, "openid profile", "S256"]))
    names = st.sampled_from(["response_type", "client_id", "redirect_uri", "scope", "state", "nonce", "code",
                             "id_token", "access_token", "error", "error_description", "code_challenge",
                             "code_challenge_method", "code_verifier", "grant_type", "response_mode", "prompt"])
    params = draw(st.lists(st.tuples(names, values), max_size=10))
    form = urlencode(params)
    shape = draw(st.sampled_from(["url", "fragment", "form", "json", "discovery", "bearer"]))
    if shape == "url":
        return f"https://idp.example/authorize?{form}"
    if shape == "fragment":
        return f"https://sp.example/cb#{form}"
    if shape == "form":
        return form
    if shape == "bearer":
        return f"Bearer {jwt}"
    doc: dict[str, object] = {k: v for k, v in params}
    if shape == "discovery":
        doc |= {"issuer": draw(_JSON_SCALARS), "jwks_uri": draw(_JSON_SCALARS),
                "authorization_endpoint": draw(st.one_of(_TEXT, st.lists(_TEXT)))}
    if draw(st.booleans()):
        doc["expires_in"] = draw(_JSON_SCALARS)
    return json.dumps(doc)


# -- transport encodings ---------------------------------------------------

@st.composite
def hostile_bytes(draw: st.DrawFn, attributes: int = 50) -> bytes:
    """Input as the decoders receive it: a SAML message in any binding, WS-Fed, OAuth, JOSE,
    deflate bombs, bad base64 and plain junk."""
    family = draw(st.sampled_from(["saml"] * 6 + ["wsfed", "oauth", "oauth", "jwt", "jwks", "bomb", "base64", "junk"]))
    if family == "wsfed":
        return draw(wsfed_text).encode()
    if family == "oauth":
        return draw(oauth_text()).encode("utf-8", "surrogatepass")
    if family == "jwt":
        return draw(jwt_text()).encode("utf-8", "surrogatepass")
    if family == "jwks":
        return draw(jwks_text).encode()
    if family == "bomb":
        bomb = _bomb(draw(st.sampled_from([11, 12])) * 1024 * 1024)
        value = _b64(bomb[: draw(st.sampled_from([len(bomb), len(bomb) // 2]))])
        return draw(st.sampled_from([value, f"SAMLRequest={quote(value)}", f"https://sp/sso?SAMLRequest={quote(value)}"])).encode()
    if family == "base64":
        return draw(st.sampled_from(["SAMLResponse=", "SAMLRequest=", "SAMLart=", ""])).encode() + draw(
            st.text(alphabet="ABCDabcd0123+/=-_% \n\t.é", max_size=80)).encode()
    if family == "junk":
        return draw(st.binary(max_size=200))
    xml = draw(saml_xml(attributes))
    binding = draw(st.sampled_from(["xml", "b64", "deflate", "post", "redirect", "redirect-signed", "pct"]))
    if binding == "xml":
        return xml
    if binding == "b64":
        return _b64(xml).encode()
    if binding == "deflate":
        return _b64(_deflate(xml)).encode()
    if binding == "pct":
        return quote(_b64(xml)).encode()
    if binding == "post":
        return urlencode({draw(st.sampled_from(["SAMLResponse", "SAMLRequest"])): _b64(xml),
                          "RelayState": draw(_TEXT)}).encode()
    query = urlencode({"SAMLRequest": _b64(_deflate(xml)), "RelayState": draw(_TEXT)})
    if binding == "redirect-signed":
        query += "&" + urlencode({"SigAlg": draw(_ALGORITHMS), "Signature": _b64(draw(st.binary(max_size=300)))})
    return f"https://sp.example/sso?{query}".encode()


# -- hops and trace files --------------------------------------------------

@st.composite
def hop_parts(draw: st.DrawFn) -> dict[str, object]:
    """The fields of a recorded hop carrying hostile input (request query, form, response body)."""
    data = draw(hostile_bytes(attributes=10))
    where = draw(st.sampled_from(["form", "query", "response", "location"]))
    text = data.decode("latin-1")
    form_type = (("content-type", "application/x-www-form-urlencoded"),)
    parts: dict[str, object] = {"method": "GET", "url": "https://sp.example/acs", "request_headers": (),
                                "request_body": b"", "status": 200, "response_headers": (), "response_body": b"",
                                "request_body_truncated": draw(st.booleans())}
    if where == "form":
        parts |= {"method": "POST", "request_headers": form_type, "request_body": data}
    elif where == "query":
        parts["url"] = text if text.startswith("http") else "https://sp.example/acs?" + text.split("?", 1)[-1]
    elif where == "location":
        parts |= {"status": 302, "response_headers": (("location", "https://sp.example/cb#" + text),)}
    else:
        parts |= {"method": draw(st.sampled_from(["GET", "POST"])),
                  "url": draw(st.sampled_from(["https://idp/.well-known/openid-configuration", "https://idp/userinfo",
                                               "https://idp/keys", "https://idp/token"])),
                  "request_headers": form_type + (("authorization", "Bearer x"),),
                  "request_body": b"grant_type=authorization_code&code=c",
                  "response_headers": (("content-type", "application/json"),), "response_body": data}
    return parts


@st.composite
def trace_text(draw: st.DrawFn) -> str:
    """An ``sso-harness/trace`` JSON file with hostile hops (wrong types, odd forms, bad dates)."""
    hop = draw(st.fixed_dictionaries({
        "index": st.one_of(st.integers(), _TEXT),
        "started": st.one_of(st.just("2024-01-01T00:00:00.000Z"), _TEXT, st.integers()),
        "method": st.sampled_from(["GET", "POST", ""]),
        "url": st.one_of(st.just("https://sp/acs"), _TEXT),
        "request_form": st.one_of(st.dictionaries(_TEXT, _TEXT, max_size=3),
                                  hostile_bytes(attributes=5).map(lambda b: {"SAMLResponse": b.decode("latin-1")})),
        "response_json": st.one_of(st.none(), jwks_text, oauth_text()),
        "duration_ms": st.one_of(st.floats(allow_nan=False), _TEXT),
        "request_headers": st.one_of(st.just([["content-type", "application/x-www-form-urlencoded"]]),
                                     st.lists(st.lists(_TEXT, max_size=3), max_size=2)),
    }))
    version = draw(st.sampled_from([1, 1, 1, 2, "1"]))
    return json.dumps({"schema": "sso-harness/trace", "version": version, "hops": [hop], "blocked_hosts": {}})


@st.composite
def samltracer_text(draw: st.DrawFn) -> str:
    """A SAML-tracer export with hostile requests (odd ids, posts, statuses, decoded messages)."""
    xml = draw(saml_xml(attributes=5)).decode("utf-8", "replace")
    request = draw(st.fixed_dictionaries({
        "method": st.sampled_from(["GET", "POST", "post", ""]),
        "url": st.one_of(st.just("https://sp/acs"), _TEXT),
        "requestId": st.one_of(st.integers(), _TEXT, st.sampled_from(["²", "12", "-1", "1e3"])),
        "post": st.one_of(st.just([["SAMLResponse", _b64(xml.encode())]]), st.lists(st.lists(_TEXT, max_size=3),
                                                                                   max_size=2), _JSON),
        "saml": st.one_of(st.just(xml), _TEXT, _JSON),
        "responseStatus": st.one_of(st.integers(), _TEXT, st.none()),
        "requestHeaders": st.one_of(st.lists(st.fixed_dictionaries({"name": _TEXT, "value": _TEXT}), max_size=2), _JSON),
    }))
    return json.dumps({"requests": [request]})
