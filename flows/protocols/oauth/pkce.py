"""Proof Key for Code Exchange (RFC 7636).

The client invents a ``code_verifier`` (43 to 128 characters of the unreserved
set ``[A-Za-z0-9-._~]``, §4.1), sends ``code_challenge`` =
``BASE64URL(SHA256(verifier))`` with method ``S256`` (or the verifier itself
with ``plain``) in the authorization request (§4.2, §4.3), and the verifier
in the token request (§4.5); the server compares them (§4.6).
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass

__all__ = [
    "PLAIN_WARNING",
    "PkceVerdict",
    "challenge_syntax_problem",
    "check_pkce",
    "s256_challenge",
    "verifier_problems",
]

PLAIN_WARNING = "plain offers no protection if the authorization request leaks; use S256"
_UNRESERVED = re.compile(r"[A-Za-z0-9\-._~]*")
_S256_CHALLENGE = re.compile(r"[A-Za-z0-9\-_]{43}")


def s256_challenge(verifier: str) -> str:
    """``BASE64URL(SHA256(ASCII(verifier)))`` without padding (RFC 7636 §4.2)."""
    digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def verifier_problems(verifier: str) -> tuple[str, ...]:
    """Syntax problems of a code_verifier (RFC 7636 §4.1), empty when it is well formed."""
    problems = []
    if not 43 <= len(verifier) <= 128:
        problems.append(f"code_verifier is {len(verifier)} characters long; RFC 7636 §4.1 requires 43 to 128")
    if _UNRESERVED.fullmatch(verifier) is None:
        problems.append("code_verifier contains characters outside [A-Za-z0-9-._~] (RFC 7636 §4.1)")
    return tuple(problems)


def challenge_syntax_problem(challenge: str, method: str) -> str | None:
    """Why ``challenge`` cannot be a valid challenge for ``method``, or None."""
    if method == "S256" and _S256_CHALLENGE.fullmatch(challenge) is None:
        return f"an S256 code_challenge is 43 base64url characters, this one is {len(challenge)} characters" + (
            "" if _UNRESERVED.fullmatch(challenge) else " with characters outside the base64url alphabet"
        )
    if method == "plain" and verifier_problems(challenge):
        return "a plain code_challenge must itself be a valid code_verifier (RFC 7636 §4.2)"
    return None


@dataclass(frozen=True)
class PkceVerdict:
    """Outcome of comparing a verifier with a challenge.

    ``matches``: the server's §4.6 comparison succeeds.  ``weak``: the method
    is ``plain``.  ``ok`` only when it matches and nothing is malformed.
    """

    method: str
    matches: bool
    weak: bool
    problems: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.matches and not self.problems


def check_pkce(verifier: str, challenge: str, method: str | None) -> PkceVerdict:
    """Compare ``verifier`` with ``challenge`` as the server would (RFC 7636 §4.6).

    ``method`` None means ``plain`` (the §4.3 default).  An unknown method
    never matches.
    """
    warnings: list[str] = []
    if method is None:
        method = "plain"
        warnings.append("code_challenge_method was absent, so 'plain' applies (RFC 7636 §4.3)")
    problems = list(verifier_problems(verifier))
    if method == "S256":
        computed = s256_challenge(verifier)
        matches = computed == challenge
        if not matches:
            problems.append(f"the code_verifier hashes to {computed!r} (S256) but the code_challenge is {challenge!r}")
    elif method == "plain":
        warnings.append(PLAIN_WARNING)
        matches = verifier == challenge
        if not matches:
            problems.append("the code_verifier differs from the plain code_challenge")
    else:
        matches = False
        problems.append(f"code_challenge_method {method!r} is neither S256 nor plain (RFC 7636 §4.3)")
    return PkceVerdict(
        method=method, matches=matches, weak=method == "plain", problems=tuple(problems), warnings=tuple(warnings)
    )
