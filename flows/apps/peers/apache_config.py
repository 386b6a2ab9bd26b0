"""Configuration of a private Apache instance on 127.0.0.1, and of the two SP modules it hosts.

A private instance reads only the ``httpd.conf`` rendered here, never
``/etc/apache2``: its own ``ServerRoot`` (Debian's module folder), PID file,
runtime folder and mutexes in the instance's folder, one ``Listen`` on
127.0.0.1, the error log on standard error (the harness drains it into the
peer's log and waits there for Apache's "resuming normal operations" line),
the event MPM with few workers (two cores are shared by everything).

``/protected/`` is what each module guards, as in a real deployment: a page
(server-side include) that shows ``REMOTE_USER``, the identity the module
established, so a test can compare the SP's view with the trace.

Rendering is pure: :func:`render_httpd_conf`, :func:`mellon_block`,
:func:`openidc_block` and :func:`mellon_sp_metadata` return text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import quoteattr

__all__ = [
    "ApacheLayout",
    "MellonSettings",
    "OpenidcSettings",
    "PROTECTED_PATH",
    "PROTECTED_PAGE",
    "READY_LINE",
    "render_httpd_conf",
    "mellon_block",
    "openidc_block",
    "mellon_sp_metadata",
]

PROTECTED_PATH = "/protected/"
# The SSI page under PROTECTED_PATH: REMOTE_USER is what the module decided.
PROTECTED_PAGE = '<!DOCTYPE html>\n<title>protected</title>\n<p id="remote-user"><!--#echo var="REMOTE_USER" --></p>\n'
# Apache logs this (AH00489) once its listeners are bound and children start.
READY_LINE = "resuming normal operations"

BASE_MODULES = ("mpm_event", "authz_core", "authn_core", "authz_user", "mime", "dir", "env", "include")


@dataclass(frozen=True)
class ApacheLayout:
    """Where one instance lives and listens."""

    root: Path
    """The instance's folder: run/, htdocs/ and the module's files."""
    port: int
    user: str | None = None
    """The account its children run as (only when started as root: Apache refuses root children)."""

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def render_httpd_conf(layout: ApacheLayout, modules: Sequence[str], body: str) -> str:
    """The whole ``httpd.conf``: the instance's frame, ``modules`` loaded, then ``body``."""
    d = layout.root
    loads = "\n".join(f"LoadModule {m}_module modules/mod_{m}.so" for m in (*BASE_MODULES, *modules))
    user = f"User {layout.user}\nGroup {layout.user}\n" if layout.user else ""
    return f"""# Private Apache instance of the sso-harness peers lane (generated; reads nothing in /etc/apache2).
ServerRoot /usr/lib/apache2
ServerName 127.0.0.1:{layout.port}
Listen 127.0.0.1:{layout.port}
PidFile {d}/run/httpd.pid
DefaultRuntimeDir {d}/run
Mutex file:{d}/run default
ErrorLog /dev/stderr
LogLevel notice
{user}{loads}
StartServers 1
ServerLimit 2
ThreadsPerChild 16
MaxRequestWorkers 32
TypesConfig /etc/mime.types
DocumentRoot {d}/htdocs
DirectoryIndex index.shtml index.html
<Directory />
    AllowOverride None
    Require all denied
</Directory>
<Directory {d}/htdocs>
    Require all granted
</Directory>
<Location {PROTECTED_PATH}>
    Options +Includes
    AddType text/html .shtml
    AddOutputFilter INCLUDES .shtml
</Location>

{body}"""


@dataclass(frozen=True)
class MellonSettings:
    """mod_auth_mellon as an SP: its identity and key files, and the IdP it trusts."""

    entity_id: str
    key_file: Path
    cert_file: Path
    sp_metadata_file: Path
    idp_metadata_file: Path
    endpoint_path: str = "/mellon"


def mellon_block(s: MellonSettings, post_dir: Path, lock_file: Path) -> str:
    """mellon's directives. Its defaults stay as shipped (signed AuthnRequests, signed
    Responses or assertions required, rsa-sha256). One change, for plain-HTTP loopback
    only: mellon marks its cookies ``SameSite=None`` without ``Secure``, which Chromium
    drops on ``http://``, so the login would stall after the Response;
    ``MELLON_DISABLE_SAMESITE`` leaves the attribute off (signature checks untouched)."""
    return f"""MellonCacheSize 100
MellonLockFile {lock_file}
MellonPostDirectory {post_dir}
<Location />
    MellonEnable info
    MellonEndpointPath {s.endpoint_path}
    MellonSPentityId "{s.entity_id}"
    MellonSPPrivateKeyFile {s.key_file}
    MellonSPCertFile {s.cert_file}
    MellonSPMetadataFile {s.sp_metadata_file}
    MellonIdPMetadataFile {s.idp_metadata_file}
    SetEnv MELLON_DISABLE_SAMESITE 1
</Location>
<Location {PROTECTED_PATH}>
    AuthType Mellon
    MellonEnable auth
    MellonUser NAME_ID
    Require valid-user
</Location>
"""


@dataclass(frozen=True)
class OpenidcSettings:
    """mod_auth_openidc as a relying party of one OpenID provider."""

    discovery_url: str
    client_id: str
    client_secret: str
    redirect_uri: str
    crypto_passphrase: str
    scopes: tuple[str, ...] = ("openid", "email", "profile")
    outgoing_proxy: str | None = None
    """``host:port`` of an HTTP proxy for its calls to the provider (discovery, JWKS, token)."""


def openidc_block(s: OpenidcSettings) -> str:
    """The RP's directives: code flow with PKCE S256, client_secret_basic, ``sub`` as REMOTE_USER.
    The redirect URI lies under ``/protected/``, where the module handles it."""
    proxy = f"OIDCOutgoingProxy {s.outgoing_proxy}\n" if s.outgoing_proxy else ""
    return f"""OIDCProviderMetadataURL {s.discovery_url}
OIDCClientID {s.client_id}
OIDCClientSecret "{s.client_secret}"
OIDCRedirectURI {s.redirect_uri}
OIDCCryptoPassphrase "{s.crypto_passphrase}"
OIDCScope "{' '.join(s.scopes)}"
OIDCResponseType code
OIDCPKCEMethod S256
OIDCProviderTokenEndpointAuth client_secret_basic
OIDCRemoteUserClaim sub
{proxy}<Location {PROTECTED_PATH}>
    AuthType openid-connect
    Require valid-user
</Location>
"""


def mellon_sp_metadata(entity_id: str, base_url: str, cert_b64: str, *, endpoint_path: str = "/mellon",
                       name_id_format: str = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient") -> str:
    """The SP metadata mellon serves at ``<endpoint>/metadata`` (SAML metadata §2.4.4):
    its key for signing and encryption, logout on HTTP-Redirect, the ACS
    ``<endpoint>/postResponse`` on HTTP-POST. Requests are signed and assertions must be."""
    e = f"{base_url}{endpoint_path}"
    key = f"<ds:KeyInfo><ds:X509Data><ds:X509Certificate>{cert_b64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>"
    return f"""<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID={quoteattr(entity_id)}>
  <md:SPSSODescriptor AuthnRequestsSigned="true" WantAssertionsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing">{key}</md:KeyDescriptor>
    <md:KeyDescriptor use="encryption">{key}</md:KeyDescriptor>
    <md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location={quoteattr(e + "/logout")}/>
    <md:NameIDFormat>{name_id_format}</md:NameIDFormat>
    <md:AssertionConsumerService index="0" isDefault="true" Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location={quoteattr(e + "/postResponse")}/>
  </md:SPSSODescriptor>
</md:EntityDescriptor>
"""
