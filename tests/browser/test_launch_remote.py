"""Launch options for a remote browser name no local executable, and need none."""

from __future__ import annotations

import pytest

from sso_harness.browser import launch


def _no_chromium() -> str:
    raise launch.ChromiumMissing("no local Chromium on this machine")


def test_remote_launch_options_neither_name_nor_need_a_local_chromium(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(launch, "chromium_executable", _no_chromium)
    args = launch.launch_args(proxy_url="http://127.0.0.1:8080", spki_pin="cGlu", remote=True)
    assert "executable_path" not in args and args["proxy"] == {"server": "http://127.0.0.1:8080"}
    assert "--ignore-certificate-errors-spki-list=cGlu" in args["args"]
    with pytest.raises(launch.ChromiumMissing):
        launch.launch_args(proxy_url=None, spki_pin=None)
