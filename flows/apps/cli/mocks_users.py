"""The test users of a running mock fleet, and what each one is there to show.

``sso-harness mocks serve`` prints this table so a person can sign in by hand
without reading the source. The passwords are the mocks' published test
passwords (fixed in :mod:`sso_harness.mocks.scenario` and
:mod:`sso_harness.mocks.base.directory`), not secrets of any real tenant.
Authenticator (TOTP) secrets are not printed: the user's ``totp_secret``
field in the scenario holds it.

Each note is read off the directory entry itself (a TOTP secret means MFA,
an empty mail means no mailbox, an ``#EXT#`` Guest is a B2B guest...), so a
user added by a fleet configuration is described the same way.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sso_harness.mocks.entra.tenant import EntraUser, Tenant
    from sso_harness.mocks.fleet import MockFleet
    from sso_harness.mocks.jumpcloud.org import JcUser

__all__ = ["describe_users", "user_rows"]

Row = tuple[str, str, str]  # sign-in name, password (or where it is asked), what the user shows


def _entra_notes(user: EntraUser, tenant: Tenant, home: Tenant, tenants: Sequence[Tenant]) -> list[str]:
    notes: list[str] = []
    if tenant is not home:
        guests_of = [t.display_name for t in tenants if any(u.is_guest and u.mail.lower() == user.upn.lower() for u in t.users)]
        notes.append(f"home account of a guest in {', '.join(guests_of)}" if guests_of
                     else f"member of another tenant: {home.display_name}'s apps refuse it (AADSTS50020)")
    if user.is_guest:
        notes.append(f"B2B guest: signs in as {user.mail} at its home tenant")
    domain = user.upn.rsplit("@", 1)[-1].lower()
    if any(f.domain.lower() == domain for f in tenant.federated_domains):
        notes.append(f"federated domain {domain}: the password is asked by the JumpCloud mock")
    if user.totp_secret:
        notes.append("MFA: asks for an authenticator (TOTP) code after the password")
    if not user.mail and not user.is_guest:
        notes.append("no mailbox: user.mail is empty, so a claim or NameID from it is left out")
    elif user.mail and not user.is_guest and user.mail.lower() != user.upn.lower():
        notes.append(f"mail {user.mail} differs from the UPN")
    if user.immutable_id:
        notes.append(f"ImmutableID {user.immutable_id}")
    names = dict(tenant.groups)
    if user.groups:
        notes.append("groups: " + ", ".join(names.get(g, g) for g in user.groups))
    return notes


def _entra_password(user: EntraUser, tenant: Tenant) -> str:
    if user.password:
        return user.password
    if user.is_guest:
        return "(at its home tenant)"
    return "(at JumpCloud)" if any(user.upn.lower().endswith("@" + f.domain.lower()) for f in tenant.federated_domains) else "(none)"


def _jumpcloud_notes(user: JcUser) -> list[str]:
    notes = ["MFA: asks for a TOTP code after the password"] if user.totp_secret else []
    if user.immutable_id:
        notes.append(f"ImmutableID {user.immutable_id}")
    notes.append("groups: " + ", ".join(user.groups) if user.groups else "in no group: no JumpCloud app lets it in")
    return notes


def user_rows(fleet: MockFleet) -> Iterator[tuple[str, list[Row]]]:
    """``(section title, rows)`` per mock that has users: each Entra-like tenant, JumpCloud, the generic IdP."""
    tenants = fleet.entra.tenants
    home = tenants[0]
    for tenant in tenants:
        rows = [(u.upn, _entra_password(u, tenant), "; ".join(_entra_notes(u, tenant, home, tenants)) or "a plain member")
                for u in tenant.users]
        yield f"entra: tenant {tenant.display_name} ({', '.join(tenant.domains)})", rows
    yield "jumpcloud", [(u.email, u.password, "; ".join(_jumpcloud_notes(u))) for u in fleet.jumpcloud.users]
    generic: list[Row] = []
    for user in fleet.users.values():
        groups = [g for key, values in user.attributes.items() if key.endswith("/groups") for g in values]
        generic.append((user.username, user.password, "groups: " + ", ".join(groups) if groups else "no groups"))
    yield "idp (the generic SAML IdP)", generic


def describe_users(fleet: MockFleet) -> str:
    """The table ``mocks serve`` prints: one section per mock, one line per user."""
    lines = ["Test users (the mocks' published test passwords, not secrets of any real tenant):"]
    for title, rows in user_rows(fleet):
        lines.append(f"\n  {title}")
        if not rows:
            continue
        name_w = max(len(r[0]) for r in rows)
        pass_w = max(len(r[1]) for r in rows)
        lines += [f"    {name:<{name_w}}  {password:<{pass_w}}  {what}" for name, password, what in rows]
    return "\n".join(lines) + "\n"
