"""A Playwright trace (``trace.zip``) with every known secret value scrubbed out.

A Playwright trace records actions with their arguments (the password a
``fill`` typed), DOM snapshots (hidden form fields carrying SAML Responses
and codes, input values), the network log (cookies, Authorization headers,
form bodies) and response bodies. Its members are text (JSON lines, HTML,
JSON) or images; every text member is scrubbed with the flow's
:class:`~sso_harness.report.html.scrub.SecretValues`. Images are kept: password
fields render as dots.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from sso_harness.report.html.scrub import SecretValues

__all__ = ["ScrubbedTrace", "scrub_playwright_trace"]

_IMAGE_SUFFIXES = (".jpeg", ".jpg", ".png", ".webp", ".gif", ".woff", ".woff2", ".ttf")


@dataclass(frozen=True)
class ScrubbedTrace:
    data: bytes
    replaced: int
    members: int


def _is_text(name: str, data: bytes) -> bool:
    if name.lower().endswith(_IMAGE_SUFFIXES) or b"\x00" in data[:4096]:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def scrub_playwright_trace(data: bytes, secrets: SecretValues) -> ScrubbedTrace:
    """Rewrite ``data`` (a trace zip) with secrets replaced; non-text members are copied unchanged.

    A member that is neither valid UTF-8 text nor an image is dropped
    rather than risk carrying a secret in an encoding the scrubber cannot see.
    """
    out = io.BytesIO()
    replaced = touched = 0
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.is_dir():
                continue
            body = src.read(info)
            if _is_text(info.filename, body):
                text, n = secrets.scrub(body.decode("utf-8"))
                if n:
                    replaced += n
                    touched += 1
                dst.writestr(info.filename, text.encode("utf-8"))
            elif info.filename.lower().endswith(_IMAGE_SUFFIXES):
                dst.writestr(info.filename, body)
    return ScrubbedTrace(out.getvalue(), replaced, touched)
