"""Fixtures shared by every unit-test folder: the shared SAML samples, read in place.

Samples come from ``$SSO_HARNESS_SAMPLES``, ``<repo>/../shared/samples/saml``
or ``/work/shared/samples/saml``; tests that need them are skipped when none
exists.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography import x509

from sso_harness.protocols.xml.dsig.keys import load_certificates

REPO = Path(__file__).resolve().parents[1]


def _samples_path() -> Path:
    """``$SSO_HARNESS_SAMPLES``, else ``../shared`` beside the checkout, else /work/shared
    (where a fresh clone in a temp dir still finds the workplace's samples)."""
    configured = os.environ.get("SSO_HARNESS_SAMPLES")
    if configured:
        return Path(configured)
    candidates = [REPO.parent / "shared" / "samples" / "saml", Path("/work/shared/samples/saml")]
    return next((c for c in candidates if c.is_dir()), candidates[0])


SAMPLES = _samples_path()


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    if not SAMPLES.is_dir():
        pytest.skip(f"SAML samples not found at {SAMPLES} (set SSO_HARNESS_SAMPLES)")
    return SAMPLES


@pytest.fixture(scope="session")
def sample_raw(samples_dir: Path) -> Callable[[str], bytes]:
    """Bytes of a sample file exactly as stored (``negative/x.xml.b64`` etc.)."""

    def read(relative: str) -> bytes:
        return (samples_dir / relative).read_bytes()

    return read


@pytest.fixture(scope="session")
def sample_xml(sample_raw: Callable[[str], bytes]) -> Callable[[str], bytes]:
    """XML bytes of a sample; ``.b64`` files are base64-decoded."""

    def read(relative: str) -> bytes:
        data = sample_raw(relative)
        return base64.b64decode(data) if relative.endswith(".b64") else data

    return read


@pytest.fixture(scope="session")
def sample_certs(samples_dir: Path) -> Callable[[str], list[x509.Certificate]]:
    """Certificates from ``certs/<file>`` (empty list for ``None``/"")."""

    def read(cert_file: str | None) -> list[x509.Certificate]:
        if not cert_file:
            return []
        return load_certificates((samples_dir / "certs" / cert_file).read_bytes())

    return read
