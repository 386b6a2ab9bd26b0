"""Seeded corpus of signed SAML Responses and their mutations for the XML-DSig differential.

Each case is built from its own ``random.Random(f"{seed}:{index}")``, so case
``n`` is the same whether one case or ten thousand are generated, and the
fast test subset is simply the first few hundred cases of the full run.

A case is: a base Response (namespace style, pretty or compact, ``xml:lang``
on the root, comments inside text, ``xsi:type`` QName values), one or two
``ds:Signature`` templates (C14N variant, algorithms, ``ds`` prefix or
default namespace, position) filled by *our* signer or by ``xmlsec1 --sign``
(the independent signer), then zero to two mutations applied after signing:
XSW permutations 1–8, value tampering, comments and whitespace, attribute
reordering, namespace redeclarations, duplicate IDs, moved Signatures,
byte-level re-encodings, key substitution.  ``xmlsec1`` also signs shapes our
signer refuses (``URI=""``, several References, an XPath transform) so the
SAML-profile restrictions of our verifier are exercised.

Test-only keys: the RSA pairs in ``tests/protocols/keys`` and an EC key
derived from a constant; they protect nothing.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import random
import re
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from lxml import etree

from sso_harness.protocols.errors import SigningError
from sso_harness.protocols.xml import dsig
from sso_harness.protocols.xml.dsig.keys import PrivateKey, load_private_key

XMLSEC1 = "/usr/bin/xmlsec1"
DS = dsig.DS_NS
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
XS = "http://www.w3.org/2001/XMLSchema"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XPATH = "http://www.w3.org/TR/1999/REC-xpath-19991116"
KEYS = Path(__file__).resolve().parents[1] / "keys"
C14NS = (dsig.EXC_C14N, dsig.EXC_C14N_WITH_COMMENTS, dsig.C14N, dsig.C14N_WITH_COMMENTS)
ALGORITHMS = (
    ("rsa", dsig.RSA_SHA256, dsig.SHA256),
    ("rsa", dsig.RSA_SHA1, dsig.SHA1),
    ("rsa", dsig.RSA_SHA512, dsig.SHA256),
    ("rsa", dsig.RSA_SHA256, dsig.SHA512),
    ("ec", dsig.ECDSA_SHA256, dsig.SHA256),
)


def ds(local: str) -> str:
    return f"{{{DS}}}{local}"


def saml(local: str) -> str:
    return f"{{{SAML}}}{local}"


@dataclass(frozen=True)
class KeyMaterial:
    """A private key, its certificate, and both as files for xmlsec1."""

    name: str
    key: PrivateKey
    cert: x509.Certificate
    key_file: Path
    cert_file: Path


def _ec_pair() -> tuple[PrivateKey, x509.Certificate]:
    key = ec.derive_private_key(0x5EED_0F_D5_16, ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "test-only-differential-ec")])
    start = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(4242).not_valid_before(start).not_valid_after(start + dt.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    return key, cert


def key_materials(directory: Path) -> dict[str, KeyMaterial]:
    """``trusted`` (RSA), ``attacker`` (another RSA pair) and ``ec`` (trusted EC)."""
    pairs: dict[str, tuple[PrivateKey, x509.Certificate]] = {}
    for name, stem in (("trusted", "test-only-idp-new"), ("attacker", "test-only-idp-old")):
        key = load_private_key((KEYS / f"{stem}-key.pem").read_bytes())
        cert = x509.load_pem_x509_certificate((KEYS / f"{stem}-cert.pem").read_bytes())
        pairs[name] = (key, cert)
    pairs["ec"] = _ec_pair()
    found: dict[str, KeyMaterial] = {}
    for name, (key, cert) in pairs.items():
        key_file, cert_file = directory / f"{name}-key.pem", directory / f"{name}-cert.pem"
        key_file.write_bytes(key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        found[name] = KeyMaterial(name, key, cert, key_file, cert_file)
    return found


@dataclass
class Case:
    """One document to judge: its bytes, the key to trust, and how it was made."""

    name: str
    document: bytes
    trusted: str  # key material name
    steps: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- base documents


def base_response(rng: random.Random, index: int, steps: list[str]) -> etree._Element:
    style = rng.choice(["root-prefixes", "local-prefixes", "default-ns"])
    pretty = rng.random() < 0.4
    lang = rng.random() < 0.25
    comment = rng.random() < 0.1
    xsi = rng.random() < 0.5
    steps.append(f"base:{style}{':pretty' if pretty else ''}{':lang' if lang else ''}"
                 f"{':comment' if comment else ''}{':xsi' if xsi else ''}")
    root_ns = f' xmlns:saml="{SAML}"' if style == "root-prefixes" else ""
    xsi_ns = f' xmlns:xs="{XS}" xmlns:xsi="{XSI}"' if xsi else ""
    local_ns = "" if style == "root-prefixes" else f' xmlns:saml="{SAML}"'
    a_open, p = (f'<Assertion xmlns="{SAML}"', "") if style == "default-ns" else (f"<saml:Assertion{local_ns}", "saml:")
    issuer_ns = "" if style == "root-prefixes" else f' xmlns:saml="{SAML}"'
    name_id = "alice@example.com" if not comment else "alice@example.com<!--c-->.evil.example"
    typed = ' xsi:type="xs:string"' if xsi else ""
    text = f"""<samlp:Response xmlns:samlp="{SAMLP}"{root_ns}{xsi_ns} ID="_r{index}" Version="2.0" \
