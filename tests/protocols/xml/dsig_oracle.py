"""Our XML-DSig verdicts against xmlsec1's, asking both the same question.

The question, per ``ds:Signature`` element *i* of a document and one trusted
key *K*: **"is Signature i valid under K alone, its Reference(s) resolved by
the document's ID attributes?"**  (XML-DSig core validation, §3.2.)

How each side is asked:

* ours: :func:`verify_signatures` on the document as our hardened parser
  reads it, trusting only K; the i-th check (both enumerate Signatures in
  document order).  A document our parser refuses is untrusted throughout.
* xmlsec1: ``--verify --node-xpath '(//ds:Signature)[i]'`` (xmlsec1 otherwise
  checks only the *first* Signature), ``--pubkey-cert-pem K`` with
  ``--enabled-key-data key-name`` so nothing in ``KeyInfo`` (an embedded
  certificate, an attacker's ``RSAKeyValue``) can supply a key, and
  ``--enabled-reference-uris empty,same-doc`` (no file or network access).
  IDs: xmlsec1 knows no ID attribute unless told (``--id-attr``).  Ours
  treats ``ID``/``Id``/``AssertionID`` on any element as IDs, so for each
  ``#X`` reference of Signature i, every (element name, attribute) pair that
  carries the value X is registered.  Only the IDs Signature i refers to are
  registered, because the xmlsec1 *application* refuses a whole document
  when any registered ID is duplicated, which would answer a question about
  some other signature.

Where the raw verdicts differ, :func:`explain` looks at the document
itself (not at our verifier's output) for a SAML-profile rule that the
signature breaks — our verifier applies SAML core §5.4, xmlsec1 implements
plain XML-DSig — and names the clause.  The one explanation in the other
direction (:func:`explain_refusal`): the xmlsec1 application refuses the
whole document when an ID it registered repeats, even one that Signature i
does not reference.  A difference without such a reason is unexplained and
fails the test.

SAML-level verdicts answer a different question: "may an SP use this
Response's assertion?".  xmlsec1 alone (as pysaml2 calls it) says only that
*a* signature — the first — verifies, not what it covers; that gap is XML
signature wrapping.  :func:`judge` therefore also builds an xmlsec1-based
SAML verdict: some Signature that xmlsec1 verifies, that is inside the SAML
profile, whose single Reference resolves (by the harness's own ID lookup) to
the Response root or to its first direct-child Assertion — the elements our
SAML layer reads (``parse_response``).  It is compared with ``trusted``
from :func:`parse_saml`.  The naive "first Signature verifies" answer is
kept as ``naive_xmlsec1`` so the wrapping gap can be counted.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from lxml import etree

from sso_harness.protocols import DecodeError, Response, parse_saml
from sso_harness.protocols.xml import dsig
from sso_harness.protocols.xml.dsig.verify import verify_signatures
from sso_harness.protocols.xml.safe import parse_xml

from .dsig_corpus import DS, SAML, SAMLP, XMLSEC1, signature_xpath

ID_ATTRIBUTES = ("ID", "Id", "AssertionID")
PROFILE_TRANSFORMS = frozenset({dsig.ENVELOPED, dsig.C14N, dsig.C14N_WITH_COMMENTS, dsig.EXC_C14N,
                                dsig.EXC_C14N_WITH_COMMENTS})
# SAML core §1.3.3: xs:dateTime in UTC (the harness's own check, independent of our decoder).
_DATETIME = re.compile(r"-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?")
_TIME_ATTRIBUTES = ("IssueInstant", "NotBefore", "NotOnOrAfter", "AuthnInstant", "SessionNotOnOrAfter")
# Lenient reading for the harness's own view of the document (never for trust).
_READER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


@dataclass(frozen=True)
class Explanation:
    """Why the two verdicts differ, and the clause that makes ours right."""

    code: str
    spec: str
    why: str


EXPLANATIONS = {
    "saml.single_reference": Explanation(
        "saml.single_reference", "SAML core §5.4.2",
        "the Signature has other than one ds:Reference; SAML requires 'a single <ds:Reference>'; "
        "xmlsec1 implements plain XML-DSig (§4.3: one or more References)"),
    "saml.bare_name_reference": Explanation(
        "saml.bare_name_reference", "SAML core §5.4.2; XML-DSig §4.3.3.3",
        "the Reference URI is not '#' + the ID of the signed element (e.g. URI=\"\" = the whole "
        "document), which SAML forbids: the signer must name the element it vouches for"),
    "saml.transforms": Explanation(
        "saml.transforms", "SAML core §5.4.4",
        "the Reference uses a transform other than enveloped-signature and C14N; 'Verifiers of "
        "signatures MAY reject signatures that contain other transform algorithms as invalid' "
        "(an XPath transform can exclude signed-looking content from the digest)"),
    "saml.time_value": Explanation(
        "saml.time_value", "SAML core §1.3.3; §2.3.3, §3.2.2 (xs:dateTime attributes)",
        "a SAML time attribute is not an xs:dateTime, so the message is refused before any "
        "signature question; xmlsec1 does not read SAML"),
    "xmlsec1.duplicate_id_elsewhere": Explanation(
        "xmlsec1.duplicate_id_elsewhere", "XML-DSig §4.3.3.3; XML 1.0 §3.3.1 (VC: ID)",
        "xmlsec1's command line refuses the whole document because an ID value that this Signature "
        "does not reference occurs twice among the registered ID attributes; the bare-name reference "
        "of this Signature still identifies exactly one element, so its verdict stands (and the "
        "SAML verdict, which also reads the duplicated element, is compared separately)"),
    "id.not_unique": Explanation(
        "id.not_unique", "XML 1.0 §3.3.1 (VC: ID); SAML core §1.3.4; XML-DSig §4.3.3.3",
        "the referenced ID is carried by more than one element, so '#ID' does not identify one "
        "element; ambiguous IDs are the raw material of signature wrapping"),
}


@dataclass(frozen=True)
class SignatureVerdict:
    """Both verdicts for the ``position``-th Signature (1-based, document order)."""

    position: int
    uris: tuple[str, ...]
    ours: bool
    ours_reason: str | None
    xmlsec1: bool
    xmlsec1_error: str
    explanation: Explanation | None

    @property
    def agree(self) -> bool:
        return self.ours == self.xmlsec1


@dataclass(frozen=True)
class DocumentVerdict:
    """Per-Signature verdicts plus the SAML-level ones for one document."""

    name: str
    signatures: tuple[SignatureVerdict, ...]
    saml_ours: bool
    saml_xmlsec1: bool
    naive_xmlsec1: bool
    steps: tuple[str, ...] = field(default=())
    saml_explanation: Explanation | None = None

    @property
    def agree(self) -> bool:
        return all(s.agree for s in self.signatures) and self.saml_ours == self.saml_xmlsec1

    @property
    def unexplained(self) -> tuple[str, ...]:
        found = [f"Signature {s.position}: ours={s.ours} ({s.ours_reason}) xmlsec1={s.xmlsec1} "
                 f"({s.xmlsec1_error})" for s in self.signatures if not s.agree and s.explanation is None]
        if self.saml_ours != self.saml_xmlsec1 and self.saml_explanation is None:
            found.append(f"SAML level: ours trusted={self.saml_ours}, xmlsec1-based={self.saml_xmlsec1}")
        return tuple(found)

    @property
    def explained(self) -> tuple[Explanation, ...]:
        found = [s.explanation for s in self.signatures if not s.agree and s.explanation is not None]
        if self.saml_ours != self.saml_xmlsec1 and self.saml_explanation is not None:
            found.append(self.saml_explanation)
        return tuple(found)


def read_leniently(document: bytes) -> etree._Element | None:
    """The harness's own parse (entities unresolved, no network); None if not well-formed."""
    try:
        return etree.fromstring(document, parser=_READER)
    except etree.XMLSyntaxError:
        return None


