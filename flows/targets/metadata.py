"""What the harness needs from IdP metadata: signing certificates and endpoints.

SAML metadata §2.4.1.1: a ``KeyDescriptor`` with ``use="signing"`` or with
no ``use`` attribute holds a key the IdP signs with; several are normal
during a rollover, and all of them are trusted at once. Entra's federation
metadata also lists them under ``RoleDescriptor`` for WS-Federation.
"""

from __future__ import annotations

import urllib.request
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes

from sso_harness.protocols import DecodeError
from sso_harness.protocols.xml.safe import parse_xml
from sso_harness.protocols.xml.dsig.keys import certificate_from_keyinfo_text

__all__ = ["IdpMetadata", "parse_idp_metadata", "fetch_idp_metadata"]

MD = "urn:oasis:names:tc:SAML:2.0:metadata"
DS = "http://www.w3.org/2000/09/xmldsig#"


@dataclass(frozen=True)
class IdpMetadata:
    entity_id: str | None
    signing_certs: tuple[x509.Certificate, ...]
    sso_urls: dict[str, str]  # binding URI -> location
    slo_urls: dict[str, str]


def parse_idp_metadata(xml: bytes) -> IdpMetadata:
    root = parse_xml(xml, where="IdP metadata")
    entity = root if root.tag == f"{{{MD}}}EntityDescriptor" else next(root.iter(f"{{{MD}}}EntityDescriptor"), None)
    if entity is None:
        raise DecodeError("no EntityDescriptor", where="IdP metadata")
    certs: list[x509.Certificate] = []
    seen: set[bytes] = set()
    for kd in entity.iter(f"{{{MD}}}KeyDescriptor"):
        if kd.get("use") not in (None, "signing"):
            continue
        for el in kd.iter(f"{{{DS}}}X509Certificate"):
            cert = certificate_from_keyinfo_text(el.text or "")
            fp = cert.fingerprint(hashes.SHA256())
            if fp not in seen:
                seen.add(fp)
                certs.append(cert)
    idp = next(entity.iter(f"{{{MD}}}IDPSSODescriptor"), None)
    sso = {e.get("Binding", ""): e.get("Location", "") for e in (idp.iter(f"{{{MD}}}SingleSignOnService") if idp is not None else [])}
    slo = {e.get("Binding", ""): e.get("Location", "") for e in (idp.iter(f"{{{MD}}}SingleLogoutService") if idp is not None else [])}
    if not certs:
        raise DecodeError("the metadata lists no signing certificate", where="IdP metadata")
    return IdpMetadata(entity.get("entityID"), tuple(certs), sso, slo)


def fetch_idp_metadata(url: str, *, proxy_url: str | None = None, cafile: str | None = None, timeout: float = 15) -> IdpMetadata:
    """Fetch (through the capture proxy when given, so the fetch is in the trace) and parse.

    Through the proxy, HTTPS is re-signed by the proxy's own CA: pass its
    certificate as ``cafile`` (``CaptureProxy.ca_cert_path``).
    """
    import ssl

    handlers: list[urllib.request.BaseHandler] = [
        urllib.request.ProxyHandler({"http": proxy_url, "https": proxy_url} if proxy_url else {})
    ]
    if cafile:
        handlers.append(urllib.request.HTTPSHandler(context=ssl.create_default_context(cafile=cafile)))
    with urllib.request.build_opener(*handlers).open(url, timeout=timeout) as r:
        return parse_idp_metadata(r.read(2 * 1024 * 1024))
