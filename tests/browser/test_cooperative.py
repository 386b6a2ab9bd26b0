"""Cooperative jobs refuse what is not a Playwright sync-API object (the rest runs in e2e/concurrency)."""

from __future__ import annotations

import pytest

from sso_harness.browser.cooperative import UNSUPPORTED, Cooperative, CooperativeError


def test_an_object_without_a_dispatcher_is_refused_with_a_code() -> None:
    with pytest.raises(CooperativeError) as err:
        Cooperative(object())
    assert err.value.code == UNSUPPORTED
