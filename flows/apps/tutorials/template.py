"""``{name}`` placeholders in spec strings, filled from a flat table of values.

Names are dotted (``sp.entity_id``, ``user.email``,
``endpoints.<mock>.<endpoint>``) and looked up whole: the table is flat, so a
name with several dots is one key. A name the table lacks raises
:class:`~sso_harness.apps.tutorials.errors.ValueMissing`, which the runner turns into
"not checked" on a real target. Text that is not a placeholder, such as a
regular expression's ``{8}``, is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sso_harness.apps.tutorials.errors import ValueMissing

__all__ = ["PLACEHOLDER", "fill", "fill_any", "names_in", "resolve_bindings"]

PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_\-]*(?:\.[A-Za-z0-9_\-]+)*)\}")


def fill(template: str, values: Mapping[str, str]) -> str:
    """Replace every ``{name}``; raises ValueMissing for the first unknown name."""

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise ValueMissing(name, template)
        return str(values[name])

    return PLACEHOLDER.sub(one, template)


def fill_any(value: Any, values: Mapping[str, str]) -> Any:
    """Fill strings anywhere inside lists and mappings; YAML lists become tuples
    (the emulations' configuration values are tuples)."""
    if isinstance(value, str):
        return fill(value, values)
    if isinstance(value, (list, tuple)):
        return tuple(fill_any(v, values) for v in value)
    if isinstance(value, Mapping):
        return {k: fill_any(v, values) for k, v in value.items()}
    return value


def names_in(template: str) -> list[str]:
    return PLACEHOLDER.findall(template)


def resolve_bindings(bindings: Mapping[str, str], values: dict[str, str]) -> dict[str, str]:
    """Fill ``bindings`` (name -> template) into ``values``, in whatever order they depend
    on each other; bindings that stay unresolvable are left out (their names then miss)."""
    pending = dict(bindings)
    while pending:
        progressed = False
        for name, template in list(pending.items()):
            try:
                values[name] = fill(template, values)
            except ValueMissing as missing:
                if missing.name in pending:
                    continue  # depends on another binding not filled yet
                del pending[name]
                progressed = True
                continue
            del pending[name]
            progressed = True
        if not progressed:
            break  # a cycle: the rest stay missing
    return values
