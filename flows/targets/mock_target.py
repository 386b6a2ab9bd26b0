"""The embedded mock fleet described as a target, like any tenant.

The description is the packaged targets file :data:`MOCKS_FILE`
(``sso_harness/targets/mocks.yaml``); only URLs that depend on the ports the
fleet chose at start are templates there, ``{mock.NAME}``, filled by
:func:`mock_target` from :func:`mock_values`. The shape (SPs, flows, users)
is static, so tests can be collected before the fleet starts.

An SP's settings that are the mock's own configuration, not a URL, reach
the fleet's SP of the same name when the target is filled: ``force_authn:
true`` makes that mock SP send ForceAuthn="true" (until the fleet's next
reset), as an admin ticks "force re-authentication" in a real SP.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sso_harness.targets.load import load_target
from sso_harness.targets.runner import FlowCase, cases_of
from sso_harness.targets.target import Target

if TYPE_CHECKING:  # the caller has started the fleet
    from sso_harness.mocks.fleet import MockFleet

__all__ = ["MOCKS_FILE", "MOCKS_TARGET", "MOCK_CASES", "MockTemplateError", "configure_mock_sps", "fill_mock_templates",
           "mock_target", "mock_values", "mocks_template"]

MOCKS_FILE = Path(__file__).with_name("mocks.yaml")
MOCKS_TARGET = "mocks"
_TEMPLATE = re.compile(r"\{mock\.([A-Za-z0-9_.@-]+)\}")
T = TypeVar("T")


class MockTemplateError(KeyError):
    """A ``{mock.NAME}`` the running fleet has no value for; the message names it (code ``targets.mock_unknown``)."""

    code = "targets.mock_unknown"


def mocks_template() -> Target:
    """The mock target as written, ``{mock.*}`` templates unfilled (enough to list its flows)."""
    return load_target(MOCKS_FILE, MOCKS_TARGET, env={})


MOCK_CASES: list[FlowCase] = cases_of(mocks_template())


def mock_values(fleet: MockFleet) -> dict[str, str]:
    """Every ``{mock.NAME}`` value: the fleet's endpoints, a few base URLs, the test users' passwords and Jira's client secret."""
    values = dict(fleet.endpoints())
    values.update({
        "alibaba.entity_id": fleet.alibaba.entity_id,
        "alibaba.base_url": fleet.alibaba.base_url,
        "alibaba.portal": fleet.alibaba.portal_url,
        "mitel.base_url": fleet.mitel.base_url,
        "atlassian.base_url": fleet.atlassian.base_url,
        "entra.base_url": fleet.entra.base_url,
        "jumpcloud.base_url": fleet.urls()["jumpcloud"],
        "jira.client_id": fleet.jira.integration.client_id,
        "jira.client_secret": fleet.jira.integration.client_secret,
    })
    for tenant in fleet.entra.tenants:
        for user in tenant.users:
            values.setdefault(f"password.{user.upn}", user.password)
    return values


def fill_mock_templates(value: T, values: Mapping[str, str]) -> T:
    """``value`` (a target, or any part of one) with every ``{mock.NAME}`` replaced; unknown names raise."""

    def text(s: str) -> str:
        def sub(m: re.Match[str]) -> str:
            if m.group(1) not in values:
                raise MockTemplateError(f"targets.mock_unknown: the mock fleet has no value {{mock.{m.group(1)}}}")
            return values[m.group(1)]

        return _TEMPLATE.sub(sub, s)

    def walk(v: Any) -> Any:
        if isinstance(v, str):
            return text(v)
        if isinstance(v, tuple):
            return tuple(walk(x) for x in v)
        if isinstance(v, list):
            return [walk(x) for x in v]
        if isinstance(v, dict):
            return {walk(k): walk(x) for k, x in v.items()}
        if dataclasses.is_dataclass(v) and not isinstance(v, type):
            return dataclasses.replace(v, **{f.name: walk(getattr(v, f.name)) for f in dataclasses.fields(v) if f.init})
        return v

    filled: T = walk(value)
    return filled


def configure_mock_sps(fleet: MockFleet, target: Target) -> None:
    """Make each of ``fleet``'s SAML SPs named like an SP of ``target`` whose ``force_authn`` is true send
    ForceAuthn="true". Nothing else changes; the fleet's reset restores its SPs' own settings."""
    from sso_harness.mocks.saml.sp_engine import SamlSpEngine

    for sp in target.sps:
        engine = getattr(fleet.mocks.get(sp.name), "engine", None)
        if sp.force_authn and isinstance(engine, SamlSpEngine):
            engine.force_authn = True


def mock_target(fleet: MockFleet, template: Target | None = None) -> Target:
    """The mock target (or ``template``, another target with ``embedded_mocks: true``) filled from ``fleet``,
    whose SAML SPs are set as the target's SPs say (:func:`configure_mock_sps`)."""
    target = fill_mock_templates(template or mocks_template(), mock_values(fleet))
    configure_mock_sps(fleet, target)
    return target
