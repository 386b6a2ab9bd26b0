"""The canary scan itself: it must find a canary in every form and place the real test relies on.

Without this, a scan that opened no archive, or missed an encoding, would
report "0 hits" for the wrong reason.
"""

from __future__ import annotations

import base64
import gzip
import io
import zipfile
from pathlib import Path
from urllib.parse import quote_plus

from .canaries import API_BEARER, CODE, FIXED, PASSWORD, REFRESH_TOKEN, TOTP_SECRET, id_token_canaries
from .scan import scan_tree

_SIGNATURE = "S" * 20 + "ignatureOfAnIdTokenThatIsLongEnoughToHaveFragments" + "Z" * 20
_ID_TOKEN = f"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.{_SIGNATURE}"


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buffer.getvalue()


def test_every_form_and_every_nesting_is_found(tmp_path: Path) -> None:
    (tmp_path / "reports" / "playwright" / "flow").mkdir(parents=True)
    trace = _zip({"trace.trace": f'{{"type":"fill","value":"{PASSWORD}"}}'.encode(),
                  "resources/body.dat": gzip.compress(f"refresh_token={REFRESH_TOKEN}".encode())})
    (tmp_path / "reports" / "playwright" / "flow" / "trace.zip").write_bytes(trace)
    bundle = _zip({"index.html": b"clean", "playwright-trace.zip": _zip({"trace.network": f"code={CODE}".encode()})})
    (tmp_path / "reports" / "bundle.zip").write_bytes(bundle)
    (tmp_path / "reports" / "form.txt").write_text("password=" + quote_plus(PASSWORD), encoding="utf-8")
    basic = base64.b64encode(f"client:{API_BEARER}".encode()).decode()
    (tmp_path / "reports" / "headers.json").write_text(f'{{"Authorization": "Basic {basic}"}}', encoding="utf-8")
    (tmp_path / "reports" / "junit.xml").write_text(f"id_token: 'ey...{_SIGNATURE[-40:]}'", encoding="utf-8")
    (tmp_path / "reports" / "clean.md").write_text(f"nothing here but {TOTP_SECRET[:6]}", encoding="utf-8")

    result = scan_tree({"root": tmp_path}, {**FIXED, **id_token_canaries([_ID_TOKEN])})

    found = {(h.where, h.kind, h.form) for h in result.hits}
    assert found == {
        ("root/reports/playwright/flow/trace.zip!trace.trace", "password", "raw"),
        ("root/reports/playwright/flow/trace.zip!resources/body.dat!(gunzip)", "refresh token", "raw"),
        ("root/reports/bundle.zip!playwright-trace.zip!trace.network", "authorization code", "raw"),
        ("root/reports/form.txt", "password", "url+"),
        ("root/reports/headers.json", "Authorization header", "base64"),
        ("root/reports/junit.xml", "id token #1", "raw, last 32 characters"),
    }
    assert (result.files, result.members) == (6, 5)  # a gzip stream counts once, as its content
    assert all(PASSWORD not in str(h) and CODE not in str(h) for h in result.hits)  # a hit never repeats the value
