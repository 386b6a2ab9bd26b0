"""Every probe a spec may name, by name (see ``docs/tutorial-spec.md`` for the list)."""

from __future__ import annotations

from sso_harness.apps.tutorials.errors import NotObserved
from sso_harness.apps.tutorials.observe import Observation, Probe, ProbeInput
from sso_harness.apps.tutorials.probes_oauth import OAUTH_PROBES
from sso_harness.apps.tutorials.probes_page import PAGE_PROBES
from sso_harness.apps.tutorials.probes_saml import SAML_PROBES
from sso_harness.apps.tutorials.probes_signed_in import SIGNED_IN_PROBES

__all__ = ["PROBES", "read_probe"]

PROBES: dict[str, Probe] = {**SAML_PROBES, **OAUTH_PROBES, **PAGE_PROBES, **SIGNED_IN_PROBES}


def read_probe(name: str, inp: ProbeInput) -> Observation:
    probe = PROBES.get(name)
    if probe is None:
        raise NotObserved(f"unknown probe {name!r}")
    return probe.read(inp)
