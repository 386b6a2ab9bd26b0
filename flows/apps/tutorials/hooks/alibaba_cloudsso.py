"""Hooks of the Alibaba CloudSSO spec: Entra's "Upload metadata file" with CloudSSO's SP metadata.

The guide fills Entra's Identifier and Reply URL by uploading the SP
metadata downloaded from CloudSSO's settings; the emulation's Entra has no
upload page, so this hook reads the document and sets both fields from it.
"""

from __future__ import annotations

import urllib.request

from sso_harness.apps.tutorials.errors import StepFailed
from sso_harness.apps.tutorials.hook import HookContext
from sso_harness.apps.tutorials.metadata_doc import metadata_facts

__all__ = ["upload_sp_metadata_to_entra"]


def upload_sp_metadata_to_entra(ctx: HookContext) -> None:
    from sso_harness.mocks.scenario import IDS

    url = ctx.values["sp.metadata_url"]
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # setup, not part of a flow
    try:
        with opener.open(url, timeout=10) as answer:
            facts = metadata_facts(answer.read(1024 * 1024))
    except Exception as exc:  # network, or not metadata
        raise StepFailed(f"cannot read CloudSSO's SP metadata at {url}: {exc}") from exc
    if not facts.entity_id or not facts.acs:
        raise StepFailed(f"CloudSSO's SP metadata at {url} lacks an entity ID or an ACS URL")
    ctx.emulation.entra.configure_app(IDS.alibaba_app, identifiers=(facts.entity_id,), reply_urls=(facts.acs,))
