"""``sso-harness run --browser-endpoint URL`` hands the URL to the plugin's ``--sso-browser-endpoint``."""

from __future__ import annotations

import argparse
from pathlib import Path


def test_run_passes_the_endpoint_to_the_plugin(tmp_path: Path) -> None:
    from sso_harness.apps.cli.run import pytest_args

    args = argparse.Namespace(target="mocks", keyword=None, workers=None, browser_endpoint="ws://127.0.0.1:3000/8f2a")
    assert "--sso-browser-endpoint=ws://127.0.0.1:3000/8f2a" in pytest_args(args, tmp_path, None, allow_egress=False)
    args.browser_endpoint = None
    assert not any("browser-endpoint" in a for a in pytest_args(args, tmp_path, None, allow_egress=False))
