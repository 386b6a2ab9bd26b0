"""Hooks of the JumpCloud -> Entra federation spec: the attribute that links the accounts.

The guide relies on the email attribute being filled in and identical in
both directories; JumpCloud's Microsoft 365 connector sends it as
``IDPEmail``. This hook maps that attribute to another user field, the
mistake the guide's first step guards against.
"""

from __future__ import annotations

from sso_harness.apps.tutorials.errors import StepFailed
from sso_harness.apps.tutorials.hook import HookContext

__all__ = ["send_username_as_email"]


def send_username_as_email(ctx: HookContext) -> None:
    """JumpCloud: fill IDPEmail from the username instead of the email."""
    from sso_harness.mocks.jumpcloud.org import JcAttribute

    slug = str(ctx.args.get("app", "office365"))
    app = ctx.emulation.jumpcloud.app(slug)
    if app is None:
        raise StepFailed(f"JumpCloud has no application {slug!r}")
    attributes = tuple(JcAttribute(a.name, "username") if a.name == "IDPEmail" else a for a in app.attributes)
    ctx.emulation.jumpcloud.configure_app(slug, attributes=attributes)
