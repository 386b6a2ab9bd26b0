"""Hooks of the Jira OAuth 2.0 spec: which cloud the tenant lives in.

The guide's scope sets depend on the tenant: Exchange Online is
``https://outlook.office.com`` for commercial tenants and
``https://outlook.office365.com`` for GCC ones, and the wrong host fails.
The emulation's Entra knows both by default; these hooks narrow the
resources the tenant can grant to one cloud's (the emulation then refuses a
scope of the other cloud with AADSTS500011; the guide names no code, so no
claim relies on it), and undo that after
the flow. ``expire_client_secret`` moves the expiry of Jira's client
secrets into the past (the fleet's reset restores them).
"""

from __future__ import annotations

from collections.abc import Callable

from sso_harness.apps.tutorials.hook import HookContext

__all__ = ["commercial_tenant", "gcc_tenant", "expire_client_secret"]


def _only(ctx: HookContext, exchange_host: str) -> Callable[[], None]:
    from sso_harness.mocks.entra.scopes import DEFAULT_RESOURCES, GRAPH

    state = ctx.emulation.entra.ctx
    before = state.resources
    state.resources = {uri: r for uri, r in DEFAULT_RESOURCES.items() if uri in (GRAPH.uri, exchange_host)}

    def undo() -> None:
        state.resources = before

    return undo


def commercial_tenant(ctx: HookContext) -> Callable[[], None]:
    """A commercial (non-GCC) tenant: Exchange Online is outlook.office.com."""
    return _only(ctx, "https://outlook.office.com")


def gcc_tenant(ctx: HookContext) -> Callable[[], None]:
    """A GCC tenant: Exchange Online is outlook.office365.com."""
    return _only(ctx, "https://outlook.office365.com")


def expire_client_secret(ctx: HookContext) -> None:
    """Every client secret of Jira's app registration expired a day ago (undone by the fleet's reset)."""
    import datetime as dt
    from dataclasses import replace

    from sso_harness.mocks.scenario import IDS

    entra = ctx.emulation.entra
    found = entra.directory.registration_anywhere(IDS.jira_client)
    if found is None:
        raise LookupError(f"no app registration {IDS.jira_client!r}")
    past = entra.ctx.clock() - dt.timedelta(days=1)
    entra.configure_registration(IDS.jira_client, secrets=tuple(replace(s, expires=past) for s in found[1].secrets))
