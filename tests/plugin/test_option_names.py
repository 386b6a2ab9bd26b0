"""Every pytest option of the plugin is ``--sso-*`` and in the one ``sso-harness`` group."""

from __future__ import annotations

import pytest


def _groups(pytester: pytest.Pytester) -> dict[str, list[str]]:
    config = pytester.parseconfig()
    return {group.name: [name for option in group.options for name in option.names()]
            for group in config._parser._groups}  # noqa: SLF001  # pytest keeps its groups here


def test_the_plugins_options_are_prefixed_and_grouped(pytester: pytest.Pytester) -> None:
    groups = _groups(pytester)
    ours = groups["sso-harness"]
    assert {"--sso-target", "--sso-targets-file", "--sso-summary", "--sso-progress", "--sso-allow-egress"} <= set(ours)
    assert [name for name in ours if not name.startswith("--sso-")] == []
    strays = {g: [n for n in names if n.startswith("--sso")] for g, names in groups.items() if g != "sso-harness"}
    assert {g: names for g, names in strays.items() if names} == {}


def test_the_unprefixed_names_are_gone(pytester: pytest.Pytester) -> None:
    for old in ("--target", "--targets-file"):
        with pytest.raises(pytest.UsageError):
            pytester.parseconfig(old, "x")
