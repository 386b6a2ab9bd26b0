"""Real peers on loopback: SimpleSAMLphp 1.19 (IdP and SP) and oidc-provider (OpenID provider).

``scripts/install-peers.sh`` installs them; this package checks they are
there (:mod:`~flows.peers.install`), generates their configuration
(:mod:`~flows.peers.simplesamlphp_config`, ``oidc_provider/server.mjs``),
starts and stops them (:mod:`~flows.peers.simplesamlphp_peer`,
:mod:`~flows.peers.oidc_provider_peer`, :mod:`~flows.peers.process`), wires
our mocks to them (:mod:`~flows.peers.mock_partners`) and describes each as
a target (:mod:`~flows.peers.targets`).
"""

from __future__ import annotations

from flows.peers.install import (
    INSTALL_HINT,
    PeersNotInstalled,
    missing_oidc_provider,
    missing_simplesamlphp,
    when_missing,
)
from flows.peers.mock_partners import MockPartners
from flows.peers.oidc_provider_peer import (
    LOOPBACK_REDIRECT,
    OidcAccount,
    OidcProviderPeer,
)
from flows.peers.php import PhpExpr, php_file, php_literal
from flows.peers.process import PeerProcess, PeerStartError
from flows.peers.saml_entities import Endpoint, SamlEntity, read_entity
from flows.peers.simplesamlphp_config import (
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
from flows.peers.simplesamlphp_peer import SimpleSamlPhp, SspEndpoints
from flows.peers.targets import (
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
    "EMAIL_FORMAT",
    "Endpoint",
    "IDP_AUTHSOURCE",
    "INSTALL_HINT",
    "LOOPBACK_REDIRECT",
    "MockPartners",
    "OidcAccount",
    "OidcProviderPeer",
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
