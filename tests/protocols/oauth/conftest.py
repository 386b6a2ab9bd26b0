"""Fixtures for the OAuth / OIDC / JOSE tests.

Keys are generated here with ``cryptography`` (nothing secret is stored).
The Ed25519 key of :func:`fixed_ed25519` is derived from a constant seed so
that its signatures — and therefore golden JSON views — are reproducible.
Golden files live in ``tests/oauth/golden/<test name>.json``; regenerate them
with ``SSO_HARNESS_UPDATE_GOLDEN=1``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from .oauth_support import id_token_claims

from sso_harness.protocols.jose import jwks_from_keys, sign_jwt

GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture(scope="session")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="session")
def other_rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="session")
def ec_keys() -> dict[str, ec.EllipticCurvePrivateKey]:
    return {
        "ES256": ec.generate_private_key(ec.SECP256R1()),
        "ES384": ec.generate_private_key(ec.SECP384R1()),
        "ES512": ec.generate_private_key(ec.SECP521R1()),
    }


@pytest.fixture(scope="session")
def ed_key() -> ed25519.Ed25519PrivateKey:
    return ed25519.Ed25519PrivateKey.generate()


@pytest.fixture(scope="session")
def fixed_ed25519() -> ed25519.Ed25519PrivateKey:
    return ed25519.Ed25519PrivateKey.from_private_bytes(bytes(range(32)))


@pytest.fixture(scope="session")
def jwks(
    rsa_key: rsa.RSAPrivateKey, ec_keys: dict[str, ec.EllipticCurvePrivateKey], ed_key: ed25519.Ed25519PrivateKey
) -> dict[str, Any]:
    """A JWKS with one RSA key (kid ``rsa-1``), one key per EC curve, one Ed25519 key."""
    entries: list[Any] = [(rsa_key, "rsa-1", None)]
    entries += [(key, f"ec-{alg}", alg) for alg, key in ec_keys.items()]
    entries.append((ed_key, "ed-1", "EdDSA"))
    return jwks_from_keys(entries)


@pytest.fixture(scope="session")
def make_token(rsa_key: rsa.RSAPrivateKey) -> Callable[..., str]:
    """``make_token(alg="RS256", kid="rsa-1", key=rsa_key, headers=None, **claim_overrides)``."""

    def make(
        alg: str = "RS256",
        kid: str | None = "rsa-1",
        key: Any = None,
        headers: dict[str, Any] | None = None,
        **overrides: Any,
    ) -> str:
        return sign_jwt(id_token_claims(**overrides), key if key is not None else rsa_key, alg, kid, headers)

    return make


def _golden_name(node_name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", node_name)


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[dict[str, Any]], None]:
    """Compare a JSON view with ``golden/<test name>.json`` (or rewrite it when updating)."""

    def check(view: dict[str, Any]) -> None:
        path = GOLDEN / f"{_golden_name(request.node.name)}.json"
        text = json.dumps(view, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        if os.environ.get("SSO_HARNESS_UPDATE_GOLDEN") == "1":
            GOLDEN.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
            return
        if not path.exists():
            pytest.fail(f"golden file {path.name} is missing; run with SSO_HARNESS_UPDATE_GOLDEN=1 to create it")
        stored = json.loads(path.read_text(encoding="utf-8"))
        assert view == stored, f"JSON view differs from {path.name}; rerun with SSO_HARNESS_UPDATE_GOLDEN=1 if intended"

    return check
