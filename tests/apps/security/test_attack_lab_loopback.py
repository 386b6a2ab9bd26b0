"""The attack lab's servers listen on 127.0.0.1 only (read from /proc while they run)."""

from __future__ import annotations

from sso_harness.mocks.attack_lab.lab import AttackLab

from ...capture.listening import loopback_problems


def test_every_attack_lab_server_listens_on_loopback_only(attack_lab: AttackLab) -> None:
    urls = attack_lab.urls()
    assert urls
    assert loopback_problems(urls) == []
