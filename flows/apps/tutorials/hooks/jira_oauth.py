"""Hooks of the Jira OAuth 2.0 spec: which cloud the tenant lives in.

The guide's scope sets depend on the tenant: Exchange Online is
``https://outlook.office.com`` for commercial tenants and
``https://outlook.office365.com`` for GCC ones, and the wrong host fails.
The emulation's Entra knows both by default; these hooks narrow the
resources the tenant can grant to one cloud's (a scope naming an unknown
resource then fails with AADSTS500011, as Entra does), and undo that after
the flow.
"""

from __future__ import annotations

from collections.abc import Callable

from sso_harness.apps.tutorials.hook import HookContext

__all__ = ["commercial_tenant", "gcc_tenant"]


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
