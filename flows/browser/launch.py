"""How Chromium is launched: Debian's binary, through the capture proxy.

Playwright cannot download its own browsers on a closed network, so the
harness uses the system Chromium. Trust goes to this run's proxy CA only,
through its SPKI pin; no trust store is touched. A Chromium-based browser
installed from its vendor's package (Google Chrome, Microsoft Edge) can be
used instead, by its Playwright channel name (:data:`CHANNEL_EXECUTABLES`).
"""

from __future__ import annotations

import os
import shutil
from typing import Any

__all__ = ["CHANNEL_EXECUTABLES", "channel_executable", "chromium_executable", "launch_args", "ChromiumMissing"]

DEFAULT_CHROMIUM = "/usr/bin/chromium"

#: Where Playwright looks for each channel's browser on Linux (the vendors' .deb install paths).
CHANNEL_EXECUTABLES: dict[str, str] = {
    "chrome": "/opt/google/chrome/chrome",
    "chrome-beta": "/opt/google/chrome-beta/chrome",
    "chrome-dev": "/opt/google/chrome-unstable/chrome",
    "msedge": "/opt/microsoft/msedge/msedge",
    "msedge-beta": "/opt/microsoft/msedge-beta/msedge",
    "msedge-dev": "/opt/microsoft/msedge-dev/msedge",
}


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


def channel_executable(channel: str) -> str | None:
    """The installed browser of a Playwright ``channel``; None when the channel is unknown or not installed."""
    path = CHANNEL_EXECUTABLES.get(channel)
    return path if path is not None and os.path.exists(path) else None


def launch_args(*, proxy_url: str | None, spki_pin: str | None, base: dict[str, Any] | None = None,
                channel: str | None = None, remote: bool = False) -> dict[str, Any]:
    """Keyword arguments for ``BrowserType.launch``.

    With ``channel`` (``chrome``, ``msedge``...), Playwright launches that
    installed browser; otherwise Debian's Chromium (:func:`chromium_executable`).
    With ``remote``, the browser runs elsewhere (a Playwright server, which
    reads these options from its connection): no local executable is named
    or required.

    Playwright itself adds ``<-loopback>`` to the proxy bypass list when a
    proxy is given, so loopback traffic reaches the proxy. We never pass our
    own ``--disable-features``: Chromium keeps only the last one, and
    Playwright already passes one.
    """
    args = dict(base or {})
    extra = ["--disable-quic"]
    if spki_pin:
        extra.append(f"--ignore-certificate-errors-spki-list={spki_pin}")
    if channel:
        args["channel"] = channel
    elif not remote:
        args["executable_path"] = chromium_executable()
    args["args"] = [*args.get("args", []), *extra]
    if proxy_url:
        args["proxy"] = {"server": proxy_url}
    return args
