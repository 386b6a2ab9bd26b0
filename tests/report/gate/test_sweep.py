"""The redaction gate over every kind of artifact: known values go in every encoding, images stay, the opt-out marks."""

from __future__ import annotations

import base64
import io
import json
import zipfile
from pathlib import Path
from urllib.parse import quote, quote_plus

from sso_harness.protocols.secrets import SecretBook
from sso_harness.report.gate import MARKER_FILE, NOTICE, is_marked, scrub_text, sweep
from sso_harness.report.html.scrub import SecretValues

from ..secret_scan import leaks

PASSWORD = "Pw-canary-7f3a9!"
COOKIE = "estsauth-canary-19c2d8e4"
CODE = "code-canary-5b1e0a77"
OTP = "493817"
SECRETS = [PASSWORD, COOKIE, CODE]
PNG = b"\x89PNG\r\n\x1a\n" + PASSWORD.encode() + b"\x00\x01"


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


def _unzip_all(data: bytes) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            body = z.read(name)
            if body.startswith(b"PK\x03\x04"):
                found.update({f"{name}!{k}": v for k, v in _unzip_all(body).items()})
            else:
                found[name] = body
    return found


def _plant(folder: Path) -> None:
    b64 = base64.b64encode(f"user:{PASSWORD}".encode()).decode()
    (folder / "allure").mkdir(parents=True)
    (folder / "allure" / "x-result.json").write_text(json.dumps({
        "name": "test", "start": 1765493817123, "stop": 1765493817999,
        "statusDetails": {"message": f"page = <Page url='https://sp.test/cb?state=s1&code={CODE}'>", "trace": f"cookie {COOKIE} otp {OTP}"},
    }))
    (folder / "junit.xml").write_text(f'<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite time="1.{OTP}"><failure message="{quote(CODE, safe="")}">'
                                      f"{quote_plus(PASSWORD)}</failure></testsuite></testsuites>")
    (folder / "summary.md").write_text(f"# Summary\n\nAuthorization: Basic {b64}\n")
    (folder / "timeline.html").write_text(f"<html><body><pre>{base64.urlsafe_b64encode(COOKIE.encode()).decode()}</pre></body></html>")
    (folder / "flow.har").write_text(json.dumps({"log": {"entries": [{"request": {"cookies": [{"name": "ESTSAUTH", "value": COOKIE}]}}]}}))
    (folder / "final.png").write_bytes(PNG)
    inner = _zip({"notes.txt": f"password={PASSWORD}".encode(), "shot.png": PNG})
    (folder / "bundle.zip").write_bytes(_zip({"inner.zip": inner, "log.txt": f"code={CODE}".encode()}))


def _texts(folder: Path) -> dict[str, str]:
    found: dict[str, str] = {}
    for path in folder.rglob("*"):
        if not path.is_file() or path.suffix == ".png":
            continue
        data = path.read_bytes()
        members = _unzip_all(data) if data.startswith(b"PK") else {"": data}
        for name, body in members.items():
            if not name.endswith(".png"):
                found[f"{path.name}!{name}"] = body.decode("utf-8")
    return found


def _hits(folder: Path) -> dict[str, list[str]]:
    return {name: found for name, text in _texts(folder).items() if (found := leaks(text, SECRETS))}


def test_every_known_value_goes_in_every_encoding_and_format(tmp_path: Path) -> None:
    _plant(tmp_path)
    assert len(_hits(tmp_path)) == 7  # the negative control: each planted artifact leaks before the sweep
    book = SecretBook([PASSWORD, COOKIE, CODE, OTP])
    report = sweep([tmp_path], book)
    assert _hits(tmp_path) == {}
    assert report.files == 7 and len(report.changed) == 6 and report.replacements >= 8
    result = json.loads((tmp_path / "allure" / "x-result.json").read_text())
    assert result["start"] == 1765493817123  # a one-time code inside a number is not a secret: JSON stays valid
    assert "otp [redacted]" in result["statusDetails"]["trace"] and "state=s1" in result["statusDetails"]["message"]
    assert 'time="1.493817"' in (tmp_path / "junit.xml").read_text()
    assert (tmp_path / "final.png").read_bytes() == PNG  # images are left as they are
    assert _unzip_all((tmp_path / "bundle.zip").read_bytes())["inner.zip!shot.png"] == PNG
    assert sweep([tmp_path], book).replacements == 0  # idempotent


def test_a_secret_url_parameter_goes_even_when_its_value_is_unknown() -> None:
    text = "page = <Page url='https://sp.test/cb?state=keep-1&code=never-seen-1&nonce=n1'> &amp;flowToken=ft-unknown-2"
    cleaned, n = scrub_text(text, SecretValues())
    assert n == 2 and "never-seen-1" not in cleaned and "ft-unknown-2" not in cleaned
    assert "state=keep-1" in cleaned and "nonce=n1" in cleaned and "code=[redacted]" in cleaned
    assert scrub_text("status_code=200 and code=plain", SecretValues()) == ("status_code=200 and code=plain", 0)


def test_no_redact_changes_nothing_and_every_artifact_says_so(tmp_path: Path) -> None:
    _plant(tmp_path)
    before = _hits(tmp_path)
    report = sweep([tmp_path], SecretBook(SECRETS), enabled=False)
    assert _hits(tmp_path) == before and not report.redacted and report.replacements == 0
    assert (tmp_path / MARKER_FILE).read_text().strip() == NOTICE
    for name in ("allure/x-result.json", "junit.xml", "summary.md", "timeline.html", "bundle.zip"):
        assert is_marked(tmp_path / name), name
    labels = json.loads((tmp_path / "allure" / "x-result.json").read_text())["labels"]
    assert {"name": "redaction", "value": "off"} in labels
    assert "REDACTION IS OFF" in (tmp_path / "timeline.html").read_text().split("<body>", 1)[1][:200]
    assert not is_marked(tmp_path / "final.png")


def test_a_large_book_scrubs_in_one_pass(tmp_path: Path) -> None:
    book = SecretBook(f"cookie-value-{i:05d}-{i * 7919:08x}" for i in range(3000))
    text = " filler " * 50_000 + "cookie-value-02999-" + f"{2999 * 7919:08x}"
    path = tmp_path / "big.txt"
    path.write_text(text)
    report = sweep([path], book)
    assert report.replacements == 1 and path.read_text().endswith("[redacted]")
