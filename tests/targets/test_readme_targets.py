"""The worked target entries of README's "Point it at your own IdP or SP" load as they are written."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from sso_harness.targets import parse_targets

README = Path(__file__).resolve().parents[2] / "README.md"


class _AnyEnv(Mapping[str, str]):
    """Every ``${VAR}`` reads as a placeholder value."""

    def __getitem__(self, key: str) -> str:
        return f"value-of-{key}"

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def __contains__(self, key: object) -> bool:
        return True


def _worked_entries() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Point it at your own IdP or SP", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```yaml\n(.*?)```", section, flags=re.DOTALL)


def test_the_section_has_the_four_shapes() -> None:
    flows = [sp.flows for block in _worked_entries() for t in parse_targets(block, env=_AnyEnv()).values() for sp in t.sps]
    assert flows == [("sp_initiated", "idp_initiated"), ("oidc_client",), ("oidc",), ("sp_initiated",)]


@pytest.mark.parametrize("block", _worked_entries())
def test_each_worked_entry_loads_without_a_problem(block: str) -> None:
    (target,) = parse_targets(block, source="README.md", env=_AnyEnv()).values()
    assert target.users and target.sps
