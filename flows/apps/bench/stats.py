"""Small statistics for benchmark tables."""

from __future__ import annotations

import statistics
from collections.abc import Sequence

__all__ = ["median", "p95", "ratio"]


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def p95(values: Sequence[float]) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")
