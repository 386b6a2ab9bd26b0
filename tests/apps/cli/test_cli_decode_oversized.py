"""``sso-harness decode`` on input over OAuth's 1 MiB bound gives the real protocol's reason."""

from __future__ import annotations

import base64
import json
import zlib
from pathlib import Path
from urllib.parse import quote

import pytest

from sso_harness.protocols.oauth.params import MAX_INPUT

from .test_cli_decode import run_cli

_PAD = "x" * (MAX_INPUT + 1024)  # pushes any input past OAuth's bound


def _bomb() -> str:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    zeros = b"\0" * (1024 * 1024)
    data = b"".join(packer.compress(zeros) for _ in range(11)) + packer.flush()
    return base64.b64encode(data).decode()


def _fails_with(tmp_path: Path, content: str, capsys: pytest.CaptureFixture[str]) -> str:
    path = tmp_path / "input"
    path.write_text(content)
    assert path.stat().st_size > MAX_INPUT
    assert run_cli([str(path)]) == 2
    _, err = capsys.readouterr()
    assert err.count("\n") == 1 and "internal error" not in err
    return err


def test_a_deflate_bomb_is_reported_as_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = _fails_with(tmp_path, f"SAMLRequest={quote(_bomb())}&RelayState={_PAD}", capsys)
    assert "deflate bomb" in err and "larger than" not in err


def test_an_oversized_saml_post_gets_the_saml_reason(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    xml = b"<samlp:Response xmlns:samlp='urn:oasis:names:tc:SAML:2.0:protocol'>" + b"<a>" * 300_000
    err = _fails_with(tmp_path, "SAMLResponse=" + quote(base64.b64encode(xml).decode()), capsys)
    assert "SAMLResponse/XML: malformed XML" in err and "1048576" not in err


def test_oversized_oauth_json_keeps_the_oauth_reason(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = _fails_with(tmp_path, json.dumps({"access_token": "a", "pad": _PAD}), capsys)
    assert f"input larger than {MAX_INPUT} bytes" in err
