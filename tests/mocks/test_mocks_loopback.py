"""Every server of the mock fleet listens on 127.0.0.1 only (read from /proc while it runs)."""

from __future__ import annotations

from sso_harness.mocks.fleet import MockFleet

from ..capture.listening import listeners, loopback_problems


def test_every_mock_of_the_fleet_listens_on_loopback_only(fleet: MockFleet) -> None:
    urls = fleet.urls()
    assert len(urls) >= 8, urls  # the generic pair and the seed systems
    assert loopback_problems(urls) == []
    assert {l.port for l in listeners()} >= {int(u.rsplit(":", 1)[1].split("/")[0]) for u in urls.values()}
