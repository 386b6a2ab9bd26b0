"""The tools folder: where it is, and how npm tools are installed and their scripts kept current."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

import sso_harness.tools_dir as tools
from sso_harness.tools_dir import ENV, current_script, npm_install, tool_dir, tools_dir

REPO = Path(__file__).resolve().parents[1]


def test_the_environment_variable_wins(tmp_path: Path) -> None:
    assert tools_dir({ENV: str(tmp_path / "t"), "XDG_CACHE_HOME": "/elsewhere"}) == tmp_path / "t"


def test_a_checkout_keeps_its_tools_in_its_git_ignored_cache() -> None:
    assert tools_dir({}) == REPO / ".cache" / "tools"
    assert ".cache/" in (REPO / ".gitignore").read_text().splitlines()


def test_an_installed_package_uses_the_users_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(tools, "_checkout", lambda: None)
    assert tools_dir({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "sso-harness" / "tools"
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert tools_dir({}) == tmp_path / "home" / ".cache" / "sso-harness" / "tools"


def test_a_tool_name_is_one_folder(tmp_path: Path) -> None:
    env = {ENV: str(tmp_path)}
    assert tool_dir("oidc-provider", env) == tmp_path / "oidc-provider"
    for bad in ("", "../x", "a/b", ".hidden"):
        with pytest.raises(ValueError):
            tool_dir(bad, env)


def _fake_npm(tmp_path: Path) -> tuple[str, Path]:
    """An ``npm`` that records each call and fills node_modules like ``npm ci --prefix DIR`` would."""
    log = tmp_path / "npm-calls"
    npm = tmp_path / "npm"
    npm.write_text(f'#!/bin/sh\necho "$@" >> {log}\nmkdir -p "$3/node_modules/.bin" && touch "$3/node_modules/.bin/tool"\n')
    npm.chmod(npm.stat().st_mode | stat.S_IXUSR)
    return str(npm), log


def _source(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    (src / "package.json").write_text('{"name": "t"}')
    (src / "package-lock.json").write_text('{"lockfileVersion": 3}')
    (src / "server.mjs").write_text("console.log('v1');\n")
    return src


def test_npm_ci_runs_in_the_tool_folder_only_when_the_lock_changes(tmp_path: Path) -> None:
    env = {ENV: str(tmp_path / "tools")}
    npm, log = _fake_npm(tmp_path)
    src = _source(tmp_path)
    folder = npm_install("t", src, ["server.mjs"], npm=npm, environ=env, say=lambda _: None)
    assert folder == tmp_path / "tools" / "t"
    assert sorted(p.name for p in folder.iterdir()) == ["node_modules", "package-lock.json", "package.json", "server.mjs"]
    assert log.read_text().split()[:3] == ["ci", "--prefix", str(folder)]

    (src / "server.mjs").write_text("console.log('v2');\n")  # a script edit: copied, no reinstall
    npm_install("t", src, ["server.mjs"], npm=npm, environ=env, say=lambda _: None)
    assert len(log.read_text().splitlines()) == 1
    assert (folder / "server.mjs").read_text() == "console.log('v2');\n"

    (src / "package-lock.json").write_text('{"lockfileVersion": 3, "packages": {}}')  # a new lock: reinstall
    npm_install("t", src, ["server.mjs"], npm=npm, environ=env, say=lambda _: None)
    assert len(log.read_text().splitlines()) == 2

    npm_install("t", src, ["server.mjs"], expect=["node_modules/.bin/absent"], npm=npm, environ=env, say=lambda _: None)
    assert len(log.read_text().splitlines()) == 3  # an expected file missing: reinstall


def test_the_script_node_runs_is_refreshed_from_the_checked_in_one(tmp_path: Path) -> None:
    env = {ENV: str(tmp_path / "tools")}
    src = _source(tmp_path)
    # Not installed: the path is named, nothing is created.
    assert current_script("t", src / "server.mjs", env) == tmp_path / "tools" / "t" / "server.mjs"
    assert not (tmp_path / "tools").exists()
    npm, _ = _fake_npm(tmp_path)
    npm_install("t", src, ["server.mjs"], npm=npm, environ=env, say=lambda _: None)
    (src / "server.mjs").write_text("console.log('edited');\n")
    script = current_script("t", src / "server.mjs", env)
    assert script.read_text() == "console.log('edited');\n"
    assert [p.name for p in script.parent.iterdir() if p.name.startswith(".")] == []  # no temporary left


def test_the_package_source_holds_no_node_modules() -> None:
    found = [str(p) for folder in ("flows", "mocks") for p in (REPO / folder).rglob("node_modules")]
    assert found == [], "npm installs go to the tools folder; delete these leftovers of older installs"
