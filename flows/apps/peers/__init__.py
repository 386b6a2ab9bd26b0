"""Real peers on loopback: SimpleSAMLphp 1.19 (IdP and SP), oidc-provider (OpenID provider),
and Apache with mod_auth_mellon (SAML SP) and mod_auth_openidc (OIDC relying party).

``scripts/install-peers.sh`` installs them; this package checks they are
there (:mod:`~sso_harness.apps.peers.install`), generates their configuration
(:mod:`~sso_harness.apps.peers.simplesamlphp_config`, ``oidc_provider/server.mjs``,
:mod:`~sso_harness.apps.peers.apache_config`),
starts and stops them (:mod:`~sso_harness.apps.peers.simplesamlphp_peer`,
:mod:`~sso_harness.apps.peers.oidc_provider_peer`, :mod:`~sso_harness.apps.peers.apache_peer`,
:mod:`~sso_harness.apps.peers.mellon_peer`, :mod:`~sso_harness.apps.peers.openidc_peer`,
:mod:`~sso_harness.apps.peers.process`), wires
our mocks to them (:mod:`~sso_harness.apps.peers.mock_partners`) and describes each as
a target (:mod:`~sso_harness.apps.peers.peer_targets`).
"""

from __future__ import annotations

from sso_harness.apps.peers.apache_peer import ApacheInstance
from sso_harness.apps.peers.install import (
    INSTALL_HINT,
    PeersNotInstalled,
    missing_apache,
    missing_oidc_provider,
    missing_simplesamlphp,
    when_missing,
)
from sso_harness.apps.peers.mellon_peer import MellonSp
from sso_harness.apps.peers.mock_partners import MockPartners
from sso_harness.apps.peers.openidc_peer import OpenidcRp
from sso_harness.apps.peers.oidc_provider_peer import LOOPBACK_REDIRECT, OidcAccount, OidcProviderPeer
from sso_harness.apps.peers.php import PhpExpr, php_file, php_literal
from sso_harness.apps.peers.process import PeerProcess, PeerStartError
from sso_harness.apps.peers.saml_entities import Endpoint, SamlEntity, read_entity
from sso_harness.apps.peers.simplesamlphp_config import (
    EMAIL_FORMAT,
    IDP_AUTHSOURCE,
    SP_AUTHSOURCE,
    SspRemoteSp,
    SspSecrets,
    SspSettings,
    SspUser,
    render_config,
    write_config,
)
from sso_harness.apps.peers.simplesamlphp_peer import SimpleSamlPhp, SspEndpoints
from sso_harness.apps.peers.peer_targets import (
    PeerTarget,
    TargetClient,
    TargetIdp,
    TargetSp,
    TargetUser,
    oidc_provider_target,
    simplesamlphp_idp_target,
    simplesamlphp_sp_target,
)

__all__ = [
    "ApacheInstance",
    "EMAIL_FORMAT",
    "Endpoint",
    "IDP_AUTHSOURCE",
    "INSTALL_HINT",
    "LOOPBACK_REDIRECT",
    "MellonSp",
    "MockPartners",
    "OidcAccount",
    "OidcProviderPeer",
    "OpenidcRp",
    "PeerProcess",
    "PeerStartError",
    "PeerTarget",
    "PeersNotInstalled",
    "PhpExpr",
    "SP_AUTHSOURCE",
    "SamlEntity",
    "SimpleSamlPhp",
    "SspEndpoints",
    "SspRemoteSp",
    "SspSecrets",
    "SspSettings",
    "SspUser",
    "TargetClient",
    "TargetIdp",
    "TargetSp",
    "TargetUser",
    "missing_apache",
    "missing_oidc_provider",
    "missing_simplesamlphp",
    "oidc_provider_target",
    "php_file",
    "php_literal",
    "read_entity",
    "render_config",
    "simplesamlphp_idp_target",
    "simplesamlphp_sp_target",
    "when_missing",
    "write_config",
]
