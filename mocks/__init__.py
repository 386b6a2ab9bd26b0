"""Mock IdPs and SPs on 127.0.0.1: emulations of the seed systems, with fault injection.

Public API::

    MockFleet(config=None, *, clock, new_id, new_guid, outbound_proxy, keys) -> context manager
    SamlFleet(...)                      # the generic IdP/SP pair only
    FleetConfig, load_config(path), ConfigError
    ResponseFaults, NO_FAULTS, faults_from_json(obj), faults_to_json(faults)
    serve(config, *, urls_file, out)    # the foreground loop of ``sso-harness mocks serve``

Mocks: :class:`mocks.entra.EntraIdp`, :class:`mocks.jumpcloud.JumpCloudIdp`,
:class:`mocks.sps.AtlassianSp`, :class:`mocks.sps.AlibabaCloudSsoSp`,
:class:`mocks.sps.MitelSp`, :class:`mocks.sps.JiraOAuthClient`, and the
generic :class:`mocks.saml.idp.MockSamlIdp` / :class:`mocks.saml.sp.MockSamlSp`.
"""

from __future__ import annotations

import importlib
from typing import Any

# Exports load on first use: importing ``mocks.http`` (as the capture tests
# do) must not pull in pysaml2 and every mock.
_EXPORTS = {
    "NO_FAULTS": "mocks.saml.faults",
    "ResponseFaults": "mocks.saml.faults",
    "faults_from_json": "mocks.saml.faults",
    "faults_to_json": "mocks.saml.faults",
    "ConfigError": "mocks.config",
    "FleetConfig": "mocks.config",
    "load_config": "mocks.config",
    "MockFleet": "mocks.fleet",
    "SamlFleet": "mocks.fleet",
    "serve": "mocks.serve",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'mocks' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
