"""PKCE (RFC 7636): the Appendix B vector, plain, and verifier syntax."""

from __future__ import annotations

import pytest

from sso_harness.protocols.oauth import PLAIN_WARNING, check_pkce, s256_challenge, verifier_problems

# RFC 7636 Appendix B.
VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def test_rfc7636_appendix_b_vector() -> None:
    assert s256_challenge(VERIFIER) == CHALLENGE
    verdict = check_pkce(VERIFIER, CHALLENGE, "S256")
    assert verdict.ok and verdict.matches and not verdict.weak
    assert verdict.problems == () and verdict.warnings == ()


def test_s256_mismatch_says_what_the_verifier_hashes_to() -> None:
    verdict = check_pkce("x" * 43, CHALLENGE, "S256")
    assert not verdict.matches and not verdict.ok
    assert verdict.problems == (
        f"the code_verifier hashes to {s256_challenge('x' * 43)!r} (S256) but the code_challenge is {CHALLENGE!r}",
    )


def test_plain_matches_but_is_flagged_weak() -> None:
    verdict = check_pkce(VERIFIER, VERIFIER, "plain")
    assert verdict.ok and verdict.weak
    assert PLAIN_WARNING in verdict.warnings
    assert PLAIN_WARNING == "plain offers no protection if the authorization request leaks; use S256"


def test_absent_method_means_plain() -> None:
    verdict = check_pkce(VERIFIER, CHALLENGE, None)
    assert verdict.method == "plain" and verdict.weak and not verdict.matches
    assert any("RFC 7636 §4.3" in w for w in verdict.warnings)


def test_unknown_method_never_matches() -> None:
    verdict = check_pkce(VERIFIER, CHALLENGE, "S512")
    assert not verdict.matches and "neither S256 nor plain" in verdict.problems[0]


@pytest.mark.parametrize(
    ("verifier", "count"),
    [
        ("a" * 43, 0),
        ("a" * 128, 0),
        ("A-._~z9" * 7, 0),
        ("a" * 42, 1),
        ("a" * 129, 1),
        ("a" * 42 + "+", 1),
        ("a" * 50 + " ", 1),
        ("a/", 2),
        ("", 1),
    ],
)
def test_verifier_syntax(verifier: str, count: int) -> None:
    assert len(verifier_problems(verifier)) == count


def test_well_formed_but_mismatched_verifier_is_not_ok() -> None:
    verdict = check_pkce("short", s256_challenge("short"), "S256")
    assert verdict.matches and not verdict.ok  # the server would accept the math, the spec would not
