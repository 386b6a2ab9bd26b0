"""Small statistics for benchmark tables."""

from __future__ import annotations

import json
import statistics
from collections.abc import Sequence

__all__ = ["median", "p95", "ratio", "json_numbers"]


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def p95(values: Sequence[float]) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")


def json_numbers(stdout: str) -> dict[str, float]:
    """The JSON object of numbers on the last line of a measuring child's ``stdout``.

    ValueError when that line is not a JSON object whose values are all numbers
    (the child printed something else last: a warning, a traceback).
    """
    lines = stdout.strip().splitlines()
    document = json.loads(lines[-1]) if lines else None
    if not isinstance(document, dict):
        raise ValueError(f"the last line is not a JSON object: {lines[-1:]!r}")
    numbers: dict[str, float] = {}
    for key, value in document.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"{key!r} is not a number: {value!r}")
        numbers[str(key)] = value
    return numbers
