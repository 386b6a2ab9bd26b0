"""Error catalogues as data: Entra ``AADSTS`` codes and OAuth/OIDC ``error`` values.

Public API::

    lookup(code) -> AadstsEntry | None            # AADSTS codes (alias: lookup_aadsts)
    find_codes(text) -> tuple[int, ...]           # AADSTSnnnn in any text
    lookup_oauth_error(code) -> OAuthErrorEntry | None
"""

from __future__ import annotations

from sso_harness.protocols.catalogues.aadsts import AADSTS_ENTRIES, AadstsEntry, find_codes, lookup
from sso_harness.protocols.catalogues.aadsts import lookup as lookup_aadsts
from sso_harness.protocols.catalogues.oauth_errors import OAUTH_ERRORS, OAuthErrorEntry, lookup_oauth_error

__all__ = [
    "AADSTS_ENTRIES",
    "OAUTH_ERRORS",
    "AadstsEntry",
    "OAuthErrorEntry",
    "find_codes",
    "lookup",
    "lookup_aadsts",
    "lookup_oauth_error",
]
