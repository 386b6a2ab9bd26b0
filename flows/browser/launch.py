"""How Chromium is launched: Debian's binary, through the capture proxy.

Playwright cannot download its own browsers on a closed network, so the
harness uses the system Chromium. Trust goes to this run's proxy CA only,
through its SPKI pin; no trust store is touched.
"""

from __future__ import annotations

import os
import shutil
from typing import Any

__all__ = ["chromium_executable", "launch_args", "ChromiumMissing"]

DEFAULT_CHROMIUM = "/usr/bin/chromium"


class ChromiumMissing(RuntimeError):
    """No Chromium binary was found; the message says how to install one."""


def chromium_executable() -> str:
    """``$SSO_HARNESS_CHROMIUM``, else /usr/bin/chromium, else ``chromium`` on PATH."""
    candidates = [os.environ.get("SSO_HARNESS_CHROMIUM"), DEFAULT_CHROMIUM, shutil.which("chromium")]
    for path in candidates:
        if path and os.path.exists(path):
            return path
    raise ChromiumMissing(
        "Chromium was not found. Install Debian's package (apt-get install chromium) "
        "or set SSO_HARNESS_CHROMIUM to a Chromium binary."
    )


def launch_args(*, proxy_url: str | None, spki_pin: str | None, base: dict[str, Any] | None = None) -> dict[str, Any]:
    """Keyword arguments for ``BrowserType.launch``.

    Playwright itself adds ``<-loopback>`` to the proxy bypass list when a
    proxy is given, so loopback traffic reaches the proxy. We never pass our
    own ``--disable-features``: Chromium keeps only the last one, and
    Playwright already passes one.
    """
    args = dict(base or {})
    extra = ["--disable-quic"]
    if spki_pin:
        extra.append(f"--ignore-certificate-errors-spki-list={spki_pin}")
    args["executable_path"] = chromium_executable()
    args["args"] = [*args.get("args", []), *extra]
    if proxy_url:
        args["proxy"] = {"server": proxy_url}
    return args
