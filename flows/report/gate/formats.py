"""Scrub one artifact's bytes by its kind: text, JSON (strings only), zip archives (members, nested), images kept.

Text kinds are replaced in place with the session's
:class:`~sso_harness.report.html.scrub.SecretValues`, then with the URL rule
(a secret query or fragment parameter, ``?code=…``, keeps its name and loses
its value even when the value was never seen). A Playwright trace is handed to
:func:`~sso_harness.report.bundle.pwtrace.scrub_playwright_trace`, which adds
the trace's own structural rules.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from sso_harness.protocols.secrets import SECRET_PARAMETERS
from sso_harness.report.bundle.pwtrace import is_playwright_trace, scrub_json_text, scrub_playwright_trace
from sso_harness.report.gate.fragments import scrub_reprs, scrub_shortened
from sso_harness.report.html.scrub import SecretValues
from sso_harness.report.redact import REDACTED

__all__ = ["Scrubbed", "scrub_bytes", "scrub_text", "is_image", "IMAGE_SUFFIXES", "JSON_SUFFIXES"]

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".ico", ".webm", ".mp4", ".woff", ".woff2", ".ttf")
JSON_SUFFIXES = (".json", ".har", ".jsonl", ".trace", ".network")
_ZIP_MAGIC = b"PK\x03\x04"
# name=value after ? & # or ; (the HTML-escaped &amp;), for the secret names; state, nonce, RelayState stay.
_URL_PARAM = re.compile(
    r"(?<=[?&#;])(" + "|".join(sorted((re.escape(n) for n in SECRET_PARAMETERS), key=len, reverse=True)) + r")=(?!\[redacted\])([^&\s\"'<>#\\]+)",
    re.I,
)


@dataclass(frozen=True)
class Scrubbed:
    """The new bytes (``None``: unchanged) and how many values were replaced."""

    data: bytes | None
    replaced: int


def is_image(name: str) -> bool:
    return name.lower().endswith(IMAGE_SUFFIXES)


def scrub_text(text: str, secrets: SecretValues, *, json_aware: bool = False) -> tuple[str, int]:
    """Known values, secret URL parameters, shortened secrets and secret repr members replaced; ``json_aware``
    confines the known-value pass to JSON strings."""
    if json_aware:
        text, n = scrub_json_text(text, secrets)
    else:
        text, n = secrets.scrub(text)
    text, m = _URL_PARAM.subn(lambda mo: f"{mo.group(1)}={REDACTED}", text)
    # Pieces of a secret that pytest shortened, and secret members of a printed dict (values never seen).
    text, k = scrub_shortened(text, [v for v, r in secrets.replacements.items() if r == REDACTED])
    text, r = scrub_reprs(text)
    return text, n + m + k + r


def scrub_bytes(name: str, data: bytes, secrets: SecretValues, *, depth: int = 0) -> Scrubbed:
    """``data`` (a file called ``name``) scrubbed; images and undecodable binaries are left as they are."""
    if is_image(name):
        return Scrubbed(None, 0)
    if data.startswith(_ZIP_MAGIC) and depth < 8:
        return _scrub_zip(data, secrets, depth)
    if b"\x00" in data[:4096]:
        return Scrubbed(None, 0)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return Scrubbed(None, 0)
    cleaned, n = scrub_text(text, secrets, json_aware=name.lower().endswith(JSON_SUFFIXES))
    return Scrubbed(cleaned.encode("utf-8") if n else None, n)


def _scrub_zip(data: bytes, secrets: SecretValues, depth: int) -> Scrubbed:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as src:
            names = src.namelist()
            if is_playwright_trace(names):
                done = scrub_playwright_trace(data, secrets)
                return Scrubbed(done.data, done.replaced)
            members = [(info, src.read(info)) for info in src.infolist()]
    except (zipfile.BadZipFile, ValueError):
        return Scrubbed(None, 0)
    out = io.BytesIO()
    total = 0
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, body in members:
            if info.is_dir():
                dst.writestr(info, b"")
                continue
            inner = scrub_bytes(info.filename, body, secrets, depth=depth + 1)
            total += inner.replaced
            dst.writestr(info.filename, inner.data if inner.data is not None else body)
    return Scrubbed(out.getvalue() if total else None, total)
