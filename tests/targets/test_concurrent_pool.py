"""The flow pool's settings (its flows run in e2e/concurrency/)."""

from __future__ import annotations

from typing import Any, cast

import pytest

from sso_harness.targets.concurrent import BAD_CONCURRENCY, FlowPool, PoolError


def test_fewer_than_one_flow_at_a_time_is_refused_with_a_code() -> None:
    nothing = cast(Any, None)
    with pytest.raises(PoolError) as err:
        FlowPool(nothing, nothing, nothing, concurrency=0)
    assert err.value.code == BAD_CONCURRENCY
