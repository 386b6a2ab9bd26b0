"""Constants and helpers shared by the OAuth / OIDC / JOSE tests (fixtures are in conftest.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

NOW = dt.datetime(2024, 5, 1, 10, 0, 0, tzinfo=dt.UTC)
T0 = int(NOW.timestamp())
ISSUER = "https://idp.example/"
CLIENT_ID = "6731de76-14a6-49ae-97bc-6eba6914391e"
TENANT_ID = "72f988bf-86f1-41af-91ab-2d7cd011db47"


def id_token_claims(**overrides: Any) -> dict[str, Any]:
    """Claims of a well-formed ID token issued at :data:`NOW`; ``None`` values remove a claim."""
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "sub": "alice-pairwise-sub",
        "aud": CLIENT_ID,
        "exp": T0 + 3600,
        "iat": T0,
        "nbf": T0,
        "nonce": "n-0S6_WzA2Mj",
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}
