"""Test users of the mock IdPs.

Attribute names use Entra ID's claim URIs, so expectations written against
the mock read the same against a real tenant.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

__all__ = ["MockUser", "CLAIM", "default_users"]

CLAIM = {
    "givenname": "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
    "surname": "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
    "emailaddress": "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
    "name": "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
    "displayname": "http://schemas.microsoft.com/identity/claims/displayname",
    "objectidentifier": "http://schemas.microsoft.com/identity/claims/objectidentifier",
    "groups": "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups",
}


@dataclass(frozen=True)
class MockUser:
    """A directory entry: sign-in name, password and the claims the IdP emits."""

    username: str
    password: str
    attributes: Mapping[str, Sequence[str]] = field(default_factory=dict)

    @property
    def email(self) -> str:
        values = self.attributes.get(CLAIM["emailaddress"], ())
        return values[0] if values else self.username


def default_users() -> dict[str, MockUser]:
    """B. Simon, the test user of Microsoft's own SSO tutorials, and a second user."""
    users = [
        MockUser(
            username="b.simon@contoso.com",
            password="Pa55w.rd-simon",
            attributes={
                CLAIM["givenname"]: ("B.",),
                CLAIM["surname"]: ("Simon",),
                CLAIM["emailaddress"]: ("b.simon@contoso.com",),
                CLAIM["name"]: ("b.simon@contoso.com",),
                CLAIM["displayname"]: ("B. Simon",),
                CLAIM["objectidentifier"]: ("6b4c1f7e-4f4a-4a59-9a43-5d3f2f0e8a11",),
                CLAIM["groups"]: ("sso-testers", "atlassian-users"),
            },
        ),
        MockUser(
            username="adele.vance@contoso.com",
            password="Pa55w.rd-adele",
            attributes={
                CLAIM["givenname"]: ("Adele",),
                CLAIM["surname"]: ("Vance",),
                CLAIM["emailaddress"]: ("adele.vance@contoso.com",),
                CLAIM["name"]: ("adele.vance@contoso.com",),
                CLAIM["displayname"]: ("Adele Vance",),
                CLAIM["objectidentifier"]: ("0d6e7b2c-91a4-4f7e-8c55-2a1b3c4d5e6f",),
            },
        ),
    ]
    return {u.username: u for u in users}
