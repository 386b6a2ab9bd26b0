"""The fleet as the harness starts it: made-ahead keys and schema, on a background thread.

Importing this module is cheap; the mocks (pysaml2 and all) are imported by
the start itself, on its thread, so the caller can launch the browser
meanwhile. Work that is the same at every start is done ahead of time:
RSA keys come from :mod:`~sso_harness.mocks.base.key_pool`, pysaml2's schema
validator from :mod:`~sso_harness.mocks.saml.schema_cache`. The pytest
plugin's ``_sso_fleet_start`` fixture and the start-up benchmark both start
the fleet through here, so the benchmark measures what a test session does.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from sso_harness.mocks.web.background import BackgroundStart

if TYPE_CHECKING:  # imported by the start, not with this module
    from sso_harness.mocks.fleet import MockFleet

__all__ = ["background_fleet", "started_fleet"]


def started_fleet(outbound_proxy: str | None = None) -> MockFleet:
    """A started :class:`~sso_harness.mocks.fleet.MockFleet` (every mock), its back-channel calls
    through ``outbound_proxy``, its keys from :func:`~sso_harness.mocks.base.key_pool.default_pool`."""
    from sso_harness.mocks.saml.schema_cache import import_pysaml2_schema

    import_pysaml2_schema()  # before the mocks import pysaml2, which would build it
    from sso_harness.mocks.base.key_pool import default_pool
    from sso_harness.mocks.fleet import MockFleet

    return MockFleet(outbound_proxy=outbound_proxy, key_pool=default_pool()).start()


def background_fleet(outbound_proxy: str | None = None) -> BackgroundStart[MockFleet]:
    """:func:`started_fleet` as a :class:`BackgroundStart`: call ``begin()`` before launching the browser."""
    return BackgroundStart(partial(started_fleet, outbound_proxy), name="sso-harness-fleet-start")
