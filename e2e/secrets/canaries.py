"""The planted values: one distinct canary per kind of secret a sign-in carries.

Every value is unmistakable (it says "Canary" and its kind) and unlike the
others, so a hit names the kind that leaked. The password holds characters
that URL encoding changes (``!``, a space, ``#``), so its encoded forms
differ from the raw one. The TOTP secret is base32, as authenticator apps
take it; it never travels (only the codes made from it do), so a hit on it
means the harness wrote its configuration somewhere.

ID tokens cannot be fixed in advance (each carries its flow's nonce); the
canary peer keeps every one it issued, and the scan looks for their
signatures (:func:`id_token_canaries`).
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "PASSWORD", "TOTP_SECRET", "CLIENT_SECRET", "CODE", "ACCESS_TOKEN", "REFRESH_TOKEN", "OP_SESSION_COOKIE",
    "RP_SESSION_COOKIE", "API_BEARER", "MFA_USER", "PLAIN_USER", "FIXED", "id_token_canaries",
]

MFA_USER = "alice.canary@peer.example"  # signs in with password and TOTP
PLAIN_USER = "bob.canary@peer.example"  # password only (capture has no TOTP option)

PASSWORD = "Canary!Pa55 word#7731"
TOTP_SECRET = "CANARYTOTPSEKRETQZXWVUTS"  # base32 alphabet only, 24 characters (15 bytes)
CLIENT_SECRET = "Canary~ClientSecret.Q8w3-e4r5"
CODE = "CanaryAuthzCode.0.AVQAu7Jx2K-9d"
ACCESS_TOKEN = "CanaryAccessToken-5f81b2c7e9"
REFRESH_TOKEN = "CanaryRefreshToken.0.ARoA9xYz-123"
OP_SESSION_COOKIE = "CanaryOpSessionCookie-2d7e41f0"
RP_SESSION_COOKIE = "CanaryRpSessionCookie-8c03aa5b"
API_BEARER = "CanaryApiBearer-77e0c4d1a3"  # sent only as "Authorization: Bearer ..." by the portal's page

#: kind -> value, for every canary known before the run.
FIXED: dict[str, str] = {
    "password": PASSWORD,
    "totp secret": TOTP_SECRET,
    "client secret": CLIENT_SECRET,
    "authorization code": CODE,
    "access token": ACCESS_TOKEN,
    "refresh token": REFRESH_TOKEN,
    "session cookie (OP)": OP_SESSION_COOKIE,
    "session cookie (RP)": RP_SESSION_COOKIE,
    "Authorization header": API_BEARER,
}


def id_token_canaries(tokens: Iterable[str]) -> dict[str, str]:
    """``{"id token #i": signature}`` for each issued ID token.

    The signature segment is what makes a token usable; the header and claims
    are what the harness shows decoded, by design. A token written whole
    contains its signature, so the whole token is found too.
    """
    return {f"id token #{i}": token.rsplit(".", 1)[1] for i, token in enumerate(tokens, 1)}
