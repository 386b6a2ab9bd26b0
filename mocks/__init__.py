"""Mock IdPs and SPs on 127.0.0.1: emulations of the seed systems, with fault injection.

Public API::

    MockFleet(config=None, *, clock, new_id, new_guid, outbound_proxy, keys) -> context manager
    SamlFleet(...)                      # the generic IdP/SP pair only
    FleetConfig, load_config(path), ConfigError
    ResponseFaults, NO_FAULTS, faults_from_json(obj), faults_to_json(faults)
    serve(config, *, urls_file, out)    # the foreground loop of ``sso-harness mocks serve``

Mocks: :class:`sso_harness.mocks.entra.EntraIdp`, :class:`sso_harness.mocks.jumpcloud.JumpCloudIdp`,
:class:`sso_harness.mocks.sps.AtlassianSp`, :class:`sso_harness.mocks.sps.AlibabaCloudSsoSp`,
:class:`sso_harness.mocks.sps.MitelSp`, :class:`sso_harness.mocks.sps.JiraOAuthClient`, and the
generic :class:`sso_harness.mocks.saml.idp.MockSamlIdp` / :class:`sso_harness.mocks.saml.sp.MockSamlSp`.

The security battery's lab (attacker site, loopback OpenID providers, vulnerable SAML SP and
relying parties) is :class:`sso_harness.mocks.attack_lab.AttackLab`. Every group of loopback
servers (the fleet, the lab) binds, starts and stops through :mod:`sso_harness.mocks.web.servers`.
"""

from __future__ import annotations

import importlib
from typing import Any

# Exports load on first use: importing ``sso_harness.mocks.web.http`` (as the capture tests
# do) must not pull in pysaml2 and every mock.
_EXPORTS = {
    "NO_FAULTS": "sso_harness.mocks.base.faults",
    "ResponseFaults": "sso_harness.mocks.base.faults",
    "faults_from_json": "sso_harness.mocks.base.faults",
    "faults_to_json": "sso_harness.mocks.base.faults",
    "ConfigError": "sso_harness.mocks.config",
    "FleetConfig": "sso_harness.mocks.config",
    "load_config": "sso_harness.mocks.config",
    "MockFleet": "sso_harness.mocks.fleet",
    "SamlFleet": "sso_harness.mocks.fleet",
    "serve": "sso_harness.mocks.serve",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'mocks' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