def elements_with_id(root: etree._Element, value: str) -> list[tuple[etree._Element, str]]:
    return [(element, name) for element in root.iter(etree.Element) for name in ID_ATTRIBUTES
            if element.get(name) == value]


def references(signature: etree._Element) -> list[etree._Element]:
    signed_info = signature.find(f"{{{DS}}}SignedInfo")
    return [] if signed_info is None else signed_info.findall(f"{{{DS}}}Reference")


def explain(root: etree._Element, signature: etree._Element) -> Explanation | None:
    """The SAML-profile rule ``signature`` breaks, read from the document (None: it keeps them all)."""
    found = references(signature)
    if len(found) != 1:
        return EXPLANATIONS["saml.single_reference"]
    uri = found[0].get("URI") or ""
    if not uri.startswith("#") or len(uri) < 2 or uri.startswith("#xpointer("):
        return EXPLANATIONS["saml.bare_name_reference"]
    for transform in found[0].iter(f"{{{DS}}}Transform"):
        if transform.get("Algorithm") not in PROFILE_TRANSFORMS:
            return EXPLANATIONS["saml.transforms"]
    if len(elements_with_id(root, uri[1:])) > 1:
        return EXPLANATIONS["id.not_unique"]
    return None


def explain_saml(root: etree._Element | None) -> Explanation | None:
    """A SAML rule (outside XML-DSig) that makes the message unusable whatever its signatures say."""
    if root is None:
        return None
    for element in root.iter(etree.Element):
        for name in _TIME_ATTRIBUTES:
            value = element.get(name)
            if value is not None and not _DATETIME.fullmatch(value):
                return EXPLANATIONS["saml.time_value"]
    return None