IssueInstant="2024-05-01T10:00:00Z" Destination="https://sp.example/acs" InResponseTo="_req{index}"\
{' xml:lang="en"' if lang else ''}>
<saml:Issuer{issuer_ns}>https://idp.example</saml:Issuer>
<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>
{a_open} ID="_a{index}" Version="2.0" IssueInstant="2024-05-01T10:00:00Z">
<{p}Issuer>https://idp.example</{p}Issuer>
<{p}Subject><{p}NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">{name_id}</{p}NameID>
<{p}SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><{p}SubjectConfirmationData \
NotOnOrAfter="2024-05-01T10:05:00Z" Recipient="https://sp.example/acs" InResponseTo="_req{index}"/></{p}SubjectConfirmation>
</{p}Subject>
<{p}Conditions NotBefore="2024-05-01T09:59:00Z" NotOnOrAfter="2024-05-01T10:05:00Z"><{p}AudienceRestriction>\
<{p}Audience>https://sp.example</{p}Audience></{p}AudienceRestriction></{p}Conditions>
<{p}AuthnStatement AuthnInstant="2024-05-01T10:00:00Z" SessionIndex="_s{index}"><{p}AuthnContext>\
<{p}AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</{p}AuthnContextClassRef>\
</{p}AuthnContext></{p}AuthnStatement>
<{p}AttributeStatement><{p}Attribute Name="role"><{p}AttributeValue{typed}>admin</{p}AttributeValue></{p}Attribute>\
<{p}Attribute Name="mail"><{p}AttributeValue{typed}>alice@example.com</{p}AttributeValue></{p}Attribute>\
</{p}AttributeStatement>
</{p}Assertion>
</samlp:Response>"""
    if not pretty:
        text = text.replace(">\n<", "><").replace("\n", "")
    return etree.fromstring(text.encode())


# --------------------------------------------------------------------------- signature templates


@dataclass(frozen=True)
class Template:
    """The shape of one ``ds:Signature`` before it is filled."""

    c14n: str
    transform_c14n: str | None
    signature_method: str
    digest_method: str
    prefix_list: str | None = None
    default_ns: bool = False
    uris: tuple[str, ...] = ()
    xpath: bool = False
    key_info: str = "cert"  # "cert", "none", "keyvalue"


def build_signature(template: Template, cert: x509.Certificate) -> etree._Element:
    nsmap: dict[str | None, str] = {None: DS} if template.default_ns else {"ds": DS}
    signature = etree.Element(ds("Signature"), nsmap=nsmap)
    signed_info = etree.SubElement(signature, ds("SignedInfo"))
    method = etree.SubElement(signed_info, ds("CanonicalizationMethod"), Algorithm=template.c14n)
    if template.prefix_list is not None and template.c14n in (dsig.EXC_C14N, dsig.EXC_C14N_WITH_COMMENTS):
        etree.SubElement(method, f"{{{dsig.EXC_C14N_NS}}}InclusiveNamespaces",
                         PrefixList=template.prefix_list, nsmap={"ec": dsig.EXC_C14N_NS})
    etree.SubElement(signed_info, ds("SignatureMethod"), Algorithm=template.signature_method)
    for uri in template.uris:
        reference = etree.SubElement(signed_info, ds("Reference"), URI=uri)
        transforms = etree.SubElement(reference, ds("Transforms"))
        etree.SubElement(transforms, ds("Transform"), Algorithm=dsig.ENVELOPED)
        if template.xpath:
            xpath = etree.SubElement(etree.SubElement(transforms, ds("Transform"), Algorithm=XPATH), ds("XPath"))
            xpath.text = "not(self::*[local-name()='AttributeStatement'])"
        if template.transform_c14n is not None:
            item = etree.SubElement(transforms, ds("Transform"), Algorithm=template.transform_c14n)
            if template.prefix_list is not None and template.transform_c14n in (
                dsig.EXC_C14N, dsig.EXC_C14N_WITH_COMMENTS
            ):
                etree.SubElement(item, f"{{{dsig.EXC_C14N_NS}}}InclusiveNamespaces",
                                 PrefixList=template.prefix_list, nsmap={"ec": dsig.EXC_C14N_NS})
        etree.SubElement(reference, ds("DigestMethod"), Algorithm=template.digest_method)
        etree.SubElement(reference, ds("DigestValue"))
    etree.SubElement(signature, ds("SignatureValue"))
    if template.key_info == "cert":
        dsig.sign.append_key_info(signature, cert)
    elif template.key_info == "keyvalue":
        public = cert.public_key()
        key_info = etree.SubElement(signature, ds("KeyInfo"))
        value = etree.SubElement(etree.SubElement(key_info, ds("KeyValue")), ds("RSAKeyValue"))
        numbers = public.public_numbers()  # type: ignore[union-attr]
        for local, number in (("Modulus", numbers.n), ("Exponent", numbers.e)):
            raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
            etree.SubElement(value, ds(local)).text = dsig.sign.b64encode_text(raw)
    return signature


def insert_signature(element: etree._Element, signature: etree._Element, position: str) -> None:
    if position == "last":
        element.append(signature)
        return
    issuer = element.find(saml("Issuer"))
    element.insert(0 if issuer is None else element.index(issuer) + 1, signature)
    if issuer is not None:
        signature.tail = issuer.tail  # pretty documents keep one element per line


class Signers:
    """Fills templates with our signer or with ``xmlsec1 --sign``."""

    def __init__(self, keys: dict[str, KeyMaterial], workdir: Path) -> None:
        self.keys = keys
        self.workdir = workdir

    def ours(self, root: etree._Element, signature: etree._Element, key: KeyMaterial) -> None:
        dsig.sign_template(root, signature, key.key)

    def xmlsec1(self, root: etree._Element, signature: etree._Element, key: KeyMaterial) -> etree._Element:
        """Sign ``signature`` (an element of ``root``'s tree) with xmlsec1 and return the new root."""
        position = list(root.getroottree().getroot().iter(ds("Signature"))).index(signature) + 1
        ids: set[tuple[str, str]] = set()
        for element in root.iter(etree.Element):
            for attribute in ("ID", "Id", "AssertionID"):
                if element.get(attribute) is not None:
                    ids.add((attribute, _xmlsec_node_name(element)))
        source = self.workdir / "template.xml"
        source.write_bytes(etree.tostring(root.getroottree()))
        command = [XMLSEC1, "--sign", "--privkey-pem", str(key.key_file), "--enabled-reference-uris",
                   "empty,same-doc", "--node-xpath", signature_xpath(position), "--output",
                   str(self.workdir / "signed.xml")]
        for attribute, node in sorted(ids):
            command += [f"--id-attr:{attribute}", node]
        done = subprocess.run([*command, str(source)], capture_output=True, text=True, timeout=60, check=False)
        if done.returncode != 0:
            raise SigningError(f"xmlsec1 --sign failed: {done.stderr.strip()[-300:]}")
        return etree.fromstring((self.workdir / "signed.xml").read_bytes())


def signature_xpath(position: int) -> str:
    """XPath selecting the ``position``-th ds:Signature in document order (1-based)."""
    return f"(//*[local-name()='Signature' and namespace-uri()='{DS}'])[{position}]"


def _xmlsec_node_name(element: etree._Element) -> str:
    qname = etree.QName(element)
    return f"{qname.namespace}:{qname.localname}" if qname.namespace else qname.localname


def _template(rng: random.Random, steps: list[str], family: str) -> Template:
    _, method, digest = rng.choice([a for a in ALGORITHMS if a[0] == family])
    c14n = rng.choice(C14NS)
    transform = rng.choice([*C14NS, dsig.EXC_C14N, dsig.EXC_C14N, None])
    prefix_list = rng.choice([None, None, "xs", "#default xs samlp"])
    template = Template(c14n, transform, method, digest, prefix_list, default_ns=rng.random() < 0.15,
                        key_info=rng.choice(["cert", "cert", "none"]))
    steps.append(f"template:{c14n.rpartition('/')[2]}|{(transform or 'none').rpartition('/')[2]}|"
                 f"{method.rpartition('#')[2]}|{digest.rpartition('#')[2]}|pl={prefix_list}"
                 f"{'|defaultns' if template.default_ns else ''}")
    return template


# --------------------------------------------------------------------------- tree helpers


def detach(element: etree._Element) -> etree._Element:
    """Remove ``element`` from its parent, leaving its tail text in place."""
    parent = element.getparent()
    assert parent is not None
    tail = element.tail
    previous = element.getprevious()
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    element.tail = None
    parent.remove(element)
    return element


def without_own_signature(element: etree._Element) -> etree._Element:
    clone = copy.deepcopy(element)
    signature = clone.find(ds("Signature"))
    if signature is not None:
        detach(signature)
    clone.tail = None
    return clone


def without_signatures(element: etree._Element) -> etree._Element:
    clone = copy.deepcopy(element)
    for signature in list(clone.iter(ds("Signature"))):
        if signature.getparent() is not None:
            detach(signature)
    clone.tail = None
    return clone


def evil(element: etree._Element, rng: random.Random, keep_id: bool) -> etree._Element:
    """An unsigned copy of ``element`` with its NameID changed (and a new ID unless ``keep_id``)."""
    clone = without_signatures(element)
    for name_id in clone.iter(saml("NameID")):
        name_id.text = "admin@evil.example"
    if not keep_id:
        clone.set("ID", f"_evil{rng.randrange(10**6)}")
    return clone


def own_signature(element: etree._Element) -> etree._Element | None:
    return element.find(ds("Signature"))


def assertion_of(root: etree._Element) -> etree._Element | None:
    return root.find(saml("Assertion"))


# --------------------------------------------------------------------------- mutations

Mutation = Callable[[etree._Element, random.Random, list[str]], etree._Element]


def _elements(root: etree._Element) -> list[etree._Element]:
    return list(root.iter(etree.Element))


def m_tamper_text(root: etree._Element, rng: random.Random, steps: list[str]) -> etree._Element:
    candidates = [e for e in _elements(root) if e.text and e.text.strip()]
    target = rng.choice(candidates)
    text = target.text or ""
    at = rng.randrange(len(text))
    target.text = text[:at] + ("X" if text[at] != "X" else "Y") + text[at + 1:]
    steps.append(f"tamper_text:{etree.QName(target).localname}")
    return root


def m_tamper_attribute(root: etree._Element, rng: random.Random, steps: list[str]) -> etree._Element:
    candidates = [(e, n) for e in _elements(root) for n in e.attrib if n not in ("ID",)]
    element, name = rng.choice(candidates)
    element.set(name, element.get(name, "") + "1")
    steps.append(f"tamper_attr:{etree.QName(element).localname}@{etree.QName(name).localname}")
    return root


def m_comment(root: etree._Element, rng: random.Random, steps: list[str]) -> etree._Element:
    target = rng.choice(_elements(root))
    comment = etree.Comment("injected")
    if target.text and rng.random() < 0.7:
        # split the text: "ab<!--injected-->cd" (the CVE-2017-11428 shape)
        text = target.text
        at = rng.randrange(len(text) + 1)
        target.text = text[:at]
        comment.tail = text[at:]
        target.insert(0, comment)
    else:
        target.insert(rng.randrange(len(target) + 1), comment)
    steps.append(f"comment:{etree.QName(target).localname}")
    return root


def m_whitespace(root: etree._Element, rng: random.Random, steps: list[str]) -> etree._Element:
    target = rng.choice(_elements(root))
    where = rng.choice(["text", "tail", "base64"])
    if where == "base64":
        values = [e for e in _elements(root) if etree.QName(e).localname in
                  ("SignatureValue", "DigestValue", "X509Certificate") and e.text]
        if values:
            target = rng.choice(values)
            text = target.text or ""
            at = rng.randrange(len(text))
            target.text = text[:at] + "\n" + text[at:]
    elif where == "text":
        target.text = (target.text or "") + rng.choice([" ", "\n", "\t", "\r\n"])
    elif target.getparent() is not None:
        target.tail = (target.tail or "") + "\n  "
    steps.append(f"whitespace:{where}:{etree.QName(target).localname}")
    return root


def m_reorder_attributes(root: etree._Element, rng: random.Random, steps: list[str]) -> etree._Element:
    candidates = [e for e in _elements(root) if len(e.attrib) > 1]
    target = rng.choice(candidates)
    items = list(target.attrib.items())
    rng.shuffle(items)
    target.attrib.clear()
    for name, value in items:
        target.set(name, value)
    steps.append(f"reorder_attrs:{etree.QName(target).localname}")
    return root


_START_TAG = re.compile(rb"<([A-Za-z_][\w.-]*:)?[A-Za-z_][\w.-]*")


def m_namespaces(root: etree._Element, rng: random.Random, steps: list[str]) -> etree._Element:
    """Namespace declarations edited in the serialised text (lxml would tidy them away in a tree)."""
    kind = rng.choice(["redundant-saml", "redundant-samlp", "redundant-ds", "unused", "unused-default",
                       "undeclare-default", "rename-prefix"])
    document = etree.tostring(root)
    if kind == "rename-prefix":
        prefix = rng.choice([b"saml", b"samlp", b"ds"])
        renamed = document.replace(b"<" + prefix + b":", b"<renamed:").replace(b"</" + prefix + b":", b"</renamed:")
        renamed = renamed.replace(b"xmlns:" + prefix + b"=", b"xmlns:renamed=")
        steps.append(f"ns:{kind}:{prefix.decode()}")
        return _reparse(renamed, document)
    tags = [m for m in _START_TAG.finditer(document)]
    tag = rng.choice(tags)
    declaration = {
        "redundant-saml": f' xmlns:saml="{SAML}"', "redundant-samlp": f' xmlns:samlp="{SAMLP}"',
        "redundant-ds": f' xmlns:ds="{DS}"', "unused": ' xmlns:unused="urn:example:unused"',
        "unused-default": ' xmlns="urn:example:default"', "undeclare-default": ' xmlns=""',
    }[kind].encode()
    steps.append(f"ns:{kind}:{tag.group(0)[1:].decode()}")
    return _reparse(document[:tag.end()] + declaration + document[tag.end():], document)


def _reparse(document: bytes, fallback: bytes) -> etree._Element:
    try:
        return etree.fromstring(document)
    except etree.XMLSyntaxError:  # e.g. a duplicate declaration; keep the unmutated document
        return etree.fromstring(fallback)


def m_xml_attribute(root: etree._Element, rng: random.Random, steps: list[str]) -> etree._Element:
    """``xml:lang`` / ``xml:space`` somewhere: inherited by inclusive C14N subsets (C14N 1.0 §2.4)."""
    target = rng.choice(_elements(root))
    name, value = rng.choice([("lang", "de"), ("space", "preserve"), ("base", "https://base.example/")])
    target.set(f"{{http://www.w3.org/XML/1998/namespace}}{name}", value)
    steps.append(f"xml_attr:{name}:{etree.QName(target).localname}")
    return root


def _signed_targets(root: etree._Element) -> list[etree._Element]:
    found = []
    for element in (root, assertion_of(root)):
        if element is not None and own_signature(element) is not None:
            found.append(element)
    return found


def m_duplicate_id(root: etree._Element, rng: random.Random, steps: list[str]) -> etree._Element:
    targets = _signed_targets(root) or [root]
    target = rng.choice(targets)
    clone = evil(target, rng, keep_id=True) if rng.random() < 0.7 else copy.deepcopy(target)
    clone.tail = None
    places = [root, *[e for e in _elements(root) if etree.QName(e).localname in ("Status", "Subject", "Signature")]]
    place = rng.choice(places)
    place.insert(rng.randrange(len(place) + 1), clone)
    steps.append(f"duplicate_id:{etree.QName(target).localname}->{etree.QName(place).localname}")
    return root


def m_move_signature(root: etree._Element, rng: random.Random, steps: list[str]) -> etree._Element:
    signatures = list(root.iter(ds("Signature")))
    if not signatures:
        return root
    signature = detach(rng.choice(signatures))
    hosts = [e for e in _elements(root) if etree.QName(e).namespace in (SAML, SAMLP)]
    host = rng.choice(hosts)
    host.insert(rng.randrange(len(host) + 1), signature)
    steps.append(f"move_signature:{etree.QName(host).localname}")
    return root


def m_signature_fields(root: etree._Element, rng: random.Random, steps: list[str]) -> etree._Element:
    signatures = list(root.iter(ds("Signature")))
    if not signatures:
        return root
    signature = rng.choice(signatures)
    kind = rng.choice(["signature-value", "digest-value", "method", "digest-method", "drop-enveloped",
                       "c14n-method", "retarget", "remove"])
    if kind == "signature-value":
        value = signature.find(ds("SignatureValue"))
        assert value is not None and value.text
        value.text = ("A" if value.text[0] != "A" else "B") + value.text[1:]
    elif kind == "digest-value":
        value = signature.find(f"{ds('SignedInfo')}/{ds('Reference')}/{ds('DigestValue')}")
        if value is not None and value.text:
            value.text = ("A" if value.text[0] != "A" else "B") + value.text[1:]
    elif kind == "method":
        method = signature.find(f"{ds('SignedInfo')}/{ds('SignatureMethod')}")
        assert method is not None
        method.set("Algorithm", dsig.RSA_SHA1 if method.get("Algorithm") != dsig.RSA_SHA1 else dsig.RSA_SHA256)
    elif kind == "digest-method":
        method = signature.find(f"{ds('SignedInfo')}/{ds('Reference')}/{ds('DigestMethod')}")
        if method is not None:
            method.set("Algorithm", dsig.SHA1 if method.get("Algorithm") != dsig.SHA1 else dsig.SHA256)
    elif kind == "drop-enveloped":
        for transform in list(signature.iter(ds("Transform"))):
            if transform.get("Algorithm") == dsig.ENVELOPED:
                detach(transform)
    elif kind == "c14n-method":
        method = signature.find(f"{ds('SignedInfo')}/{ds('CanonicalizationMethod')}")
        assert method is not None
        method.set("Algorithm", rng.choice([c for c in C14NS if c != method.get("Algorithm")]))
    elif kind == "retarget":
        reference = signature.find(f"{ds('SignedInfo')}/{ds('Reference')}")
        ids = [e.get("ID") for e in _elements(root) if e.get("ID")]
        if reference is not None and ids:
            reference.set("URI", "#" + str(rng.choice(ids)))
    else:
        detach(signature)
    steps.append(f"signature:{kind}")
    return root


def m_xsw(root: etree._Element, rng: random.Random, steps: list[str]) -> etree._Element:
    """SAMLRaider's XSW1–XSW8 shapes (XSWHelpers.java describes them)."""
    assertion = assertion_of(root)
    keep_id = rng.random() < 0.3
    response_signed = own_signature(root) is not None
    assertion_signed = assertion is not None and own_signature(assertion) is not None
    choices = ([1, 2] if response_signed else []) + ([3, 4, 5, 6, 7, 8] if assertion_signed else [])
    if not choices:
        return root
    number = rng.choice(choices)
    steps.append(f"xsw{number}{':same-id' if keep_id else ''}")
    if number in (1, 2):
        signature = own_signature(root)
        assert signature is not None
        original = without_own_signature(root)
        new_root = evil(root, rng, keep_id)
        new_signature = copy.deepcopy(signature)
        insert_signature(new_root, new_signature, "after-issuer")
        if number == 1:
            new_signature.append(original)
        else:
            new_signature.addprevious(original)
        return new_root
    assert assertion is not None
    signature = own_signature(assertion)
    assert signature is not None
    bad = evil(assertion, rng, keep_id)
    if number == 3:
        assertion.addprevious(bad)
    elif number == 4:
        root.replace(assertion, bad)
        bad.tail, assertion.tail = assertion.tail, None
        bad.append(assertion)
    elif number in (5, 6, 8):
        moved = detach(signature)
        root.replace(assertion, bad)
        bad.tail, assertion.tail = assertion.tail, None
        insert_signature(bad, moved, "after-issuer")
        if number == 5:
            root.append(assertion)
        elif number == 6:
            moved.append(assertion)
        else:
            holder = etree.SubElement(moved, ds("Object"))
            holder.append(assertion)
    else:
        extensions = etree.Element(f"{{{SAMLP}}}Extensions")
        root.replace(assertion, bad)
        bad.tail, assertion.tail = assertion.tail, None
        extensions.append(assertion)
        root.insert(1, extensions)
    return root


PROFILE_SHAPES = ("empty-uri", "two-references", "xpath-transform")

MUTATIONS: tuple[tuple[str, Mutation, int], ...] = (
    ("tamper_text", m_tamper_text, 12),
    ("tamper_attr", m_tamper_attribute, 8),
    ("comment", m_comment, 12),
    ("whitespace", m_whitespace, 10),
    ("reorder_attrs", m_reorder_attributes, 6),
    ("xml_attr", m_xml_attribute, 4),
    ("namespaces", m_namespaces, 12),
    ("duplicate_id", m_duplicate_id, 8),
    ("xsw", m_xsw, 18),
    ("move_signature", m_move_signature, 7),
    ("signature", m_signature_fields, 8),
)


def _bytes_variant(document: bytes, rng: random.Random, steps: list[str]) -> bytes:
    kind = rng.choice(["charref", "cdata", "latin1", "declaration", "attr-quotes"])
    steps.append(f"bytes:{kind}")
    if kind == "charref":
        return document.replace(b"alice@", b"&#x61;lice&#64;", 1)
    if kind == "cdata":
        return document.replace(b">https://sp.example<", b"><![CDATA[https://sp.example]]><", 1)
    if kind == "latin1":
        root = etree.fromstring(document)
        return etree.tostring(root.getroottree(), encoding="ISO-8859-1", xml_declaration=True)
    if kind == "declaration":
        return b'<?xml version="1.0" encoding="UTF-8"?>\n' + document
    return document.replace(b'Version="2.0"', b"Version='2.0'", 1)


# --------------------------------------------------------------------------- cases


class Corpus:
    """Seeded case generator; ``case(i)`` depends only on ``seed`` and ``i``."""

    def __init__(self, seed: int, workdir: Path | None = None) -> None:
        self.seed = seed
        self.workdir = workdir or Path(tempfile.mkdtemp(prefix="dsig-differential-"))
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.keys = key_materials(self.workdir)
        self.signers = Signers(self.keys, self.workdir)

    def cases(self, count: int, start: int = 0) -> Iterator[Case]:
        for index in range(start, start + count):
            yield self.case(index)

    def case(self, index: int) -> Case:
        rng = random.Random(f"{self.seed}:{index}")
        steps: list[str] = []
        family = "ec" if rng.random() < 0.1 else "rsa"
        signer_key = self.keys["ec" if family == "ec" else "trusted"]
        trusted = signer_key.name
        if family == "rsa" and rng.random() < 0.05:
            signer_key = self.keys["attacker"]
            steps.append("signed-by-attacker")
        root = base_response(rng, index, steps)
        profile = rng.random() < 0.04
        if profile:
            kind = rng.choice(PROFILE_SHAPES)
            steps.append(f"profile:{kind}")
            root = self.profile_shape(root, kind, signer_key)
        else:
            root = self._sign(root, rng, steps, signer_key, family)
        rounds = 0 if rng.random() < 0.12 else (1 if rng.random() < 0.8 else 2)
        weights = [w for _, _, w in MUTATIONS]
        for _ in range(rounds):
            _, mutate, _ = rng.choices(MUTATIONS, weights=weights)[0]
            root = mutate(root, rng, steps)
        document = etree.tostring(root)
        if rng.random() < 0.05:
            document = _bytes_variant(document, rng, steps)
        return Case(f"gen-{self.seed}-{index}", document, trusted, steps)

    def _sign(self, root: etree._Element, rng: random.Random, steps: list[str], key: KeyMaterial,
              family: str) -> etree._Element:
        which = rng.choice(["assertion", "assertion", "response", "both"])
        use_xmlsec1 = rng.random() < 0.3
        steps.append(f"sign:{which}:{'xmlsec1' if use_xmlsec1 else 'ours'}")
        targets = {"assertion": ["a"], "response": ["r"], "both": ["a", "r"]}[which]
        for target_name in targets:
            element = root if target_name == "r" else assertion_of(root)
            assert element is not None
            template = _template(rng, steps, family)
            if key.name == "attacker":
                template = dataclasses.replace(template, key_info=rng.choice(["cert", "keyvalue"]))
            signature = build_signature(dataclasses.replace(template, uris=(f"#{element.get('ID')}",)), key.cert)
            insert_signature(element, signature, rng.choice(["after-issuer", "after-issuer", "last"]))
            if use_xmlsec1:
                root = self.signers.xmlsec1(root, signature, key)
            else:
                self.signers.ours(root, signature, key)
        return root

    def profile_shape(self, root: etree._Element, kind: str, key: KeyMaterial) -> etree._Element:
        """A Signature valid under XML-DSig core but outside SAML core §5.4
        (one of :data:`PROFILE_SHAPES`), signed by xmlsec1 (ours refuses to)."""
        assertion = assertion_of(root)
        assert assertion is not None
        uris = {"empty-uri": ("",), "two-references": (f"#{assertion.get('ID')}", f"#{root.get('ID')}"),
                "xpath-transform": (f"#{assertion.get('ID')}",)}[kind]
        method = dsig.ECDSA_SHA256 if key.name == "ec" else dsig.RSA_SHA256
        base = Template(dsig.EXC_C14N, dsig.EXC_C14N, method, dsig.SHA256, uris=uris,
                        xpath=kind == "xpath-transform")
        host = root if kind == "empty-uri" else assertion
        signature = build_signature(base, key.cert)
        insert_signature(host, signature, "after-issuer")
        return self.signers.xmlsec1(root, signature, key)
