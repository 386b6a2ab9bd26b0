"""Run the fleet in the foreground until a signal: what ``sso-harness mocks serve`` does.

When every server is listening, one line per mock (``name  base URL``) and
the useful endpoints are printed, and the URLs are written as JSON::

    {"mocks": {"entra": "http://127.0.0.1:PORT", ...},
     "endpoints": {"entra.federation_metadata": "...", ...}}

The file is written atomically (temp file, then rename), so a watcher never
reads half of it. SIGINT and SIGTERM stop the servers and return 0.
"""

from __future__ import annotations

import json
import os
import signal
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from sso_harness.mocks.config import FleetConfig
from sso_harness.mocks.fleet import MockFleet

__all__ = ["serve", "write_urls"]


def write_urls(path: Path, fleet: MockFleet) -> None:
    data = {"mocks": fleet.urls(), "endpoints": fleet.endpoints()}
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".urls-", dir=str(path.parent))
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(data, out, indent=2)
        out.write("\n")
    os.replace(tmp, path)


def serve(
    config: FleetConfig,
    *,
    urls_file: Path | None = None,
    out: TextIO,
    stop: threading.Event | None = None,
    on_ready: Callable[[MockFleet], None] | None = None,
) -> int:
    """Start the fleet, announce it, and block until ``stop`` is set or a signal arrives."""
    stop = stop or threading.Event()
    previous = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            previous[sig] = signal.signal(sig, lambda signum, frame: stop.set())
    try:
        with MockFleet(config) as fleet:
            width = max(len(n) for n in fleet.urls())
            for name, url in fleet.urls().items():
                out.write(f"{name:<{width}}  {url}\n")
            out.write("\n")
            for name, url in fleet.endpoints().items():
                out.write(f"  {name}: {url}\n")
            if urls_file is not None:
                write_urls(urls_file, fleet)
                out.write(f"\nURLs written to {urls_file}\n")
            out.write("Mock fleet ready. Stop with Ctrl-C (SIGINT) or SIGTERM.\n")
            out.flush()
            if on_ready is not None:
                on_ready(fleet)
            while not stop.wait(0.5):
                pass
            out.write("Stopping the mock fleet.\n")
            out.flush()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0