def explain_refusal(root: etree._Element, signature: etree._Element, registered: set[tuple[str, str]],
                    error: str) -> Explanation | None:
    """Why xmlsec1 refused a Signature ours accepts, read from the document (None: no reason found)."""
    if "duplicate ID attribute" not in error:
        return None
    referenced = {uri[1:] for uri in (r.get("URI") or "" for r in references(signature)) if uri.startswith("#")}
    values: dict[str, int] = {}
    for element in root.iter(etree.Element):
        for attribute, node in registered:
            value = element.get(attribute)
            if value is not None and _node_name(element) == node:
                values[value] = values.get(value, 0) + 1
    unique_reference = all(values.get(v, 0) == 1 for v in referenced)
    elsewhere = any(count > 1 and value not in referenced for value, count in values.items())
    return EXPLANATIONS["xmlsec1.duplicate_id_elsewhere"] if unique_reference and elsewhere else None


def saml_target(root: etree._Element, signature: etree._Element) -> etree._Element | None:
    """The element the single ``#ID`` Reference of ``signature`` names, if unique and within the profile."""
    if explain(root, signature) is not None:
        return None
    uri = references(signature)[0].get("URI") or ""
    ((element, _),) = elements_with_id(root, uri[1:]) or [(None, "")]
    return element


class Xmlsec1:
    """Runs ``xmlsec1 --verify`` on one Signature of a document, trusting one certificate file."""

    def __init__(self, workdir: Path | None = None) -> None:
        self.workdir = workdir or Path(tempfile.mkdtemp(prefix="dsig-oracle-"))
        self.calls = 0

    def verify(self, document: bytes, position: int, id_attributes: Iterable[tuple[str, str]],
               cert_file: Path) -> tuple[bool, str]:
        source = self.workdir / "document.xml"
        source.write_bytes(document)
        command = [XMLSEC1, "--verify", "--pubkey-cert-pem", str(cert_file), "--enabled-key-data", "key-name",
                   "--enabled-reference-uris", "empty,same-doc", "--node-xpath", signature_xpath(position)]
        for attribute, node in sorted(set(id_attributes)):
            command += [f"--id-attr:{attribute}", node]
        self.calls += 1
        done = subprocess.run([*command, str(source)], capture_output=True, text=True, timeout=60, check=False)
        lines = done.stderr.splitlines()
        duplicate = [line for line in lines if "duplicate ID attribute" in line]
        errors = [line for line in lines if line.startswith(("Error", "func=")) or "error" in line]
        return done.returncode == 0, (duplicate or errors or [done.stderr.strip()[-200:]])[-1]


