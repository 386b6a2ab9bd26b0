"""A Playwright browser server on loopback, driving Debian's Chromium, for the remote-browser test.

Runs ``server.mjs`` (``launchServer`` of the npm ``playwright-core``, pinned
to the Python driver's version) from the tools folder, where
``scripts/install-remote-browser.sh`` installs it. The server's endpoint is
read from the line it prints once it listens; the server stops when its
stdin closes, so it ends with the test, or with this process.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sso_harness.browser.launch import chromium_executable
from sso_harness.tools_dir import current_script, tool_dir

__all__ = ["TOOL", "ServerMissing", "playwright_server"]

TOOL = "playwright-server"  # scripts/install-remote-browser.sh installs it under this name
SOURCE = Path(__file__).resolve().parent / "playwright_server" / "server.mjs"
# A bound on a hang, not a timing assertion: the server prints its endpoint as soon as Chromium is up.
START_LIMIT = 120.0


class ServerMissing(RuntimeError):
    """node or the installed playwright-core is missing; the message says how to install them."""


@contextmanager
def playwright_server() -> Iterator[str]:
    """Start the server; yield its ``ws://127.0.0.1:PORT/ID`` endpoint; stop it on exit."""
    node = shutil.which("node")
    if node is None or not (tool_dir(TOOL) / "node_modules" / "playwright-core").is_dir():
        raise ServerMissing(f"no node or no {tool_dir(TOOL)}/node_modules/playwright-core: "
                            "run scripts/install-remote-browser.sh")
    script = current_script(TOOL, SOURCE)
    # stderr goes to a file: a pipe nobody reads could fill and stall the server.
    with tempfile.TemporaryFile("w+") as errors:
        proc = subprocess.Popen([node, str(script), chromium_executable()], cwd=script.parent, text=True,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors)
        stdin, stdout = proc.stdin, proc.stdout
        assert stdin is not None and stdout is not None
        try:
            line: list[str] = []
            reader = threading.Thread(target=lambda: line.append(stdout.readline()), daemon=True)
            reader.start()
            reader.join(START_LIMIT)
            if not line or not line[0].strip():
                proc.kill()
                proc.wait()
                errors.seek(0)
                raise RuntimeError(f"the Playwright server did not start: {errors.read()[-2000:]}")
            yield str(json.loads(line[0])["wsEndpoint"])
        finally:
            if proc.poll() is None:
                stdin.close()  # the server closes its browser and exits
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            stdout.close()
