"""The weaknesses the OpenID Connect relying party can be switched to, and what they open.

With none switched on the relying party is hardened: state bound to the
browser (RFC 6749 §10.12), PKCE S256 always (RFC 9700 §2.1.1), nonce and
every ID-token check of OIDC Core §3.1.3.7 with RS256 only, its registered
redirect URI only, and the RFC 9207 ``iss`` check against mix-up. Each
weakness removes one of those; :func:`open_to` says which attacks of the
battery (:mod:`sso_harness.apps.security.catalogue` ids) must then succeed.

Defences overlap on purpose, as they do in the standards: an injected code
is stopped by PKCE *and* by the nonce (RFC 9700 §4.5.3), so the
code-injection attack succeeds only when both are gone.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum

from sso_harness.mocks.web.weak_app import weaknesses_by_name

__all__ = ["RpWeakness", "OPENS", "PROOF_SETS", "open_to", "parse_rp_weaknesses"]


class RpWeakness(str, Enum):
    NO_STATE_CHECK = "no-state-check"
    """Takes a callback whose state it did not issue (or none), without flow binding."""
    ACCEPTS_ALG_NONE = "accepts-alg-none"
    """Skips the signature check for ``alg: none`` tokens."""
    SKIPS_SIGNATURE = "skips-signature"
    """Never checks the ID token's signature."""
    NO_ISS_CHECK = "no-iss-check"
    NO_AUD_CHECK = "no-aud-check"
    NO_EXP_CHECK = "no-exp-check"
    NO_NONCE_CHECK = "no-nonce-check"
    NO_PKCE = "no-pkce"
    """Never sends a PKCE challenge."""
    PKCE_IF_ADVERTISED = "pkce-if-advertised"
    """Sends a PKCE challenge only when discovery lists S256."""
    REDIRECT_URI_FROM_REQUEST = "redirect-uri-from-request"
    """Takes the redirect URI from its login link's ``redirect_uri`` parameter."""
    NO_MIXUP_DEFENSE = "no-mixup-defense"
    """Ignores the ``iss`` authorization response parameter (RFC 9207)."""

    def __str__(self) -> str:
        return self.value


R = RpWeakness
OPENS: dict[RpWeakness, frozenset[str]] = {
    R.NO_STATE_CHECK: frozenset({"oidc-state-missing", "oidc-state-mismatch"}),
    R.ACCEPTS_ALG_NONE: frozenset({"oidc-alg-none"}),
    R.SKIPS_SIGNATURE: frozenset({"oidc-alg-none", "oidc-wrong-key"}),
    R.NO_ISS_CHECK: frozenset({"oidc-wrong-iss"}),
    R.NO_AUD_CHECK: frozenset({"oidc-wrong-aud"}),
    R.NO_EXP_CHECK: frozenset({"oidc-expired"}),
    R.NO_NONCE_CHECK: frozenset({"oidc-nonce-mismatch"}),
    R.NO_PKCE: frozenset({"oidc-pkce-downgrade"}),
    R.PKCE_IF_ADVERTISED: frozenset({"oidc-pkce-downgrade"}),
    R.REDIRECT_URI_FROM_REQUEST: frozenset({"oidc-redirect-uri"}),
    R.NO_MIXUP_DEFENSE: frozenset({"oidc-mix-up"}),
}


def parse_rp_weaknesses(names: Iterable[str | RpWeakness]) -> frozenset[RpWeakness]:
    return weaknesses_by_name(RpWeakness, names, "RP")


def open_to(weaknesses: Iterable[str | RpWeakness], *, providers: int = 1) -> frozenset[str]:
    """The attack ids a relying party with these weaknesses must be caught on.

    ``providers`` is how many providers it has: mix-up needs two.
    """
    switched = parse_rp_weaknesses(weaknesses)
    opened: set[str] = set()
    for weakness in switched:
        opened |= OPENS[weakness]
    if {R.NO_PKCE, R.NO_NONCE_CHECK} <= switched:
        opened.add("oidc-code-injection")
    if providers < 2:
        opened.discard("oidc-mix-up")
    return frozenset(opened)


#: Weakness sets the battery is proven against (every weakness in at least one set).
PROOF_SETS: dict[str, tuple[str, ...]] = {
    "none": (),
    "flow-binding": ("no-state-check", "no-pkce", "no-nonce-check"),
    "id-token": ("skips-signature", "no-iss-check", "no-aud-check", "no-exp-check"),
    "requests": ("accepts-alg-none", "pkce-if-advertised", "redirect-uri-from-request", "no-mixup-defense"),
}
