"""Fixtures of the battery's unit tests: keys made per session, the attack lab, a browser-less driver."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sso_harness.apps.security.driver_http import HttpDriver
from sso_harness.apps.security.lab_subjects import LAB_USER, LAB_VICTIM
from sso_harness.apps.security.saml_forge import SamlMaterial
from sso_harness.apps.security.saml_mint import SamlSigner
from sso_harness.apps.security.saml_tamper import AttackerKey, attacker_key
from sso_harness.mocks.attack_lab import AttackLab
from .attack_support import NOW, SP


@pytest.fixture(scope="session")
def idp_key() -> AttackerKey:
    return attacker_key("test idp signing", now=NOW)


@pytest.fixture(scope="session")
def signer(idp_key: AttackerKey) -> SamlSigner:
    return SamlSigner("https://idp.example/metadata", idp_key[0], idp_key[1])


@pytest.fixture(scope="session")
def evil_key() -> AttackerKey:
    return attacker_key(now=NOW)


@pytest.fixture
def material(signer: SamlSigner, evil_key: AttackerKey) -> SamlMaterial:
    return SamlMaterial(sp=SP, user=LAB_USER, victim=LAB_VICTIM, attacker_key=evil_key, now=NOW, signer=signer,
                        idp_certificate=signer.certificate, request_id="_request-1", relay_state="/home",
                        oob_url="http://127.0.0.1:9/oob/t", external_url="http://localhost:9/landing/t", marker="m-1")


@pytest.fixture(scope="session")
def attack_lab() -> Iterator[AttackLab]:
    with AttackLab() as lab:
        yield lab


@pytest.fixture
def lab(attack_lab: AttackLab) -> Iterator[AttackLab]:
    attack_lab.reset()
    yield attack_lab
    attack_lab.reset()


@pytest.fixture
def http_driver() -> HttpDriver:
    return HttpDriver()
