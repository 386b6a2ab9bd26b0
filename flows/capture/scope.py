"""Which hosts a capture lane may reach.

In the mock lane every peer listens on loopback, so anything else (Chromium
phoning home to Google, a stray CDN link) is answered locally by the proxy and
kept out of the trace: it is noise, and on a closed network it would fail.
"""

from __future__ import annotations

import ipaddress

__all__ = ["is_loopback_host"]


def is_loopback_host(host: str) -> bool:
    """True for ``localhost``, ``*.localhost`` and loopback IP literals."""
    host = host.strip("[]").lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
