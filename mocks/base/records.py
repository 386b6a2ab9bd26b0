"""Changing a mock's configuration records by field names that arrive as data."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

__all__ = ["with_changes"]

R = TypeVar("R", bound="DataclassInstance")


def with_changes(record: R, changes: Mapping[str, object]) -> R:
    """A copy of the frozen dataclass ``record`` with ``changes`` applied (``dataclasses.replace``).

    The field names come from an admin request or a test, so they are checked
    when the call runs: an unknown name is a ``TypeError``.
    """
    return dataclasses.replace(record, **changes)
