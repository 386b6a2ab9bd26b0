"""XML-DSig for SAML: one import point for verification, signing and keys.

Implementation lives in small modules:

* :mod:`sso_harness.protocols.xml.dsig.verify` — :func:`verify_signatures`
* :mod:`sso_harness.protocols.xml.dsig.sign` — :func:`sign_template`,
  :func:`sign_element`, :func:`sign_statement_xml`
* :mod:`sso_harness.protocols.xml.dsig.keys` — certificates and raw key operations
* :mod:`sso_harness.protocols.xml.dsig.reference` / :mod:`sso_harness.protocols.xml.dsig.c14n` —
  the Reference pipeline and canonicalisation shared by both directions
* :mod:`sso_harness.protocols.xml.dsig.algorithms` — algorithm URIs and tables (all
  re-exported here)
"""

from __future__ import annotations

from sso_harness.protocols.xml.dsig import algorithms
from sso_harness.protocols.xml.dsig.algorithms import *  # the algorithm URIs and tables, listed once in algorithms.__all__
from sso_harness.protocols.xml.dsig.keys import (
    PrivateKey,
    certificate_from_keyinfo_text,
    certificate_sha256,
    load_certificates,
    load_private_key,
)
from sso_harness.protocols.xml.dsig.sign import sign_element, sign_statement_xml, sign_template
from sso_harness.protocols.xml.dsig.verify import SignatureCheck, verify_signatures

__all__ = [
    "PrivateKey",
    "SignatureCheck",
    "certificate_from_keyinfo_text",
    "certificate_sha256",
    "load_certificates",
    "load_private_key",
    "sign_element",
    "sign_statement_xml",
    "sign_template",
    "verify_signatures",
]
__all__ += algorithms.__all__