def _node_name(element: etree._Element) -> str:
    qname = etree.QName(element)
    return f"{qname.namespace}:{qname.localname}" if qname.namespace else qname.localname


def _ours(document: bytes, cert: x509.Certificate, count: int) -> tuple[list[tuple[bool, str | None]], bool]:
    try:
        root = parse_xml(document, where="XML")
    except DecodeError as problem:
        return [(False, f"parser refused: {problem.reason}")] * count, False
    checks = verify_signatures(root, [cert])
    per_signature = [(c.valid, c.reason) for c in checks]
    per_signature += [(False, "not enumerated")] * (count - len(per_signature))
    try:
        message = parse_saml(document, trusted_certs=[cert])
    except DecodeError:
        return per_signature, False
    return per_signature, isinstance(message, Response) and message.trusted


def judge(name: str, document: bytes, cert: x509.Certificate, cert_file: Path, xmlsec1: Xmlsec1,
          steps: Iterable[str] = ()) -> DocumentVerdict:
    """Ask both verifiers the per-Signature and the SAML-level question about ``document``."""
    root = read_leniently(document)
    signatures = [] if root is None else list(root.iter(f"{{{DS}}}Signature"))
    ours, saml_ours = _ours(document, cert, len(signatures))
    verdicts: list[SignatureVerdict] = []
    for position, signature in enumerate(signatures, start=1):
        assert root is not None
        uris = tuple(r.get("URI") or "" for r in references(signature))
        ids = [(attribute, _node_name(element)) for uri in uris if uri.startswith("#")
               for element, attribute in elements_with_id(root, uri[1:])]
        theirs, error = xmlsec1.verify(document, position, ids, cert_file)
        valid, reason = ours[position - 1]
        if valid == theirs:
            explanation = None
        elif theirs:
            explanation = explain(root, signature)
        else:
            explanation = explain_refusal(root, signature, set(ids), error)
        verdicts.append(SignatureVerdict(position, uris, valid, reason, theirs, error, explanation))
    accepted: list[etree._Element] = []
    if root is not None and root.tag == f"{{{SAMLP}}}Response":
        accepted = [root, *root.findall(f"{{{SAML}}}Assertion")[:1]]
    saml_theirs = any(
        v.xmlsec1 and root is not None and any(saml_target(root, s) is a for a in accepted)
        for v, s in zip(verdicts, signatures, strict=True)
    )
    naive = bool(verdicts) and verdicts[0].xmlsec1
    saml_explanation = explain_saml(root) if saml_theirs and not saml_ours else None
    return DocumentVerdict(name, tuple(verdicts), saml_ours, saml_theirs, naive, tuple(steps), saml_explanation)


@dataclass
class Tally:
    """Counts for a run: documents, Signatures, agreements and disagreements by explanation."""

    documents: int = 0
    signatures: int = 0
    agreements: int = 0
    explained: dict[str, int] = field(default_factory=dict)
    unexplained: list[str] = field(default_factory=list)
    saml_trusted: int = 0
    wrapping_gap: int = 0
    valid_signatures: int = 0

    def add(self, verdict: DocumentVerdict) -> None:
        self.documents += 1
        self.signatures += len(verdict.signatures)
        self.valid_signatures += sum(1 for s in verdict.signatures if s.ours)
        self.saml_trusted += verdict.saml_ours
        self.wrapping_gap += verdict.naive_xmlsec1 and not verdict.saml_ours
        if verdict.agree:
            self.agreements += 1
        for explanation in verdict.explained:
            self.explained[explanation.code] = self.explained.get(explanation.code, 0) + 1
        for problem in verdict.unexplained:
            self.unexplained.append(f"{verdict.name} [{' '.join(verdict.steps)}]: {problem}")

    @property
    def disagreements(self) -> int:
        return self.documents - self.agreements
